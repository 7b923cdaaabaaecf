package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/desk"
	"mingcha/report"
	"mingcha/store"
)

// runIn is runCLI with something on standard input.
func runIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// demoDB makes a demo database and returns its path and one inspection id
// per status.
func demoDB(t *testing.T) (string, map[string]store.Summary) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := runCLI(t, "demo", "--db", db, "--inspections", "7")
	if code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	if !strings.Contains(out, desk.DemoPassphrase) || !strings.Contains(out, "demo-identity.p12") {
		t.Errorf("demo does not name its key and passphrase: %s", out)
	}
	code, out, _ = runCLI(t, "list", "--db", db, "--json")
	var items []store.Summary
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil {
		t.Fatalf("list --json: %d %s", code, out)
	}
	byStatus := map[string]store.Summary{}
	for _, it := range items {
		byStatus[string(it.Status)] = it
	}
	for _, st := range []string{"draft", "completed", "signed"} {
		if _, ok := byStatus[st]; !ok {
			t.Fatalf("demo has no %s inspection", st)
		}
	}
	return db, byStatus
}

func TestExportVerifyDemo(t *testing.T) {
	db, ids := demoDB(t)
	dir := t.TempDir()
	signed := ids["signed"]
	pdf := filepath.Join(dir, "signed.pdf")

	t.Setenv(envPassphrase, desk.DemoPassphrase)
	code, out, errs := runCLI(t, "export", "--db", db, signed.ID, "-o", pdf)
	if code != 0 || !strings.Contains(out, signed.ID) || !strings.Contains(out, "signed by 演示检查员") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "verify", pdf)
	if code != 0 {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	for _, want := range []string{pdf + ": valid", "signer 演示检查员", "trust self-signed", "id " + signed.ID, "unit " + signed.UnitName, "score "} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q: %s", want, out)
		}
	}

	// On a demo database the demo passphrase needs no setting, and a
	// MINGCHA_PASSPHRASE meant for a real key does not get in the way.
	t.Setenv(envPassphrase, "the real key's passphrase")
	if code, out, errs := runCLI(t, "export", "--db", db, ids["completed"].ID, "-o", filepath.Join(dir, "c2.pdf")); code != 0 {
		t.Fatalf("export with another %s on a demo database: %d %q %q", envPassphrase, code, out, errs)
	}
	t.Setenv(envPassphrase, "")
	completed := filepath.Join(dir, "completed.pdf")
	if code, out, errs := runCLI(t, "export", "--db", db, ids["completed"].ID, "-o", completed); code != 0 {
		t.Fatalf("export without %s on a demo database: %d %q %q", envPassphrase, code, out, errs)
	}

	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	tampered := bytes.Clone(data)
	tampered[len(tampered)/3] ^= 0x01
	appended := append(bytes.Clone(data), "\n% a note added later\n"...)
	for _, c := range []struct {
		name, reason string
		data         []byte
	}{
		{"tampered.pdf", "invalid: the file was changed after signing", tampered},
		{"appended.pdf", "invalid: bytes added after the signature: 22", appended},
		{"empty.pdf", "invalid: ", nil},
	} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runCLI(t, "verify", p)
		if code == 0 || !strings.Contains(out, p+": "+c.reason) {
			t.Errorf("verify %s: exit %d, %q %q; want the reason %q", c.name, code, out, errs, c.reason)
		}
		if !strings.Contains(errs, "the report is not valid") {
			t.Errorf("verify %s: stderr %q", c.name, errs)
		}
	}
	// A file far larger than any report is refused without being read (a
	// sparse file: no disk is used).
	huge := filepath.Join(dir, "huge.pdf")
	if f, err := os.Create(huge); err != nil {
		t.Fatal(err)
	} else {
		_ = f.Truncate(report.MaxReportSize + 1)
		f.Close()
	}
	if code, out, _ := runCLI(t, "verify", huge); code == 0 || !strings.Contains(out, "larger than any report") {
		t.Errorf("verify of a huge file: %d %q", code, out)
	}
	// Every file gets its line; one bad file fails the run.
	code, out, _ = runCLI(t, "verify", pdf, completed, filepath.Join(dir, "appended.pdf"), filepath.Join(dir, "missing.pdf"))
	if code == 0 || strings.Count(out, ": valid:") != 2 || strings.Count(out, ": invalid:") != 2 {
		t.Errorf("verify of four files: %d %s", code, out)
	}
	// The reason is in the user's language.
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	code, out, _ = runCLI(t, "verify", filepath.Join(dir, "appended.pdf"))
	if code == 0 || !strings.Contains(out, "：无效：签名后文件末尾又被追加了 22 字节") {
		t.Errorf("verify in Chinese: %d %q", code, out)
	}
}

func TestExportRefusals(t *testing.T) {
	db, ids := demoDB(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "r.pdf")

	code, _, errs := runCLI(t, "export", "--db", db, ids["draft"].ID, "-o", out)
	if code == 0 || !strings.Contains(errs, "is a draft") || strings.Count(errs, "\n") != 1 {
		t.Errorf("draft export: %d %q", code, errs)
	}
	t.Setenv(envPassphrase, "")
	code, _, errs = runCLI(t, "export", "--db", db, "20990101-nope", "-o", out)
	if code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("unknown id: %d %q", code, errs)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export left %s behind", out)
	}
	if code, _, errs := runCLI(t, "export", "--db", db, ids["signed"].ID); code == 0 || !strings.Contains(errs, "usage: mingcha export") {
		t.Errorf("export without -o: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "export", "--help")
	if code != 0 || !strings.Contains(errs, desk.DemoPassphrase) || !strings.Contains(errs, envPassphrase) {
		t.Errorf("export --help does not document the passphrases: %q", errs)
	}
}

// plainDB is a database with the demo's inspections that is not a demo
// database: it signs with identity.p12 and knows no demo passphrase.
func plainDB(t *testing.T) (string, map[string]string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "office", "mingcha.db")
	if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(db, store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := desk.New(s, desk.Keys{}).AddDefaultTemplates(); err != nil {
		t.Fatal(err)
	}
	if _, err := desk.FillDemo(s, 4, time.Now()); err != nil {
		t.Fatal(err)
	}
	page, err := s.ListInspections(store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, it := range page.Items {
		ids[string(it.Status)] = it.ID
	}
	if desk.New(s, desk.Keys{}).IsDemo() || ids["signed"] == "" {
		t.Fatalf("plain database: demo=%v ids=%v", desk.New(s, desk.Keys{}).IsDemo(), ids)
	}
	return db, ids
}

// TestFirstUseIdentity: without a key, export creates a self-signed one
// encrypted with the passphrase read from standard input.
func TestFirstUseIdentity(t *testing.T) {
	db, ids := plainDB(t)
	t.Setenv(envPassphrase, "")
	out := filepath.Join(t.TempDir(), "r.pdf")
	code, _, errs := runIn(t, "", "export", "--db", db, ids["signed"], "-o", out)
	if code == 0 || !strings.Contains(errs, "no passphrase given") || !strings.Contains(errs, envPassphrase) {
		t.Fatalf("export with no passphrase anywhere: %d %q", code, errs)
	}
	code, stdout, errs := runIn(t, "s3cret pass\n", "export", "--db", db, ids["signed"], "-o", out)
	key := filepath.Join(filepath.Dir(db), "identity.p12")
	if code != 0 || !strings.Contains(errs, "created a self-signed signing identity") || !strings.Contains(errs, key) {
		t.Fatalf("first export: %d %q %q", code, stdout, errs)
	}
	if code, stdout, _ := runCLI(t, "verify", out); code != 0 || !strings.Contains(stdout, "trust self-signed") {
		t.Fatalf("verify: %d %s", code, stdout)
	}
	if code, _, errs := runIn(t, "wrong\n", "export", "--db", db, ids["completed"], "-o", out+"2"); code == 0 || !strings.Contains(errs, "passphrase does not open") {
		t.Errorf("wrong passphrase on stdin: %d %q", code, errs)
	}
	t.Setenv(envPassphrase, "not it")
	code, _, errs = runIn(t, "", "export", "--db", db, ids["completed"], "-o", out+"2")
	if code == 0 || errs != "mingcha export: the passphrase does not open the key file "+key+"\n" {
		t.Errorf("wrong %s: %d %q", envPassphrase, code, errs)
	}
	if _, err := os.Stat(out + "2"); !errors.Is(err, os.ErrNotExist) {
		t.Error("an export with a wrong passphrase wrote the report")
	}
	t.Setenv(envPassphrase, "")
	if code, _, errs := runIn(t, "s3cret pass\n", "export", "--db", db, ids["completed"], "-o", out+"2"); code != 0 || strings.Contains(errs, "created") {
		t.Errorf("second export: %d %q", code, errs)
	}
}

// TestOfficeCAFlow: ca init, ca issue, keys import, export, verify --ca.
func TestOfficeCAFlow(t *testing.T) {
	db, ids := plainDB(t)
	dir := t.TempDir()
	caDir, foreignDir := filepath.Join(dir, "ca"), filepath.Join(dir, "foreign")
	t.Setenv(envCAPassphrase, "ca secret")
	for _, d := range []string{caDir, foreignDir} {
		if code, out, errs := runCLI(t, "ca", "init", "--out", d, "--name", "区效能办"); code != 0 || !strings.Contains(out, "office-ca.pem") {
			t.Fatalf("ca init: %d %q %q", code, out, errs)
		}
	}
	if code, _, errs := runCLI(t, "ca", "init", "--out", caDir); code == 0 || !strings.Contains(errs, "exists") {
		t.Errorf("second ca init over the first: %d %q", code, errs)
	}
	p12 := filepath.Join(dir, "zhang.p12")
	// The CA passphrase from the environment, the inspector's from stdin.
	t.Setenv(envPassphrase, "")
	code, out, errs := runIn(t, "inspector pass\n", "ca", "issue", "--ca", caDir, "--name", "演示检查员", "--unit", "区效能办", "--out", p12)
	if code != 0 || !strings.Contains(out, "演示检查员") {
		t.Fatalf("ca issue: %d %q %q", code, out, errs)
	}
	t.Setenv(envCAPassphrase, "wrong")
	if code, _, errs := runIn(t, "x\n", "ca", "issue", "--ca", caDir, "--name", "李四", "--out", filepath.Join(dir, "li.p12")); code == 0 || !strings.Contains(errs, "passphrase does not open") {
		t.Errorf("ca issue with a wrong CA passphrase: %d %q", code, errs)
	}

	if code, _, errs := runIn(t, "bad guess\n", "keys", "import", "--db", db, p12); code == 0 || !strings.Contains(errs, "passphrase does not open") {
		t.Errorf("keys import with a wrong passphrase: %d %q", code, errs)
	}
	key := filepath.Join(filepath.Dir(db), "identity.p12")
	if _, err := os.Stat(key); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a failed import wrote the key")
	}
	t.Setenv(envPassphrase, "inspector pass")
	if code, out, errs := runCLI(t, "keys", "import", "--db", db, p12); code != 0 || !strings.Contains(out, key) || !strings.Contains(out, "演示检查员") {
		t.Fatalf("keys import: %d %q %q", code, out, errs)
	}
	pdf := filepath.Join(dir, "r.pdf")
	if code, out, errs := runCLI(t, "export", "--db", db, ids["signed"], "-o", pdf); code != 0 || !strings.Contains(out, "signed by 演示检查员") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "verify", "--ca", filepath.Join(caDir, "office-ca.pem"), pdf)
	if code != 0 || !strings.Contains(out, "valid: signer 演示检查员") || !strings.Contains(out, "trust office-ca") {
		t.Errorf("verify --ca: %d %q %q", code, out, errs)
	}
	if code, out, _ := runCLI(t, "verify", pdf); code != 0 || !strings.Contains(out, "trust unknown") {
		t.Errorf("verify without --ca: %d %q", code, out)
	}
	code, out, _ = runCLI(t, "verify", "--ca", filepath.Join(foreignDir, "office-ca.pem"), pdf)
	if code == 0 || !strings.Contains(out, "invalid: the certificate of 演示检查员 was not issued by the office CA") {
		t.Errorf("verify with a foreign CA: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, "verify", "--ca", filepath.Join(dir, "none.pem"), pdf); code == 0 || errs == "" {
		t.Errorf("verify with a missing CA file: %d %q", code, errs)
	}
}

// TestWindowExport: the window's export (desk.Export with the passphrase
// it asked for) on the database the command uses.
func TestWindowExport(t *testing.T) {
	export := func(s *store.Store, id, out, pass string) error {
		_, err := desk.New(s, desk.Keys{}).Export(id, out, desk.ExportOptions{Passphrase: pass})
		return err
	}
	db, ids := plainDB(t)
	t.Setenv(envPassphrase, "")
	s, err := store.Open(db, store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := filepath.Join(t.TempDir(), "r.pdf")
	if err := export(s, ids["signed"], out, ""); !errors.Is(err, desk.ErrNeedPassphrase) {
		t.Fatalf("no passphrase: err = %v", err)
	}
	if err := export(s, ids["signed"], out, "window pass"); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := runCLI(t, "verify", out); code != 0 {
		t.Fatalf("verify the window's export: %s", stdout)
	}
	if err := export(s, ids["draft"], out+"2", "window pass"); err == nil || !strings.Contains(err.Error(), "draft") {
		t.Errorf("draft from the window: %v", err)
	}
	if err := export(s, ids["signed"], out+"3", "typo"); !errors.Is(err, report.ErrWrongPassphrase) {
		t.Errorf("wrong passphrase from the window: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("export left temporary files: %v", entries)
	}

	// On a demo database whatever the window is given, the demo key signs.
	demo, demoIDs := demoDB(t)
	ds, err := store.Open(demo, store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	for _, pass := range []string{"", "anything"} {
		if err := export(ds, demoIDs["signed"].ID, filepath.Join(t.TempDir(), "d.pdf"), pass); err != nil {
			t.Errorf("window export on a demo database with %q: %v", pass, err)
		}
	}
}
