package office

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mingcha/inspect"
	"mingcha/report"
)

// BulletinRequest is what a 通报 is written from.
type BulletinRequest struct {
	Filter     inspect.Filter
	Office     string        // 发文单位; "": the key's organisation or name
	Number     string        // 文号, e.g. 效能通〔2026〕5号
	Title      string        // "": 关于<period>机关服务效能明查暗访情况的通报
	Intro      string        // opening paragraph(s); "": a standard one
	Closing    string        // closing paragraph(s); "": a standard one
	Date       time.Time     // 成文日期; zero: today
	Deadline   time.Time     // units report their 整改 back by then; zero: 15 working days after Date
	KeyPath    string        // the office key (.p12); "": Keys.Path, then identity.p12 beside the database
	Passphrase string        // "": Keys.Passphrase, then Ask
	Unsigned   bool          // a draft to proofread, without a digital signature: "校样" on every page
	Recipients string        // 主送机关; "": 各有关单位
	CC         string        // 抄送
	Edited     []report.Para // the office's edited 正文; nil: the generated one
	DocxPath   string        // also write the .docx here ("" = none)
	Force      bool          // replace existing output files (the window's save dialog asked)
	// Ask gives the passphrase of the key file it is called with when
	// neither Passphrase nor Keys.Passphrase is set; nil: nobody can be
	// asked (ErrNeedPassphrase).
	Ask func(path string) (string, error)
}

// BulletinResult is what was written.
type BulletinResult struct {
	Inspections, Units, Problems int
	Signer                       string // "" for an unsigned draft
	Size                         int    // bytes
	// FontFallbacks: the roles whose chosen font file could not be used;
	// the document has their automatic face (FontFallbacks says so).
	FontFallbacks []FontChoice
}

// ErrNeedPassphrase: the office key needs a passphrase and nobody could be
// asked (the window asks and tries again).
var ErrNeedPassphrase = errors.New("the office key needs its passphrase")

// Bulletin renders the 通报 of req's period, signs it with the office key
// (unless req.Unsigned) and writes it to out (temp file, fsync, rename).
// The key is opened first, so that a wrong passphrase costs no rendering.
func (o *Office) Bulletin(req BulletinRequest, out string) (BulletinResult, error) {
	var res BulletinResult
	if err := o.CheckOutput(out, req.Force); err != nil {
		return res, err
	}
	b := report.Bulletin{
		Office: strings.TrimSpace(req.Office), Number: strings.TrimSpace(req.Number), Title: strings.TrimSpace(req.Title),
		Date: req.Date, Deadline: req.Deadline, Intro: req.Intro, Closing: req.Closing,
		Recipients: req.Recipients, CC: req.CC, Proof: req.Unsigned, Edited: req.Edited,
	}
	var err error
	if b.Fonts, res.FontFallbacks, err = o.pdfFonts(); err != nil {
		return res, err
	}
	if b.Date.IsZero() {
		b.Date = o.now()
	}
	var id *report.Identity
	if !req.Unsigned {
		if id, err = o.openKey(req.KeyPath, req.Passphrase, req.Ask); err != nil {
			return res, err
		}
	}
	b.Office = o.issuer(req.Office, id)
	if b.Overview, err = o.Store.Overview(req.Filter); err != nil {
		return res, err
	}
	if b.Trend, err = o.trend(req.Filter); err != nil {
		return res, err
	}
	pdf, err := report.RenderBulletin(&b)
	if err != nil {
		return res, err
	}
	if req.DocxPath != "" {
		names, err := o.docxFonts()
		if err != nil {
			return res, err
		}
		doc, err := report.BulletinDocx(&b, names)
		if err != nil {
			return res, err
		}
		if err := o.Store.RefuseOutput(req.DocxPath); err != nil {
			return res, err
		}
		if err := o.writeFile(req.DocxPath, doc, req.Force); err != nil {
			return res, err
		}
	}
	if id != nil {
		signer := firstNonBlank(b.Office, id.Cert.Subject.CommonName)
		if pdf, err = report.SignWithReason(pdf, id, signer, "通报签发 / bulletin", o.now()); err != nil {
			return res, err
		}
		res.Signer = id.Cert.Subject.CommonName
	}
	if err := o.writeFile(out, pdf, req.Force); err != nil {
		return res, err
	}
	t := b.Overview.Totals
	res.Inspections, res.Units, res.Problems, res.Size = t.Inspections, t.Units, t.Problems, len(pdf)
	return res, nil
}

// Draft is the generated 正文 of req's 通报 as an editable text (for
// "office bulletin --draft"), and its number of paragraphs; no key needed.
func (o *Office) Draft(req BulletinRequest) (string, int, error) {
	b := &report.Bulletin{Office: strings.TrimSpace(req.Office), Number: strings.TrimSpace(req.Number), Title: strings.TrimSpace(req.Title),
		Date: req.Date, Deadline: req.Deadline, Intro: req.Intro, Closing: req.Closing, Recipients: req.Recipients, CC: req.CC}
	var err error
	if b.Overview, err = o.Store.Overview(req.Filter); err != nil {
		return "", 0, err
	}
	g, err := report.BulletinDocument(b)
	if err != nil {
		return "", 0, err
	}
	return report.DraftText(g.Body), len(g.Body), nil
}

// Trend is the 12 months up to the end of the period of f (the 通报's and
// the 总览's trend picture); nil for an open-ended period.
func (o *Office) Trend(f inspect.Filter) ([]inspect.TrendPoint, error) { return o.trend(f) }

// UnitScores is a unit's score at each of its current reports, oldest first
// (单位档案's picture).
func (o *Office) UnitScores(unitID string) ([]inspect.ScorePoint, error) {
	all, err := o.Store.OfficeResults()
	if err != nil {
		return nil, err
	}
	return inspect.UnitScores(all, unitID), nil
}

// LastReported is when the latest imported report was observed; fallback
// when there is none (or it cannot be read): the 总览 opens on that month.
func (o *Office) LastReported(fallback time.Time) time.Time {
	reps, err := o.Store.OfficeReports(inspect.Filter{}, false)
	if err != nil || len(reps) == 0 {
		return fallback
	}
	last := reps[0].ObservedAt
	for _, r := range reps[1:] {
		if r.ObservedAt.After(last) {
			last = r.ObservedAt
		}
	}
	return last
}

// trend is the 12 months up to the end of the period, for the 通报's 附件.
func (o *Office) trend(f inspect.Filter) ([]inspect.TrendPoint, error) {
	if f.To.IsZero() {
		return nil, nil
	}
	all, err := o.Store.OfficeResults()
	if err != nil {
		return nil, err
	}
	return inspect.Trend(all, f.To.Add(-time.Nanosecond), 12), nil
}

// GongwenFontDirs are where the office's installed 公文 fonts are looked for.
func GongwenFontDirs() []string {
	var dirs []string
	if w := os.Getenv("WINDIR"); w != "" {
		dirs = append(dirs, filepath.Join(w, "Fonts"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".fonts"), filepath.Join(home, ".local", "share", "fonts"),
			filepath.Join(home, "AppData", "Local", "Microsoft", "Windows", "Fonts"))
	}
	return append(dirs, "/usr/share/fonts/truetype/windows", "/usr/share/fonts/winfonts", "/usr/share/fonts/wps-office")
}

func firstNonBlank(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
