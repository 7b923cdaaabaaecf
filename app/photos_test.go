package app

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/inspect"
)

func TestEscapeLeavesTheNote(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	id := createInspection(t, u)
	wk := u.walk
	test.TypeOnCanvas(c, "b")
	if c.Focused() != wk.note {
		t.Fatal("B did not focus the note")
	}
	test.Type(wk.note, "门口无人")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if c.Focused() != nil {
		t.Fatalf("Escape left the focus on %T", c.Focused())
	}
	// The note is saved at once, and 1 answers again.
	in, _ := s.Inspection(id)
	if a := in.Answers["SP-01"]; a == nil || a.Note != "门口无人" {
		t.Errorf("note not saved on Escape: %+v", a)
	}
	test.TypeOnCanvas(c, "3") // SP-01 is a count: 3 is 不适用
	in, _ = s.Inspection(id)
	if a := in.Answers["SP-01"]; a == nil || a.Result != inspect.ResultNA || a.Note != "门口无人" {
		t.Errorf("after 3: %+v", a)
	}
	if wk.cur != 1 {
		t.Errorf("3 did not move on: at %d", wk.cur)
	}
}

// writeLargeJPEG writes a w×h JPEG with enough detail to be a realistic
// camera-sized file, tagged with EXIF orientation o (0: no EXIF).
func writeLargeJPEG(t *testing.T, w, h, o int) string {
	t.Helper()
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Y[y*img.YStride+x] = uint8((x*7 + y*13 + (x*y)%97) & 0xff)
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*3), uint8(255-i)
	}
	path := filepath.Join(t.TempDir(), "DSC_0001.JPG")
	if err := os.WriteFile(path, orientedJPEG(t, img, o), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// orientedJPEG encodes img as a JPEG; with o > 0 it carries an Exif APP1
// segment whose IFD0 holds only the orientation tag o.
func orientedJPEG(t *testing.T, img image.Image, o int) []byte {
	t.Helper()
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	if o > 0 {
		// SOI, then APP1 Exif with IFD0 holding only the orientation tag.
		tiff := []byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
		binary.LittleEndian.PutUint16(tiff[18:], uint16(o))
		seg := append([]byte("Exif\x00\x00"), tiff...)
		bw.Write([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)})
		bw.Write(seg)
		var rest fakeSOIStripper
		rest.w = bw
		if err := jpeg.Encode(&rest, img, &jpeg.Options{Quality: 92}); err != nil {
			t.Fatal(err)
		}
	} else if err := jpeg.Encode(bw, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeSOIStripper drops the encoder's SOI marker (already written).
type fakeSOIStripper struct {
	w       *bufio.Writer
	skipped bool
}

func (s *fakeSOIStripper) Write(p []byte) (int, error) {
	n := len(p)
	if !s.skipped {
		s.skipped = true
		p = p[2:]
	}
	_, err := s.w.Write(p)
	return n, err
}

// A camera-sized photo is added through the same function as the file
// dialog and drag-and-drop: the call returns at once with the pending state
// shown, and the photo ends up attached with a small thumbnail.
func TestLargePhotoDoesNotBlockTheWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes a 24-megapixel JPEG")
	}
	u, _, s := newTestUI(t)
	id := createInspection(t, u)
	path := writeLargeJPEG(t, 6000, 4000, 0)
	info, _ := os.Stat(path)
	t.Logf("%s: %.1f MB", filepath.Base(path), float64(info.Size())/(1<<20))

	wk := u.walk
	start := time.Now()
	wk.AddPhotos([]string{path})
	took := time.Since(start)
	if got := wk.status.Text; got != "正在添加照片…" {
		t.Errorf("status right after AddPhotos = %q, want the pending state", got)
	}
	if took > 500*time.Millisecond { // decoding alone takes seconds
		t.Errorf("AddPhotos held the UI goroutine for %v", took)
	}
	settle(u) // stored and attached, then its thumbnail decoded
	t.Logf("AddPhotos returned after %v; stored after %v", took, time.Since(start))
	in, _ := s.Inspection(id)
	a := in.Answers["SP-01"]
	if a == nil || len(a.Photos) != 1 {
		t.Fatalf("photo not attached: %+v", a)
	}
	if len(wk.thumbs) != 1 {
		t.Fatalf("%d thumbnails", len(wk.thumbs))
	}
	// The thumbnail decoded in the background too, to a small image.
	th := wk.thumbs[0]
	if !th.loaded.Load() {
		t.Fatal("the thumbnail is not shown after its decode")
	}
	// Sizes round to the nearest pixel, as the store's report copies do
	// (256 × 4000/6000 = 170.67 → 171).
	if b := th.img.Image.Bounds(); b.Dx() != thumbLong || b.Dy() != (thumbLong*4000+3000)/6000 {
		t.Errorf("thumbnail is %v, want %d wide", b, thumbLong)
	}
	// A second thumbnail of the same photo comes from the cache at once.
	again := newThumbnail(a.Photos[0], u.photos, nil)
	if !again.loaded.Load() {
		t.Error("a cached thumbnail was decoded again")
	}
}

func TestOrientationAndShrink(t *testing.T) {
	// A 40×20 image with a red left half, tagged "rotate 90° clockwise".
	src := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := 0; y < 20; y++ {
		for x := 0; x < 40; x++ {
			c := color.NRGBA{0, 0, 255, 255}
			if x < 20 {
				c = color.NRGBA{255, 0, 0, 255}
			}
			src.SetNRGBA(x, y, c)
		}
	}
	up, err := decodeShrunk(orientedJPEG(t, src, 6), 10)
	if err != nil {
		t.Fatal(err)
	}
	if b := up.Bounds(); b.Dx() != 5 || b.Dy() != 10 {
		t.Fatalf("shrunk and turned: %v, want 5×10", b)
	}
	// Turned clockwise, the left (red) half is on top.
	if c := color.NRGBAModel.Convert(up.At(2, 1)).(color.NRGBA); c.R < 200 || c.B > 50 {
		t.Errorf("top is %v, want red", c)
	}
	if c := color.NRGBAModel.Convert(up.At(2, 8)).(color.NRGBA); c.B < 200 || c.R > 50 {
		t.Errorf("bottom is %v, want blue", c)
	}
	for _, o := range []int{1, 2, 3, 4, 5, 7, 8} {
		img, err := decodeShrunk(orientedJPEG(t, src, o), 10)
		if err != nil {
			t.Fatal(err)
		}
		if want := slices.Contains([]int{5, 7, 8}, o); (img.Bounds().Dx() == 5) != want {
			t.Errorf("orientation %d: %v", o, img.Bounds())
		}
	}

	path := writeLargeJPEG(t, 64, 32, 6)
	data, _ := os.ReadFile(path)
	img, err := decodeShrunk(data, 16)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 8 || b.Dy() != 16 {
		t.Errorf("decoded, shrunk and turned: %v, want 8×16", b)
	}
	// Unreadable EXIF leaves a photo as it is: untagged, and a damaged tag.
	for _, o := range []int{0, 99} {
		img, err := decodeShrunk(orientedJPEG(t, src, o), 10)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != 10 || b.Dy() != 5 {
			t.Errorf("orientation tag %d: %v, want 10×5 as stored", o, b)
		}
	}
}
