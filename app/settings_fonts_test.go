package app

import (
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/office"
	"mingcha/report"
)

// Settings › 公文字体: every role says what it uses (the bundled faces on
// this machine); choosing a font file (the bundled 楷体) for 正文 through our own picker
// stores it and the office's next 通报 embeds it; a text file and a font
// without the hanzi are refused in Chinese and the choice stays; 自动 goes
// back to the bundled face.
func TestSettingsGongwenFonts(t *testing.T) {
	const dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
	if _, err := os.Stat(dejavu); err != nil {
		t.Fatalf("%s (fonts-dejavu-core): %v", dejavu, err)
	}
	// The bundled 楷体 as a font file of the office's (small: a real 宋体
	// .ttc is 20 MB, minutes under -race).
	kai := filepath.Join(t.TempDir(), "楷体.ttf")
	if err := os.WriteFile(kai, assets.FontGongwenKai(), 0o600); err != nil {
		t.Fatal(err)
	}
	u, w, s := newTestUI(t)
	u.ShowSettings()
	settle(u)
	c := u.settings.fonts
	for role, want := range map[string]string{report.FontTitle: "内置字体 AR PL UMing CN", report.FontBody: "内置字体 AR PL UMing CN",
		report.FontHeading1: "内置字体 文泉驿微米黑", report.FontHeading2: "内置字体 AR PL UKai CN"} {
		if got := c.used[role].Text; got != want {
			t.Errorf("%s: %q, want %q", role, got, want)
		}
		if !c.auto[role].Disabled() {
			t.Errorf("%s: 自动 offered while automatic", role)
		}
	}
	test.Tap(c.choose[report.FontBody])
	if w.Canvas().Overlays().Top() == nil || c.picking != report.FontBody {
		t.Fatal("选择字体文件… showed no picker")
	}
	clearOverlays(w.Canvas())
	choose := func(path string) {
		t.Helper()
		p := c.pick(report.FontBody)
		p.path.SetText(path)
		p.path.OnSubmitted(p.path.Text)
		test.Tap(p.open)
		clearOverlays(w.Canvas())
		settle(u)
	}
	choose(kai)
	if keep := os.Getenv("MINGCHA_KEEP_SETTINGS"); keep != "" {
		w.Resize(fyne.NewSize(1024, 768))
		u.settings.content.(*container.Scroll).ScrollToBottom()
		if f, err := os.Create(keep); err == nil {
			_ = png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}
	if got, want := c.used[report.FontBody].Text, "已选择："+kai+"（AR PL UKai CN）"; got != want {
		t.Fatalf("after choosing: %q, want %q (status %q)", got, want, c.status.Text)
	}
	var stored map[string]string
	if _, err := s.Setting(office.SettingGongwenFonts, &stored); err != nil || stored[report.FontBody] != kai {
		t.Fatalf("stored %v %v", stored, err)
	}
	// Refused: a text file named .ttf, and a font without Chinese.
	fake := filepath.Join(t.TempDir(), "假字体.ttf")
	if err := os.WriteFile(fake, []byte("这不是字体"), 0o600); err != nil {
		t.Fatal(err)
	}
	choose(fake)
	if st := c.status.Text; !strings.Contains(st, "不是可用的字体文件") || !strings.Contains(st, "原来的字体选择不变") {
		t.Errorf("a text file: %q", st)
	}
	choose(dejavu)
	if st := c.status.Text; !strings.Contains(st, "缺少公文所需的") || !strings.Contains(st, "GB 2312") {
		t.Errorf("DejaVu Sans: %q", st)
	}
	if got := c.used[report.FontBody].Text; !strings.HasPrefix(got, "已选择："+kai) {
		t.Errorf("a refusal changed the choice: %q", got)
	}
	// The office's documents use it: the window's office writes a 通报.
	if _, err := exec.LookPath("pdffonts"); err != nil {
		t.Fatal("pdffonts (poppler-utils) is needed")
	}
	out := filepath.Join(t.TempDir(), "通报.pdf")
	if _, err := u.office.Bulletin(office.BulletinRequest{Unsigned: true, Filter: inspect.Filter{}}, out); err != nil {
		t.Fatal(err)
	}
	fonts, err := exec.Command("pdffonts", out).Output()
	if err != nil || !strings.Contains(string(fonts), "utf8fangsong-ukaicn") {
		t.Errorf("the 通报's fonts: %v\n%s", err, fonts)
	}
	// 发文机关: saved as office config --name saves it.
	c.officeName.SetText("区机关效能建设办公室")
	test.Tap(c.saveName)
	if name, err := u.office.OfficeName(); err != nil || name != "区机关效能建设办公室" || !strings.Contains(c.status.Text, "区机关效能建设办公室") {
		t.Errorf("office name %q %v, status %q", name, err, c.status.Text)
	}
	test.Tap(c.auto[report.FontBody])
	settle(u)
	if got := c.used[report.FontBody].Text; got != "内置字体 AR PL UMing CN" || !c.auto[report.FontBody].Disabled() {
		t.Errorf("after 自动: %q", got)
	}
}
