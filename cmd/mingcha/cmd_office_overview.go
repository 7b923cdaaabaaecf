package main

import (
	"encoding/json"
	"fmt"
	"mingcha/inspect"
	"strings"
	"text/tabwriter"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The 效能办's overview of a period and its results workbook.

func init() {
	register(command{
		Name: "office overview", Usage: "--from DATE --to DATE | --period 2026-05|2026Q2|2026 [--department D] [--kind K] [--mode open|covert] [--json]",
		Summary: func() string {
			return lang.L("rank the units of a period, count ratings, group problems by category, list 重复问题 and inspectors' workload")
		},
		Run: cmdOfficeOverview,
	})
	register(command{
		Name: "office export", Usage: "--from DATE --to DATE | --period P -o results.xlsx",
		Summary: func() string {
			return lang.L("write the results, problems, categories and workload of a period as an .xlsx workbook")
		},
		Run: cmdOfficeExport,
	})
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
	off, err := e.office(true)
	if err != nil {
		return err
	}
	defer off.Store.Close()
	start := time.Now()
	o, err := off.Overview(f)
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
		period = inspect.PeriodLabel(o.Filter.From, o.Filter.To)
	}
	fmt.Fprintln(w, lang.L("{{.Period}}: {{.Inspections}} inspections (明查 {{.Open}}, 暗访 {{.Covert}}) of {{.Units}} units, average {{.Average}}, {{.Problems}} problems ({{.Repeats}} 重复问题), {{.Vetoes}} 一票否决",
		map[string]any{"Period": period, "Inspections": t.Inspections, "Open": t.Open, "Covert": t.Covert, "Units": t.Units,
			"Average": fmt.Sprintf("%.2f", t.Average), "Problems": t.Problems, "Repeats": t.Repeats, "Vetoes": t.Vetoes}))
	if p := o.Previous; p != nil && o.PrevFilter != nil {
		fmt.Fprintln(w, lang.L("previous period {{.From}} – {{.To}}: {{.Inspections}} inspections, average {{.Average}}, {{.Problems}} problems", map[string]any{
			"From": inspect.FormatDate(o.PrevFilter.From), "To": inspect.FormatDate(o.PrevFilter.To.AddDate(0, 0, -1)),
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
	off, err := e.office(true)
	if err != nil {
		return err
	}
	defer off.Store.Close()
	o, err := off.ExportResults(f, *out, *force)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: {{.Results}} results, {{.Problems}} problems", map[string]any{"File": *out, "Results": len(o.Results), "Problems": o.Totals.Problems}))
	return nil
}
