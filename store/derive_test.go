package store

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// twoTone is w×h, left half red, right half blue.
func twoTone(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{220, 0, 0, 255}
			if x >= w/2 {
				c = color.RGBA{0, 0, 220, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withOrientation inserts an Exif APP1 segment carrying the orientation.
func withOrientation(jpg []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	ifd := make([]byte, 2+12+4)
	binary.BigEndian.PutUint16(ifd[0:], 1)
	binary.BigEndian.PutUint16(ifd[2:], 0x0112)
	binary.BigEndian.PutUint16(ifd[4:], 3) // SHORT
	binary.BigEndian.PutUint32(ifd[6:], 1)
	binary.BigEndian.PutUint16(ifd[10:], o)
	payload := append([]byte("Exif\x00\x00"), append(tiff, ifd...)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, format, err := image.Decode(bytes.NewReader(b))
	if err != nil || format != "jpeg" {
		t.Fatalf("derived copy: %v %s", err, format)
	}
	return img
}

func isRed(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r > 0x9000 && g < 0x5000 && b < 0x5000
}

func isBlue(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return b > 0x9000 && r < 0x5000 && g < 0x5000
}

func TestReportJPEGOrientation(t *testing.T) {
	src := encodeJPEG(t, twoTone(80, 40))
	cases := []struct {
		o             uint16
		w, h          int
		redAt, blueAt image.Point
	}{
		{1, 80, 40, image.Pt(10, 20), image.Pt(70, 20)},
		{3, 80, 40, image.Pt(70, 20), image.Pt(10, 20)},
		{6, 40, 80, image.Pt(20, 10), image.Pt(20, 70)},
		{8, 40, 80, image.Pt(20, 70), image.Pt(20, 10)},
	}
	for _, c := range cases {
		out, err := ReportJPEG(withOrientation(src, c.o))
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, out)
		if b := img.Bounds(); b.Dx() != c.w || b.Dy() != c.h {
			t.Fatalf("orientation %d: %v", c.o, b)
		}
		if !isRed(img.At(c.redAt.X, c.redAt.Y)) || !isBlue(img.At(c.blueAt.X, c.blueAt.Y)) {
			t.Fatalf("orientation %d: colours in the wrong place: %v %v", c.o, img.At(c.redAt.X, c.redAt.Y), img.At(c.blueAt.X, c.blueAt.Y))
		}
	}
}

func TestReportJPEGScalesAndConverts(t *testing.T) {
	big := encodeJPEG(t, twoTone(4000, 3000))
	out, err := ReportJPEG(big)
	if err != nil {
		t.Fatal(err)
	}
	if b := decode(t, out).Bounds(); b.Dx() != 1600 || b.Dy() != 1200 {
		t.Fatalf("scaled to %v", b)
	}
	// A transparent PNG comes out on white.
	img := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	out, err = ReportJPEG(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if r, g, b, _ := decode(t, out).At(10, 10).RGBA(); r < 0xF000 || g < 0xF000 || b < 0xF000 {
		t.Fatal("transparent PNG not on white")
	}
	// A CMYK JPEG (made with ImageMagick: red | blue) keeps its colours.
	cmyk, err := os.ReadFile("testdata/cmyk.jpg")
	if err != nil {
		t.Fatal(err)
	}
	out, err = ReportJPEG(cmyk)
	if err != nil {
		t.Fatal(err)
	}
	im := decode(t, out)
	if !isRed(im.At(8, 16)) || !isBlue(im.At(56, 16)) {
		t.Fatalf("CMYK colours: %v %v", im.At(8, 16), im.At(56, 16))
	}
}

func TestReportPhotoDerivedAtAttach(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	m, err := s.AddPhoto("w", withOrientation(encodeJPEG(t, twoTone(3200, 1600)), 6), "rotated.jpg")
	if err != nil {
		t.Fatal(err)
	}
	s.backupWG.Wait() // the background derivation
	b, err := os.ReadFile(s.reportPath(m.Hash))
	if err != nil {
		t.Fatalf("no report copy after attach: %v", err)
	}
	if bd := decode(t, b).Bounds(); bd.Dx() != 800 || bd.Dy() != 1600 {
		t.Fatalf("report copy %v", bd)
	}
	// Lost copy (crash before it was written): derived on demand.
	_ = os.Remove(s.reportPath(m.Hash))
	b2, err := s.ReportPhotoBytes(m.Hash)
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("on demand: %v", err)
	}
	orig, _ := s.PhotoBytes(m.Hash)
	if len(orig) == len(b) {
		t.Fatal("original replaced")
	}
}

// The EXIF reader leaves anything it cannot read as upright.
func TestExifOrientationOfJunk(t *testing.T) {
	for _, junk := range [][]byte{nil, {0xFF, 0xD8}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E'}, []byte("not a jpeg")} {
		if got := exifOrientation(junk); got != 1 {
			t.Errorf("orientation of %q = %d", junk, got)
		}
	}
	if got := exifOrientation(withOrientation(encodeJPEG(t, twoTone(8, 4)), 6)); got != 6 {
		t.Errorf("orientation read as %d, want 6", got)
	}
}
