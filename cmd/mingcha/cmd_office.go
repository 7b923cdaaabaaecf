package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/app"
	"mingcha/docx"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// The 效能办's commands: import signed reports, the overview of a period,
// 整改 tracking, the 通报, the results workbook, 抽签, and the unit roster.

func init() {
	register(command{
		Name: "office config", Usage: "[--ca office-ca.pem] [--holidays FILE.json]",
		Summary: func() string {
			return lang.L("store the office CA (only reports it vouches for are imported) and the holiday calendar in the database")
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
	register(command{
		Name: "office overview", Usage: "--from DATE --to DATE | --period 2026-05|2026Q2|2026 [--department D] [--kind K] [--mode open|covert] [--json]",
		Summary: func() string {
			return lang.L("rank the units of a period, count ratings, group problems by category, list 重复问题 and inspectors' workload")
		},
		Run: cmdOfficeOverview,
	})
	register(command{
		Name: "office problems", Usage: "[--overdue] [--state open|rectified|verified] [--unit ID] [--department D] [--json]",
		Summary: func() string {
			return lang.L("list the 整改 of every imported problem: deadline, state, overdue (working days)")
		},
		Run: cmdOfficeProblems,
	})
	register(command{
		Name: "office rectify", Usage: "PROBLEM-ID [--note TEXT]",
		Summary: func() string { return lang.L("record that the unit reported a problem fixed (open → rectified)") }, Run: problemAction(inspect.ActionRectify),
	})
	register(command{
		Name: "office verify-fix", Usage: "PROBLEM-ID [--note TEXT]",
		Summary: func() string { return lang.L("confirm a reported fix (rectified → verified)") }, Run: problemAction(inspect.ActionVerify),
	})
	register(command{
		Name: "office reopen", Usage: "PROBLEM-ID [--note TEXT]",
		Summary: func() string { return lang.L("send a reported fix back (rectified → open)") }, Run: problemAction(inspect.ActionReopen),
	})
	register(command{
		Name: "office bulletin", Usage: "--from DATE --to DATE | --period P -o FILE.pdf [--office NAME] [--number 文号] [--intro-file F] [--closing-file F] [--deadline DATE] [--key office.p12]",
		Summary: func() string {
			return lang.L("write the 通报 of a period as a PDF signed with the office key (passphrase from MINGCHA_PASSPHRASE or asked)")
		},
		Run: cmdOfficeBulletin,
	})
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
	register(command{
		Name: "office export", Usage: "--from DATE --to DATE | --period P -o results.xlsx",
		Summary: func() string {
			return lang.L("write the results, problems, categories and workload of a period as an .xlsx workbook")
		},
		Run: cmdOfficeExport,
	})
	register(command{
		Name: "office draw", Usage: "--n N [--department D] [--kind K] [--seed S] [-o tasks.csv|tasks.xlsx]",
		Summary: func() string {
			return lang.L("抽签: draw N units at random, reproducible from the seed, recorded in the audit log, written as a task list")
		},
		Run: cmdOfficeDraw,
	})
	register(command{
		Name: "office history", Usage: "UNIT (id or name) [--json]",
		Summary: func() string {
			return lang.L("one unit's history: every imported report with its score, every problem with its 整改 state, and the 整改 timeline")
		},
		Run: cmdOfficeHistory,
	})
	register(command{
		Name: "templates export", Usage: "ID [--version N] [-o FILE.json]",
		Summary: func() string {
			return lang.L("write a stored template version (default: the newest) as the file inspectors import (templates import, or their Templates screen); stdout without -o")
		},
		Run: cmdTemplatesExport,
	})
	register(command{
		Name: "units import", Usage: "FILE.xlsx|FILE.csv [--good-rows]",
		Summary: func() string {
			return lang.L("import a unit roster; a file with bad rows imports nothing unless --good-rows")
		}, Run: cmdUnitsImport,
	})
	register(command{Name: "units export", Usage: "-o FILE.xlsx|FILE.csv", Summary: func() string { return lang.L("write the unit roster as .xlsx or .csv") }, Run: cmdUnitsExport})
	app.OfficeVerifier = guiVerifier
	app.WriteBulletin = windowBulletin
}

// guiVerifier is app.OfficeVerifier: the window's import checks reports
// exactly as office import does.
func guiVerifier(caPEM []byte) (store.ReportVerifier, error) {
	var roots *x509.CertPool
	if len(caPEM) > 0 {
		var err error
		if roots, err = report.ParseCertPool(caPEM); err != nil {
			return nil, fmt.Errorf("%s: %w", lang.L("office CA"), err)
		}
	}
	return report.OfficeVerifier(roots), nil
}

func cmdOfficeConfig(e *env, args []string) error {
	f := e.flags()
	caFile := f.String("ca", "", "office CA certificate (PEM), from ca init")
	holFile := f.String("holidays", "", `holiday calendar: {"off": ["2026-10-01", …], "workdays": ["2026-09-27", …]}`)
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	if *caFile != "" {
		data, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		pool, err := report.ParseCertPool(data)
		if err != nil || pool == nil {
			return fmt.Errorf("%s: %w", *caFile, err)
		}
		if err := s.PutSetting(whoami(), store.SettingOfficeCA, string(data)); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("office CA set from {{.Path}}: imports now accept only reports it vouches for", map[string]any{"Path": *caFile}))
	}
	if *holFile != "" {
		data, err := os.ReadFile(*holFile)
		if err != nil {
			return err
		}
		var cal struct {
			Off      []string `json:"off"`
			Workdays []string `json:"workdays"`
		}
		if err := json.Unmarshal(data, &cal); err != nil {
			return fmt.Errorf("%s: %w", *holFile, err)
		}
		for _, d := range append(append([]string(nil), cal.Off...), cal.Workdays...) {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return errors.New(lang.L("{{.File}}: {{.Value}} is not a date like 2026-10-01", map[string]any{"File": *holFile, "Value": strconv.Quote(d)}))
			}
		}
		if err := s.PutSetting(whoami(), store.SettingHolidays, cal); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("holiday calendar set: {{.Off}} days off, {{.Workdays}} make-up working days", map[string]any{"Off": len(cal.Off), "Workdays": len(cal.Workdays)}))
	}
	if *caFile == "" && *holFile == "" {
		var pemData string
		ok, err := s.Setting(store.SettingOfficeCA, &pemData)
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

// officeRoots is the CA pool: --ca if given, else the configured one, else
// nil (any valid signature; the trust is recorded with each report).
func officeRoots(s *store.Store, caFile string) (*x509.CertPool, error) {
	var data []byte
	if caFile != "" {
		var err error
		if data, err = os.ReadFile(caFile); err != nil {
			return nil, err
		}
	} else {
		var pemData string
		ok, err := s.Setting(store.SettingOfficeCA, &pemData)
		if err != nil || !ok {
			return nil, err
		}
		data = []byte(pemData)
	}
	pool, err := report.ParseCertPool(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("office CA"), err)
	}
	return pool, nil
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
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	roots, err := officeRoots(s, *caFile)
	if err != nil {
		return err
	}
	if roots == nil && !*asJSON {
		fmt.Fprintln(e.stderr, lang.L("no office CA is set: reports signed with any valid key are accepted (see mingcha office config --ca)"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	sum, err := s.ImportReports(ctx, whoami(), paths, report.OfficeVerifier(roots), func(p store.ImportProgress) {
		if *asJSON {
			return
		}
		r := p.Last
		switch r.Outcome {
		case store.ImportAccepted:
			extra := ""
			if r.Supersedes != "" {
				extra += ", replaces " + r.Supersedes
			}
			if r.FollowUps > 0 {
				extra += fmt.Sprintf(", 回访 changed %d earlier problems", r.FollowUps)
			}
			fmt.Fprintf(e.stdout, "[%d/%d] accepted  %s: %s %s %.2f, signed by %s (%s)%s\n", p.Done, p.Total, r.Path, r.ReportID, r.Unit, r.Score, r.Signer, r.Trust, extra)
		case store.ImportDuplicate:
			fmt.Fprintf(e.stdout, "[%d/%d] duplicate %s: %s\n", p.Done, p.Total, r.Path, app.LocalizeReason(r.ReasonKey, r.Reason, r.ReasonParams))
		case store.ImportRejected:
			fmt.Fprintf(e.stdout, "[%d/%d] REJECTED  %s: %s\n", p.Done, p.Total, r.Path, app.LocalizeReason(r.ReasonKey, r.Reason, r.ReasonParams))
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
		fmt.Fprint(e.stdout, lang.L("{{.Files}} files in {{.Seconds}}s: {{.Accepted}} accepted, {{.Duplicates}} duplicates, {{.Rejected}} rejected", map[string]any{
			"Files": len(sum.Files), "Seconds": fmt.Sprintf("%.1f", time.Since(start).Seconds()), "Accepted": sum.Accepted, "Duplicates": sum.Duplicates, "Rejected": sum.Rejected}))
		if sum.Cancelled {
			fmt.Fprint(e.stdout, lang.L(", {{.Skipped}} not imported (cancelled)", map[string]any{"Skipped": sum.Skipped}))
		}
		fmt.Fprintln(e.stdout)
	}
	switch {
	case sum.Cancelled:
		return errors.New(lang.L("import cancelled: {{.Skipped}} files were not imported (every file imported is whole)", map[string]any{"Skipped": sum.Skipped}))
	case sum.Rejected > 0:
		return errors.New(lang.L("{{.Rejected}} of {{.Files}} files were rejected; nothing from them was stored", map[string]any{"Rejected": sum.Rejected, "Files": len(sum.Files)}))
	case len(sum.Files) == 0:
		return errors.New(lang.L("no PDF file found"))
	}
	return nil
}

var (
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	quarterRE = regexp.MustCompile(`^(\d{4})[Qq]([1-4])$`)
	yearRE    = regexp.MustCompile(`^(\d{4})$`)
)

// periodFlags binds the period and filter flags shared by the office commands.
type periodFlags struct {
	from, to, period, department, kind, mode *string
}

func bindPeriod(f *flag.FlagSet, filters bool) *periodFlags {
	p := &periodFlags{
		from:   f.String("from", "", "first day of the period (2006-01-02)"),
		to:     f.String("to", "", "last day of the period, included (2006-01-02)"),
		period: f.String("period", "", "a month (2026-05), a quarter (2026Q2) or a year (2026), instead of --from/--to"),
	}
	empty := ""
	p.department, p.kind, p.mode = &empty, &empty, &empty
	if filters {
		p.department = f.String("department", "", "only units of this department")
		p.kind = f.String("kind", "", "only units of this kind: office, window, service_center, other")
		p.mode = f.String("mode", "", "only inspections of this mode: open (明查) or covert (暗访)")
	}
	return p
}

func parseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), time.Local)
	if err != nil {
		return time.Time{}, errors.New(lang.L("{{.Value}} is not a date like 2026-05-31", map[string]any{"Value": strconv.Quote(s)}))
	}
	return t, nil
}

// filter turns the flags into a filter; required: a period must be named.
func (p *periodFlags) filter(required bool) (inspect.Filter, error) {
	var f inspect.Filter
	switch {
	case *p.period != "":
		v := strings.TrimSpace(*p.period)
		if m := monthRE.FindStringSubmatch(v); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			if mo < 1 || mo > 12 {
				return f, errors.New(lang.L("--period {{.Value}}: no month {{.Month}}", map[string]any{"Value": strconv.Quote(v), "Month": mo}))
			}
			f.From = time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.Local)
			f.To = f.From.AddDate(0, 1, 0)
		} else if m := quarterRE.FindStringSubmatch(v); m != nil {
			y, _ := strconv.Atoi(m[1])
			q, _ := strconv.Atoi(m[2])
			f.From = time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.Local)
			f.To = f.From.AddDate(0, 3, 0)
		} else if m := yearRE.FindStringSubmatch(v); m != nil {
			y, _ := strconv.Atoi(m[1])
			f.From = time.Date(y, 1, 1, 0, 0, 0, 0, time.Local)
			f.To = f.From.AddDate(1, 0, 0)
		} else {
			return f, errors.New(lang.L("--period {{.Value}} is not a month (2026-05), quarter (2026Q2) or year (2026)", map[string]any{"Value": strconv.Quote(v)}))
		}
	case *p.from != "" || *p.to != "":
		if *p.from == "" || *p.to == "" {
			return f, errors.New(lang.L("give both --from and --to"))
		}
		from, err := parseDate(*p.from)
		if err != nil {
			return f, err
		}
		to, err := parseDate(*p.to)
		if err != nil {
			return f, err
		}
		if to.Before(from) {
			return f, errors.New(lang.L("--to is before --from"))
		}
		f.From, f.To = from, to.AddDate(0, 0, 1)
	case required:
		return f, errors.New(lang.L("name the period: --from and --to, or --period"))
	}
	f.Department = strings.TrimSpace(*p.department)
	if *p.kind != "" {
		k := inspect.UnitKind(*p.kind)
		valid := false
		for _, x := range inspect.UnitKinds {
			valid = valid || x == k
		}
		if !valid {
			return f, errors.New(lang.L("--kind {{.Value}} is not office, window, service_center or other", map[string]any{"Value": strconv.Quote(*p.kind)}))
		}
		f.Kind = k
	}
	if *p.mode != "" {
		m := inspect.Mode(*p.mode)
		if !m.Valid() {
			return f, errors.New(lang.L("--mode {{.Value}} is not open or covert", map[string]any{"Value": strconv.Quote(*p.mode)}))
		}
		f.Mode = m
	}
	return f, nil
}

func cmdOfficeOverview(e *env, args []string) error {
	fs := e.flags()
	pf := bindPeriod(fs, true)
	asJSON := fs.Bool("json", false, "print the overview as JSON")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	f, err := pf.filter(false)
	if err != nil {
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	o, err := s.Overview(f)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	}
	printOverview(e, o)
	fmt.Fprintln(e.stderr, lang.L("({{.Reports}} reports summarised in {{.Seconds}}s)", map[string]any{"Reports": o.Totals.Inspections, "Seconds": fmt.Sprintf("%.3f", time.Since(start).Seconds())}))
	return nil
}

func printOverview(e *env, o *inspect.Overview) {
	t := o.Totals
	w := e.stdout
	period := lang.L("all time")
	if !o.Filter.From.IsZero() {
		period = o.Filter.From.Format(time.DateOnly) + " – " + o.Filter.To.AddDate(0, 0, -1).Format(time.DateOnly)
	}
	fmt.Fprintln(w, lang.L("{{.Period}}: {{.Inspections}} inspections (明查 {{.Open}}, 暗访 {{.Covert}}) of {{.Units}} units, average {{.Average}}, {{.Problems}} problems ({{.Repeats}} 重复问题), {{.Vetoes}} 一票否决",
		map[string]any{"Period": period, "Inspections": t.Inspections, "Open": t.Open, "Covert": t.Covert, "Units": t.Units,
			"Average": fmt.Sprintf("%.2f", t.Average), "Problems": t.Problems, "Repeats": t.Repeats, "Vetoes": t.Vetoes}))
	if p := o.Previous; p != nil && o.PrevFilter != nil {
		fmt.Fprintln(w, lang.L("previous period {{.From}} – {{.To}}: {{.Inspections}} inspections, average {{.Average}}, {{.Problems}} problems", map[string]any{
			"From": o.PrevFilter.From.Format(time.DateOnly), "To": o.PrevFilter.To.AddDate(0, 0, -1).Format(time.DateOnly),
			"Inspections": p.Inspections, "Average": fmt.Sprintf("%.2f", p.Average), "Problems": p.Problems}))
	}
	var rs []string
	for _, r := range o.Ratings {
		rs = append(rs, fmt.Sprintf("%s %d", r.Rating, r.Units))
	}
	fmt.Fprintf(w, "%s\n\n排名:\n", lang.L("ratings: {{.Ratings}}", map[string]any{"Ratings": strings.Join(rs, ", ")}))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, r := range o.Ranking {
		veto := ""
		if r.Veto {
			veto = " (一票否决)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%g\t%s%s\t%s\t%s\n", r.Rank, r.UnitName, r.Department, r.Score, r.Rating, veto, r.Mode.Label(), r.ReportID)
	}
	_ = tw.Flush()
	fmt.Fprintln(w, "\n主要问题:")
	for _, c := range o.Categories {
		var names []string
		for i, u := range c.Named {
			if i == 10 {
				names = append(names, fmt.Sprintf("…（共%d家，完整名单见 --json 或 office export）", len(c.Named)))
				break
			}
			names = append(names, u.UnitName)
		}
		fmt.Fprintf(w, "  %s（%d处）：%s\n", inspect.CategoryHeadline(c), c.Problems, strings.Join(names, "、"))
	}
	if len(o.Repeats) > 0 {
		fmt.Fprintln(w, "\n重复问题:")
		for _, p := range o.Repeats {
			fmt.Fprintf(w, "  %s %s (earlier: %s)\n", p.ID, p.Description, strings.Join(p.RepeatOf, ", "))
		}
	}
	fmt.Fprintln(w, "\n督查员工作量:")
	tw = tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, l := range o.Workload {
		fmt.Fprintf(tw, "  %s\t%d inspections\t%d units\t明查 %d\t暗访 %d\t%d problems\n", l.Inspector, l.Inspections, l.Units, l.Open, l.Covert, l.Problems)
	}
	_ = tw.Flush()
}

func cmdOfficeProblems(e *env, args []string) error {
	fs := e.flags()
	overdue := fs.Bool("overdue", false, "only open problems past their deadline")
	state := fs.String("state", "", "only problems in this state: open, rectified, verified")
	unit := fs.String("unit", "", "only problems of this unit id")
	dept := fs.String("department", "", "only problems of units of this department")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	now := time.Now()
	pf := inspect.ProblemFilter{UnitID: *unit, Department: *dept}
	if *overdue {
		pf.OverdueAt = now
	}
	if *state != "" {
		st := inspect.ProblemState(*state)
		if st != inspect.ProblemOpen && st != inspect.ProblemRectified && st != inspect.ProblemVerified {
			return errors.New(lang.L("--state {{.Value}} is not open, rectified or verified", map[string]any{"Value": strconv.Quote(*state)}))
		}
		pf.States = []inspect.ProblemState{st}
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.OfficeProblems(pf, now)
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []store.OfficeProblem{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, p := range list {
		late := ""
		if p.Overdue {
			late = fmt.Sprintf("OVERDUE %d working days", p.DaysLate)
		}
		flags := ""
		if p.Repeat {
			flags = "重复问题"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\tdeadline %s\t%s\t%s\t%s\n", p.ID, p.UnitName, sheet.StateLabel(p.State), truncate(p.Description, 30),
			p.Deadline.Format(time.DateOnly), late, flags, p.FollowUp)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, lang.L("{{.Problems}} problems", map[string]any{"Problems": len(list)}))
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func problemAction(a inspect.Action) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		fs := e.flags()
		note := fs.String("note", "", "what was done or found")
		rest, err := e.parse(fs, args)
		if err != nil {
			return err
		}
		if len(rest) != 1 {
			fs.Usage()
			return errUsage
		}
		s, err := e.open(false)
		if err != nil {
			return err
		}
		defer s.Close()
		p, err := s.ChangeProblem(whoami(), rest[0], a, *note)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", p.ID, sheet.StateLabel(p.State))
		return nil
	}
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
	office := fs.String("office", "", "the issuing office, e.g. 区机关效能建设办公室 (default: the key's organisation or name)")
	number := fs.String("number", "", "文号, e.g. 效能通〔2026〕5号")
	title := fs.String("title", "", "title (default: 关于<period>机关服务效能明查暗访情况的通报)")
	introFile := fs.String("intro-file", "", "text file with the opening paragraph(s)")
	closingFile := fs.String("closing-file", "", "text file with the closing paragraph(s)")
	deadline := fs.String("deadline", "", "date by which units report their 整改 back (default: 15 working days after --date)")
	dateFlag := fs.String("date", "", "date of the 通报 (default: today)")
	key := fs.String("key", "", "the office's encrypted identity (.p12, e.g. from ca issue); default identity.p12 beside the database")
	unsigned := fs.Bool("unsigned", false, "write the PDF without a digital signature (a proof marked 校样 on every page)")
	force := forceFlag(fs)
	recipients := fs.String("recipients", "", "主送机关 (default: 各有关单位)")
	cc := fs.String("cc", "", "抄送 in the 版记, e.g. 区纪委监委，区委组织部")
	docxOut := fs.String("docx", "", "also write the 通报 as a .docx (WPS/Word) to this file")
	draftOut := fs.String("draft", "", "write the generated 正文 as an editable text draft to this file, and nothing else")
	fromDraft := fs.String("from-draft", "", "use the 正文 of this edited text draft (from --draft)")
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
	req := app.BulletinRequest{Filter: f, Office: *office, Number: *number, Title: *title, Date: time.Now(), KeyPath: *key, Unsigned: *unsigned,
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
		req.Deadline = time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, d.Location())
	}
	if req.Intro, err = readOptional(*introFile); err != nil {
		return err
	}
	if req.Closing, err = readOptional(*closingFile); err != nil {
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	if *draftOut != "" {
		b, err := bulletinOf(s, req)
		if err != nil {
			return err
		}
		g, err := report.BulletinDocument(b)
		if err != nil {
			return err
		}
		if err := writeOutput(e.dbPath, *draftOut, []byte(report.DraftText(g.Body)), *force); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: draft of the 通报, {{.Count}} paragraphs", map[string]any{"File": *draftOut, "Count": len(g.Body)}))
		return nil
	}
	res, err := writeBulletin(s, req, *out, *force, func(path string) (string, error) {
		return e.passphrase("MINGCHA_PASSPHRASE", lang.L("passphrase of {{.Path}}", map[string]any{"Path": path}))
	})
	if err != nil {
		return err
	}
	state := lang.L("signed by {{.Signer}}", map[string]any{"Signer": res.Signer})
	if res.Signer == "" {
		state = lang.L("signed by nobody (draft)")
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: 通报 of {{.Inspections}} inspections, {{.Units}} units, {{.Problems}} problems, {{.KB}} KB, {{.State}}", map[string]any{
		"File": *out, "Inspections": res.Inspections, "Units": res.Units, "Problems": res.Problems, "KB": (res.Size + 1023) / 1024, "State": state}))
	return nil
}

// windowBulletin is app.WriteBulletin: the 通报 tab writes through the
// command's code; the passphrase comes from the window (or, when it left
// it empty, MINGCHA_PASSPHRASE).
func windowBulletin(s *store.Store, req app.BulletinRequest, path string) (app.BulletinResult, error) {
	return writeBulletin(s, req, path, true, func(string) (string, error) {
		if req.Passphrase != "" {
			return req.Passphrase, nil
		}
		if p := os.Getenv("MINGCHA_PASSPHRASE"); p != "" {
			return p, nil
		}
		return "", errNeedPassphrase
	})
}

// writeBulletin renders the 通报 of req's period, signs it with the office
// key (unless req.Unsigned) and writes it to out (temp file, fsync,
// rename). The key is opened first, so that a wrong passphrase costs no
// rendering; ask gives the passphrase of the key file it is called with.
func writeBulletin(s *store.Store, req app.BulletinRequest, out string, force bool, ask func(path string) (string, error)) (app.BulletinResult, error) {
	var res app.BulletinResult
	if err := s.RefuseOutput(out); err != nil {
		return res, err
	}
	if _, err := os.Stat(out); err == nil && !force {
		return res, store.WriteOutput(out, nil, false) // names the existing file
	}
	b := report.Bulletin{
		Office: strings.TrimSpace(req.Office), Number: strings.TrimSpace(req.Number), Title: strings.TrimSpace(req.Title),
		Date: req.Date, Deadline: req.Deadline, Intro: req.Intro, Closing: req.Closing,
		Recipients: req.Recipients, CC: req.CC, Proof: req.Unsigned, Edited: req.Edited,
		Fonts: report.FindGongwenFonts(gongwenFontDirs(), nil),
	}
	if b.Date.IsZero() {
		b.Date = time.Now()
	}
	var id *report.Identity
	if !req.Unsigned {
		keyPath := strings.TrimSpace(req.KeyPath)
		if keyPath == "" {
			keyPath = defaultKeyPath(s.Path(), false)
		}
		data, err := os.ReadFile(keyPath)
		if err != nil {
			return res, fmt.Errorf("%s: %w %s", lang.L("the office key"), err, lang.L("(issue one with ca issue, or write an unsigned draft)"))
		}
		pass, err := ask(keyPath)
		if err != nil {
			return res, err
		}
		if id, err = report.LoadP12(data, pass); err != nil {
			return res, fmt.Errorf("%s: %w", keyPath, err)
		}
		if b.Office == "" {
			b.Office = id.Cert.Subject.CommonName
			if len(id.Cert.Subject.Organization) > 0 {
				b.Office = id.Cert.Subject.Organization[0]
			}
		}
	}
	var err error
	if b.Overview, err = s.Overview(req.Filter); err != nil {
		return res, err
	}
	if b.Trend, err = trendOf(s, req.Filter); err != nil {
		return res, err
	}
	pdf, err := report.RenderBulletin(&b)
	if err != nil {
		return res, err
	}
	if req.DocxPath != "" {
		doc, err := report.BulletinDocx(&b, docx.DefaultFonts)
		if err != nil {
			return res, err
		}
		if err := s.RefuseOutput(req.DocxPath); err != nil {
			return res, err
		}
		if err := store.WriteOutput(req.DocxPath, doc, force); err != nil {
			return res, fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": req.DocxPath}), err)
		}
	}
	if id != nil {
		res.Signer = firstNonBlank(b.Office, id.Cert.Subject.CommonName)
		if pdf, err = report.SignWithReason(pdf, id, res.Signer, "通报签发 / bulletin", time.Now()); err != nil {
			return res, err
		}
		res.Signer = id.Cert.Subject.CommonName
	}
	if err := store.WriteOutput(out, pdf, force); err != nil {
		return res, fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": out}), err)
	}
	t := b.Overview.Totals
	res.Inspections, res.Units, res.Problems, res.Size = t.Inspections, t.Units, t.Problems, len(pdf)
	return res, nil
}

// bulletinOf is the 通报 of req without a key: for its draft.
func bulletinOf(s *store.Store, req app.BulletinRequest) (*report.Bulletin, error) {
	b := &report.Bulletin{Office: strings.TrimSpace(req.Office), Number: strings.TrimSpace(req.Number), Title: strings.TrimSpace(req.Title),
		Date: req.Date, Deadline: req.Deadline, Intro: req.Intro, Closing: req.Closing, Recipients: req.Recipients, CC: req.CC}
	var err error
	if b.Overview, err = s.Overview(req.Filter); err != nil {
		return nil, err
	}
	return b, nil
}

// trendOf is the 12 months up to the end of the period, for the 通报's 附件.
func trendOf(s *store.Store, f inspect.Filter) ([]inspect.TrendPoint, error) {
	if f.To.IsZero() {
		return nil, nil
	}
	all, err := s.OfficeResults()
	if err != nil {
		return nil, err
	}
	return inspect.Trend(all, f.To.Add(-time.Nanosecond), 12), nil
}

// gongwenFontDirs are where the office's installed 公文 fonts are looked for.
func gongwenFontDirs() []string {
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

func cmdOfficeExport(e *env, args []string) error {
	fs := e.flags()
	pf := bindPeriod(fs, true)
	out := fs.String("o", "", "output .xlsx file")
	force := forceFlag(fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	f, err := pf.filter(false)
	if err != nil {
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	o, err := s.Overview(f)
	if err != nil {
		return err
	}
	hol, err := s.Holidays()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.WriteResults(&buf, o, sheet.ResultsOptions{Now: time.Now(), Holidays: hol}); err != nil {
		return err
	}
	if err := writeOutput(e.dbPath, *out, buf.Bytes(), *force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: {{.Results}} results, {{.Problems}} problems", map[string]any{"File": *out, "Results": len(o.Results), "Problems": o.Totals.Problems}))
	return nil
}

func cmdOfficeDraw(e *env, args []string) error {
	fs := e.flags()
	n := fs.Int("n", 0, "how many units to draw")
	dept := fs.String("department", "", "draw only among units of this department")
	kind := fs.String("kind", "", "draw only among units of this kind: office, window, service_center, other")
	seed := fs.String("seed", "", "the seed (default: a fresh random one, printed and recorded)")
	out := fs.String("o", "", "write the task list to this .csv or .xlsx file")
	recent := fs.Int("skip-recent", 0, "leave out units inspected in the last N days")
	force := forceFlag(fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		fs.Usage()
		return errUsage
	}
	filter := inspect.DrawFilter{Department: strings.TrimSpace(*dept), Kind: inspect.UnitKind(*kind)}
	format := ""
	if *out != "" {
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".csv":
			format = "csv"
		case ".xlsx":
			format = "xlsx"
		default:
			return errors.New(lang.L("-o {{.File}}: the task list is written as .csv or .xlsx", map[string]any{"File": *out}))
		}
		// Refused before the draw is recorded, not after.
		if err := store.RefuseOutput(e.dbPath, *out); err != nil {
			return err
		}
		if _, err := os.Stat(*out); err == nil && !*force {
			return store.WriteOutput(*out, nil, false)
		}
	}
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	units, err := s.Units()
	if err != nil {
		return err
	}
	// Without a roster, draw from the units the imported reports name.
	seen, err := s.OfficeUnits()
	if err != nil {
		return err
	}
	last := map[string]time.Time{}
	for _, u := range seen {
		last[u.UnitID] = u.Last
	}
	if len(units) == 0 {
		for _, u := range seen {
			units = append(units, inspect.Unit{ID: u.UnitID, Name: u.UnitName, Department: u.Department, Kind: u.Kind})
		}
	}
	units = inspect.ExcludeRecent(units, last, time.Now(), *recent)
	sd := strings.TrimSpace(*seed)
	if sd == "" {
		sd = inspect.NewSeed()
	}
	d, err := inspect.DrawUnits(units, filter, *n, sd, time.Now())
	if err != nil {
		return err
	}
	if err := s.SaveDraw(whoami(), d); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("draw {{.Seq}}: {{.Drawn}} of {{.Candidates}} candidates, seed {{.Seed}}", map[string]any{"Seq": d.Seq, "Drawn": len(d.Drawn), "Candidates": len(d.Candidates), "Seed": d.Seed}))
	for _, u := range d.Drawn {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", u.Order, u.UnitID, u.Name, u.Department)
	}
	if format != "" {
		var buf bytes.Buffer
		if err := sheet.WriteTaskList(&buf, d, format); err != nil {
			return err
		}
		if err := writeOutput(e.dbPath, *out, buf.Bytes(), *force); err != nil {
			return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
		}
		fmt.Fprintln(e.stdout, lang.L("task list: {{.File}}", map[string]any{"File": *out}))
	}
	return nil
}

func cmdOfficeHistory(e *env, args []string) error {
	fs := e.flags()
	asJSON := fs.Bool("json", false, "print the history as JSON")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return errUsage
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	h, err := s.UnitHistory(rest[0], time.Now())
	if errors.Is(err, store.ErrNotFound) {
		return errors.New(lang.L("no imported report names unit {{.Unit}}", map[string]any{"Unit": strconv.Quote(rest[0])}))
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(h)
	}
	fmt.Fprintf(e.stdout, "%s\n\n", lang.L("{{.Department}} {{.Unit}} ({{.UnitID}}): {{.Reports}} reports, {{.Problems}} problems, {{.Open}} open", map[string]any{
		"Department": h.Department, "Unit": h.UnitName, "UnitID": h.UnitID, "Reports": h.OfficeUnit.Reports, "Problems": h.OfficeUnit.Problems, "Open": h.Open}))
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, r := range h.Reports {
		note := ""
		if r.SupersededBy != "" {
			note = "replaced by " + r.SupersededBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%g %s\t%d problems\t%s\t%s\n", r.ObservedAt.Format("2006-01-02 15:04"), r.ReportID,
			r.Mode.Label(), r.Score, r.Rating, len(r.Problems), strings.Join(r.Inspectors, "、"), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\n问题:")
	tw = tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, p := range h.Problems {
		flags := ""
		if p.Overdue {
			flags = fmt.Sprintf("OVERDUE %d working days", p.DaysLate)
		}
		if p.Repeat {
			flags = strings.TrimSpace(flags + " 重复问题")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\tdeadline %s\t%s\t%s\n", p.ID, sheet.StateLabel(p.State), truncate(p.Description, 30),
			p.Deadline.Format(time.DateOnly), flags, p.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\n整改:")
	tw = tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, ev := range h.Timeline {
		var what string
		switch ev.Kind {
		case store.EventInspected:
			what = fmt.Sprintf("检查 %s: %g %s, %d problems", ev.ReportID, ev.Score, ev.Rating, ev.Problems)
		case store.EventSuperseded:
			what = fmt.Sprintf("报告 %s replaced by %s", ev.ReportID, ev.By)
		case store.EventFollowUp:
			what = fmt.Sprintf("回访 %s: %s %s", ev.By, sheet.StateLabel(ev.State), ev.ProblemID)
		default:
			what = fmt.Sprintf("%s %s", sheet.StateLabel(ev.State), ev.ProblemID)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", ev.At.Local().Format("2006-01-02 15:04"), what, ev.Note, ev.Who)
	}
	return tw.Flush()
}

func cmdTemplatesExport(e *env, args []string) error {
	fs := e.flags()
	version := fs.Int("version", 0, "the version to export (default: the newest)")
	out := fs.String("o", "", "output file (default: stdout)")
	force := forceFlag(fs)
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *version < 0 {
		fs.Usage()
		return errUsage
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	data, t, err := s.TemplateFile(rest[0], *version)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := writeOutput(e.dbPath, *out, data, *force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: {{.Template}} v{{.Version}} ({{.Title}}), {{.Items}} items", map[string]any{"File": *out, "Template": t.ID, "Version": t.Version, "Title": t.Title, "Items": len(t.Items())}))
	return nil
}

func cmdUnitsImport(e *env, args []string) error {
	fs := e.flags()
	good := fs.Bool("good-rows", false, "import the good rows of a file that has bad ones")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		fs.Usage()
		return errUsage
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	ro, err := sheet.ReadRoster(rest[0], data)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	for _, re := range ro.Errors {
		fmt.Fprintf(e.stdout, "%s: %s\n", rest[0], rowMessage(re))
	}
	if len(ro.Errors) > 0 && !*good {
		return errors.New(lang.L("{{.File}} has {{.Bad}} bad rows; nothing was imported (fix them, or import the {{.Good}} good rows with --good-rows)",
			map[string]any{"File": rest[0], "Bad": len(ro.Errors), "Good": len(ro.Units)}))
	}
	if len(ro.Units) == 0 {
		return errors.New(lang.L("{{.File}} has no unit to import", map[string]any{"File": rest[0]}))
	}
	s, err := e.open(false)
	if err != nil {
		return err
	}
	defer s.Close()
	created, updated, err := s.ImportUnits(whoami(), ro.Units)
	if err != nil {
		return err
	}
	fmt.Fprint(e.stdout, lang.L("{{.File}} ({{.Encoding}}): {{.Units}} units, {{.New}} new, {{.Updated}} updated, {{.Unchanged}} unchanged", map[string]any{
		"File": rest[0], "Encoding": ro.Encoding, "Units": len(ro.Units), "New": created, "Updated": updated, "Unchanged": len(ro.Units) - created - updated}))
	if len(ro.Errors) > 0 {
		fmt.Fprint(e.stdout, lang.L("; {{.Bad}} bad rows left out", map[string]any{"Bad": len(ro.Errors)}))
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// rowMessage is a roster error in the user's language where a translation
// exists.
func rowMessage(re sheet.RowError) string {
	return cliMessage(&inspect.Error{Code: inspect.ECodeInvalid, Key: re.Key, Params: re.Params, Message: re.Message})
}

func cmdUnitsExport(e *env, args []string) error {
	fs := e.flags()
	out := fs.String("o", "", "output file, .xlsx or .csv")
	force := forceFlag(fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	units, err := s.Units()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".xlsx":
		err = sheet.WriteRosterXLSX(&buf, units)
	case ".csv":
		err = sheet.WriteRosterCSV(&buf, units)
	default:
		return errors.New(lang.L("-o {{.File}}: the roster is written as .xlsx or .csv", map[string]any{"File": *out}))
	}
	if err != nil {
		return err
	}
	if err := writeOutput(e.dbPath, *out, buf.Bytes(), *force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: {{.Units}} units", map[string]any{"File": *out, "Units": len(units)}))
	return nil
}
