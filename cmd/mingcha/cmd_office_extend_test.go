package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/inspect"
	"mingcha/store"
)

// office extend of several problems is all or nothing: one rectified
// problem among them refuses the lot, named, and no deadline changes.
// office history shows the 整改报告 that rectified it: --json with its date,
// sender, text and files by name and hash.
func TestOfficeExtendAllOrNothingAndReplyHistory(t *testing.T) {
	db, _, _ := paperworkDB(t)
	open := openProblems(t, db)
	if len(open) != 4 {
		t.Fatalf("%d open problems", len(open))
	}
	scan := filepath.Join(t.TempDir(), "整改报告.pdf")
	_ = os.WriteFile(scan, []byte("%PDF-1.4 scanned reply"), 0o600)
	if code, out, errs := runCLI(t, "office", "reply", "--db", db, open[1].ID, "--from", "李科长", "--date", "2026-06-10",
		"--text", "已补发胸牌", "--file", scan); code != 0 {
		t.Fatalf("reply: %s %s", out, errs)
	}
	code, out, errs := runCLI(t, "office", "history", "--db", db, open[1].UnitID, "--json")
	var h store.UnitHistory
	if code != 0 || json.Unmarshal([]byte(out), &h) != nil {
		t.Fatalf("history --json: %d %s %s", code, out, errs)
	}
	sum := sha256.Sum256([]byte("%PDF-1.4 scanned reply"))
	found := false
	for _, ev := range h.Timeline {
		if r := ev.Reply; ev.Kind == store.EventReplied && r != nil && ev.ProblemID == open[1].ID {
			found = r.From == "李科长" && r.Text == "已补发胸牌" && inspect.FormatDate(r.ReceivedAt) == "2026-06-10" &&
				len(r.Files) == 1 && r.Files[0].Name == "整改报告.pdf" && r.Files[0].SHA256 == hex.EncodeToString(sum[:])
		}
	}
	if !found || !strings.Contains(out, `"sha256"`) {
		t.Errorf("history --json has no such reply:\n%s", out)
	}
	if code, out, _ := runCLI(t, "office", "history", "--db", db, open[1].UnitID); code != 0 ||
		!strings.Contains(out, "rectification report of 2026-06-10 from 李科长: 已补发胸牌 (files: 整改报告.pdf)") {
		t.Errorf("history:\n%s", out)
	}
	code, out, errs = runCLI(t, "office", "extend", "--db", db, open[0].ID, open[1].ID, open[2].ID, "--until", "2099-01-31", "--reason", "系统升级")
	if code == 0 || !strings.Contains(errs, open[1].ID) || !strings.Contains(errs, "None of the 3 problems was extended") || strings.Contains(out, "2099") {
		t.Fatalf("a batch with a rectified problem: %d %q %q", code, out, errs)
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []store.OfficeProblem{open[0], open[2]} {
		audit, _ := s.AuditFor("problem/" + p.ID)
		for _, e := range audit {
			if e.Action == "problem.extend" {
				t.Errorf("%s: a refused batch left %+v", p.ID, e)
			}
		}
	}
	s.Close()
	for _, p := range openProblems(t, db) {
		if p.Deadline.Year() == 2099 {
			t.Errorf("%s extended by a refused batch", p.ID)
		}
	}
	code, out, errs = runCLI(t, "office", "extend", "--db", db, open[0].ID, open[2].ID, "--until", "2099-01-31", "--reason", "系统升级")
	if code != 0 || strings.Count(out, "2099-01-31") != 2 {
		t.Fatalf("extend: %d %s %s", code, out, errs)
	}
	n := 0
	for _, p := range openProblems(t, db) {
		if inspect.FormatDate(p.Deadline) == "2099-01-31" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d problems extended, want 2", n)
	}
}
