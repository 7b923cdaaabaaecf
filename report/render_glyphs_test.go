package report

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"

	"mingcha/assets"
	"mingcha/inspect"
)

// rareChars are characters of names WQY MicroHei alone cannot draw or that
// gofpdf v1.16.2 could not write: Extension B (𠀀 𪚥), E (𬌗), A (䶮 㛃),
// BMP ideographs of names (喆 堃 龘 國) and an emoji beyond the BMP.
var rareChars = []rune("𠀀𪚥𬌗䶮㛃喆堃龘國😀")

const goldenRare = "testdata/report-rare.pdf"

// rareInspection is the test inspection with rare characters in the unit,
// a staff member (absent person), an inspector, a note and the template.
func rareInspection(t *testing.T) (*inspect.Inspection, fakePhotos) {
	in, photos := testInspection(t)
	in.Unit.Name = "𬌗䶮街道喆堃便民服务中心"
	in.Template.Title += "（龘國版）"
	old := in.Inspectors[0]
	in.Inspectors[0] = "张𪚥"
	for i := range in.Signatures {
		if in.Signatures[i].Inspector == old {
			in.Signatures[i].Inspector = "张𪚥"
		}
	}
	spaced := make([]string, len(rareChars))
	for i, r := range rareChars {
		spaced[i] = string(r)
	}
	for _, it := range in.Template.Items() {
		a := in.Answers[it.Code]
		if a == nil {
			continue
		}
		if it.Code == testFailItem {
			// Spaced, so that pdftotext -bbox gives each its own box.
			a.Note = "现场人员 " + strings.Join(spaced, " ")
		}
		for k := range a.Absent {
			if k == 0 {
				a.Absent[k].Name = "王㛃𠀀"
			}
		}
	}
	for si := range in.Template.Sections {
		for ii := range in.Template.Sections[si].Items {
			if it := &in.Template.Sections[si].Items[ii]; it.Code == testFailItem {
				it.Text += "（𪚥）"
			}
		}
	}
	return in, photos
}

func TestMissingGlyphs(t *testing.T) {
	if got := MissingGlyphs("王\U0010FFFD𠀀a\n\t😀\U0010FFFD龘"); string(got) != "\U0010FFFD" {
		t.Errorf("MissingGlyphs = %q, want only U+10FFFD", string(got))
	}
	in, _ := rareInspection(t)
	if got := InspectionMissingGlyphs(in); len(got) != 0 {
		t.Errorf("InspectionMissingGlyphs = %q, want none", string(got))
	}
	in.Answers[testFailItem].Note += "\U000E0101\U0010FFFD"
	if got := InspectionMissingGlyphs(in); string(got) != "\U000E0101\U0010FFFD" {
		t.Errorf("InspectionMissingGlyphs = %q, want the two unassigned characters", string(got))
	}
}

// TestRareCharacters renders a report whose unit, inspector, staff, note
// and template hold rareChars (gofpdf v1.16.2 panicked on the first one):
// the report is pinned as a golden file, pdftotext gives every character
// back, and on the page image each of them is a drawn glyph, not an empty
// or .notdef box.
func TestRareCharacters(t *testing.T) {
	in, photos := rareInspection(t)
	pdf, err := Render(in, photos, RenderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(goldenRare, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want, err := os.ReadFile(goldenRare); err != nil {
		t.Errorf("%v (run go test -run TestRareCharacters -update)", err)
	} else if !bytes.Equal(pdf, want) {
		t.Errorf("rendered report differs from %s; look at the pages and run with -update if the change is intended", goldenRare)
	}

	needTool(t, "pdftotext")
	path := writeTemp(t, "rare.pdf", pdf)
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"𬌗䶮街道喆堃便民服务中心", "张𪚥", "王㛃𠀀", "（龘國版）", "（𪚥）"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q", want)
		}
	}
	for _, r := range rareChars {
		if !strings.ContainsRune(text, r) {
			t.Errorf("pdftotext lacks %q (U+%X)", r, r)
		}
	}

	needTool(t, "pdftoppm")
	boxes := wordBoxes(t, path)
	const dpi = 150
	page := decodePNG(t, renderPage(t, pdf, 1, dpi))
	for _, r := range rareChars {
		var box []float64
		for _, b := range boxes {
			if b.page == 1 && b.text == string(r) {
				box = b.rect
			}
		}
		if box == nil {
			t.Errorf("%q: no word box on page 1", r)
			continue
		}
		s := float64(dpi) / 72
		rect := image.Rect(int(box[0]*s), int(box[1]*s), int(box[2]*s)+1, int(box[3]*s)+1)
		if why := notAGlyph(page, rect); why != "" {
			t.Errorf("%q (U+%X) at %v is %s", r, r, rect, why)
		}
	}
}

// notAGlyph says why the ink in rect is no real glyph: blank, or the
// hollow rectangle of a .notdef box. It returns "" for a glyph.
func notAGlyph(img image.Image, rect image.Rectangle) string {
	dark := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r+g+b < 3*0xA000
	}
	var ink image.Rectangle
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			if dark(x, y) {
				n++
				ink = ink.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	if n < 8 {
		return fmt.Sprintf("blank (%d ink pixels)", n)
	}
	// A .notdef box: ink on its outline, none inside.
	in := ink.Inset(max(2, ink.Dx()/5))
	inside := 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		for x := in.Min.X; x < in.Max.X; x++ {
			if dark(x, y) {
				inside++
			}
		}
	}
	if inside == 0 && ink.Dx() > 4 && ink.Dy() > 4 {
		return "a hollow box (.notdef)"
	}
	return ""
}

type wordBox struct {
	page int
	text string
	rect []float64
}

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// wordBoxes lists pdftotext's word boxes, in points from the top left.
func wordBoxes(t *testing.T, path string) []wordBox {
	t.Helper()
	html := filepath.Join(t.TempDir(), "words.html")
	if b, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", path, html).CombinedOutput(); err != nil {
		t.Fatalf("pdftotext -bbox: %v\n%s", err, b)
	}
	data, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	var out []wordBox
	for i, chunk := range bboxPage.Split(string(data), -1)[1:] {
		for _, m := range bboxWord.FindAllStringSubmatch(chunk, -1) {
			var rect []float64
			for _, v := range m[1:5] {
				f, _ := strconv.ParseFloat(v, 64)
				rect = append(rect, f)
			}
			out = append(out, wordBox{page: i + 1, text: m[5], rect: rect})
		}
	}
	return out
}

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestLongNotePaginates: a 2,000-character note continues from page to
// page in framed cells instead of breaking the layout (v1 made 381 pages
// of it), and its every character is in the text.
func TestLongNotePaginates(t *testing.T) {
	needTool(t, "pdfinfo")
	in, photos := testInspection(t)
	base, err := Render(in, photos, RenderOptions{NoPhotos: true})
	if err != nil {
		t.Fatal(err)
	}
	note := strings.Repeat("窗口工作人员离岗未挂去向牌，群众等候二十分钟无人受理。", 80)[:0]
	for len([]rune(note)) < 2000 {
		note += "窗口工作人员离岗未挂去向牌，群众等候二十分钟无人受理。"
	}
	note = string([]rune(note)[:2000])
	in.Answers[testFailItem].Note = note
	long, err := Render(in, photos, RenderOptions{NoPhotos: true})
	if err != nil {
		t.Fatal(err)
	}
	pb, pl := pdfPages(t, base), pdfPages(t, long)
	t.Logf("%d pages without the note, %d with it", pb, pl)
	if extra := pl - pb; extra < 1 || extra > 3 {
		t.Errorf("a 2,000-character note adds %d pages, want about two", extra)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", writeTemp(t, "long.pdf", long), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.NewReplacer("\n", "", " ", "", "\f", "").Replace(string(out))
	if got := strings.Count(flat, "群众等候二十分钟无人受理"); got < 70 {
		t.Errorf("pdftotext finds the note's sentence %d times, want about 74", got)
	}
}

func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", writeTemp(t, "p.pdf", pdf)).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gave no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

type panickyPhotos struct{}

func (panickyPhotos) PhotoBytes(string) ([]byte, error) { panic("photo store fault") }

// TestRenderRecovers: a panic below Render comes back as an error.
func TestRenderRecovers(t *testing.T) {
	in, _ := testInspection(t)
	pdf, err := Render(in, panickyPhotos{}, RenderOptions{})
	if err == nil || pdf != nil || !strings.Contains(err.Error(), "photo store fault") {
		t.Errorf("Render with a panicking photo source = %d bytes, %v; want an error naming the fault", len(pdf), err)
	}
}

// TestGofpdfBeyondBMP drives every text path of the patched gofpdf
// (third_party/gofpdf) with characters beyond the BMP: v1.16.2 panicked in
// GetStringWidth, MultiCell and SplitText, and wrote wrong bytes in Text,
// Write and justified cells. pdftotext must give the characters back.
func TestGofpdfBeyondBMP(t *testing.T) {
	p := gofpdf.New("P", "mm", "A4", "")
	p.AddUTF8FontFromBytes(fontFamily, "", assets.TextFont())
	p.AddPage()
	p.SetFont(fontFamily, "", 12)
	s := "姓名：𬌗𠀀𪚥 😀 䶮"
	if w := p.GetStringWidth("𬌗"); w < 3 || w > 6 {
		t.Errorf("GetStringWidth(𬌗) = %.2f mm at 12 pt, want about one em", w)
	}
	p.Text(20, 20, s+" Text")
	p.SetXY(20, 30)
	p.MultiCell(60, 6, s+" MultiCell "+strings.Repeat("𠀀", 30), "1", "L", false)
	if lines := p.SplitText(strings.Repeat("𪚥", 40), 50); len(lines) < 2 {
		t.Errorf("SplitText gave %d lines for 40 wide characters in 50 mm", len(lines))
	}
	p.Write(6, s+" Write\n")
	p.CellFormat(150, 8, "对齐 "+s+" Justified", "1", 1, "J", false, 0, "")
	p.SetTitle("𬌗 标题", true)
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	needTool(t, "pdftotext")
	path := writeTemp(t, "bmp.pdf", buf.Bytes())
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"𬌗𠀀𪚥", "Text", "MultiCell", "Write", "Justified", "😀"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
	if info, err := exec.Command("pdfinfo", path).Output(); err == nil && !strings.Contains(string(info), "𬌗 标题") {
		t.Errorf("pdfinfo title is not the UTF-16 of 𬌗 标题:\n%s", info)
	}
}
