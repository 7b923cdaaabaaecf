package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"mingcha/assets"
	"mingcha/internal/sfnt"
)

// TestRun cuts WQY MicroHei to a few characters, leaving out those another
// font has, and writes it compressed; the same run gives the same bytes.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	wqy := filepath.Join(dir, "wqy.ttf")
	if err := os.WriteFile(wqy, assets.FontTTF(), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.ttf")
	if err := run(wqy, 0, "text:区", "", other); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.ttf.gz")
	if err := run(wqy, 0, "ascii,text:区明察\U0010FFFD", other, out); err != nil {
		t.Fatal(err)
	}
	gz, _ := os.ReadFile(out)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	ttf, _ := io.ReadAll(zr)
	f, err := sfnt.Parse(ttf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Has('明') || !f.Has('A') || f.Has('区') {
		t.Errorf("subset: 明 %v, A %v, 区 (left out) %v", f.Has('明'), f.Has('A'), f.Has('区'))
	}
	again := filepath.Join(dir, "again.ttf.gz")
	if err := run(wqy, 0, "ascii,text:区明察\U0010FFFD", other, again); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(again); !bytes.Equal(b, gz) {
		t.Error("two runs give different bytes")
	}
	for _, args := range [][]string{{"", "ascii", out}, {wqy, "", out}, {wqy, "nope", out}, {filepath.Join(dir, "none.ttf"), "ascii", out}} {
		if err := run(args[0], 0, args[1], "", args[2]); err == nil {
			t.Errorf("run%q succeeded", args)
		}
	}
}
