package main

import (
	"errors"
	"flag"
	"mingcha/inspect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
)

// The period and filter flags shared by the office commands.

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
