package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"mingcha/inspect"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The period and filter flags shared by the office commands.

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
		p.mode = f.String("mode", "", "only inspections of this mode: open or covert")
	}
	return p
}

// parseDate reads a date of the office's zone (inspect.ParseDate).
func parseDate(s string) (time.Time, error) {
	t, err := inspect.ParseDate(s)
	if err != nil {
		return time.Time{}, errors.New(lang.L("{{.Value}} is not a date like 2026-05-31", map[string]any{"Value": strconv.Quote(s)}))
	}
	return t, nil
}

// filter turns the flags into a filter; required: a period must be named.
// The period is read by inspect (ParsePeriod, ParseRange), as the window
// reads it; the messages name the flags.
func (p *periodFlags) filter(required bool) (inspect.Filter, error) {
	var f inspect.Filter
	var err error
	switch {
	case *p.period != "":
		if f.From, f.To, err = inspect.ParsePeriod(*p.period); err != nil {
			var e *inspect.Error
			if errors.As(err, &e) && e.Key == "period.no_month" {
				return f, errors.New(lang.L("--period {{.Value}}: no month {{.Month}}", e.Params))
			}
			return f, errors.New(lang.L("--period {{.Value}} is not a month (2026-05), quarter (2026Q2) or year (2026)",
				map[string]any{"Value": strconv.Quote(strings.TrimSpace(*p.period))}))
		}
	case *p.from != "" || *p.to != "":
		if *p.from == "" || *p.to == "" {
			return f, errors.New(lang.L("give both --from and --to"))
		}
		for _, v := range []string{*p.from, *p.to} {
			if _, err := parseDate(v); err != nil {
				return f, err
			}
		}
		if f.From, f.To, err = inspect.ParseRange(*p.from, *p.to); err != nil {
			return f, errors.New(lang.L("--to is before --from"))
		}
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

// isGroup reports whether name is the first word of commands ("office",
// "units", "templates" …) that has no command of its own.
func isGroup(name string) bool {
	if _, ok := commands[name]; ok {
		return false
	}
	for n := range commands {
		if strings.HasPrefix(n, name+" ") {
			return true
		}
	}
	return false
}

// groupUsage lists the commands of a group with their summaries.
func groupUsage(w io.Writer, group string) {
	fmt.Fprintln(w, lang.L("usage:")+" mingcha "+group+" COMMAND [--db PATH] ...  "+lang.L("(COMMAND --help for details)"))
	fmt.Fprintln(w, "\n"+lang.L("commands:"))
	var names []string
	for n := range commands {
		if strings.HasPrefix(n, group+" ") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-20s %s\n", n, commands[n].Summary())
	}
}
