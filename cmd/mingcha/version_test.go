package main

import (
	"runtime"
	"testing"
)

// TestVersion: `mingcha version` prints the version the release build set
// (here the plain build's "dev"), in the user's language; extra arguments
// are a usage error.
func TestVersion(t *testing.T) {
	version, build = "1.2.3", "7"
	t.Cleanup(func() { version, build = "dev", "0" })
	platform := runtime.GOOS + "/" + runtime.GOARCH
	withLocale(t, "en_US.UTF-8")
	if code, out, errs := runCLI(t, "version"); code != 0 || out != "Mingcha 1.2.3 (build 7, "+platform+")\n" {
		t.Errorf("version: %d %q %q", code, out, errs)
	}
	withLocale(t, "zh_CN.UTF-8")
	if code, out, errs := runCLI(t, "version"); code != 0 || out != "明察 1.2.3（构建 7，"+platform+"）\n" {
		t.Errorf("version in Chinese: %d %q %q", code, out, errs)
	}
	if code, _, _ := runCLI(t, "version", "extra"); code == 0 {
		t.Error("version with an argument succeeded")
	}
}
