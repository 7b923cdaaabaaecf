// Images in the report: the photo appendix and its captions, and the checks
// and conversions that let gofpdf embed a photo or a drawn signature.

package report

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // decoders for photo checks
	_ "image/jpeg"
	"image/png"
	"math"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

type photoRef struct {
	hash, code, text, note string
	at                     time.Time
	also                   []string // other items the same photo documents
}

// listPhotos lists each photo once, in the order of the items, then the
// free findings.
func (r *renderer) listPhotos() []photoRef {
	seen := map[string]int{}
	var out []photoRef
	add := func(ref photoRef) {
		if k, ok := seen[ref.hash]; ok {
			// One picture can document several items.
			out[k].also = append(out[k].also, ref.code)
			return
		}
		seen[ref.hash] = len(out)
		out = append(out, ref)
	}
	for _, it := range r.in.Template.Items() {
		a := r.in.Answers[it.Code]
		if a == nil {
			continue
		}
		for _, h := range a.Photos {
			add(photoRef{hash: h, code: it.Code, text: it.Text, note: a.Note, at: a.AnsweredAt})
		}
	}
	for i, f := range r.in.Findings {
		for _, h := range f.Photos {
			add(photoRef{hash: h, code: fmt.Sprintf("发现 %d", i+1), text: f.Text})
		}
	}
	return out
}

func (r *renderer) photoAppendix() {
	refs := r.photoList
	if len(refs) == 0 {
		return
	}
	p := r.pdf
	p.AddPage()
	r.font(14)
	p.CellFormat(contentW, 10, "附件：现场照片", "", 1, "L", false, 0, "")
	slotH := (bodyBottom - margin - 12) / 2
	for i, ref := range refs {
		if i > 0 && r.ensure(slotH) {
			p.SetY(margin)
		}
		y := p.GetY()
		imgH := slotH - 22
		data, err := r.photoBytes(ref.hash)
		img, ok := imageRef{}, false
		if err == nil {
			img, ok = r.register(data)
		}
		if ok {
			w, h := fit(img.w, img.h, contentW, imgH)
			x := margin + (contentW-w)/2
			p.ImageOptions(img.name, x, y, w, h, false, img.opts, 0, "")
			p.SetDrawColor(180, 180, 180)
			p.Rect(x, y, w, h, "D")
			p.SetDrawColor(0, 0, 0)
		} else {
			p.SetDrawColor(180, 180, 180)
			p.Rect(margin, y, contentW, imgH, "D")
			p.SetXY(margin, y+imgH/2-4)
			r.font(10)
			p.CellFormat(contentW, 8, "照片无法读取", "", 0, "C", false, 0, "")
			p.SetDrawColor(0, 0, 0)
		}
		p.SetXY(margin, y+imgH+2)
		r.font(9)
		for _, ln := range r.caption(i+1, ref) {
			p.CellFormat(contentW, 4.5, ln, "", 2, "C", false, 0, "")
		}
		r.font(7)
		p.SetTextColor(90, 90, 90)
		p.CellFormat(contentW, 4, "原图 SHA-256 "+ref.hash, "", 1, "C", false, 0, "")
		p.SetTextColor(0, 0, 0)
		p.SetY(y + slotH)
	}
}

// caption says what photo n shows: the item, the inspector's note and
// when it was recorded, in at most three lines at the current font.
func (r *renderer) caption(n int, ref photoRef) []string {
	first := fmt.Sprintf("照片 %d　%s %s", n, ref.code, ref.text)
	if len(ref.also) > 0 {
		first += "（另见 " + strings.Join(ref.also, "、") + "）"
	}
	lines := r.wrap(first, contentW)
	var more []string
	if strings.TrimSpace(ref.note) != "" {
		more = append(more, "现场说明："+strings.TrimSpace(ref.note))
	}
	if !ref.at.IsZero() {
		more = append(more, "记录时间："+fmtTime(ref.at))
	}
	if taken := r.takenLine(ref.hash); taken != "" {
		more = append(more, taken)
	}
	if len(more) > 0 {
		lines = append(lines, r.wrap(strings.Join(more, "　"), contentW)...)
	}
	if len(lines) > 3 {
		last := []rune(lines[2])
		lines = append(lines[:2], string(last[:max(0, len(last)-1)])+"…")
	}
	return lines
}

func (r *renderer) photoBytes(hash string) ([]byte, error) {
	if r.photos == nil {
		return nil, fmt.Errorf("no photo source")
	}
	if rs, ok := r.photos.(ReportPhotoSource); ok {
		if b, err := rs.ReportPhotoBytes(hash); err == nil && len(b) > 0 {
			return b, nil
		}
	}
	return r.photos.PhotoBytes(hash)
}

type imageRef struct {
	name string
	opts gofpdf.ImageOptions
	w, h int
}

// register hands an image to gofpdf after checking it decodes, so that a
// damaged photo shows as a placeholder instead of failing the whole report
// (gofpdf's errors are sticky). PNGs gofpdf cannot embed (16-bit,
// interlaced) are re-encoded as 8-bit.
func (r *renderer) register(data []byte) (imageRef, bool) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return imageRef{}, false
	}
	var typ string
	switch format {
	case "jpeg":
		typ = "JPG"
	case "png":
		typ = "PNG"
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return imageRef{}, false
		}
		hidden := inkUnderTransparency(img)
		if hidden != nil || len(data) > 28 && (data[24] > 8 || data[28] != 0) {
			nrgba := hidden
			if nrgba == nil {
				nrgba = image.NewNRGBA(img.Bounds())
				draw.Draw(nrgba, nrgba.Bounds(), img, img.Bounds().Min, draw.Src)
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, nrgba); err != nil {
				return imageRef{}, false
			}
			data = buf.Bytes()
		}
	case "gif":
		typ = "GIF"
	default:
		return imageRef{}, false
	}
	// gofpdf copies a JPEG's bytes as they are, so a full decode (70% of
	// the export time with 20 photos) would only guard against damage the
	// viewer shows anyway; a cut-off file is caught by its structure. PNG
	// and GIF are re-encoded by gofpdf, which fails on bad data.
	if typ == "JPG" {
		if !jpegComplete(data) {
			return imageRef{}, false
		}
	} else if typ == "GIF" {
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			return imageRef{}, false
		}
	}
	r.imgSeq++
	ref := imageRef{name: fmt.Sprintf("img%d", r.imgSeq), opts: gofpdf.ImageOptions{ImageType: typ}, w: cfg.Width, h: cfg.Height}
	info := r.pdf.RegisterImageOptionsReader(ref.name, ref.opts, bytes.NewReader(data))
	if info == nil || r.pdf.Err() {
		return imageRef{}, false
	}
	return ref, true
}

// inkUnderTransparency returns a drawn signature (ink on a transparent
// pad) with the colour of its invisible pixels set to the ink's, or nil for
// an image without fully transparent pixels. gofpdf stores colour and
// alpha apart; a colour plane of one ink compresses to almost nothing,
// about 1 KB less per signature, and looks the same.
func inkUnderTransparency(img image.Image) *image.NRGBA {
	b := img.Bounds()
	if b.Dx()*b.Dy() > 4<<20 {
		return nil // a photo, not a signature
	}
	n := image.NewNRGBA(b)
	draw.Draw(n, b, img, b.Min, draw.Src)
	var r, g, bl, w, clear int
	for i := 0; i+3 < len(n.Pix); i += 4 {
		a := int(n.Pix[i+3])
		if a == 0 {
			clear++
			continue
		}
		r, g, bl, w = r+int(n.Pix[i])*a, g+int(n.Pix[i+1])*a, bl+int(n.Pix[i+2])*a, w+a
	}
	if clear == 0 || w == 0 {
		return nil
	}
	ink := [3]uint8{uint8(r / w), uint8(g / w), uint8(bl / w)}
	for i := 0; i+3 < len(n.Pix); i += 4 {
		if n.Pix[i+3] == 0 {
			n.Pix[i], n.Pix[i+1], n.Pix[i+2] = ink[0], ink[1], ink[2]
		}
	}
	return n
}

// jpegComplete walks a JPEG's marker segments to the first scan and
// requires an end-of-image marker after it: entropy-coded data cannot
// contain FF D9, so a file cut short lacks it.
func jpegComplete(data []byte) bool {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return false
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return false
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD8 || marker == 0x01 || marker >= 0xD0 && marker <= 0xD7:
			i += 2
			continue
		case marker == 0xD9:
			return false // ends before any scan
		}
		size := int(data[i+2])<<8 | int(data[i+3])
		if size < 2 || i+2+size > len(data) {
			return false
		}
		if marker == 0xDA {
			return bytes.LastIndex(data[i+2+size:], []byte{0xFF, 0xD9}) >= 0
		}
		i += 2 + size
	}
	return false
}

func fit(w, h int, maxW, maxH float64) (float64, float64) {
	s := math.Min(maxW/float64(w), maxH/float64(h))
	return float64(w) * s, float64(h) * s
}
