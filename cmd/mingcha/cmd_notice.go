package main

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/desk"
	"mingcha/docx"
	"mingcha/inspect"
	"mingcha/office"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// cmdOfficeNotice writes the 整改通知书 of one unit: its open problems, each
// with date, wording, evidence and deadline; signed with the office key
// (unless --unsigned, a proof marked 校样); recorded on each problem.

func init() {
	register(command{
		Name: "office extend", Usage: "PROBLEM-ID --until DATE --reason TEXT",
		Summary: func() string {
			return lang.L("grant a 延期: a later 整改 deadline for an open problem, with the reason (audited)")
		},
		Run: cmdOfficeExtend,
	})
	register(command{
		Name: "office chase", Usage: "[-o 催办.xlsx]",
		Summary: func() string {
			return lang.L("list the overdue problems by unit (催办), optionally as an .xlsx workbook")
		},
		Run: cmdOfficeChase,
	})
	register(command{
		Name: "office notice", Usage: "UNIT -o FILE.pdf [--number 文号] [--reply-by DATE] [--contact TEXT] [--docx FILE] [--key office.p12] [--unsigned]",
		Summary: func() string {
			return lang.L("write the 整改通知书 of a unit's open problems as a PDF signed with the office key, and record it on each problem")
		},
		Run: cmdOfficeNotice,
	})
}

func cmdOfficeNotice(e *env, args []string) error {
	fs := e.flags()
	out := fs.String("o", "", "output PDF file")
	officeName := fs.String("office", "", "the issuing office (default: the key's organisation or name)")
	number := fs.String("number", "", "文号, e.g. 效能整改〔2026〕3号")
	replyBy := fs.String("reply-by", "", "date by which the unit reports back (default: 15 working days after --date)")
	dateFlag := fs.String("date", "", "date of the notice (default: today)")
	contact := fs.String("contact", "", "contact, e.g. 联系人：王明，电话：0571-88886666")
	docxOut := fs.String("docx", "", "also write the notice as a .docx (WPS/Word) to this file")
	key := fs.String("key", "", "the office's encrypted identity (.p12); default identity.p12 beside the database")
	unsigned := fs.Bool("unsigned", false, "write the PDF without a digital signature (a proof marked 校样 on every page)")
	force := forceFlag(fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) != 1 {
		fs.Usage()
		return errUsage
	}
	date := time.Now()
	if *dateFlag != "" {
		if date, err = parseDate(*dateFlag); err != nil {
			return err
		}
	}
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.RefuseOutput(*out); err != nil {
		return err
	}
	u, err := s.FindOfficeUnit(rest[0])
	if err != nil {
		return err
	}
	probs, err := s.OfficeProblems(inspect.ProblemFilter{UnitID: u.UnitID, States: []inspect.ProblemState{inspect.ProblemOpen}}, date)
	if err != nil {
		return err
	}
	if len(probs) == 0 {
		return fmt.Errorf("%s", lang.L("{{.Unit}} has no open problem", map[string]any{"Unit": u.UnitName}))
	}
	hol, err := s.Holidays()
	if err != nil {
		return err
	}
	n := &report.RectifyNotice{Office: strings.TrimSpace(*officeName), Number: strings.TrimSpace(*number), Unit: u.UnitName, Date: date,
		ReplyBy: inspect.AddWorkingDays(date, inspect.DefaultDeadlineDays, hol), Contact: *contact, Proof: *unsigned}
	if *replyBy != "" {
		if n.ReplyBy, err = parseDate(*replyBy); err != nil {
			return err
		}
	}
	for _, p := range probs {
		np := report.NoticeProblem{ID: p.ID, FoundAt: p.ObservedAt, Wording: p.Description, ReportID: p.ReportID, Deadline: p.Deadline}
		if in, err := s.OfficeInspection(p.ReportID); err == nil && p.ItemCode != "" {
			if a := in.Answers[p.ItemCode]; a != nil {
				np.Photos = append(np.Photos, a.Photos...)
			}
		}
		n.Problems = append(n.Problems, np)
	}
	var id *report.Identity
	if !*unsigned {
		keyPath := strings.TrimSpace(*key)
		if keyPath == "" {
			keyPath = desk.DefaultKeyPath(s.Path(), false)
		}
		data, err := os.ReadFile(keyPath)
		if err != nil {
			return fmt.Errorf("%s: %w %s", lang.L("the office key"), err, lang.L("(issue one with ca issue, or write an unsigned draft)"))
		}
		pass, err := e.passphrase("MINGCHA_PASSPHRASE", lang.L("passphrase of {{.Path}}", map[string]any{"Path": keyPath}))
		if err != nil {
			return err
		}
		if id, err = report.LoadP12(data, pass); err != nil {
			return fmt.Errorf("%s: %w", keyPath, err)
		}
		if n.Office == "" {
			n.Office = id.Cert.Subject.CommonName
			if len(id.Cert.Subject.Organization) > 0 {
				n.Office = id.Cert.Subject.Organization[0]
			}
		}
	}
	pdf, err := report.RenderNotice(n, report.FindGongwenFonts(office.GongwenFontDirs(), nil))
	if err != nil {
		return err
	}
	signer := ""
	if id != nil {
		if pdf, err = report.SignWithReason(pdf, id, cmp.Or(strings.TrimSpace(n.Office), id.Cert.Subject.CommonName), "整改通知书 / rectification notice", time.Now()); err != nil {
			return err
		}
		signer = id.Cert.Subject.CommonName
	}
	if err := store.WriteOutput(*out, pdf, *force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
	}
	if *docxOut != "" {
		doc, err := report.GongwenDocx(report.NoticeDocument(n), docx.DefaultFonts)
		if err != nil {
			return err
		}
		if err := s.RefuseOutput(*docxOut); err != nil {
			return err
		}
		if err := store.WriteOutput(*docxOut, doc, *force); err != nil {
			return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *docxOut}), err)
		}
	}
	if id != nil {
		// Only a signed notice was issued; a proof records nothing.
		ids := make([]string, len(n.Problems))
		for i, p := range n.Problems {
			ids[i] = p.ID
		}
		if err := s.RecordNotice(whoami(), store.NoticeRef{Number: n.Number, IssuedAt: date, By: signer, ReplyBy: n.ReplyBy}, ids); err != nil {
			return err
		}
	}
	state := lang.L("signed by {{.Signer}}", map[string]any{"Signer": signer})
	if signer == "" {
		state = lang.L("signed by nobody (draft)")
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: 整改通知书 to {{.Unit}}, {{.Problems}} open problems, {{.State}}", map[string]any{
		"File": *out, "Unit": u.UnitName, "Problems": len(n.Problems), "State": state}))
	return nil
}

// cmdOfficeExtend grants a 延期: a new deadline for an open problem, with
// the reason (audited).
func cmdOfficeExtend(e *env, args []string) error {
	fs := e.flags()
	until := fs.String("until", "", "the new 整改 deadline (YYYY-MM-DD)")
	reason := fs.String("reason", "", "why the unit gets more time (required)")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *until == "" {
		fs.Usage()
		return errUsage
	}
	d, err := parseDate(*until)
	if err != nil {
		return err
	}
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.ExtendDeadline(whoami(), rest[0], time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, d.Location()), *reason)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.ID}}: deadline extended to {{.Date}}", map[string]any{"ID": p.ID, "Date": p.Deadline.Format(time.DateOnly)}))
	return nil
}

// cmdOfficeChase is the 催办 list: the overdue problems by unit, most days
// late first; -o writes it as .xlsx.
func cmdOfficeChase(e *env, args []string) error {
	fs := e.flags()
	out := fs.String("o", "", "also write the list as an .xlsx workbook")
	force := forceFlag(fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	now := s.Now()
	probs, err := s.OfficeProblems(inspect.ProblemFilter{OverdueAt: now}, now)
	if err != nil {
		return err
	}
	groups := sheet.ChaseGroups(probs)
	for _, g := range groups {
		fmt.Fprintln(e.stdout, lang.L("{{.Unit}}: {{.Count}} overdue, up to {{.Days}} working days late", map[string]any{
			"Unit": g.UnitName, "Count": len(g.Problems), "Days": g.MaxDays}))
		for _, p := range g.Problems {
			fmt.Fprintf(e.stdout, "  %s  %s  %s  %s\n", p.ID, p.Deadline.Format(time.DateOnly),
				lang.L("{{.Days}} working days late", map[string]any{"Days": p.DaysLate}), p.Description)
		}
	}
	if len(groups) == 0 {
		fmt.Fprintln(e.stdout, lang.L("no problem is overdue"))
	}
	if *out != "" {
		var buf bytes.Buffer
		if err := sheet.WriteChaseList(&buf, groups, now); err != nil {
			return err
		}
		if err := writeOutput(e.dbPath, *out, buf.Bytes(), *force); err != nil {
			return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
		}
	}
	return nil
}
