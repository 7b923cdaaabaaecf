package main

import (
	"encoding/json"
	"fmt"
	"mingcha/inspect"
	"mingcha/msg"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The 效能办's overview of a period and its results workbook.

func init() {
	register(command{
		Name: "office overview", Usage: "--from DATE --to DATE | --period 2026-05|2026Q2|2026 [--department D] [--kind K] [--mode open|covert] [--json]",
		Summary: func() string {
			return lang.L("rank the units of a period, count ratings, group problems by category, list repeated problems and inspectors' workload")
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
	fmt.Fprintln(w, lang.L("{{.Period}}: {{.Inspections}} inspections ({{.Open}} open, {{.Covert}} covert) of {{.Units}} units, average {{.Average}}, {{.Problems}} problems ({{.Repeats}} repeated), {{.Vetoes}} vetoed",
		map[string]any{"Period": period, "Inspections": t.Inspections, "Open": t.Open, "Covert": t.Covert, "Units": t.Units,
			"Average": fmt.Sprintf("%.2f", t.Average), "Problems": t.Problems, "Repeats": t.Repeats, "Vetoes": t.Vetoes}))
	if c := msg.Comparison(o); c != "" {
		fmt.Fprintln(w, c)
	}
	var rs []string
	for _, r := range o.Ratings {
		rs = append(rs, fmt.Sprintf("%s %d", msg.Rating(r.Rating), r.Units))
	}
	fmt.Fprintf(w, "%s\n\n%s\n", lang.L("ratings: {{.Ratings}}", map[string]any{"Ratings": strings.Join(rs, lang.L(", "))}), lang.L("Ranking:"))
	tw := newTable(w)
	for _, r := range o.Ranking {
		veto := ""
		if r.Veto {
			veto = lang.L(" (veto)")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%g\t%s%s\t%s\t%s\n", r.Rank, r.UnitName, r.Department, r.Score, msg.Rating(r.Rating), veto, modeName(r.Mode), r.ReportID)
	}
	_ = tw.Flush()
	fmt.Fprintln(w, "\n"+lang.L("Main problems:"))
	for _, c := range o.Categories {
		var names []string
		for i, u := range c.Named {
			if i == 10 {
				names = append(names, lang.L("… ({{.Count}} units in all; the full list with --json or office export)", map[string]any{"Count": len(c.Named)}))
				break
			}
			names = append(names, u.UnitName)
		}
		fmt.Fprintln(w, "  "+lang.L("{{.Category}} (units {{.Units}}, problems {{.Count}}): {{.Names}}", map[string]any{"Category": c.Category, "Units": c.Units, "Count": c.Problems, "Names": strings.Join(names, lang.L(", "))}))
	}
	if len(o.Repeats) > 0 {
		fmt.Fprintln(w, "\n"+lang.L("Repeated problems:"))
		for _, p := range o.Repeats {
			fmt.Fprintln(w, "  "+lang.L("{{.ID}} {{.Problem}} (earlier: {{.Earlier}})", map[string]any{"ID": p.ID, "Problem": p.Description, "Earlier": strings.Join(p.RepeatOf, ", ")}))
		}
	}
	fmt.Fprintln(w, "\n"+lang.L("Inspectors' workload:"))
	tw = newTable(w)
	for _, l := range o.Workload {
		fmt.Fprintf(tw, "  %s\t%s\n", l.Inspector, lang.L("inspections {{.Inspections}}, units {{.Units}} (open {{.Open}}, covert {{.Covert}}), problems {{.Problems}}",
			map[string]any{"Inspections": l.Inspections, "Units": l.Units, "Open": l.Open, "Covert": l.Covert, "Problems": l.Problems}))
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

// modeName is 明查 / 暗访 in the user's language.
func modeName(m inspect.Mode) string {
	if m == inspect.ModeCovert {
		return lang.L("covert")
	}
	return lang.L("open")
}
