package report

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/assets"
	"mingcha/internal/sfnt"
	"mingcha/report/gongwentest"
)

const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

func needFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("%s (make deps installs it): %v", path, err)
	}
}

// fontFiles writes the test's font files: the bundled 楷体 as a .ttf, and
// a collection of DejaVu Sans (no hanzi) then that 楷体. Small on purpose:
// a real 宋体 .ttc is 20 MB, and parsing it under -race costs minutes.
func fontFiles(t *testing.T) (kai, ttc string) {
	t.Helper()
	needFile(t, dejavu)
	dir := t.TempDir()
	kai, ttc = filepath.Join(dir, "楷体.ttf"), filepath.Join(dir, "两款.ttc")
	dv, err := os.ReadFile(dejavu)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(kai, assets.FontGongwenKai(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ttc, gongwentest.Collection(dv, assets.FontGongwenKai()), 0o600); err != nil {
		t.Fatal(err)
	}
	return kai, ttc
}

// A chosen font file: a collection gives its first face that draws GB
// 2312; a font without the hanzi, a text file and a collection without a
// usable face are refused with the reason.
func TestLoadGongwenFont(t *testing.T) {
	kai, ttc := fontFiles(t)
	face, err := LoadGongwenFont(ttc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sfnt.Parse(face.Data, 0); err != nil || string(face.Data[:4]) != "\x00\x01\x00\x00" {
		t.Errorf("the collection's face is not a standalone TrueType font: %v", err)
	}
	if face.Family != "AR PL UKai CN" || face.Index != 1 || face.Path != ttc {
		t.Errorf("collection: %q face %d from %q", face.Family, face.Index, face.Path)
	}
	if face, err = LoadGongwenFont(kai); err != nil || face.Family != "AR PL UKai CN" || face.PostScript == "" || face.Index != 0 {
		t.Errorf("楷体.ttf: %+v, %v", face.Family, err)
	}
	dir := t.TempDir()
	text := filepath.Join(dir, "readme.ttf")
	if err := os.WriteFile(text, []byte("not a font at all, just some words"), 0o600); err != nil {
		t.Fatal(err)
	}
	// A collection header whose one face is nothing.
	badTTC := filepath.Join(dir, "bad.ttc")
	if err := os.WriteFile(badTTC, append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), make([]byte, 64)...), 0o600); err != nil {
		t.Fatal(err)
	}
	dv, _ := os.ReadFile(dejavu)
	latin := filepath.Join(dir, "latin.ttc")
	if err := os.WriteFile(latin, gongwentest.Collection(dv, dv), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path   string
		reason int
		faces  int
	}{{dejavu, FontLacksGB2312, 1}, {latin, FontLacksGB2312, 2}, {text, FontNotAFont, 1}, {badTTC, FontNotAFont, 1}, {filepath.Join(dir, "none.ttf"), FontUnreadable, 0}} {
		_, err := LoadGongwenFont(c.path)
		var fe *FontError
		if !errors.As(err, &fe) || fe.Reason != c.reason || fe.Faces != c.faces {
			t.Errorf("%s: %v (%+v), want reason %d", c.path, err, fe, c.reason)
		}
	}
	_, err = LoadGongwenFont(dejavu)
	if fe := (*FontError)(nil); errors.As(err, &fe) && (len(fe.Missing) < 6763 || !strings.ContainsRune(string(fe.Missing), '国')) {
		t.Errorf("DejaVu lacks %d, want every hanzi", len(fe.Missing))
	}
}

// The PDF names the face each role used: pdffonts lists the chosen 楷体
// for 正文 and 标题, the bundled faces for the rest.
func TestGongwenNamesChosenFaces(t *testing.T) {
	needTool(t, "pdffonts")
	kai, ttc := fontFiles(t)
	body, err := LoadGongwenFont(kai)
	if err != nil {
		t.Fatal(err)
	}
	title, err := LoadGongwenFont(ttc)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := RenderBulletin(&Bulletin{Office: "区机关效能建设办公室", Number: "效能通〔2026〕12号", Date: vetoBulletin(true).Date,
		Overview: vetoOverview(), Recipients: "各单位", Proof: true, Fonts: GongwenFonts{FangSong: body, Title: title}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "通报.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"utf8fangsong-ukaicn", "utf8title-ukaicn", "utf8kaiti-ukaicn", "utf8heiti-wenquanyimicrohei"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdffonts lacks %s:\n%s", want, out)
		}
	}
}
