package report

import (
	"fmt"
	"strings"

	"mingcha/docx"
)

// GongwenDocx writes the 公文 as a .docx with the same text and 公文 styles
// (package docx), for the office's WPS/Word 拟稿 → 核稿 → 签发 path. The
// 附件's table is written; its pictures are not (the PDF has them).
func GongwenDocx(g *Gongwen, fonts docx.Fonts) ([]byte, error) {
	d := &docx.Document{Title: g.Title, Author: g.Signer, Created: g.Date, Fonts: fonts, PageNumbers: true}
	if g.Proof {
		d.Watermark = "校样"
	}
	if g.Issuer != "" {
		d.Para(docx.Issuer, g.Issuer)
	}
	d.Para(docx.DocNumber, g.Number)
	d.Para(docx.Title, strings.Join((&gwWriter{}).breakTitle(g.Title), "\n"))
	d.Para(docx.Plain, "")
	if r := strings.TrimSpace(g.Recipients); r != "" {
		d.Para(docx.Plain, r+"：")
	}
	for i, p := range g.Body {
		style := docx.Body
		switch p.Level {
		case LevelHeading1:
			style = docx.Heading1
		case LevelHeading2:
			style = docx.Heading2
		case LevelPlain:
			style = docx.Plain
		}
		// The last paragraph of the 正文 stays on the 落款's page (its
		// last two lines at least, by the Normal style's widow control),
		// as in the PDF: Word and WPS never leave the 落款 alone.
		d.Add(docx.Paragraph{Style: style, Text: p.Text, KeepNext: i == len(g.Body)-1})
	}
	// From there to the 落款 every paragraph keeps with the next.
	kept := func(style docx.Style, text string) { d.Add(docx.Paragraph{Style: style, Text: text, KeepNext: true}) }
	if len(g.Annexes) > 0 {
		kept(docx.Plain, "")
		if len(g.Annexes) == 1 {
			kept(docx.Body, "附件："+g.Annexes[0].Title)
		} else {
			for i, a := range g.Annexes {
				prefix := "　　　"
				if i == 0 {
					prefix = "附件："
				}
				kept(docx.Body, fmt.Sprintf("%s%d. %s", prefix, i+1, a.Title))
			}
		}
	}
	kept(docx.Plain, "")
	d.Para(docx.Signature, g.Signer+"\n"+cnDate(g.Date))
	for i, a := range g.Annexes {
		d.Add(docx.PageBreak{})
		label := "附件"
		if len(g.Annexes) > 1 {
			label = fmt.Sprintf("附件%d", i+1)
		}
		d.Add(docx.Paragraph{Style: docx.Heading1, Text: label, Align: docx.AlignLeft})
		d.Para(docx.Title, a.Title)
		if a.Note != "" {
			d.Para(docx.Body, a.Note)
		}
		if len(a.Rows) > 0 {
			d.Add(docx.Table{Widths: a.Widths, Rows: a.Rows})
		}
		for _, img := range a.Images {
			d.Add(docx.Picture{PNG: img, Width: 150})
		}
	}
	d.Para(docx.Plain, "")
	if g.CC != "" {
		d.Para(docx.Record, "抄送："+g.CC+"。")
	}
	d.Para(docx.Record, g.Printer+"　　"+cnDate(g.PrintDate)+"印发")
	return d.Bytes()
}

// BulletinDocx writes the 通报 as a .docx (GongwenDocx).
func BulletinDocx(b *Bulletin, fonts docx.Fonts) ([]byte, error) {
	g, err := BulletinDocument(b)
	if err != nil {
		return nil, err
	}
	return GongwenDocx(g, fonts)
}
