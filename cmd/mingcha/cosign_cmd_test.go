package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/report"
	"mingcha/store"
)

// TestCosignCommand: two inspectors with office-CA keys — export signs
// with the first, "mingcha cosign" adds the second; pdfsig shows two valid
// signatures, verify lists both; a non-inspector's key is refused by
// cosign and by export; export with both keys signs with each in turn.
func TestCosignCommand(t *testing.T) {
	db, ids := plainDB(t)
	s, err := store.Open(db, store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Inspection(ids["signed"])
	s.Close()
	if err != nil || len(in.Inspectors) < 2 {
		// plainDB's signed inspection has two inspectors (demoInspectors).
		t.Fatalf("inspection %v: %v", in, err)
	}
	dir := t.TempDir()
	ca, _ := report.NewCA("区效能办")
	keys := map[string]string{}
	t.Setenv(envPassphrase, "pass")
	for _, name := range []string{in.Inspectors[0], in.Inspectors[1], "王外人"} {
		id, _ := ca.Issue(name, "区效能办")
		p12, _ := id.MarshalP12("pass")
		keys[name] = filepath.Join(dir, name+".p12")
		if err := os.WriteFile(keys[name], p12, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	first, second := keys[in.Inspectors[0]], keys[in.Inspectors[1]]
	pdf := filepath.Join(dir, "r.pdf")
	if code, out, errs := runCLI(t, "export", "--db", db, ids["signed"], "--key", first, "-o", pdf); code != 0 {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	co := filepath.Join(dir, "r2.pdf")
	code, out, errs := runCLI(t, "cosign", pdf, "--key", second, "-o", co)
	want := "signed by " + in.Inspectors[0] + ", " + in.Inspectors[1]
	if code != 0 || !strings.Contains(out, want) {
		t.Fatalf("cosign: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(t, "verify", co); code != 0 || !strings.Contains(out, "valid: signer "+in.Inspectors[0]+", "+in.Inspectors[1]) {
		t.Errorf("verify: %d %q", code, out)
	}
	if _, err := exec.LookPath("pdfsig"); err == nil {
		b, _ := exec.Command("pdfsig", co).CombinedOutput()
		if n := strings.Count(string(b), "Signature is Valid."); n != 2 {
			t.Errorf("pdfsig: %d valid signatures\n%s", n, b)
		}
	}
	if code, _, errs := runCLI(t, "cosign", co, "--key", keys["王外人"], "-o", filepath.Join(dir, "r3.pdf")); code == 0 || !strings.Contains(errs, "王外人 is not one of the report's inspectors") {
		t.Errorf("cosign by a non-inspector: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "cosign", co, "--key", second, "-o", filepath.Join(dir, "r4.pdf")); code == 0 || !strings.Contains(errs, "has already signed") {
		t.Errorf("cosign twice: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "cosign", pdf, "--key", second, "-o", co); code == 0 || !strings.Contains(errs, "--force") {
		t.Errorf("cosign over an existing file: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "export", "--db", db, ids["signed"], "--key", keys["王外人"], "-o", filepath.Join(dir, "x.pdf")); code == 0 || !strings.Contains(errs, "not one of the inspectors") {
		t.Errorf("export with a non-inspector's key: %d %q", code, errs)
	}
	both := filepath.Join(dir, "both.pdf")
	if code, out, errs := runCLI(t, "export", "--db", db, ids["signed"], "--key", first, "--key", second, "-o", both); code != 0 || !strings.Contains(out, want) {
		t.Fatalf("export with two keys: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(t, "verify", both); code != 0 || !strings.Contains(out, in.Inspectors[1]) {
		t.Errorf("verify two-key export: %d %q", code, out)
	}
}

// TestKeyFileErrors: a mistyped --key is an error (no new identity), a
// file that is no .p12 is named as such.
func TestKeyFileErrors(t *testing.T) {
	db, ids := plainDB(t)
	dir := t.TempDir()
	t.Setenv(envPassphrase, "pass")
	nope := filepath.Join(dir, "nope.p12")
	code, _, errs := runCLI(t, "export", "--db", db, ids["signed"], "--key", nope, "-o", filepath.Join(dir, "r.pdf"))
	if code == 0 || !strings.Contains(errs, "the key file "+nope+" does not exist") {
		t.Errorf("--key nope.p12: %d %q", code, errs)
	}
	if _, err := os.Stat(nope); err == nil {
		t.Error("a mistyped --key created a key")
	}
	text := filepath.Join(dir, "notes.p12")
	if err := os.WriteFile(text, []byte("这不是密钥文件\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"export", "--db", db, ids["signed"], "--key", text, "-o", filepath.Join(dir, "r.pdf")},
		{"keys", "import", "--db", db, text},
		{"cosign", filepath.Join(dir, "r.pdf"), "--key", text},
	} {
		if args[0] == "cosign" {
			_ = os.WriteFile(args[1], []byte("%PDF-1.4\n"), 0o600)
		}
		code, _, errs := runCLI(t, args...)
		if code == 0 || !strings.Contains(errs, text+" is not a PKCS#12 key file (.p12)") || strings.Count(strings.TrimSpace(errs), "\n") > 0 {
			t.Errorf("%s with a text file as key: %d %q", args[0], code, errs)
		}
	}
}
