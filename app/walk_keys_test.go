package app

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestNumberFieldTakesDigitsOnlyAfterEnter (QA #6): "1 1 1" pressed to
// answer items, with a number item among them, answers the item before
// and types nothing into the number field (it was "111 分钟", a false
// deduction); Enter opens the field, the digits go in, Enter moves on.
func TestNumberFieldTakesDigitsOnlyAfterEnter(t *testing.T) {
	u, w, _ := newTestUI(t)
	createInspection(t, u)
	k := &keyboard{c: w.Canvas()}
	wk := u.walk
	wk.goTo(38) // CK-11, the check before the number item CK-12
	if got := wk.items[wk.cur].Code; got != "CK-11" {
		t.Fatalf("at %s", got)
	}
	k.typ("111")
	if got := wk.items[wk.cur].Code; got != "CK-12" {
		t.Fatalf("at %s, want CK-12", got)
	}
	if a := wk.in.Answers["CK-12"]; a != nil && a.Number != nil {
		t.Fatalf("the answer keys went into the number field: %v", *a.Number)
	}
	if wk.numberEntry.Text != "" || !strings.Contains(wk.status.Text, "按回车后输入数值") {
		t.Errorf("field %q, status %q", wk.numberEntry.Text, wk.status.Text)
	}
	k.press(fyne.KeyReturn)
	if w.Canvas().Focused() != wk.numberEntry {
		t.Fatal("Enter did not open the number field")
	}
	k.typ("15")
	k.press(fyne.KeyReturn)
	if a := wk.in.Answers["CK-12"]; a == nil || a.Number == nil || *a.Number != 15 {
		t.Fatalf("CK-12: %+v", a)
	}
	if got := wk.items[wk.cur].Code; got != "CK-13" {
		t.Errorf("after the number, at %s", got)
	}
}

// TestNoteSavedOnLeavingTheField: the note is stored the moment its field
// loses the keys, not only after the pause in typing (a kill right after
// lost it).
func TestNoteSavedOnLeavingTheField(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	w.Canvas().Focus(u.walk.note)
	test.Type(u.walk.note, "暂记")
	w.Canvas().Unfocus()
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Answers["SP-01"]; a == nil || a.Note != "暂记" {
		t.Fatalf("the note was not saved on leaving the field: %+v", a)
	}
}

// TestRestartResumesAtTheItemWorkedOn: a restart (a new window over the
// same preferences and database, as after a crash) opens the walk at the
// item the inspector was on, also when the inspection was opened from the
// list and never left.
func TestRestartResumesAtTheItemWorkedOn(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	u.ShowHome()
	u.OpenInspection(id)
	k := &keyboard{c: w.Canvas()}
	k.typ("11111")
	want := u.walk.cur
	if want != 5 {
		t.Fatalf("at item %d after five answers", want)
	}
	again := newUIOn(u.app, w, s)
	again.Restore()
	if again.walk == nil || again.walk.cur != want {
		t.Fatalf("restart at %v, want item %d", again.walk, want)
	}
}

// TestCountNeedingPhotoStaysAfterEnter: violations counted with the keys
// (2, digits, Enter) on an item whose failure needs a photo keep the walk
// there for the photo, as a failed check does; with the photo
// attached, Enter moves on. In the walk, JL-10's count went on to JL-11 and
// its photo turned up missing only on the review.
func TestCountNeedingPhotoStaysAfterEnter(t *testing.T) {
	u, w, _ := newTestUI(t)
	createInspection(t, u)
	k := &keyboard{c: w.Canvas()}
	wk := u.walk
	if got := wk.items[wk.cur].Code; got != "SP-01" {
		t.Fatalf("at %s", got)
	}
	k.typ("21")
	k.press(fyne.KeyReturn)
	if a := wk.in.Answers["SP-01"]; a == nil || a.Count != 1 {
		t.Fatalf("SP-01: %+v", a)
	}
	if got := wk.items[wk.cur].Code; got != "SP-01" {
		t.Fatalf("after a count needing a photo, at %s", got)
	}
	if wk.photoHint.Importance != widget.WarningImportance {
		t.Errorf("the missing photo's hint %q is not in warning colour", wk.photoHint.Text)
	}
	wk.AddPhotos([]string{writePNG(t, "p.png", color.RGBA{200, 0, 0, 255})})
	settle(u)
	w.Canvas().Unfocus()
	k.press(fyne.KeyReturn)
	if got := wk.items[wk.cur].Code; got != "SP-02" {
		t.Errorf("with the photo, Enter left for %s, want SP-02", got)
	}
	if wk.photoHint.Importance != widget.LowImportance {
		t.Errorf("an unanswered item's photo hint in %v", wk.photoHint.Importance)
	}
}
