package main

import (
	"archive/zip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/assets"
	"mingcha/report/gongwentest"
)

// pdfFonts is pdffonts' listing of a PDF.
func pdfFonts(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdffonts", path).Output()
	if err != nil {
		t.Fatalf("pdffonts %s: %v", path, err)
	}
	return string(out)
}

// docxStyles is word/styles.xml of a .docx.
func docxStyles(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "word/styles.xml" {
			r, _ := f.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			return string(b)
		}
	}
	t.Fatalf("%s has no styles", path)
	return ""
}

// office config --font-…: a chosen file serves every 公文 the office writes
// (催办 PDF, 整改通知书 PDF and .docx); a file that is no 公文 font is refused
// and the previous choice kept; auto goes back to the bundled face.
func TestOfficeConfigFonts(t *testing.T) {
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Fatal("pdffonts (poppler-utils) is needed")
	}
	const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	// Small font files (a real 宋体 .ttc is 20 MB, minutes under -race):
	// the bundled 楷体 as a .ttf, and a collection of DejaVu Sans (no
	// hanzi) then that 楷体.
	dv, err := os.ReadFile(dejavu)
	if err != nil {
		t.Fatal(err)
	}
	fontDir := t.TempDir()
	kai, ttc := filepath.Join(fontDir, "楷体.ttf"), filepath.Join(fontDir, "两款.ttc")
	_ = os.WriteFile(kai, assets.FontGongwenKai(), 0o600)
	_ = os.WriteFile(ttc, gongwentest.Collection(dv, assets.FontGongwenKai()), 0o600)
	db, keyPath, _ := paperworkDB(t)
	code, out, errs := runCLI(t, "office", "config", "--db", db)
	if code != 0 || !strings.Contains(out, "bundled font AR PL UMing CN") || !strings.Contains(out, "Body text (FangSong)") {
		t.Fatalf("office config: %d %s %s", code, out, errs)
	}
	code, out, errs = runCLI(t, "office", "config", "--db", db, "--font-body", kai, "--font-title", ttc)
	if code != 0 || !strings.Contains(out, "chosen: "+kai+" (AR PL UKai CN)") || !strings.Contains(out, "chosen: "+ttc+" (AR PL UKai CN)") {
		t.Fatalf("office config --font-body: %d %s %s", code, out, errs)
	}
	code, _, errs = runCLI(t, "office", "config", "--db", db, "--font-body", dejavu)
	if code == 0 || !strings.Contains(errs, "characters of GB 2312 an official document needs (e.g. 々啊阿") || !strings.Contains(errs, "previous font choice is kept") {
		t.Fatalf("DejaVu Sans as 仿宋: %d %s", code, errs)
	}
	notFont := filepath.Join(t.TempDir(), "fake.ttf")
	_ = os.WriteFile(notFont, []byte("hello"), 0o600)
	if code, _, errs = runCLI(t, "office", "config", "--db", db, "--font-heading2", notFont); code == 0 || !strings.Contains(errs, "is not a usable font file") {
		t.Fatalf("a text file as 楷体: %d %s", code, errs)
	}
	if code, out, _ = runCLI(t, "office", "config", "--db", db); !strings.Contains(out, "chosen: "+kai) || !strings.Contains(out, "bundled font AR PL UKai CN") {
		t.Fatalf("the refusals changed the choice:\n%s", out)
	}
	dir := t.TempDir()
	chase := filepath.Join(dir, "催办.pdf")
	if code, out, errs := runCLI(t, "office", "chase", "--db", db, "-o", chase); code != 0 {
		t.Fatalf("chase: %s %s", out, errs)
	}
	if f := pdfFonts(t, chase); !strings.Contains(f, "utf8fangsong-ukaicn") || !strings.Contains(f, "utf8title-ukaicn") {
		t.Errorf("催办 PDF fonts:\n%s", f)
	}
	notice, docxPath := filepath.Join(dir, "通知书.pdf"), filepath.Join(dir, "通知书.docx")
	if code, out, errs := runCLI(t, "office", "notice", "--db", db, "单位1", "-o", notice, "--docx", docxPath, "--key", keyPath); code != 0 {
		t.Fatalf("notice: %s %s", out, errs)
	}
	if f := pdfFonts(t, notice); !strings.Contains(f, "utf8fangsong-ukaicn") {
		t.Errorf("整改通知书 fonts:\n%s", f)
	}
	if st := docxStyles(t, docxPath); !strings.Contains(st, `w:eastAsia="AR PL UKai CN"`) || strings.Contains(st, `w:eastAsia="仿宋"`) ||
		strings.Contains(st, `w:eastAsia="方正小标宋简体"`) || !strings.Contains(st, `w:eastAsia="楷体"`) || !strings.Contains(st, `w:eastAsia="黑体"`) {
		t.Errorf("the .docx styles do not name the chosen faces:\n%s", st)
	}
	if code, out, _ = runCLI(t, "office", "config", "--db", db, "--font-body", "auto"); code != 0 || !strings.Contains(out, "bundled font AR PL UMing CN") {
		t.Fatalf("--font-body auto: %s", out)
	}
	if code, out, errs := runCLI(t, "office", "chase", "--db", db, "-o", chase, "--force"); code != 0 {
		t.Fatalf("chase: %s %s", out, errs)
	}
	if f := pdfFonts(t, chase); strings.Contains(f, "utf8fangsong-ukaicn") || !strings.Contains(f, "utf8fangsong-umingcn") {
		t.Errorf("after auto, 催办 PDF fonts:\n%s", f)
	}
}

// A chosen font file that has gone, or become something else, when a 公文
// is written: the 催办 PDF, the 整改通知书 (PDF and .docx) and the 通报 are
// still written, in the automatic face, and each command says so on stderr,
// in the user's language.
func TestOfficeFontGoneWarns(t *testing.T) {
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Fatal("pdffonts (poppler-utils) is needed")
	}
	db, keyPath, _ := paperworkDB(t)
	kai := filepath.Join(t.TempDir(), "楷体.ttf")
	_ = os.WriteFile(kai, assets.FontGongwenKai(), 0o600)
	if code, out, errs := runCLI(t, "office", "config", "--db", db, "--font-body", kai); code != 0 {
		t.Fatalf("office config --font-body: %s %s", out, errs)
	}
	dir := t.TempDir()
	chase := filepath.Join(dir, "催办.pdf")
	if code, out, errs := runCLI(t, "office", "chase", "--db", db, "-o", chase); code != 0 || strings.Contains(errs, "warning") {
		t.Fatalf("chase with the chosen font there: %d %s %s", code, out, errs)
	}
	if err := os.Remove(kai); err != nil {
		t.Fatal(err)
	}
	const gone = "warning: Body text (FangSong): the chosen font cannot be used (The font file "
	code, out, errs := runCLI(t, "office", "chase", "--db", db, "-o", chase, "--force")
	if code != 0 || !strings.Contains(errs, gone+kai+" does not exist.); this document uses bundled font AR PL UMing CN instead.") {
		t.Fatalf("chase after the font went: %d %s %s", code, out, errs)
	}
	if f := pdfFonts(t, chase); !strings.Contains(f, "utf8fangsong-umingcn") || strings.Contains(f, "utf8fangsong-ukaicn") {
		t.Errorf("催办 PDF fonts after the font went:\n%s", f)
	}
	// Changed into something that is no font (same path).
	_ = os.WriteFile(kai, []byte("not a font any more"), 0o600)
	notice, docxPath := filepath.Join(dir, "通知书.pdf"), filepath.Join(dir, "通知书.docx")
	code, out, errs = runCLI(t, "office", "notice", "--db", db, "单位1", "-o", notice, "--docx", docxPath, "--key", keyPath)
	if code != 0 || !strings.Contains(errs, "warning: Body text (FangSong): the chosen font cannot be used ("+kai+" is not a usable font file") {
		t.Fatalf("notice with a broken font file: %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(docxPath); err != nil || !strings.Contains(pdfFonts(t, notice), "utf8fangsong-umingcn") {
		t.Errorf("the notice was not written in the automatic face: %v\n%s", err, pdfFonts(t, notice))
	}
	withLocale(t, "zh_CN.UTF-8")
	bulletin := filepath.Join(dir, "通报.pdf")
	code, out, errs = runCLI(t, "office", "bulletin", "--db", db, "--period", "2026-05", "-o", bulletin, "--unsigned")
	if code != 0 || !strings.Contains(errs, "警告：正文（仿宋）：所选字体无法使用（") || !strings.Contains(errs, "本文件改用内置字体 AR PL UMing CN。") || !strings.Contains(out, bulletin) {
		t.Fatalf("bulletin in Chinese with a broken font file: %d %s %s", code, out, errs)
	}
	_ = os.Remove(kai)
	batch := filepath.Join(dir, "batch")
	_ = os.Mkdir(batch, 0o700)
	code, out, errs = runCLI(t, "office", "notice", "--db", db, "--period", "2026-05", "--dir", batch, "--unsigned")
	if code != 0 || strings.Count(errs, "警告：正文（仿宋）：所选字体无法使用（字体文件 "+kai+" 不存在。）") != 1 {
		t.Fatalf("batch of notices in Chinese after the font went: %d %s %s", code, out, errs)
	}
}
