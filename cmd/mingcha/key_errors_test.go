package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKeyErrorsInChinese: what is wrong with a key file is said in the
// user's language, naming the file — a wrong CA passphrase for ca issue, an
// inspector's key where the root CA belongs, and a missing office key for
// the 通报 (each was English, or an untranslated Go error, before).
func TestKeyErrorsInChinese(t *testing.T) {
	withLocale(t, "zh_CN.UTF-8")
	dir := t.TempDir()
	caDir := filepath.Join(dir, "ca")
	t.Setenv(envCAPassphrase, "ca secret")
	t.Setenv(envPassphrase, "inspector pass")
	if code, out, errs := runCLI(t, "ca", "init", "--out", caDir, "--name", "区效能办"); code != 0 {
		t.Fatalf("ca init: %d %q %q", code, out, errs)
	}
	caKey := filepath.Join(caDir, "office-ca.p12")
	inspector := filepath.Join(dir, "王芳.p12")
	if code, out, errs := runCLI(t, "ca", "issue", "--ca", caDir, "--name", "王芳", "--out", inspector); code != 0 {
		t.Fatalf("ca issue: %d %q %q", code, out, errs)
	}

	t.Setenv(envCAPassphrase, "wrong")
	code, _, errs := runCLI(t, "ca", "issue", "--ca", caDir, "--name", "李四", "--out", filepath.Join(dir, "李四.p12"))
	if code == 0 || !strings.Contains(errs, "口令打不开密钥文件 "+caKey) || english(errs, caKey) {
		t.Errorf("ca issue with a wrong CA passphrase: %d %q", code, errs)
	}

	// An inspector's key put where the CA's belongs.
	fake := filepath.Join(dir, "fake")
	if err := os.MkdirAll(fake, 0o700); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(inspector)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(fake, "office-ca.p12"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envCAPassphrase, "inspector pass")
	code, _, errs = runCLI(t, "ca", "issue", "--ca", fake, "--name", "李四", "--out", filepath.Join(dir, "李四.p12"))
	if code == 0 || !strings.Contains(errs, "不是效能办根证书密钥") {
		t.Errorf("ca issue from an inspector's key: %d %q", code, errs)
	}

	// The 通报 with no office key beside the database.
	db := filepath.Join(dir, "office.db")
	if code, out, errs := runCLI(t, "office", "config", "--db", db, "--name", "区机关效能建设办公室"); code != 0 {
		t.Fatalf("office config: %d %q %q", code, out, errs)
	}
	missing := filepath.Join(dir, "identity.p12")
	code, _, errs = runCLI(t, "office", "bulletin", "--db", db, "--period", "2026-05", "-o", filepath.Join(dir, "通报.pdf"))
	if code == 0 || !strings.Contains(errs, "密钥文件 "+missing+" 不存在") || english(strings.ReplaceAll(errs, "ca issue", ""), missing) {
		t.Errorf("bulletin without the office key: %d %q", code, errs)
	}
}

// english reports an English word in a command's error line, past the
// "mingcha COMMAND: " prefix and with path left out.
func english(errs, path string) bool {
	_, msg, _ := strings.Cut(errs, ": ")
	return latin.MatchString(strings.ReplaceAll(msg, path, ""))
}
