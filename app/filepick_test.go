package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
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

// pickerRow is the row of the shown picker that names name.
func pickerRow(t *testing.T, c fyne.Canvas, name string) *pickRow {
	t.Helper()
	for _, o := range test.LaidOutObjects(c.Overlays().Top()) {
		if r, ok := o.(*pickRow); ok && r.Visible() && r.label.Text == name {
			return r
		}
	}
	t.Fatalf("no row %q in the picker", name)
	return nil
}

// pressKey sends a key to what has the keyboard.
func pressKey(t *testing.T, c fyne.Canvas, name fyne.KeyName) {
	t.Helper()
	f := c.Focused()
	if f == nil {
		t.Fatalf("nothing has the keyboard for %s", name)
	}
	f.TypedKey(&fyne.KeyEvent{Name: name})
}

// TestPickerDoubleTapAndKeys: in our file picker a double tap on a folder
// opens it and on a file chooses it; the list has the keyboard from the
// start: ↓ ↑ move the cursor, Enter opens a folder or chooses a file,
// Backspace goes up a folder, Space ticks a photo, Esc cancels.
func TestPickerDoubleTapAndKeys(t *testing.T) {
	u, w, _ := newTestUI(t)
	c := w.Canvas()
	root := t.TempDir()
	for _, f := range []string{"报告/r2.pdf", "报告/r3.pdf", "a.pdf", "b.jpg", "c.jpg"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, f)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	u.app.Preferences().SetString(folderPref(purposeImport), root)
	var chosen []string
	p := u.pickFile(purposeImport, []string{".pdf"}, func(path string) { chosen = append(chosen, path) })
	if c.Focused() != p.keys {
		t.Fatalf("the list does not have the keyboard: %T", c.Focused())
	}
	// Double tap on a folder opens it; on a file chooses it and closes.
	test.DoubleTap(pickerRow(t, c, "报告"))
	if p.dir != filepath.Join(root, "报告") {
		t.Fatalf("double tap on 报告: in %s", p.dir)
	}
	test.DoubleTap(pickerRow(t, c, "r3.pdf"))
	if want := filepath.Join(root, "报告", "r3.pdf"); len(chosen) != 1 || chosen[0] != want || c.Overlays().Top() != nil {
		t.Fatalf("double tap on r3.pdf: chose %v (want %s), dialog open %v", chosen, want, c.Overlays().Top() != nil)
	}

	// The keyboard alone: the picker opens in 报告 (remembered), Backspace
	// goes up, ↓ to a.pdf, ↑ back to 报告, Enter opens it, ↓ Enter chooses.
	chosen = nil
	p = u.pickFile(purposeImport, []string{".pdf"}, func(path string) { chosen = append(chosen, path) })
	pressKey(t, c, fyne.KeyBackspace)
	if p.dir != root || p.cursor != 0 {
		t.Fatalf("Backspace: in %s at row %d", p.dir, p.cursor)
	}
	pressKey(t, c, fyne.KeyDown)
	pressKey(t, c, fyne.KeyDown) // the last row: stays
	if p.cursor != 1 || p.entries[p.cursor].Name() != "a.pdf" {
		t.Fatalf("↓↓: at row %d", p.cursor)
	}
	pressKey(t, c, fyne.KeyUp)
	pressKey(t, c, fyne.KeyReturn)
	if p.dir != filepath.Join(root, "报告") {
		t.Fatalf("Enter on 报告: in %s", p.dir)
	}
	pressKey(t, c, fyne.KeyDown)
	pressKey(t, c, fyne.KeyReturn)
	if want := filepath.Join(root, "报告", "r3.pdf"); len(chosen) != 1 || chosen[0] != want || c.Overlays().Top() != nil {
		t.Fatalf("Enter on r3.pdf: chose %v, want %s", chosen, want)
	}

	// Esc cancels: nothing chosen, the dialog gone.
	chosen = nil
	u.pickFile(purposeImport, []string{".pdf"}, func(path string) { chosen = append(chosen, path) })
	pressKey(t, c, fyne.KeyEscape)
	if chosen != nil || c.Overlays().Top() != nil {
		t.Fatalf("Esc: chose %v, dialog open %v", chosen, c.Overlays().Top() != nil)
	}

	// Photos, several: Space ticks b.jpg, a double tap on c.jpg attaches both.
	u.app.Preferences().SetString(prefPhotoFolder, root)
	var photos []string
	p = u.pickPhotos(false, func(paths []string) { photos = paths })
	pressKey(t, c, fyne.KeyDown) // 报告 → b.jpg
	pressKey(t, c, fyne.KeySpace)
	if !p.chosen[filepath.Join(root, "b.jpg")] {
		t.Fatalf("Space did not tick b.jpg: %v", p.chosen)
	}
	test.DoubleTap(pickerRow(t, c, "c.jpg"))
	if len(photos) != 2 || photos[0] != filepath.Join(root, "b.jpg") || photos[1] != filepath.Join(root, "c.jpg") {
		t.Fatalf("attached %v", photos)
	}
	// A tap still ticks (and gives the keyboard to the list).
	p = u.pickPhotos(false, func(paths []string) { photos = paths })
	test.Tap(pickerRow(t, c, "c.jpg"))
	if !p.chosen[filepath.Join(root, "c.jpg")] || c.Focused() != p.keys || p.cursor != 2 {
		t.Fatalf("tap on c.jpg: chosen %v, cursor %d, keyboard %T", p.chosen, p.cursor, c.Focused())
	}
	clearOverlays(c)

	// Saving: Enter on an existing file names it and asks before replacing.
	var saved string
	u.app.Preferences().SetString(folderPref(purposeExport), root)
	s := u.pickSave(purposeExport, "new.pdf", []string{".pdf"}, func(path string, _ bool) { saved = path })
	c.Focus(s.keys)
	pressKey(t, c, fyne.KeyDown)
	pressKey(t, c, fyne.KeyReturn)
	if saved != "" || s.name.Text != "a.pdf" || !strings.Contains(overlayText(c), "已有 a.pdf。要替换它吗？") {
		t.Fatalf("Enter on a.pdf when saving: saved %q, name %q, asked %q", saved, s.name.Text, overlayText(c))
	}
	clearOverlays(c)
}
