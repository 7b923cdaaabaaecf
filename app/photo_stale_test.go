package app

import (
	"image/color"
	"testing"
)

// TestLatePhotoKeepsNewerEdits: a photo whose storing finishes after the
// user left the walk (and came back and wrote a note on the same item)
// is added to the answer as it is then; the note stays.
func TestLatePhotoKeepsNewerEdits(t *testing.T) {
	u, _, s := newTestUI(t)
	id := createInspection(t, u)
	old := u.walk // the walk the photo was dropped on
	code := old.items[old.cur].Code
	// The user left and came back: a new walk screen on the same item, a
	// note written and saved there.
	u.ShowWalk(id, old.cur)
	w := u.walk
	a := w.answerFor(code)
	a.Note = "胸牌放在抽屉里"
	if !w.save(a) {
		t.Fatal("note not saved")
	}
	// Now the photo of the old screen is stored and attached.
	old.AddPhotos([]string{writePNG(t, "late.png", color.RGBA{10, 200, 30, 255})})
	settle(u, &old.photoWG)
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	got := in.Answers[code]
	if got == nil || got.Note != "胸牌放在抽屉里" || len(got.Photos) != 1 {
		t.Fatalf("answer after the late photo: %+v", got)
	}
	// The walk shown now shows it too, and saving there keeps both.
	if len(w.in.Answers[code].Photos) != 1 {
		t.Error("the walk shown now does not have the photo")
	}
	b := w.answerFor(code)
	b.Note += "，已提醒"
	if !w.save(b) {
		t.Fatal("second note not saved")
	}
	in, _ = s.Inspection(id)
	if got := in.Answers[code]; len(got.Photos) != 1 || got.Note != "胸牌放在抽屉里，已提醒" {
		t.Errorf("after a later edit: %+v", got)
	}
}
