// Package gongwentest checks a 公文 PDF (GB/T 9704-2012) with poppler-utils
// (pdffonts, pdftotext, pdftoppm), tools that are not ours, for the tests
// of the packages that write one. Its rules are written here again on
// purpose, not taken from package report.
package gongwentest

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// noLineStart are the marks a line may not start with (标点禁则).
const noLineStart = "，。、；：？！）》」』”’〕】,.;:?!)"

// cellWidth is a character's width on the 28-character grid: half for ASCII.
func cellWidth(r rune) float64 {
	if r < 0x2E80 && r != '—' && r != '…' && r != '“' && r != '”' && r != '‘' && r != '’' && r != '·' {
		return 0.5
	}
	return 1
}

// Expect is what CheckGongwen looks for besides the layout rules.
type Expect struct {
	Number, Recipients string
	Contains, Absent   []string
	Proof              bool
	NoAnnex            bool // a 公文 without 附件 (an 整改通知书)
}

var pageNumber = regexp.MustCompile(`^— (\d+) —$`)

// Check checks a 公文 PDF with poppler-utils: at least three faces
// embedded; 正文 lines of at most 28 characters (a digit or Latin letter
// counts half); no line starting with closing punctuation; page numbers
// "— N —" on every page, right on odd and left on even pages, but for a
// blank page before the 版记 page and that page, which carry none; the
// 文号 above the red separator (in the first page's image); 附件 (unless
// NoAnnex) and the 版记 on the last page, an even one.
func Check(t *testing.T, path string, want Expect) {
	t.Helper()
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	faces := 0
	for _, l := range strings.Split(string(out), "\n")[2:] {
		if strings.TrimSpace(l) != "" {
			faces++
		}
	}
	if faces < 3 {
		t.Errorf("pdffonts lists %d faces, want at least 3:\n%s", faces, out)
	}
	raw, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(string(raw), "\f"), "\f")
	all := strings.Join(strings.Fields(string(raw)), "")
	musts := []string{want.Number, want.Recipients, "印发"}
	if !want.NoAnnex {
		musts = append(musts, "附件")
	}
	for _, s := range append(musts, want.Contains...) {
		if !strings.Contains(all, strings.Join(strings.Fields(s), "")) {
			t.Errorf("the 公文 lacks %q", s)
		}
	}
	for _, s := range want.Absent {
		if strings.Contains(all, s) {
			t.Errorf("the 公文 says %q", s)
		}
	}
	// The 版记 is on the last face of a document printed on both sides:
	// the last page, an even one, and on no other page.
	for i, page := range pages {
		if has := strings.Contains(page, "印发"); has != (i == len(pages)-1) {
			t.Errorf("page %d of %d: 版记 (印发) %v", i+1, len(pages), has)
		}
	}
	if len(pages)%2 != 0 {
		t.Errorf("%d pages: the 版记 is not on an even page", len(pages))
	}
	// GB/T 9704 7.5: when a blank page stands before the 版记 page, neither
	// carries a page number; every other page does.
	blankBefore := len(pages) >= 2 && Blank(pages[len(pages)-2])
	inAnnex := false
	for i, page := range pages {
		lines := strings.Split(strings.TrimRight(page, "\n "), "\n")
		last := strings.TrimSpace(lines[len(lines)-1])
		m := pageNumber.FindStringSubmatch(last)
		if blankBefore && i >= len(pages)-2 {
			if m != nil {
				t.Errorf("page %d of %d carries %q: the blank page before the 版记 page and that page carry no number", i+1, len(pages), last)
			}
			lines = append(lines, "")
		} else if Blank(page) {
			t.Errorf("page %d of %d is blank, and not the page before the 版记 page", i+1, len(pages))
		} else if m == nil || m[1] != fmt.Sprint(i+1) {
			t.Errorf("page %d ends %q, want \"— %d —\"", i+1, last, i+1)
		} else if len(strings.Fields(page)) > 4 { // pdftotext drops the indent of a page with no other text
			lead := len(lines[len(lines)-1]) - len(strings.TrimLeft(lines[len(lines)-1], " "))
			if (i%2 == 0) != (lead > 20) {
				t.Errorf("page %d: number at column %d, want %s", i+1, lead, map[bool]string{true: "right", false: "left"}[i%2 == 0])
			}
		}
		for _, l := range lines[:len(lines)-1] {
			s := strings.TrimSpace(l)
			if s == "附件" {
				inAnnex = true
			}
			if s == "" {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(s); strings.ContainsRune(noLineStart, r) {
				t.Errorf("page %d: a line starts with %q: %q", i+1, r, s)
			}
			if inAnnex || strings.Contains(s, "  ") {
				continue // tables and the 版记 are not 正文
			}
			if w := lineCells(s); w > 28 {
				t.Errorf("page %d: a line of %g characters: %q", i+1, w, s)
			}
		}
	}
	if want.Proof != strings.Contains(all, "校样") {
		t.Errorf("校样 mark: %v, want %v", !want.Proof, want.Proof)
	}
	// The 文号 is above the red separator: on page 1's image, the first
	// long red line lies below the 文号's text.
	prefix := filepath.Join(t.TempDir(), "p")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	matches, _ := filepath.Glob(prefix + "*.png")
	if len(matches) != 1 {
		t.Fatalf("pdftoppm wrote %v", matches)
	}
	img := decodePNG(t, matches[0])
	red, numberRow := redRule(img), -1
	b := img.Bounds()
	for y := b.Min.Y; y < red && y >= 0; y++ {
		dark := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if r < 0x6000 && g < 0x6000 && bb < 0x6000 {
				dark++
			}
		}
		if dark > 0 {
			numberRow = y
		}
	}
	if red < 0 || numberRow < 0 || numberRow >= red {
		t.Errorf("red separator at row %d, the last dark text above it at row %d: want the 文号 above the line", red, numberRow)
	}
}

// Blank is whether a page's pdftotext text holds nothing but a 校样 mark
// (and no page number).
func Blank(page string) bool {
	for _, f := range strings.Fields(page) {
		if f != "校样" {
			return false
		}
	}
	return true
}

func lineCells(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r == ' ' {
			w += 0.5
			continue
		}
		w += cellWidth(r)
	}
	return w
}

// redRule finds the first row that is red across most of the 版心.
func redRule(img image.Image) int {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bb, _ := img.At(x, y).RGBA()
			if r > 0xb000 && g < 0x6000 && bb < 0x6000 {
				n++
			}
		}
		if n > b.Dx()/2 {
			return y
		}
	}
	return -1
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Collection joins standalone TrueType fonts into a .ttc collection, in
// order: a small collection for tests (a real 宋体 .ttc is 20 MB).
func Collection(fonts ...[]byte) []byte {
	head := 12 + 4*len(fonts)
	out := make([]byte, head)
	copy(out, "ttcf")
	be32(out[4:], 0x00010000)
	be32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		base := uint32(len(out))
		be32(out[12+4*i:], base)
		shifted := append([]byte(nil), f...)
		n := int(shifted[4])<<8 | int(shifted[5])
		for t := 0; t < n; t++ {
			rec := shifted[12+16*t:]
			be32(rec[8:], base+uint32(rec[8])<<24+uint32(rec[9])<<16+uint32(rec[10])<<8+uint32(rec[11]))
		}
		out = append(out, shifted...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func be32(b []byte, v uint32) { b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v) }
