package docx

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"mingcha/docx/docxtest"
)

func sample() *Document {
	d := &Document{Title: "关于2026年11月机关服务效能明查暗访情况的通报", Author: "区效能办",
		Created: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), PageNumbers: true, Watermark: "校样"}
	d.Para(Issuer, "区机关效能建设办公室")
	d.Para(DocNumber, "效能通〔2026〕12号")
	d.Para(Title, "关于2026年11月机关服务效能\n明查暗访情况的通报")
	d.Para(Plain, "各镇人民政府、街道办事处，区直各单位：")
	d.Para(Body, "为进一步加强机关作风建设，现将有关情况通报如下：")
	d.Para(Heading1, "一、总体情况")
	d.Para(Body, "检查中发现一票否决问题1处：区民政局（11月5日，上班时间赌博）。")
	d.Para(Heading2, "（一）8家单位存在胸牌问题")
	d.Para(Signature, "区机关效能建设办公室\n2026年12月1日")
	d.Add(PageBreak{})
	d.Para(Plain, "附件")
	d.Add(Table{Widths: []float64{14, 60, 40, 20, 22}, Rows: [][]string{
		{"名次", "被检查单位", "所属部门", "得分", "等级"},
		{"1", "区市场监管局 窗口1", "区市场监管局", "96", "优秀"},
		{"8", "区民政局 & 社会事务科", "区民政局", "62（回访90.82）", "不合格"},
	}})
	d.Para(Record, "抄送：区纪委监委。")
	return d
}

func TestWriteIsDeterministic(t *testing.T) {
	a, err := sample().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := sample().Bytes()
	if !bytes.Equal(a, b) {
		t.Fatal("the same document written twice differs")
	}
}

// The document reopens in an independent parser (python-docx) with the
// same paragraphs, styles, table and fonts.
func TestReopensWithPythonDocx(t *testing.T) {
	data, err := sample().Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "通报.docx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got := docxtest.Reopen(t, path)
	wantParas := [][2]string{
		{"发文机关标志", "区机关效能建设办公室"},
		{"发文字号", "效能通〔2026〕12号"},
		{"公文标题", "关于2026年11月机关服务效能\n明查暗访情况的通报"},
		{"公文无缩进", "各镇人民政府、街道办事处，区直各单位："},
		{"公文正文", "为进一步加强机关作风建设，现将有关情况通报如下："},
		{"Heading 1", "一、总体情况"},
		{"公文正文", "检查中发现一票否决问题1处：区民政局（11月5日，上班时间赌博）。"},
		{"Heading 2", "（二）8家单位存在胸牌问题"},
	}
	wantParas[7][1] = "（一）8家单位存在胸牌问题"
	if len(got.Paragraphs) < len(wantParas) || !reflect.DeepEqual(got.Paragraphs[:len(wantParas)], wantParas) {
		t.Errorf("paragraphs\n%q\nwant prefix\n%q", got.Paragraphs, wantParas)
	}
	if len(got.Tables) != 1 || got.Tables[0][2][1] != "区民政局 & 社会事务科" || got.Tables[0][2][3] != "62（回访90.82）" {
		t.Errorf("tables %q", got.Tables)
	}
	fonts := map[string]string{"Normal": "仿宋", "Heading 1": "黑体", "Heading 2": "楷体", "公文标题": "方正小标宋简体"}
	for style, face := range fonts {
		if got.Fonts[style] != face {
			t.Errorf("style %s: font %q, want %q (all %v)", style, got.Fonts[style], face, got.Fonts)
		}
	}
	if got.Sizes["Normal"] != 16 || got.Sizes["公文标题"] != 22 {
		t.Errorf("sizes %v, want 三号 16 pt body and 二号 22 pt title", got.Sizes)
	}
	if got.Red != "FF0000" {
		t.Errorf("发文机关标志 colour %q", got.Red)
	}
	if !got.EvenOdd || got.Footer != "— 1 —" || got.EvenFooter != "— 1 —" || got.Header != "校样" {
		t.Errorf("page furniture: even/odd %v, footer %q / %q, header %q", got.EvenOdd, got.Footer, got.EvenFooter, got.Header)
	}
	if got.Title != sample().Title || got.Author != "区效能办" {
		t.Errorf("core properties %q %q", got.Title, got.Author)
	}
}
