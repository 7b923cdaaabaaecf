package app

import (
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
	"mingcha/office"
	"mingcha/store"
)

// Opening a 整改报告's files in 单位档案 copies them into one folder of the
// run's own (two files of one name apart), which goes, copies and all, when
// the window closes (openedReplies.remove in Run's shutdown).
func TestOfficeReplyCopiesRemoved(t *testing.T) {
	tmp := t.TempDir()
	u, _, o := twoRounds(t)
	copies := &replyCopies{tmp: tmp}
	o.history.copies = copies
	var opened []string
	o.history.open = func(l *url.URL) error { opened = append(opened, filepath.FromSlash(l.Path)); return nil }
	unit, err := u.store.FindOfficeUnit("窗口1")
	if err != nil {
		t.Fatal(err)
	}
	probs, _ := u.store.OfficeProblems(inspect.ProblemFilter{UnitID: unit.UnitID}, testClock)
	if len(probs) < 2 {
		t.Fatalf("%d problems of 窗口1", len(probs))
	}
	for i, text := range []string{"first scan", "second scan"} {
		if _, err := u.office.ReplyWith("效能办小王", office.ReplyRequest{Problems: []string{probs[i].ID}, From: "李科长", ReceivedAt: testClock},
			[]store.ReplyAttachment{{Name: "整改报告.pdf", Data: []byte(text)}}); err != nil {
			t.Fatal(err)
		}
	}
	o.showHistory(unit.UnitID)
	h := o.history
	for i, r := range h.rows {
		if r.kind == rowReplyFile {
			h.list.Select(i)
		}
	}
	if len(opened) != 2 || opened[0] == opened[1] {
		t.Fatalf("opened %v", opened)
	}
	got := map[string]bool{}
	for _, p := range opened {
		data, err := os.ReadFile(p)
		if err != nil || filepath.Base(p) != "整改报告.pdf" {
			t.Fatalf("the copy %s: %v", p, err)
		}
		got[string(data)] = true
		if rel, err := filepath.Rel(copies.dir, p); err != nil || filepath.IsAbs(rel) || rel[0] == '.' {
			t.Errorf("the copy %s is not in the run's folder %s", p, copies.dir)
		}
	}
	if !got["first scan"] || !got["second scan"] {
		t.Errorf("the copies hold %v", got)
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, replyCopiesPrefix+"*")); len(m) != 1 {
		t.Fatalf("folders of copies: %v", m)
	}
	if err := copies.remove(); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(tmp, replyCopiesPrefix+"*")); len(m) != 0 {
		t.Fatalf("left after close: %v", m)
	}
	// Opening again after that makes a new folder.
	for i, r := range h.rows {
		if r.kind == rowReplyFile {
			h.list.Unselect(i)
			h.list.Select(i)
			break
		}
	}
	if _, err := os.Stat(opened[len(opened)-1]); err != nil || len(opened) != 3 {
		t.Fatalf("opened again: %v %v", opened, err)
	}
	_ = copies.remove()
}

// At start, folders of copies an earlier run left that have not been
// written for a day are removed; younger ones (maybe another copy of the
// program, still running), other folders and files are left.
func TestRemoveStaleReplyCopies(t *testing.T) {
	tmp := t.TempDir()
	now := time.Now()
	mk := func(name string, age time.Duration, dir bool) string {
		t.Helper()
		p := filepath.Join(tmp, name)
		if dir {
			if err := os.MkdirAll(filepath.Join(p, "0123456789abcdef"), 0o700); err != nil {
				t.Fatal(err)
			}
			_ = os.WriteFile(filepath.Join(p, "0123456789abcdef", "整改报告.pdf"), []byte("x"), 0o600)
		} else {
			_ = os.WriteFile(p, []byte("x"), 0o600)
		}
		at := now.Add(-age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := mk(replyCopiesPrefix+"111", 25*time.Hour, true)
	oldPerFile := mk(replyCopiesPrefix+"a0d5b1d283deb366", 30*24*time.Hour, true) // an earlier version's per-file folder
	young := mk(replyCopiesPrefix+"222", 2*time.Hour, true)
	other := mk("someone-else", 48*time.Hour, true)
	file := mk(replyCopiesPrefix+"file", 48*time.Hour, false)
	if n := removeStaleReplyCopies(tmp, now); n != 2 {
		t.Errorf("removed %d folders, want 2", n)
	}
	for _, p := range []string{old, oldPerFile} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there: %v", p, err)
		}
	}
	for _, p := range []string{young, other, file} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", p, err)
		}
	}
	// A run whose folder another run's sweep took writes it anew.
	c := &replyCopies{tmp: tmp}
	p1, err := c.write("0123456789abcdef0123", "a.txt", []byte("1"))
	if err != nil {
		t.Fatal(err)
	}
	_ = os.RemoveAll(c.dir)
	if p2, err := c.write("0123456789abcdef0123", "a.txt", []byte("2")); err != nil || p2 != p1 {
		t.Fatalf("after the folder went: %s %v", p2, err)
	}
	_ = c.remove()
}
