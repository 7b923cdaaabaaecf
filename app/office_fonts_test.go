package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/assets"
	"mingcha/report"
)

// TestOfficeFontGoneWarnsInWindow: the 公文 font chosen for 正文 has gone
// when the 催办 PDF, a 整改通知书 and the 通报 are written from the window:
// each is still written, in the automatic face, and the outcome beside it
// says which role could not use its font and what the document has instead,
// in Chinese and in English.
func TestOfficeFontGoneWarnsInWindow(t *testing.T) {
	u, _, o := twoRounds(t)
	a := o.actions
	kai := filepath.Join(t.TempDir(), "楷体.ttf")
	if err := os.WriteFile(kai, assets.FontGongwenKai(), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := o.off.SetGongwenFont("test", report.FontBody, kai); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	a.writeChase(filepath.Join(dir, "first.pdf"))
	settle(u)
	if !strings.Contains(a.status, "催办") || strings.Contains(a.status, "所选字体无法使用") {
		t.Fatalf("催办 with the chosen font there: %q", a.status)
	}
	if err := os.Remove(kai); err != nil {
		t.Fatal(err)
	}
	const zh = "正文（仿宋）：所选字体无法使用（字体文件 %s 不存在。），本文件改用内置字体 AR PL UMing CN。"
	want := strings.Replace(zh, "%s", kai, 1)

	chase := filepath.Join(dir, "催办.pdf")
	a.writeChase(chase)
	settle(u)
	if data, err := os.ReadFile(chase); err != nil || !strings.HasPrefix(string(data), "%PDF") {
		t.Fatalf("催办 PDF not written: %v", err)
	}
	if lines := strings.Split(o.problemStatus.Text, "\n"); len(lines) != 2 || !strings.Contains(lines[0], "3家单位逾期问题6处") || lines[1] != want {
		t.Fatalf("催办 outcome %q", o.problemStatus.Text)
	}

	o.tabs.SelectIndex(tabProblems)
	o.problemList.Select(0)
	test.Tap(a.notice)
	a.noticeUnsigned.SetChecked(true)
	req, err := a.noticeRequest()
	if err != nil {
		t.Fatal(err)
	}
	a.form.Hide()
	req.Unit = o.problems[0].UnitID
	notice := filepath.Join(dir, "通知书.pdf")
	a.writeNotice(req, notice)
	settle(u)
	if _, err := os.Stat(notice); err != nil || !strings.Contains(a.status, "整改通知书1份") || !strings.HasSuffix(a.status, "\n"+want) {
		t.Fatalf("整改通知书: %v, outcome %q", err, a.status)
	}

	englishMessages(t, u)
	b := o.bulletin
	b.unsigned.SetChecked(true)
	breq, err := b.request()
	if err != nil {
		t.Fatal(err)
	}
	bulletin := filepath.Join(dir, "通报.pdf")
	b.run(breq, bulletin)
	settle(u)
	en := "Body text (FangSong): the chosen font cannot be used (The font file " + kai + " does not exist.); this document uses bundled font AR PL UMing CN instead."
	if _, err := os.Stat(bulletin); err != nil || !strings.HasPrefix(b.status.Text, "Saved to "+bulletin) || !strings.HasSuffix(b.status.Text, "\n"+en) {
		t.Fatalf("通报: %v, outcome %q", err, b.status.Text)
	}
	if b.status.Importance != widget.WarningImportance {
		t.Errorf("the 通报's outcome with a font fallback is of importance %v, not a warning", b.status.Importance)
	}
}
