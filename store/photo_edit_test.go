package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"testing"
	"time"

	"mingcha/inspect"
)

// jpegWithExif is a small JPEG whose Exif says it was taken at taken
// (DateTimeOriginal, no offset) — what a phone camera writes.
func jpegWithExif(t *testing.T, c color.Color, taken string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	// TIFF, little-endian: IFD0 with one entry (ExifIFD pointer) → sub-IFD
	// with DateTimeOriginal (20 bytes of ASCII at offset 44).
	bo := binary.LittleEndian
	tiff := make([]byte, 44+20)
	copy(tiff, "II")
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x8769)
	bo.PutUint16(tiff[12:], 4)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint32(tiff[18:], 26)
	bo.PutUint16(tiff[26:], 1)
	bo.PutUint16(tiff[28:], 0x9003)
	bo.PutUint16(tiff[30:], 2)
	bo.PutUint32(tiff[32:], 20)
	bo.PutUint32(tiff[36:], 44)
	copy(tiff[44:], taken+"\x00")
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(out[4:], uint16(len(seg)+2))
	out = append(out, seg...)
	return append(out, buf.Bytes()[2:]...)
}

func TestPhotoCaptureTimeFromExif(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	m, err := s.AddPhoto("王", jpegWithExif(t, color.RGBA{200, 0, 0, 255}, "2026:03:02 09:41:07"), "IMG_1.JPG")
	if err != nil {
		t.Fatal(err)
	}
	// The phone's local time is the office's, whatever the laptop's zone
	// (this machine's may be UTC).
	want := time.Date(2026, 3, 2, 9, 41, 7, 0, inspect.Zone)
	if !m.TakenAt.Equal(want) {
		t.Fatalf("taken at %v, want %v", m.TakenAt, want)
	}
	if got, _ := s.Photo(m.Hash); !got.TakenAt.Equal(want) {
		t.Fatalf("stored taken at %v", got.TakenAt)
	}
	if at := exifTakenAt([]byte("not a jpeg"), time.Local); !at.IsZero() {
		t.Fatal("a capture time out of nothing")
	}
}

// TestRemoveAndReplacePhoto: a wrong photo comes off a draft's answer with
// an audit entry; its original leaves the store once nothing refers to it,
// and stays while another answer does.
func TestRemoveAndReplacePhoto(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	code, other := "A2", "A1"
	wrong, _ := s.AddPhoto("王", jpegWithExif(t, color.RGBA{0, 200, 0, 255}, "2026:03:02 09:00:00"), "wrong.jpg")
	right, _ := s.AddPhoto("王", jpegWithExif(t, color.RGBA{0, 0, 200, 255}, "2026:03:02 09:05:00"), "right.jpg")
	shared, _ := s.AddPhoto("王", jpegWithExif(t, color.RGBA{90, 90, 90, 255}, "2026:03:02 09:06:00"), "shared.jpg")
	if _, err := s.SaveAnswer("王", in.ID, inspect.Answer{ItemCode: code, Result: inspect.ResultFail, Photos: []string{wrong.Hash, shared.Hash}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer("王", in.ID, inspect.Answer{ItemCode: other, Count: 1, Counted: true, Photos: []string{shared.Hash}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ReplacePhoto("王", in.ID, code, wrong.Hash, right.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Answers[code].Photos; len(p) != 2 || p[0] != right.Hash || p[1] != shared.Hash {
		t.Fatalf("photos after replace %v", p)
	}
	if _, err := os.Stat(s.PhotoPath(wrong.Hash)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the replaced original is still in the store: %v", err)
	}
	if _, err := s.Photo(wrong.Hash); !errors.Is(err, ErrNotFound) {
		t.Errorf("the replaced photo's record is still there: %v", err)
	}
	got, err = s.RemovePhoto("王", in.ID, code, shared.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if p := got.Answers[code].Photos; len(p) != 1 {
		t.Fatalf("photos after remove %v", p)
	}
	if _, err := os.Stat(s.PhotoPath(shared.Hash)); err != nil {
		t.Errorf("a photo another answer refers to was deleted: %v", err)
	}
	if _, err := s.RemovePhoto("王", in.ID, code, shared.Hash); err == nil {
		t.Error("removing a photo the answer does not have succeeded")
	}
	n := 0
	entries, err := s.Audit(0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Action == "answer.photo_replace" || e.Action == "answer.photo_remove" || e.Action == "photo.delete" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d audit entries for the photo edits, want 3 (replace, delete, remove)", n)
	}
}
