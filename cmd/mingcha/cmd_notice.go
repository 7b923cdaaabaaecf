package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/docx"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

// cmdOfficeNotice writes the 整改通知书 of one unit: its open problems, each
// with date, wording, evidence and deadline; signed with the office key
// (unless --unsigned, a proof marked 校样); recorded on each problem.
func cmdOfficeNotice(e *env, args []string) error {
	fs := e.flags()
	out := fs.String("o", "", "output PDF file")
	office := fs.String("office", "", "the issuing office (default: the key's organisation or name)")
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
	n := &report.RectifyNotice{Office: strings.TrimSpace(*office), Number: strings.TrimSpace(*number), Unit: u.UnitName, Date: date,
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
			keyPath = defaultKeyPath(s.Path(), false)
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
	pdf, err := report.RenderNotice(n, report.FindGongwenFonts(gongwenFontDirs(), nil))
	if err != nil {
		return err
	}
	signer := ""
	if id != nil {
		if pdf, err = report.SignWithReason(pdf, id, firstNonBlank(n.Office, id.Cert.Subject.CommonName), "整改通知书 / rectification notice", time.Now()); err != nil {
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
