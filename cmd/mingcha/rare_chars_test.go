package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/store"
)

// TestDemoRareNames: the demo's 区行政服务中心 staff and its completed 明查's
// absent person and note hold 䶮 (Extension A) and 𬌗 (beyond the BMP); the
// exported report carries them, with no warning. A character no bundled
// font has is named on stderr before the export, which still succeeds.
func TestDemoRareNames(t *testing.T) {
	db, ids := demoDB(t)
	_ = ids
	var id string
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.ListInspections(store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, sum := range page.Items {
		in, err := s.Inspection(sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		if in.Status != inspect.StatusDraft && strings.Contains(answersText(in), "郑𬌗") {
			id = in.ID
		}
	}
	if id == "" {
		t.Fatal("no exportable demo inspection names 郑𬌗")
	}
	s.Close()

	t.Setenv(envPassphrase, desk.DemoPassphrase)
	pdf := filepath.Join(t.TempDir(), "rare.pdf")
	code, out, errs := runCLI(t, "export", "--db", db, id, "-o", pdf)
	if code != 0 || strings.Contains(errs, "warning") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"郑𬌗", "吴䶮"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("the report's text lacks %q", want)
			}
		}
	}

	s, err = store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A note no font draws, through the store's named edits (reopen, answer,
	// complete) on a completed inspection.
	var done string
	for _, sum := range page.Items {
		if sum.Status == inspect.StatusCompleted {
			done = sum.ID
		}
	}
	if done == "" {
		t.Fatal("no completed demo inspection")
	}
	in, err := s.ReopenInspection("test", done)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range in.Template.Items() {
		if a := in.Answers[it.Code]; a != nil {
			b := *a
			b.Note += "\U0010FFFD"
			if _, err := s.SaveAnswer("test", done, b); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if _, err := s.CompleteInspection("test", done, inspect.DefaultDeadlineDays, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs = runCLI(t, "export", "--db", db, done, "-o", filepath.Join(t.TempDir(), "missing.pdf"))
	if code != 0 || !strings.Contains(errs, "U+10FFFD") {
		t.Errorf("export of a name no font draws: %d %q %q; want success and a warning naming U+10FFFD", code, out, errs)
	}
}

func answersText(in *inspect.Inspection) string {
	var b strings.Builder
	for _, a := range in.Answers {
		b.WriteString(a.Note)
		for _, p := range a.Absent {
			b.WriteString(p.Name)
		}
	}
	return b.String()
}
