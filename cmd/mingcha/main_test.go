package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/store"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemoListCheckBackupRestore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, out, errs := runCLI(t, "demo", "--db", db, "--inspections", "12"); code != 0 || !strings.Contains(out, "12 inspections") {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "demo", "--db", db); code == 0 || !strings.Contains(errs, "--force") {
		t.Fatalf("demo twice: %d %s", code, errs)
	}
	code, out, _ := runCLI(t, "list", "--db", db, "--json")
	var items []store.Summary
	if code != 0 || json.Unmarshal([]byte(out), &items) != nil || len(items) != 12 {
		t.Fatalf("list --json: %d %s", code, out)
	}
	statuses := map[string]int{}
	for _, it := range items {
		statuses[string(it.Status)]++
	}
	if statuses["draft"] == 0 || statuses["completed"] == 0 || statuses["signed"] == 0 {
		t.Fatalf("demo lacks a state: %v", statuses)
	}
	code, out, _ = runCLI(t, "list", "--db", db, "--status", "signed")
	if code != 0 || strings.Count(out, "\n") != statuses["signed"] || !strings.Contains(out, "signed") {
		t.Fatalf("list --status signed: %s", out)
	}
	if code, _, errs := runCLI(t, "list", "--db", db, "--status", "lost"); code == 0 || errs == "" {
		t.Fatal("bad status accepted")
	}
	code, out, _ = runCLI(t, "templates", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "combined") || !strings.Contains(out, "sipai") {
		t.Fatalf("templates list: %s", out)
	}
	if code, out, errs := runCLI(t, "check", "--db", db); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("check: %s %s", out, errs)
	}
	code, out, _ = runCLI(t, "backup", "--db", db)
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), ".db.zst") {
		t.Fatalf("backup: %s", out)
	}
	// Damage the file: check fails naming the backup; restore brings it back.
	data, _ := os.ReadFile(db)
	for i := 0; i < 8192; i++ {
		data[i] = 0
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "check", "--db", db)
	if code == 0 || !strings.Contains(errs, "mingcha restore") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("check on damaged: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "list", "--db", db); code == 0 || !strings.Contains(errs, "backup") {
		t.Fatalf("list on damaged: %q", errs)
	}
	if code, out, errs := runCLI(t, "restore", "--db", db); code != 0 || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: %s %s", out, errs)
	}
	if code, out, _ := runCLI(t, "list", "--db", db); code != 0 || strings.Count(out, "\n") != 12 {
		t.Fatalf("after restore: %s", out)
	}
}

func TestTemplatesValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join("..", "..", "assets", "templates", "combined.json")
	bad := filepath.Join(dir, "bad.json")
	data, _ := os.ReadFile(good)
	broken := strings.Replace(string(data), `"kind": "check"`, `"kind": "tick"`, 1)
	if err := os.WriteFile(bad, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "templates", "validate", good); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("good: %d %s %s", code, out, errs)
	}
	code, out, _ := runCLI(t, "templates", "validate", bad)
	if code == 0 || !strings.Contains(out, ".kind") || !strings.Contains(out, "items[") {
		t.Fatalf("bad: %d %s", code, out)
	}
}

func TestUsageAndErrors(t *testing.T) {
	if code, out, _ := runCLI(t, "help"); code != 0 || !strings.Contains(out, "templates validate") {
		t.Fatalf("help: %s", out)
	}
	if code, _, _ := runCLI(t, "frobnicate"); code != 2 {
		t.Fatal("unknown command")
	}
	for _, c := range []string{"list", "demo", "check", "backup", "restore", "templates validate"} {
		args := append(strings.Fields(c), "--help")
		if code, _, errs := runCLI(t, args...); code != 0 || !strings.Contains(errs, "usage: mingcha "+c) {
			t.Fatalf("%s --help: %d %s", c, code, errs)
		}
	}
	if code, _, errs := runCLI(t, "check", "--db", filepath.Join(t.TempDir(), "none.db")); code == 0 || errs == "" {
		t.Fatal("check on missing file")
	}
}
