package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestSavePickerAsksBeforeReplacingAndCreatesNothing: our save dialog only
// names the file (Fyne's created it, and a cancelled export left 0 bytes
// there, QA #3); over an existing file it asks in our words; each purpose
// keeps its own folder.
func TestSavePickerAsksBeforeReplacingAndCreatesNothing(t *testing.T) {
	u, w, _ := newTestUI(t)
	c := w.Canvas()
	out, photos := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "old.pdf"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	u.app.Preferences().SetString(prefPhotoFolder, photos)
	var got string
	var replace bool
	p := u.pickSave(purposeExport, "new", []string{".pdf"}, func(path string, r bool) { got, replace = path, r })
	p.chdir(out)
	if len(p.entries) != 1 || p.entries[0].Name() != "old.pdf" {
		t.Fatalf("listed %v", p.entries)
	}
	test.Tap(p.open)
	if got != filepath.Join(out, "new.pdf") || replace {
		t.Fatalf("saved as %q (replace %v), want new.pdf in %s", got, replace, out)
	}
	if _, err := os.Stat(got); !os.IsNotExist(err) {
		t.Fatalf("the save dialog created the file: %v", err)
	}
	got = ""
	p = u.pickSave(purposeExport, "x.pdf", []string{".pdf"}, func(path string, r bool) { got, replace = path, r })
	if p.dir != out {
		t.Errorf("the export folder is not remembered: %s", p.dir)
	}
	p.choose("old.pdf")
	test.Tap(p.open)
	if got != "" || !strings.Contains(overlayText(c), "已有 old.pdf。要替换它吗？") {
		t.Fatalf("replaced without asking: %q, %q", got, overlayText(c))
	}
	test.Tap(dialogButton(t, c, "替换"))
	if got != filepath.Join(out, "old.pdf") || !replace {
		t.Errorf("after 替换: %q %v", got, replace)
	}
	clearOverlays(c)
	if p := u.pickPhotos(false, func([]string) {}); p.dir != photos {
		t.Errorf("the photo picker opened %s, want its own folder %s", p.dir, photos)
	}
}

// TestNoFyneFileDialog: every file the window opens or saves goes through
// our own picker (Fyne's says "Home", "Computer" and "Overwrite?" in the
// Chinese window and creates the file it is asked to save).
func TestNoFyneFileDialog(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fyneDialog := regexp.MustCompile(`dialog\.(NewFileOpen|NewFileSave|NewFolderOpen|ShowFileOpen|ShowFileSave|ShowFolderOpen)\(`)
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if m := fyneDialog.Find(data); m != nil {
			t.Errorf("%s calls Fyne's %s", name, m)
		}
	}
}

// TestPickerTypedLocation: a folder or file typed into the picker's
// location and Enter goes there (the way to a USB stick or another drive
// that is not under the home folder); a path that does not exist is said
// in the user's language and changes nothing; saving to a typed new file
// name in an existing folder names that file.
func TestPickerTypedLocation(t *testing.T) {
	u, _, _ := newTestUI(t)
	stick := filepath.Join(t.TempDir(), "U盘")
	if err := os.MkdirAll(filepath.Join(stick, "报告"), 0o700); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(stick, "报告", "r1.pdf")
	if err := os.WriteFile(report, []byte("%PDF-1.7"), 0o600); err != nil {
		t.Fatal(err)
	}
	var chosen []string
	p := u.pickFile(purposeImport, []string{".pdf"}, func(path string) { chosen = append(chosen, path) })
	start := p.dir
	p.path.SetText(filepath.Join(stick, "没有"))
	p.path.OnSubmitted(p.path.Text)
	if p.dir != start || !strings.Contains(p.count.Text, "没有这个文件夹或文件") {
		t.Fatalf("a missing path: folder %s, message %q", p.dir, p.count.Text)
	}
	p.path.SetText(stick)
	p.path.OnSubmitted(p.path.Text)
	if p.dir != stick || p.path.Text != stick || len(p.entries) != 1 || p.entries[0].Name() != "报告" {
		t.Fatalf("typed %s: in %s, listed %v", stick, p.dir, p.entries)
	}
	p.path.SetText(report)
	p.path.OnSubmitted(p.path.Text)
	test.Tap(p.open)
	if len(chosen) != 1 || chosen[0] != report {
		t.Fatalf("typed a file: chose %v, want %s", chosen, report)
	}
	var saved string
	s := u.pickSave(purposeExport, "x.pdf", []string{".pdf"}, func(path string, _ bool) { saved = path })
	s.path.SetText(filepath.Join(stick, "新报告.pdf"))
	s.path.OnSubmitted(s.path.Text)
	test.Tap(s.open)
	if saved != filepath.Join(stick, "新报告.pdf") {
		t.Fatalf("typed a new file to save: %q", saved)
	}
	if _, err := os.Stat(saved); !os.IsNotExist(err) {
		t.Fatalf("the picker created %s", saved)
	}
}
