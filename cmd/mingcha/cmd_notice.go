package main

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/sheet"
)

// The paperwork of 整改 (office package, notice.go): 整改通知书 for a unit
// or a period's units, 延期, the 催办 list, the unit's 整改报告.

func init() {
	register(command{
		Name: "office extend", Usage: "PROBLEM-ID… --until DATE --reason TEXT",
		Summary: func() string {
			return lang.L("grant an extension: a later deadline for open problems, with the reason (audited)")
		},
		Run: cmdOfficeExtend,
	})
	register(command{
		Name: "office chase", Usage: "[-o 催办.xlsx|催办.pdf] [--office NAME]",
		Summary: func() string {
			return lang.L("list the overdue problems by unit (the chase list), optionally as an .xlsx workbook or a printable PDF")
		},
		Run: cmdOfficeChase,
	})
	register(command{
		Name: "office notice", Usage: "UNIT -o FILE.pdf | --period P --dir FOLDER [--office NAME] [--number 文号] [--reply-by DATE] [--contact TEXT] [--docx FILE] [--key office.p12] [--unsigned]",
		Summary: func() string {
			return lang.L("write the rectification notice of a unit's open problems (or of every unit with open problems found in a period) as a PDF signed with the office key, and record it on each problem")
		},
		Run: cmdOfficeNotice,
	})
	register(command{
		Name: "office reply", Usage: "PROBLEM-ID… --from WHO [--date DATE] [--text TEXT] [--file F]…",
		Summary: func() string {
			return lang.L("record a unit's rectification report: who sent it, when, its text and files (kept beside the database); the problems become rectified")
		},
		Run: cmdOfficeReply,
	})
}

func cmdOfficeNotice(e *env, args []string) error {
	fs := e.flags()
	pf := bindPeriod(fs, false)
	out := fs.String("o", "", "output PDF file (one unit)")
	dir := fs.String("dir", "", "folder for the notices of every unit with open problems found in --period (整改通知书-<unit>.pdf)")
	officeName := fs.String("office", "", "the issuing office (default: office config --name, else the key's organisation or name)")
	number := fs.String("number", "", "document number, e.g. 效能整改〔2026〕3号 (with --period, counted up per unit)")
	replyBy := fs.String("reply-by", "", "date by which the unit reports back (default: 15 working days after --date)")
	dateFlag := fs.String("date", "", "date of the notice (default: today)")
	contact := fs.String("contact", "", "contact, e.g. 联系人：王明，电话：0571-88886666")
	cc := fs.String("cc", "", "who gets a copy (listed at the foot of the last page)")
	docxOut := fs.String("docx", "", "also write the notice as a .docx (WPS/Word) to this file (one unit)")
	key := fs.String("key", "", "the office's encrypted identity (.p12); default identity.p12 beside the database")
	unsigned := fs.Bool("unsigned", false, "write the PDF without a digital signature (a proof, marked as one on every page)")
	force := forceFlag(fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	batch := *dir != ""
	if batch && (len(rest) != 0 || *out != "" || *docxOut != "") || !batch && (*out == "" || len(rest) != 1) {
		fs.Usage()
		return errUsage
	}
	req := office.NoticeRequest{Office: *officeName, Number: *number, Contact: *contact, CC: *cc, KeyPath: *key, Unsigned: *unsigned,
		DocxPath: *docxOut, Force: *force, Who: whoami(), Date: time.Now()}
	if *dateFlag != "" {
		if req.Date, err = parseDate(*dateFlag); err != nil {
			return err
		}
	}
	if *replyBy != "" {
		if req.ReplyBy, err = parseDate(*replyBy); err != nil {
			return err
		}
	}
	req.Ask = func(path string) (string, error) {
		return e.passphrase(envPassphrase, lang.L("passphrase of {{.Path}}", map[string]any{"Path": path}))
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	var results []office.NoticeResult
	if batch {
		f, err := pf.filter(true)
		if err != nil {
			return err
		}
		if results, err = o.Notices(req, f, *dir); err != nil && len(results) == 0 {
			return err
		}
		if len(results) > 0 {
			warnFontFallbacks(e, results[0].FontFallbacks)
		}
		defer printNotices(e, results)
		return err
	}
	req.Unit = rest[0]
	res, err := o.Notice(req, *out)
	if err != nil {
		return err
	}
	printNotices(e, []office.NoticeResult{res})
	warnFontFallbacks(e, res.FontFallbacks)
	return nil
}

// warnFontFallbacks says on stderr, per role, that a 公文 just written
// could not use the chosen font file and which face it has instead.
func warnFontFallbacks(e *env, fs []office.FontChoice) {
	for _, c := range fs {
		if t := c.Fallback(); t != "" {
			fmt.Fprintln(e.stderr, lang.L("warning: {{.Text}}", map[string]any{"Text": t}))
		}
	}
}

func printNotices(e *env, results []office.NoticeResult) {
	for _, r := range results {
		state := lang.L("signed by {{.Signer}}", map[string]any{"Signer": r.Signer})
		if r.Signer == "" {
			state = lang.L("signed by nobody (draft)")
		}
		p := map[string]any{"File": r.Path, "Unit": r.Unit, "Problems": r.Problems, "State": state}
		fmt.Fprintln(e.stdout, msg.Plural(r.Problems, lang.L("{{.File}}: rectification notice to {{.Unit}}, 1 open problem, {{.State}}", p),
			lang.L("{{.File}}: rectification notice to {{.Unit}}, {{.Problems}} open problems, {{.State}}", p)))
	}
}

// cmdOfficeExtend grants a 延期: a new deadline for open problems, with
// the reason (audited).
func cmdOfficeExtend(e *env, args []string) error {
	fs := e.flags()
	until := fs.String("until", "", "the new rectification deadline (YYYY-MM-DD)")
	reason := fs.String("reason", "", "why the unit gets more time (required)")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 || *until == "" {
		fs.Usage()
		return errUsage
	}
	d, err := parseDate(*until)
	if err != nil {
		return err
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	ps, err := o.ExtendAll(whoami(), rest, d, *reason)
	if err != nil {
		return err
	}
	for _, p := range ps {
		fmt.Fprintln(e.stdout, lang.L("{{.ID}}: deadline extended to {{.Date}}", map[string]any{"ID": p.ID, "Date": inspect.FormatDate(p.Deadline)}))
	}
	return nil
}

// cmdOfficeChase is the 催办 list: the overdue problems by unit, most days
// late first; -o writes it as .xlsx or a printable PDF.
func cmdOfficeChase(e *env, args []string) error {
	fs := e.flags()
	out := fs.String("o", "", "also write the list as an .xlsx workbook or a printable .pdf")
	officeName := fs.String("office", "", "the office named on the PDF (default: office config --name)")
	force := forceFlag(fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	o, err := e.office(true)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	var groups []sheet.ChaseGroup
	if *out != "" {
		var res office.ChaseResult
		res, err = o.WriteChase(*out, *officeName, *force)
		groups = res.Groups
		warnFontFallbacks(e, res.FontFallbacks)
	} else {
		groups, err = o.ChaseGroups("")
	}
	if err != nil && err != office.ErrNoOverdue {
		return err
	}
	for _, g := range groups {
		w := map[string]any{"Unit": g.UnitName, "Count": len(g.Problems), "Days": g.MaxDays}
		fmt.Fprintln(e.stdout, msg.Plural(g.MaxDays, lang.L("{{.Unit}}: {{.Count}} overdue, up to 1 working day late", w),
			lang.L("{{.Unit}}: {{.Count}} overdue, up to {{.Days}} working days late", w)))
		for _, p := range g.Problems {
			fmt.Fprintf(e.stdout, "  %s  %s  %s  %s\n", p.ID, inspect.FormatDate(p.Deadline),
				msg.Plural(p.DaysLate, lang.L("1 working day late"), lang.L("{{.Days}} working days late", map[string]any{"Days": p.DaysLate})), p.Description)
		}
	}
	if len(groups) == 0 {
		fmt.Fprintln(e.stdout, lang.L("no problem is overdue"))
	}
	return nil
}

// cmdOfficeReply records a 整改报告 for one or more problems.
func cmdOfficeReply(e *env, args []string) error {
	fs := e.flags()
	from := fs.String("from", "", "who sent the rectification report (name, post)")
	dateFlag := fs.String("date", "", "the day it was received (default: today)")
	text := fs.String("text", "", "what the unit reports it did")
	var files keyList
	fs.Var(&files, "file", "a file attached to the report (repeat for several)")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 || strings.TrimSpace(*from) == "" {
		fs.Usage()
		return errUsage
	}
	req := office.ReplyRequest{Problems: rest, From: *from, Text: *text, Files: files}
	if *dateFlag != "" {
		if req.ReceivedAt, err = parseDate(*dateFlag); err != nil {
			return err
		}
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	r, err := o.Reply(whoami(), req)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("rectification report from {{.From}} recorded: {{.Problems}} problems rectified, {{.Files}} files kept", map[string]any{
		"From": r.From, "Problems": len(r.Problems), "Files": len(r.Files)}))
	return nil
}
