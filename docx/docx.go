// Package docx writes WordprocessingML (.docx) documents in the form of a
// 公文 (GB/T 9704-2012), for the office's 拟稿 → 核稿 → 签发 path in WPS or
// Word: 仿宋 三号 body at 28 characters × 22 lines, 黑体 一级 and 楷体 二级
// headings, a 小标宋 title, the red 版头 with its separator under the 文号,
// tables (the ranking as 附件), 版记 and page numbers "— 1 —" outside on
// alternating sides. No served Go library writes .docx; this is the small
// part of the format the office's documents need, written by hand and
// checked by reopening with python-docx.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"strings"
	"time"
)

// Style names a paragraph style of the document (the styleId in
// styles.xml; WPS and Word show the name).
type Style string

const (
	Body      Style = "Body"      // 正文: 仿宋 三号, first line indented two characters
	Plain     Style = "Plain"     // 仿宋 三号, no indent (主送机关, 附件说明, 落款)
	Title     Style = "DocTitle"  // 标题: 小标宋 二号, centred
	Heading1  Style = "Heading1"  // 一级标题 "一、": 黑体 三号
	Heading2  Style = "Heading2"  // 二级标题 "（一）": 楷体 三号
	Issuer    Style = "Issuer"    // 发文机关标志: red 小标宋, centred
	DocNumber Style = "DocNumber" // 文号: 仿宋 三号, centred, the red separator under it
	Signature Style = "Signature" // 落款 and 成文日期: right, four characters in
	Record    Style = "Record"    // 版记 lines: 仿宋 四号, rules above and below
	Cell      Style = "Cell"      // table cells: 仿宋 四号
	Proof     Style = "Proof"     // the "校样" mark of an unsigned proof
)

// Align is a paragraph's alignment.
type Align string

const (
	AlignDefault Align = ""
	AlignLeft    Align = "left"
	AlignCenter  Align = "center"
	AlignRight   Align = "right"
	AlignBoth    Align = "both"
)

// Block is one part of the body: a paragraph, a table or a page break.
type Block interface{ write(w *bytes.Buffer) }

// Paragraph is one paragraph of one style.
type Paragraph struct {
	Style Style
	Text  string // line breaks inside a paragraph are written as <w:br/>
	Align Align  // overrides the style's alignment
	// KeepNext keeps the paragraph on the page of the next one (with the
	// Normal style's widow control, its last two lines at least): the end
	// of the 正文 with the 落款.
	KeepNext bool
}

// Table is a grid of text; the first row is the header, repeated on every
// page.
type Table struct {
	Widths []float64 // column widths in millimetres
	Rows   [][]string
}

// PageBreak starts a new page (an 附件 starts on its own page).
type PageBreak struct{}

// Picture is a PNG picture in a paragraph of its own, centred, Width
// millimetres wide (its height keeps the aspect ratio). It is stored once
// as word/media/imageN.png.
type Picture struct {
	PNG   []byte
	Width float64 // mm; 0: the 156 mm 版心

	n int // its number in the document, set by Write
}

const emuPerMM = 36000

func (pic Picture) write(w *bytes.Buffer) {
	cfg, err := png.DecodeConfig(bytes.NewReader(pic.PNG))
	if err != nil || cfg.Width == 0 {
		return // not a PNG: nothing to show (Write refused it already)
	}
	width := pic.Width
	if width <= 0 {
		width = 156
	}
	cx := int(width * emuPerMM)
	cy := int(float64(cx) * float64(cfg.Height) / float64(cfg.Width))
	fmt.Fprintf(w, `<w:p><w:pPr><w:pStyle w:val="Plain"/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing>`+
		`<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%[1]d" cy="%[2]d"/><wp:docPr id="%[3]d" name="Picture %[3]d"/>`+
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
		`<pic:nvPicPr><pic:cNvPr id="%[3]d" name="image%[3]d.png"/><pic:cNvPicPr/></pic:nvPicPr>`+
		`<pic:blipFill><a:blip r:embed="rIdImage%[3]d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%[1]d" cy="%[2]d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`, cx, cy, pic.n)
}

// Fonts are the faces the styles name. WPS and Word substitute a face
// that is not installed; the office sets its own in Settings.
type Fonts struct {
	FangSong string // 仿宋: body
	KaiTi    string // 楷体: 二级标题
	HeiTi    string // 黑体: 一级标题
	Title    string // 小标宋: title and 发文机关标志
	SongTi   string // 宋体: page numbers
}

// DefaultFonts are the faces of a Windows office (simfang.ttf, simkai.ttf,
// simhei.ttf, simsun.ttc) and 方正小标宋简体.
var DefaultFonts = Fonts{FangSong: "仿宋", KaiTi: "楷体", HeiTi: "黑体", Title: "方正小标宋简体", SongTi: "宋体"}

// Document is a whole .docx.
type Document struct {
	Title   string // core properties
	Author  string
	Created time.Time
	Fonts   Fonts
	Blocks  []Block
	// PageNumbers puts "— N —" in the footer, right on odd pages and left
	// on even ones (GB/T 9704 7.5).
	PageNumbers bool
	// Watermark, when set, is written in the header of every page (a
	// proof's "校样").
	Watermark string
}

// Add appends blocks.
func (d *Document) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

// Para appends a paragraph.
func (d *Document) Para(style Style, text string) { d.Add(Paragraph{Style: style, Text: text}) }

// Write writes the .docx. The output is deterministic: the same document
// gives the same bytes.
func (d *Document) Write(out io.Writer) error {
	fonts := d.Fonts
	if fonts == (Fonts{}) {
		fonts = DefaultFonts
	}
	var body bytes.Buffer
	var media [][]byte
	for _, b := range d.Blocks {
		if pic, ok := b.(Picture); ok {
			if _, err := png.DecodeConfig(bytes.NewReader(pic.PNG)); err != nil {
				return fmt.Errorf("docx: picture %d is not a PNG: %w", len(media)+1, err)
			}
			media = append(media, pic.PNG)
			pic.n = len(media)
			b = pic
		}
		b.write(&body)
	}
	rels := documentRels
	types := contentTypes
	if len(media) > 0 {
		var r strings.Builder
		for i := range media {
			fmt.Fprintf(&r, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image%d.png"/>`, i+1, i+1)
		}
		rels = strings.Replace(rels, "</Relationships>", r.String()+"</Relationships>", 1)
		types = strings.Replace(types, `<Default Extension="xml"`, `<Default Extension="png" ContentType="image/png"/><Default Extension="xml"`, 1)
	}
	files := []struct {
		name string
		data string
	}{
		{"[Content_Types].xml", types},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", d.core()},
		{"docProps/app.xml", appXML},
		{"word/_rels/document.xml.rels", rels},
		{"word/document.xml", d.document(body.String())},
		{"word/styles.xml", styles(fonts)},
		{"word/settings.xml", settingsXML},
		{"word/footer1.xml", footer("right", fonts, d.PageNumbers)},
		{"word/footer2.xml", footer("left", fonts, d.PageNumbers)},
		{"word/header1.xml", header(d.Watermark, fonts)},
		{"word/header2.xml", header(d.Watermark, fonts)},
	}
	for i, m := range media {
		files = append(files, struct {
			name string
			data string
		}{fmt.Sprintf("word/media/image%d.png", i+1), string(m)})
	}
	zw := zip.NewWriter(out)
	stamp := d.Created
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("docx: %w", err)
		}
		if _, err := io.WriteString(w, f.data); err != nil {
			return fmt.Errorf("docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	return nil
}

// Bytes returns the .docx.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (p Paragraph) write(w *bytes.Buffer) {
	w.WriteString("<w:p><w:pPr>")
	style := p.Style
	if style == "" {
		style = Body
	}
	fmt.Fprintf(w, `<w:pStyle w:val="%s"/>`, style)
	if p.KeepNext {
		w.WriteString("<w:keepNext/>")
	}
	if p.Align != "" {
		fmt.Fprintf(w, `<w:jc w:val="%s"/>`, p.Align)
	}
	w.WriteString("</w:pPr>")
	for i, line := range strings.Split(p.Text, "\n") {
		w.WriteString("<w:r>")
		if i > 0 {
			w.WriteString("<w:br/>")
		}
		fmt.Fprintf(w, `<w:t xml:space="preserve">%s</w:t></w:r>`, esc(line))
	}
	w.WriteString("</w:p>")
}

// mm to twentieths of a point.
func twips(mm float64) int { return int(mm/25.4*1440 + 0.5) }

func (t Table) write(w *bytes.Buffer) {
	w.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/>`)
	w.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(w, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	w.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, c := range t.Widths {
		fmt.Fprintf(w, `<w:gridCol w:w="%d"/>`, twips(c))
	}
	w.WriteString("</w:tblGrid>")
	for ri, row := range t.Rows {
		w.WriteString("<w:tr>")
		if ri == 0 {
			w.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
		} else {
			w.WriteString(`<w:trPr><w:cantSplit/></w:trPr>`)
		}
		for ci := range t.Widths {
			text := ""
			if ci < len(row) {
				text = row[ci]
			}
			fmt.Fprintf(w, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`, twips(t.Widths[ci]))
			align := AlignCenter
			if ri > 0 && ci == 1 {
				align = AlignLeft
			}
			Paragraph{Style: Cell, Text: text, Align: align}.write(w)
			w.WriteString("</w:tc>")
		}
		w.WriteString("</w:tr>")
	}
	w.WriteString("</w:tbl>")
}

func (PageBreak) write(w *bytes.Buffer) {
	w.WriteString(`<w:p><w:pPr><w:pStyle w:val="Plain"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
}

// The 版心 of GB/T 9704: A4, 156 × 225 mm, top margin 37 mm, left 28 mm.
const (
	marginTop    = 37.0
	marginBottom = 35.0
	marginLeft   = 28.0
	marginRight  = 26.0
	// 22 lines in 225 mm; 28 characters of 三号 (16 pt) in 156 mm.
	linePitch = 225.0 / 22
)

func (d *Document) document(body string) string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
		`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	b.WriteString(body)
	fmt.Fprintf(&b, `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="even" r:id="rIdHeader2"/><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/>`+
		`<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:docGrid w:type="linesAndChars" w:linePitch="%d" w:charSpace="0"/></w:sectPr>`,
		twips(marginTop), twips(marginRight), twips(marginBottom), twips(marginLeft), twips(marginBottom-7-5), twips(linePitch))
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

func (d *Document) core() string {
	created := d.Created
	if created.IsZero() {
		created = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	stamp := created.UTC().Format("2006-01-02T15:04:05Z")
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>` + esc(d.Author) + `</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified></cp:coreProperties>`
}

func footer(align string, f Fonts, numbers bool) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	if numbers {
		// 4号 半角 宋体 Arabic numerals with an em dash either side, one
		// character in from the edge.
		run := func(inner string) string {
			return fmt.Sprintf(`<w:r><w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s"/><w:sz w:val="28"/></w:rPr>%[2]s</w:r>`, esc(f.SongTi), inner)
		}
		ind := `w:right="280"`
		if align == "left" {
			ind = `w:left="280"`
		}
		fmt.Fprintf(&b, `<w:p><w:pPr><w:jc w:val="%s"/><w:ind %s/></w:pPr>`, align, ind)
		b.WriteString(run(`<w:t xml:space="preserve">— </w:t>`))
		b.WriteString(run(`<w:fldChar w:fldCharType="begin"/>`))
		b.WriteString(run(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`))
		b.WriteString(run(`<w:fldChar w:fldCharType="separate"/>`))
		b.WriteString(run(`<w:t>1</w:t>`))
		b.WriteString(run(`<w:fldChar w:fldCharType="end"/>`))
		b.WriteString(run(`<w:t xml:space="preserve"> —</w:t>`))
		b.WriteString(`</w:p>`)
	} else {
		b.WriteString(`<w:p/>`)
	}
	b.WriteString(`</w:ftr>`)
	return b.String()
}

func header(mark string, _ Fonts) string {
	var b strings.Builder
	b.WriteString(xml.Header + `<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	if mark != "" {
		fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="Proof"/></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, esc(mark))
	} else {
		b.WriteString(`<w:p/>`)
	}
	b.WriteString(`</w:hdr>`)
	return b.String()
}

func styles(f Fonts) string {
	rf := func(face string) string {
		return fmt.Sprintf(`<w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/>`, esc(face))
	}
	// Exact line spacing of one grid line (22 lines a page).
	line := fmt.Sprintf(`<w:spacing w:before="0" w:after="0" w:line="%d" w:lineRule="exact"/>`, twips(linePitch))
	para := func(id, name, ppr, rpr string) string {
		return fmt.Sprintf(`<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>%s</w:pPr><w:rPr>%s</w:rPr></w:style>`, id, name, ppr, rpr)
	}
	var b strings.Builder
	b.WriteString(xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	fmt.Fprintf(&b, `<w:docDefaults><w:rPrDefault><w:rPr>%s<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>`+
		`<w:pPrDefault><w:pPr>%s<w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>`, rf(f.FangSong), line)
	fmt.Fprintf(&b, `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl/><w:kinsoku/><w:overflowPunct/></w:pPr><w:rPr>%s<w:sz w:val="32"/></w:rPr></w:style>`, rf(f.FangSong))
	b.WriteString(para(string(Body), "公文正文", `<w:ind w:firstLineChars="200" w:firstLine="640"/>`, ""))
	b.WriteString(para(string(Plain), "公文无缩进", "", ""))
	b.WriteString(para(string(Title), "公文标题", `<w:jc w:val="center"/><w:spacing w:before="0" w:after="0" w:line="`+fmt.Sprint(twips(linePitch)*3/2)+`" w:lineRule="exact"/>`, rf(f.Title)+`<w:sz w:val="44"/><w:szCs w:val="44"/>`))
	b.WriteString(fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr>%s<w:sz w:val="32"/></w:rPr></w:style>`, rf(f.HeiTi)))
	b.WriteString(fmt.Sprintf(`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr>%s<w:sz w:val="32"/></w:rPr></w:style>`, rf(f.KaiTi)))
	b.WriteString(para(string(Issuer), "发文机关标志", `<w:jc w:val="center"/><w:spacing w:before="0" w:after="0" w:line="1400" w:lineRule="exact"/>`, rf(f.Title)+`<w:color w:val="FF0000"/><w:sz w:val="72"/><w:szCs w:val="72"/>`))
	b.WriteString(para(string(DocNumber), "发文字号", `<w:jc w:val="center"/><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="16" w:color="FF0000"/></w:pBdr><w:spacing w:before="`+fmt.Sprint(twips(linePitch)*2)+`" w:after="`+fmt.Sprint(twips(linePitch)*2)+`" w:line="`+fmt.Sprint(twips(linePitch))+`" w:lineRule="exact"/>`, ""))
	b.WriteString(para(string(Signature), "落款", `<w:keepLines/><w:jc w:val="right"/><w:ind w:right="1280"/>`, ""))
	b.WriteString(para(string(Record), "版记", `<w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr><w:ind w:left="280" w:right="280"/>`, `<w:sz w:val="28"/><w:szCs w:val="28"/>`))
	b.WriteString(para(string(Cell), "表格", `<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="atLeast"/><w:jc w:val="center"/>`, `<w:sz w:val="28"/><w:szCs w:val="28"/>`))
	b.WriteString(para(string(Proof), "校样", `<w:jc w:val="right"/>`, rf(f.HeiTi)+`<w:color w:val="C00000"/><w:sz w:val="36"/>`))
	b.WriteString(`<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblCellMar><w:left w:w="60" w:type="dxa"/><w:right w:w="60" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooter1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooter2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/><Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>`

// evenAndOddHeaders: the page number sits right on odd pages, left on even.
const settingsXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:balanceSingleByteDoubleByteWidth/></w:compat></w:settings>`

const appXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Mingcha</Application></Properties>`
