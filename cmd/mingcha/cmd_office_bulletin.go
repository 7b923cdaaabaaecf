package main

import (
	"bytes"
	"fmt"
	"mingcha/inspect"
	"mingcha/office"
	"mingcha/report"
	"os"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The 通报 of a period.

func init() {
	register(command{
		Name: "office bulletin", Usage: "--from DATE --to DATE | --period P -o FILE.pdf [--office NAME] [--number 文号] [--intro-file F] [--closing-file F] [--deadline DATE] [--key office.p12]",
		Summary: func() string {
			return lang.L("write the bulletin of a period as a PDF signed with the office key (passphrase from MINGCHA_PASSPHRASE or asked)")
		},
		Run: cmdOfficeBulletin,
	})
}

func readOptional(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return string(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))), nil
}

func cmdOfficeBulletin(e *env, args []string) error {
	fs := e.flags()
	pf := bindPeriod(fs, true)
	out := fs.String("o", "", "output PDF file")
	officeName := fs.String("office", "", "the issuing office, e.g. 区机关效能建设办公室 (default: the key's organisation or name)")
	number := fs.String("number", "", "document number, e.g. 效能通〔2026〕5号")
	title := fs.String("title", "", "title (default: 关于<period>机关服务效能明查暗访情况的通报)")
	introFile := fs.String("intro-file", "", "text file with the opening paragraph(s)")
	closingFile := fs.String("closing-file", "", "text file with the closing paragraph(s)")
	deadline := fs.String("deadline", "", "date by which the units report what they rectified (default: 15 working days after --date)")
	dateFlag := fs.String("date", "", "date of the bulletin (default: today)")
	key := fs.String("key", "", "the office's encrypted identity (.p12, e.g. from ca issue); default identity.p12 beside the database")
	unsigned := fs.Bool("unsigned", false, "write the PDF without a digital signature (a proof, marked as one on every page)")
	force := forceFlag(fs)
	recipients := fs.String("recipients", "", "the addressees (default: 各有关单位, all units concerned)")
	cc := fs.String("cc", "", "who gets a copy (listed at the foot of the last page), e.g. 区纪委监委，区委组织部")
	docxOut := fs.String("docx", "", "also write the bulletin as a .docx (WPS/Word) to this file")
	draftOut := fs.String("draft", "", "write the generated body text as an editable text draft to this file, and nothing else")
	fromDraft := fs.String("from-draft", "", "use the body text of this edited text draft (from --draft)")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" && *draftOut == "" {
		fs.Usage()
		return errUsage
	}
	f, err := pf.filter(true)
	if err != nil {
		return err
	}
	req := office.BulletinRequest{Filter: f, Office: *officeName, Number: *number, Title: *title, Date: time.Now(), KeyPath: *key, Unsigned: *unsigned, Force: *force,
		Recipients: *recipients, CC: *cc, DocxPath: *docxOut}
	if *fromDraft != "" {
		text, err := os.ReadFile(*fromDraft)
		if err != nil {
			return err
		}
		if req.Edited = report.ParseDraft(string(text)); len(req.Edited) == 0 {
			return fmt.Errorf("%s: %s", *fromDraft, lang.L("the draft has no paragraph"))
		}
	}
	if *dateFlag != "" {
		if req.Date, err = parseDate(*dateFlag); err != nil {
			return err
		}
	}
	if *deadline != "" {
		d, err := parseDate(*deadline)
		if err != nil {
			return err
		}
		req.Deadline = inspect.EndOfDay(d)
	}
	if req.Intro, err = readOptional(*introFile); err != nil {
		return err
	}
	if req.Closing, err = readOptional(*closingFile); err != nil {
		return err
	}
	req.Ask = func(path string) (string, error) {
		return e.passphrase(envPassphrase, lang.L("passphrase of {{.Path}}", map[string]any{"Path": path}))
	}
	o, err := e.office(true)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	if *draftOut != "" {
		text, n, err := o.Draft(req)
		if err != nil {
			return err
		}
		if err := writeOutput(e.dbPath, *draftOut, []byte(text), *force); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: draft of the bulletin, {{.Count}} paragraphs", map[string]any{"File": *draftOut, "Count": n}))
		return nil
	}
	res, err := o.Bulletin(req, *out)
	if err != nil {
		return err
	}
	state := lang.L("signed by {{.Signer}}", map[string]any{"Signer": res.Signer})
	if res.Signer == "" {
		state = lang.L("signed by nobody (draft)")
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: bulletin of {{.Inspections}} inspections, {{.Units}} units, {{.Problems}} problems, {{.KB}} KB, {{.State}}", map[string]any{
		"File": *out, "Inspections": res.Inspections, "Units": res.Units, "Problems": res.Problems, "KB": (res.Size + 1023) / 1024, "State": state}))
	warnFontFallbacks(e, res.FontFallbacks)
	return nil
}
