package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"mingcha/inspect"
)

// PhotoSource hands out a photo's original bytes by SHA-256; store.Store
// satisfies it.
type PhotoSource interface {
	PhotoBytes(hash string) ([]byte, error)
}

// ReportPhotoSource is optionally implemented by a PhotoSource that keeps a
// report-size derivative (long side about 1600 px, upright JPEG) beside each
// original; Render prefers it so that export only copies bytes.
type ReportPhotoSource interface {
	ReportPhotoBytes(hash string) ([]byte, error)
}

// RenderOptions tune a report.
type RenderOptions struct {
	// GeneratedAt is the report's date; zero means the inspection's
	// SignedAt, else CompletedAt, else ObservedAt, so that the same
	// inspection always renders to the same bytes.
	GeneratedAt time.Time
	// Audit is the inspection's audit tail, embedded as is.
	Audit json.RawMessage
	// NoPhotos leaves the photo appendix out (the hashes stay in the data).
	NoPhotos bool
	// DigitalSigners are the inspectors whose keys sign the report at
	// export. When set, every other inspector is printed under their
	// signature box and recorded in the data as 未数字签名 (they may co-sign
	// later on their own laptop); nil prints nothing of the kind.
	DigitalSigners []string

	// payload, when set, replaces the embedded JSON: tests use it to build
	// a report whose data contradicts its pages.
	payload []byte
}

const (
	fontFamily = "wqy"
	pageW      = 210.0
	pageH      = 297.0
	margin     = 15.0
	contentW   = pageW - 2*margin
	footerH    = 12.0
	bodyBottom = pageH - margin - footerH
)

// notDigitallySigned is who of in's inspectors is not among signers (nil
// when signers is nil: nobody said who signs).
func notDigitallySigned(in *inspect.Inspection, signers []string) []string {
	if signers == nil {
		return nil
	}
	var out []string
	for _, name := range in.Inspectors {
		if !slices.Contains(signers, name) {
			out = append(out, name)
		}
	}
	return out
}

// Render draws the report of an inspection as an A4 PDF with the inspection's
// data embedded as inspection.json. The result is unsigned; see Sign.
//
// A panic inside the PDF writer (a library fault on some input) comes back
// as an error: no inspection may take the program down at export.
func Render(in *inspect.Inspection, photos PhotoSource, opts RenderOptions) (pdf []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			pdf, err = nil, fmt.Errorf("render: %v", p)
		}
	}()
	if in == nil {
		return nil, fmt.Errorf("render: no inspection")
	}
	at := opts.GeneratedAt
	for _, t := range []time.Time{in.SignedAt, in.CompletedAt, in.ObservedAt} {
		if at.IsZero() {
			at = t
		}
	}
	score := in.Score()
	payloadJSON := opts.payload
	if payloadJSON == nil {
		var err error
		// Compact: jq pretty-prints it, and indentation costs ~1.5 KB
		// of every report even compressed.
		payloadJSON, err = json.Marshal(&Payload{
			Format: PayloadFormat, GeneratedAt: at, Inspection: in, Score: score, Audit: opts.Audit,
			NotDigitallySigned: notDigitallySigned(in, opts.DigitalSigners),
		})
		if err != nil {
			return nil, fmt.Errorf("render: encode data: %w", err)
		}
	}
	r := &renderer{in: in, score: score, photos: photos, opts: opts, at: at, fp: Fingerprint(payloadJSON)}
	return r.render(payloadJSON)
}

type renderer struct {
	pdf    *gofpdf.Fpdf
	in     *inspect.Inspection
	score  inspect.Score
	photos PhotoSource
	opts   RenderOptions
	at     time.Time
	fp     string
	imgSeq int
	// photos in appendix order and their numbers, for cross-references
	photoList []photoRef
	photoNum  map[string]int
}

func (r *renderer) render(payloadJSON []byte) ([]byte, error) {
	in := r.in
	p := gofpdf.NewCustom(&gofpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	r.pdf = p
	p.SetCatalogSort(true)
	p.SetCreationDate(r.at)
	p.SetModificationDate(r.at)
	p.SetCompression(true)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin+footerH)
	p.AddUTF8FontFromBytes(fontFamily, "", reportFont(inspectionText(in)))
	p.SetTitle(title(in)+" "+in.Unit.Name, true)
	p.SetSubject(fmt.Sprintf("%s %s %s", in.Unit.Name, fmtDate(in.ObservedAt), in.ID), true)
	p.SetAuthor(strings.Join(in.Inspectors, "、"), true)
	p.SetCreator("Mingcha", false)
	p.SetProducer("Mingcha", false)
	c := claims{ID: in.ID, Unit: in.Unit.Name, Score: fmtScore(r.score.Value), Fingerprint: r.fp}
	p.SetKeywords(c.keywords(), false)
	p.AliasNbPages("{nb}")
	p.SetFooterFunc(r.footer)
	p.SetAttachments([]gofpdf.Attachment{{
		Content: payloadJSON, Filename: AttachmentName, Description: "检查数据 (inspection data, JSON)",
	}})

	r.photoList = r.listPhotos()
	r.photoNum = map[string]int{}
	for i, ref := range r.photoList {
		r.photoNum[ref.hash] = i + 1
	}

	p.AddPage()
	r.header()
	r.summary()
	r.items()
	r.attendance()
	r.problems()
	r.signatures()
	r.receipt()
	if !r.opts.NoPhotos {
		r.photoAppendix()
	}
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	return recompress(buf.Bytes()), nil
}

func (r *renderer) footer() {
	p := r.pdf
	p.SetY(-(margin + 6))
	p.SetDrawColor(160, 160, 160)
	p.Line(margin, p.GetY()-1, pageW-margin, p.GetY()-1)
	r.font(8)
	p.SetTextColor(90, 90, 90)
	p.CellFormat(contentW/3, 5, fmt.Sprintf("报告编号 %s", r.in.ID), "", 0, "L", false, 0, "")
	p.CellFormat(contentW/3, 5, fmt.Sprintf("第 %d / {nb} 页", p.PageNo()), "", 0, "C", false, 0, "")
	p.CellFormat(contentW/3, 5, fmt.Sprintf("数据指纹 %s", r.fp), "", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.SetDrawColor(0, 0, 0)
}

// heading starts a part of the report; next is the room what follows
