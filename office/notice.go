package office

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// The paperwork of 整改: the 整改通知书 of one unit or of every unit with
// open problems found in a period, 延期, the 催办 list (.xlsx and a
// printable PDF) and the unit's 整改报告 (reply).

// SettingOfficeName is the issuing office's name (office config --name,
// or the window's 通报 tab): the 版头 and 落款 of its documents when a
// request names none.
const SettingOfficeName = "office.name"

// PlaceholderOffice stands in the 版头 and 落款 of a proof when no office
// is named anywhere, so the proof still shows where they go.
const PlaceholderOffice = "（发文机关）"

// OfficeName is the office's stored name ("" when none is set).
func (o *Office) OfficeName() (string, error) {
	var name string
	if _, err := o.Store.Setting(SettingOfficeName, &name); err != nil {
		return "", err
	}
	return strings.TrimSpace(name), nil
}

// SetOfficeName stores the issuing office's name.
func (o *Office) SetOfficeName(who, name string) error {
	return o.Store.PutSetting(who, SettingOfficeName, strings.TrimSpace(name))
}

// issuer is the office a document names: the request's, else the stored
// one, else the key's organisation or name, else (a proof) the placeholder.
func (o *Office) issuer(requested string, id *report.Identity) string {
	if s := strings.TrimSpace(requested); s != "" {
		return s
	}
	if s, err := o.OfficeName(); err == nil && s != "" {
		return s
	}
	if id != nil {
		if len(id.Cert.Subject.Organization) > 0 && strings.TrimSpace(id.Cert.Subject.Organization[0]) != "" {
			return id.Cert.Subject.Organization[0]
		}
		return id.Cert.Subject.CommonName
	}
	return PlaceholderOffice
}

// openKey opens the office key: keyPath, else Keys.Path, else identity.p12
// beside the database; the passphrase given, else Keys.Passphrase, else
// ask (nil: ErrNeedPassphrase).
func (o *Office) openKey(keyPath, pass string, ask func(string) (string, error)) (*report.Identity, error) {
	keyPath = strings.TrimSpace(keyPath)
	if keyPath == "" {
		keyPath = o.Keys.Path
	}
	if keyPath == "" {
		keyPath = filepath.Join(filepath.Dir(o.Store.Path()), "identity.p12")
	}
	data, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, fmt.Errorf("%w %s", msg.KeyError(keyPath, err), lang.L("(issue one with ca issue, or write an unsigned draft)"))
	}
	if pass == "" {
		pass = o.Keys.Passphrase
	}
	if pass == "" {
		if ask == nil {
			return nil, ErrNeedPassphrase
		}
		if pass, err = ask(keyPath); err != nil {
			return nil, err
		}
	}
	id, err := report.LoadP12(data, pass)
	if err != nil {
		return nil, msg.KeyError(keyPath, err)
	}
	return id, nil
}

// NoticeRequest is what a 整改通知书 is written from.
type NoticeRequest struct {
	Unit       string    // the unit: id or name (Notice); ignored by Notices
	Office     string    // 发文单位; "": SettingOfficeName, then the key's organisation
	Number     string    // 文号; Notices counts its last number up per unit
	Date       time.Time // zero: today
	ReplyBy    time.Time // zero: 15 working days after Date
	Contact    string
	CC         string
	KeyPath    string
	Passphrase string
	Ask        func(path string) (string, error)
	Unsigned   bool   // a proof marked 校样, recorded nowhere
	DocxPath   string // also write the .docx here (Notice only)
	Force      bool
	Who        string // recorded as who issued it
}

// NoticeResult is one notice written.
type NoticeResult struct {
	Path, Unit, UnitID, Number string
	Problems                   int
	Signer                     string // "" for a proof
	// FontFallbacks: the roles whose chosen font file could not be used
	// (see BulletinResult).
	FontFallbacks []FontChoice
}

// ErrNoOpenProblem: the unit (or the period) has no open problem to notify.
var ErrNoOpenProblem = errors.New("no open problem")

// Notice writes the 整改通知书 of one unit's open problems to out, signed
// with the office key unless req.Unsigned, and records it on each problem.
func (o *Office) Notice(req NoticeRequest, out string) (NoticeResult, error) {
	if err := o.CheckOutput(out, req.Force); err != nil {
		return NoticeResult{}, err
	}
	if req.DocxPath != "" {
		if err := o.CheckOutput(req.DocxPath, req.Force); err != nil {
			return NoticeResult{}, err
		}
	}
	u, err := o.Store.FindOfficeUnit(req.Unit)
	if err != nil {
		return NoticeResult{}, err
	}
	probs, err := o.Store.OfficeProblems(inspect.ProblemFilter{UnitID: u.UnitID, States: []inspect.ProblemState{inspect.ProblemOpen}}, o.now())
	if err != nil {
		return NoticeResult{}, err
	}
	if len(probs) == 0 {
		return NoticeResult{}, fmt.Errorf("%w: %s", ErrNoOpenProblem, lang.L("{{.Unit}} has no open problem", map[string]any{"Unit": u.UnitName}))
	}
	var id *report.Identity
	if !req.Unsigned {
		if id, err = o.openKey(req.KeyPath, req.Passphrase, req.Ask); err != nil {
			return NoticeResult{}, err
		}
	}
	return o.writeNotice(req, id, u.UnitID, u.UnitName, probs, out, req.DocxPath)
}

// Notices writes a 整改通知书 for every unit with an open problem found in
// the period of f (one signing key, asked once), each to its own file in
// dir named 整改通知书-<unit>.pdf; the 文号 counts up from req.Number's last
// number ("效能整改〔2026〕3号" → 3号, 4号, …). It stops at the first
// failure, returning what was written.
func (o *Office) Notices(req NoticeRequest, f inspect.Filter, dir string) ([]NoticeResult, error) {
	probs, err := o.Store.OfficeProblems(inspect.ProblemFilter{States: []inspect.ProblemState{inspect.ProblemOpen}, Department: f.Department}, o.now())
	if err != nil {
		return nil, err
	}
	type unitProblems struct {
		id, name string
		probs    []store.OfficeProblem
	}
	var units []*unitProblems
	byID := map[string]*unitProblems{}
	for _, p := range probs {
		if !f.From.IsZero() && p.ObservedAt.Before(f.From) || !f.To.IsZero() && !p.ObservedAt.Before(f.To) {
			continue
		}
		g := byID[p.UnitID]
		if g == nil {
			g = &unitProblems{id: p.UnitID, name: p.UnitName}
			byID[p.UnitID] = g
			units = append(units, g)
		}
		g.probs = append(g.probs, p)
	}
	if len(units) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNoOpenProblem, lang.L("no unit has an open problem found in this period"))
	}
	paths := make([]string, len(units))
	for i, g := range units {
		paths[i] = filepath.Join(dir, "整改通知书-"+safeFileName(g.name)+".pdf")
		if err := o.CheckOutput(paths[i], req.Force); err != nil {
			return nil, err
		}
	}
	var id *report.Identity
	if !req.Unsigned {
		if id, err = o.openKey(req.KeyPath, req.Passphrase, req.Ask); err != nil {
			return nil, err
		}
	}
	// The folder is made if missing, as a clerk naming a new one expects.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []NoticeResult
	for i, g := range units {
		r := req
		r.Number = NthNumber(req.Number, i)
		res, err := o.writeNotice(r, id, g.id, g.name, g.probs, paths[i], "")
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

// writeNotice renders, signs (id non-nil), writes and records one notice.
func (o *Office) writeNotice(req NoticeRequest, id *report.Identity, unitID, unitName string, probs []store.OfficeProblem, out, docxPath string) (NoticeResult, error) {
	res := NoticeResult{Path: out, Unit: unitName, UnitID: unitID, Problems: len(probs)}
	date := req.Date
	if date.IsZero() {
		date = o.now()
	}
	hol, err := o.Store.Holidays()
	if err != nil {
		return res, err
	}
	n := &report.RectifyNotice{Office: o.issuer(req.Office, id), Number: strings.TrimSpace(req.Number), Unit: unitName, Date: date,
		ReplyBy: req.ReplyBy, Contact: strings.TrimSpace(req.Contact), CC: strings.TrimSpace(req.CC), Proof: req.Unsigned}
	if n.ReplyBy.IsZero() {
		n.ReplyBy = inspect.AddWorkingDays(date, inspect.DefaultDeadlineDays, hol)
	}
	for _, p := range probs {
		np := report.NoticeProblem{ID: p.ID, FoundAt: p.ObservedAt, Wording: p.Description, ReportID: p.ReportID, Deadline: p.Deadline}
		if in, err := o.Store.OfficeInspection(p.ReportID); err == nil && p.ItemCode != "" {
			if a := in.Answers[p.ItemCode]; a != nil {
				np.Photos = append(np.Photos, a.Photos...)
			}
		}
		n.Problems = append(n.Problems, np)
	}
	fonts, fallbacks, err := o.pdfFonts()
	if err != nil {
		return res, err
	}
	res.FontFallbacks = fallbacks
	pdf, err := report.RenderNotice(n, fonts)
	if err != nil {
		return res, err
	}
	if id != nil {
		if pdf, err = report.SignWithReason(pdf, id, firstNonBlank(n.Office, id.Cert.Subject.CommonName), "整改通知书 / rectification notice", o.now()); err != nil {
			return res, err
		}
		res.Signer = id.Cert.Subject.CommonName
	}
	if err := o.writeFile(out, pdf, req.Force); err != nil {
		return res, err
	}
	if docxPath != "" {
		names, err := o.docxFonts()
		if err != nil {
			return res, err
		}
		doc, err := report.GongwenDocx(report.NoticeDocument(n), names)
		if err != nil {
			return res, err
		}
		if err := o.writeFile(docxPath, doc, req.Force); err != nil {
			return res, err
		}
	}
	res.Number = n.Number
	if id != nil { // only a signed notice was issued; a proof records nothing
		ids := make([]string, len(n.Problems))
		for i, p := range n.Problems {
			ids[i] = p.ID
		}
		if err := o.Store.RecordNotice(req.Who, store.NoticeRef{Number: n.Number, IssuedAt: date, By: res.Signer, ReplyBy: n.ReplyBy}, ids); err != nil {
			return res, err
		}
	}
	return res, nil
}

var lastNumber = regexp.MustCompile(`(\d+)(\D*)$`)

// NthNumber is 文号 number counted up i times by its last number
// ("效能整改〔2026〕3号", 2 → "效能整改〔2026〕5号"); a 文号 without a number,
// or i = 0, is itself.
func NthNumber(number string, i int) string {
	m := lastNumber.FindStringSubmatchIndex(number)
	if i == 0 || m == nil {
		return number
	}
	n, err := strconv.Atoi(number[m[2]:m[3]])
	if err != nil {
		return number
	}
	return number[:m[2]] + strconv.Itoa(n+i) + number[m[3]:]
}

// safeFileName keeps a unit's name usable as a file name everywhere.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, strings.TrimSpace(s))
}

// Extend grants a 延期: the new 整改 deadline (the end of that day in the
// office zone) of an open problem, with the reason (required, audited).
func (o *Office) Extend(who, problemID string, until time.Time, reason string) (*inspect.Problem, error) {
	return o.Store.ExtendDeadline(who, problemID, inspect.EndOfDay(until), reason)
}

// ChaseGroups are the overdue problems (of unit, "" for all) by unit, the
// unit most days late first: the 催办 list.
func (o *Office) ChaseGroups(unitID string) ([]sheet.ChaseGroup, error) {
	now := o.now()
	probs, err := o.Store.OfficeProblems(inspect.ProblemFilter{OverdueAt: now, UnitID: unitID}, now)
	if err != nil {
		return nil, err
	}
	return sheet.ChaseGroups(probs), nil
}

// ChaseResult is the 催办 list written: its groups, and for a PDF the roles
// whose chosen font file could not be used (see BulletinResult).
type ChaseResult struct {
	Groups        []sheet.ChaseGroup
	FontFallbacks []FontChoice
}

// WriteChase writes the 催办 list to path: .xlsx as a workbook, .pdf as a
// printable 公文 (officeName "": the stored name); it returns the groups
// written. No overdue problem is ErrNoOverdue.
func (o *Office) WriteChase(path, officeName string, force bool) (ChaseResult, error) {
	var res ChaseResult
	var err error
	res.Groups, res.FontFallbacks, err = o.writeChase(path, officeName, force)
	return res, err
}

func (o *Office) writeChase(path, officeName string, force bool) ([]sheet.ChaseGroup, []FontChoice, error) {
	ext := strings.ToLower(filepath.Ext(path))
	if ext != ".xlsx" && ext != ".pdf" {
		return nil, nil, errors.New(lang.L("-o {{.File}}: the chase list is written as .xlsx or .pdf", map[string]any{"File": path}))
	}
	if err := o.CheckOutput(path, force); err != nil {
		return nil, nil, err
	}
	groups, err := o.ChaseGroups("")
	if err != nil {
		return nil, nil, err
	}
	var data []byte
	var fallbacks []FontChoice
	if ext == ".xlsx" {
		var buf bytes.Buffer
		if err := sheet.WriteChaseList(&buf, groups, o.now()); err != nil {
			return nil, nil, err
		}
		data = buf.Bytes()
	} else {
		if len(groups) == 0 {
			return nil, nil, ErrNoOverdue
		}
		c := &report.ChaseList{Office: o.issuer(officeName, nil), Date: o.now()}
		for _, g := range groups {
			cu := report.ChaseUnit{Unit: g.UnitName, Department: g.Department}
			for _, p := range g.Problems {
				cu.Problems = append(cu.Problems, report.ChaseProblem{ID: p.ID, FoundAt: p.ObservedAt, Wording: p.Description, Deadline: p.Deadline, DaysLate: p.DaysLate})
			}
			c.Units = append(c.Units, cu)
		}
		var fonts report.GongwenFonts
		if fonts, fallbacks, err = o.pdfFonts(); err != nil {
			return nil, nil, err
		}
		if data, err = report.RenderChase(c, fonts); err != nil {
			return nil, nil, err
		}
	}
	return groups, fallbacks, o.writeFile(path, data, force)
}

// ErrNoOverdue: no problem is overdue, so there is nothing to 催办.
var ErrNoOverdue = errors.New("no problem is overdue")

// ReplyRequest is a 整改报告 received from a unit.
type ReplyRequest struct {
	Problems   []string  // the problems it answers (all of one unit, or several units)
	ReceivedAt time.Time // zero: today
	From       string    // who sent it
	Text       string
	Files      []string // attached files, kept under their hash beside the database
}

// MaxReplyFile is the largest attachment a reply keeps (a scanned report).
const MaxReplyFile = 64 << 20

// Reply records a 整改报告: its files kept content-addressed beside the
// database, every problem it answers moved to 已整改 (rectified), audited.
func (o *Office) Reply(who string, req ReplyRequest) (store.Reply, error) {
	var files []store.ReplyAttachment
	for _, path := range req.Files {
		info, err := os.Stat(path)
		if err != nil {
			return store.Reply{}, err
		}
		if info.Size() > MaxReplyFile {
			return store.Reply{}, errors.New(lang.L("{{.File}} is larger than {{.MB}} MB.", map[string]any{"File": path, "MB": MaxReplyFile >> 20}))
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return store.Reply{}, err
		}
		files = append(files, store.ReplyAttachment{Name: filepath.Base(path), Data: data})
	}
	return o.ReplyWith(who, req, files)
}

// ReplyWith is Reply with the attachments' bytes (the window reads them).
func (o *Office) ReplyWith(who string, req ReplyRequest, files []store.ReplyAttachment) (store.Reply, error) {
	at := req.ReceivedAt
	if at.IsZero() {
		at = o.now()
	}
	return o.Store.RecordReply(who, store.Reply{ReceivedAt: at, From: req.From, Text: req.Text, Problems: req.Problems}, files)
}

// ActAll applies one 整改 step to several problems (bulk action on one
// unit's problems) in one transaction: all or, at the first refusal, none.
func (o *Office) ActAll(who string, problemIDs []string, a inspect.Action, note string) ([]inspect.Problem, error) {
	return o.Store.ChangeProblems(who, problemIDs, a, strings.TrimSpace(note))
}

// ExtendAll grants the same 延期 to several problems, all or none (one
// transaction, each problem audited): when one cannot be extended, nothing
// is, and the error (*ExtendRefused) names that problem and why.
func (o *Office) ExtendAll(who string, problemIDs []string, until time.Time, reason string) ([]inspect.Problem, error) {
	ps, err := o.Store.ExtendDeadlines(who, problemIDs, inspect.EndOfDay(until), reason)
	var be *store.BatchError
	if errors.As(err, &be) {
		return nil, &ExtendRefused{ID: be.ID, Count: len(problemIDs), Err: be.Err}
	}
	return ps, err
}

// ExtendRefused: the problem ID of a 延期 of Count problems could not be
// extended (Err), so none was. Its message is in the user's language; it
// does not unwrap, so that msg.Of keeps the problem's id.
type ExtendRefused struct {
	ID    string
	Count int
	Err   error
}

func (e *ExtendRefused) Error() string {
	if e.Count == 1 {
		return lang.L("{{.ID}}: {{.Reason}}", map[string]any{"ID": e.ID, "Reason": msg.Of(e.Err)})
	}
	return lang.L("{{.ID}}: {{.Reason}} None of the {{.Count}} problems was extended.", map[string]any{"ID": e.ID, "Reason": msg.Of(e.Err), "Count": e.Count})
}
