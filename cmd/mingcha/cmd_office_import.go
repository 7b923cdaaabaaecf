package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/report"
	"mingcha/store"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The 效能办's configuration and the import of signed reports.

func init() {
	register(command{
		Name: "office config", Usage: "[--ca office-ca.pem] [--holidays FILE.json] [--name OFFICE] [--font-title|--font-body|--font-heading1|--font-heading2 FONT.ttf|auto]",
		Summary: func() string {
			return lang.L("store the office CA (only reports it vouches for are imported), the holiday calendar, the office's name and the fonts of official documents in the database")
		},
		Run: cmdOfficeConfig,
	})
	register(command{
		Name: "office import", Usage: "PATH... [--ca office-ca.pem] [--json]",
		Summary: func() string {
			return lang.L("verify and import signed reports (files, or folders searched for *.pdf); rejected files are listed with the reason")
		},
		Run: cmdOfficeImport,
	})
}

func cmdOfficeConfig(e *env, args []string) error {
	f := e.flags()
	caFile := f.String("ca", "", "office CA certificate (PEM), from ca init")
	holFile := f.String("holidays", "", `holiday calendar: {"off": ["2026-10-01", …], "workdays": ["2026-09-27", …]}`)
	name := f.String("name", "", "the issuing office's name, e.g. 区机关效能建设办公室 (in the header and the signature line of the bulletin and the rectification notice)")
	fontFlags := map[string]*string{
		report.FontTitle:    f.String("font-title", "", "the font file (.ttf, .otf, .ttc) of the title of official documents (Xiaobiaosong), or auto"),
		report.FontBody:     f.String("font-body", "", "the font file of the body text (FangSong), or auto"),
		report.FontHeading1: f.String("font-heading1", "", "the font file of the first-level headings (HeiTi), or auto"),
		report.FontHeading2: f.String("font-heading2", "", "the font file of the second-level headings (KaiTi), or auto"),
	}
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	fontsSet := false
	for _, role := range report.FontRoles {
		path := strings.TrimSpace(*fontFlags[role])
		if path == "" {
			continue
		}
		fontsSet = true
		c, err := o.SetGongwenFont(whoami(), role, path)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("Document font, {{.Role}}: {{.Font}}", map[string]any{"Role": office.RoleName(role), "Font": c.Describe()}))
	}
	if *caFile != "" {
		data, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		if err := o.SetCA(whoami(), data); err != nil {
			return errors.New(lang.L("{{.Path}}: {{.Reason}}", map[string]any{"Path": *caFile, "Reason": msg.Of(err)})) // msg.Of alone drops the name
		}
		fmt.Fprintln(e.stdout, lang.L("office CA set from {{.Path}}: imports now accept only reports it vouches for", map[string]any{"Path": *caFile}))
	}
	if *holFile != "" {
		data, err := os.ReadFile(*holFile)
		if err != nil {
			return err
		}
		var cal office.Holidays
		if err := json.Unmarshal(data, &cal); err != nil {
			return fmt.Errorf("%s: %w", *holFile, err)
		}
		if err := o.SetHolidays(whoami(), cal); err != nil {
			var de *office.DateError
			if errors.As(err, &de) {
				return errors.New(lang.L("{{.File}}: {{.Value}} is not a date like 2026-10-01", map[string]any{"File": *holFile, "Value": strconv.Quote(de.Value)}))
			}
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("holiday calendar set: {{.Off}} days off, {{.Workdays}} make-up working days", map[string]any{"Off": len(cal.Off), "Workdays": len(cal.Workdays)}))
	}
	if *name != "" {
		if err := o.SetOfficeName(whoami(), *name); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("office name set: {{.Name}}", map[string]any{"Name": strings.TrimSpace(*name)}))
	}
	if *caFile == "" && *holFile == "" && *name == "" && !fontsSet {
		fonts, err := o.GongwenFonts()
		if err != nil {
			return err
		}
		for _, c := range fonts {
			fmt.Fprintln(e.stdout, lang.L("Document font, {{.Role}}: {{.Font}}", map[string]any{"Role": office.RoleName(c.Role), "Font": c.Describe()}))
		}
		_, ok, err := o.CA()
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(e.stdout, lang.L("office CA: not set (imports accept any valid signature; set one with --ca)"))
		} else {
			fmt.Fprintln(e.stdout, lang.L("office CA: set"))
		}
	}
	return nil
}

func cmdOfficeImport(e *env, args []string) error {
	f := e.flags()
	caFile := f.String("ca", "", "office CA certificate (PEM); default: the one set with office config")
	asJSON := f.Bool("json", false, "print the outcome of every file as JSON")
	paths, err := e.parse(f, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		f.Usage()
		return errUsage
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	var caPEM []byte
	if *caFile != "" {
		if caPEM, err = os.ReadFile(*caFile); err != nil {
			return err
		}
	} else if caPEM, _, err = o.CA(); err != nil {
		return err
	}
	verify, err := office.Verifier(caPEM)
	if err != nil {
		return err
	}
	if len(caPEM) == 0 && !*asJSON {
		fmt.Fprintln(e.stderr, lang.L("no office CA is set: reports signed with any valid key are accepted (see mingcha office config --ca)"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	sum, err := o.Import(ctx, whoami(), paths, verify, func(p store.ImportProgress) {
		if *asJSON {
			return
		}
		r := p.Last
		switch r.Outcome {
		case store.ImportAccepted:
			extra := ""
			if r.Supersedes != "" {
				extra += lang.L(", replaces {{.ID}}", map[string]any{"ID": r.Supersedes})
			}
			if r.FollowUps > 0 {
				extra += lang.L(", the follow-up changed {{.Count}} earlier problems", map[string]any{"Count": r.FollowUps})
			}
			fmt.Fprintln(e.stdout, lang.L("[{{.Done}}/{{.Total}}] accepted  {{.Path}}: {{.ID}} {{.Unit}} {{.Score}}, signed by {{.Signer}} ({{.Trust}}){{.Extra}}", map[string]any{
				"Done": p.Done, "Total": p.Total, "Path": r.Path, "ID": r.ReportID, "Unit": r.Unit, "Score": fmt.Sprintf("%.2f", r.Score),
				"Signer": r.Signer, "Trust": trustText(r.Trust), "Extra": extra}))
		case store.ImportDuplicate:
			fmt.Fprintln(e.stdout, lang.L("[{{.Done}}/{{.Total}}] duplicate {{.Path}}: {{.Reason}}", map[string]any{"Done": p.Done, "Total": p.Total, "Path": r.Path, "Reason": msg.ImportReason(r)}))
		case store.ImportRejected:
			fmt.Fprintln(e.stdout, lang.L("[{{.Done}}/{{.Total}}] REJECTED  {{.Path}}: {{.Reason}}", map[string]any{"Done": p.Done, "Total": p.Total, "Path": r.Path, "Reason": msg.ImportReason(r)}))
		}
	})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(sum); err != nil {
			return err
		}
	} else {
		p := map[string]any{"Files": len(sum.Files), "Seconds": fmt.Sprintf("%.1f", time.Since(start).Seconds()), "Accepted": sum.Accepted, "Duplicates": sum.Duplicates, "Rejected": sum.Rejected}
		fmt.Fprint(e.stdout, msg.Plural(len(sum.Files), lang.L("1 file in {{.Seconds}}s: accepted {{.Accepted}}, duplicates {{.Duplicates}}, rejected {{.Rejected}}", p),
			lang.L("{{.Files}} files in {{.Seconds}}s: accepted {{.Accepted}}, duplicates {{.Duplicates}}, rejected {{.Rejected}}", p)))
		if sum.Cancelled {
			fmt.Fprint(e.stdout, lang.L(", {{.Skipped}} not imported (cancelled)", map[string]any{"Skipped": sum.Skipped}))
		}
		fmt.Fprintln(e.stdout)
	}
	switch {
	case sum.Cancelled:
		return errors.New(lang.L("import cancelled: {{.Skipped}} files were not imported (every file imported is whole)", map[string]any{"Skipped": sum.Skipped}))
	case sum.Rejected > 0:
		p := map[string]any{"Rejected": sum.Rejected, "Files": len(sum.Files)}
		return errors.New(msg.Plural(len(sum.Files), lang.L("the file was rejected; nothing from it was stored"),
			lang.L("{{.Rejected}} of {{.Files}} files were rejected; nothing from them was stored", p)))
	case len(sum.Files) == 0:
		return errors.New(lang.L("no PDF file found"))
	}
	return nil
}

// trustText says in the user's language what vouches for a signer.
func trustText(t string) string {
	switch report.Trust(t) {
	case report.TrustOfficeCA:
		return lang.L("issued by the office CA")
	case report.TrustSelfSigned:
		return lang.L("self-signed")
	case report.TrustUnknown:
		return lang.L("issued by an unknown CA")
	}
	return t
}
