package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// 整改 tracking: the problems, their state changes and one unit's history.

func init() {
	register(command{
		Name: "office problems", Usage: "[--overdue] [--state open|rectified|verified] [--unit ID] [--department D] [--json]",
		Summary: func() string {
			return lang.L("list the rectification of every imported problem: deadline, state, overdue (working days)")
		},
		Run: cmdOfficeProblems,
	})
	register(command{
		Name: "office rectify", Usage: "PROBLEM-ID… [--note TEXT]",
		Summary: func() string { return lang.L("record that the unit reported a problem fixed (open → rectified)") }, Run: problemAction(inspect.ActionRectify),
	})
	register(command{
		Name: "office verify-fix", Usage: "PROBLEM-ID… [--note TEXT]",
		Summary: func() string { return lang.L("confirm a reported fix (rectified → verified)") }, Run: problemAction(inspect.ActionVerify),
	})
	register(command{
		Name: "office reopen", Usage: "PROBLEM-ID… [--note TEXT]",
		Summary: func() string { return lang.L("send a reported fix back (rectified → open)") }, Run: problemAction(inspect.ActionReopen),
	})
	register(command{
		Name: "office history", Usage: "UNIT (id or name) [--json]",
		Summary: func() string {
			return lang.L("one unit's history: every imported report with its score, every problem with its rectification state, and the rectification timeline")
		},
		Run: cmdOfficeHistory,
	})
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
	pf := inspect.ProblemFilter{UnitID: *unit, Department: *dept}
	if *state != "" {
		st := inspect.ProblemState(*state)
		if st != inspect.ProblemOpen && st != inspect.ProblemRectified && st != inspect.ProblemVerified {
			return errors.New(lang.L("--state {{.Value}} is not open, rectified or verified", map[string]any{"Value": strconv.Quote(*state)}))
		}
		pf.States = []inspect.ProblemState{st}
	}
	o, err := e.office(true)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	if *overdue {
		pf = o.OverdueFilter(pf)
	}
	list, err := o.Problems(pf)
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
	tw := newTable(e.stdout)
	for _, p := range list {
		late := ""
		if p.Overdue {
			late = msg.Plural(p.DaysLate, lang.L("OVERDUE 1 working day"), lang.L("OVERDUE {{.Days}} working days", map[string]any{"Days": p.DaysLate}))
		}
		flags := ""
		if p.Repeat {
			flags = lang.L("repeated problem")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.UnitName, stateName(p.State), truncate(p.Description, 30),
			lang.L("deadline {{.Date}}", map[string]any{"Date": inspect.FormatDate(p.Deadline)}), late, flags, p.FollowUp)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, lang.L("problems: {{.Problems}}", map[string]any{"Problems": len(list)}))
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
		if len(rest) == 0 {
			fs.Usage()
			return errUsage
		}
		o, err := e.office(false)
		if err != nil {
			return err
		}
		defer o.Store.Close()
		// Several: one unit's problems at once, all or none.
		ps, err := o.ActAll(whoami(), rest, a, *note)
		if err != nil {
			return err
		}
		for _, p := range ps {
			fmt.Fprintf(e.stdout, "%s: %s\n", p.ID, stateName(p.State))
		}
		return nil
	}
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
	o, err := e.office(true)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	h, err := o.History(rest[0])
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
	tw := newTable(e.stdout)
	for _, r := range h.Reports {
		note := ""
		if r.SupersededBy != "" {
			note = lang.L("replaced by {{.ID}}", map[string]any{"ID": r.SupersededBy})
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%g %s\t%s\t%s\t%s\n", inspect.FormatTime(r.ObservedAt), r.ReportID,
			modeName(r.Mode), r.Score, msg.Rating(r.Rating), msg.Plural(len(r.Problems), lang.L("1 problem found"), lang.L("{{.Count}} problems found", map[string]any{"Count": len(r.Problems)})), strings.Join(r.Inspectors, lang.L(", ")), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\n"+lang.L("Problems:"))
	tw = newTable(e.stdout)
	for _, p := range h.Problems {
		flags := ""
		if p.Overdue {
			flags = msg.Plural(p.DaysLate, lang.L("OVERDUE 1 working day"), lang.L("OVERDUE {{.Days}} working days", map[string]any{"Days": p.DaysLate}))
		}
		if p.Repeat {
			flags = strings.TrimSpace(flags + " " + lang.L("repeated problem"))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", p.ID, stateName(p.State), truncate(p.Description, 30),
			lang.L("deadline {{.Date}}", map[string]any{"Date": inspect.FormatDate(p.Deadline)}), flags, p.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\n"+lang.L("Rectification:"))
	tw = newTable(e.stdout)
	for _, ev := range h.Timeline {
		var what string
		switch ev.Kind {
		case store.EventInspected:
			p := map[string]any{"ID": ev.ReportID, "Score": fmt.Sprintf("%g", ev.Score), "Rating": ev.Rating, "Count": ev.Problems}
			what = msg.Plural(ev.Problems, lang.L("inspected {{.ID}}: {{.Score}} {{.Rating}}, 1 problem found", p), lang.L("inspected {{.ID}}: {{.Score}} {{.Rating}}, {{.Count}} problems found", p))
		case store.EventSuperseded:
			what = lang.L("report {{.ID}} replaced by {{.By}}", map[string]any{"ID": ev.ReportID, "By": ev.By})
		case store.EventFollowUp:
			what = lang.L("follow-up {{.By}}: {{.State}} {{.Problem}}", map[string]any{"By": ev.By, "State": stateName(ev.State), "Problem": ev.ProblemID})
		case store.EventReplied:
			what = replyLine(ev)
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", inspect.FormatTime(ev.At), what, "", ev.Who)
			continue
		default:
			what = fmt.Sprintf("%s %s", stateName(ev.State), ev.ProblemID)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", inspect.FormatTime(ev.At), what, ev.Note, ev.Who)
	}
	return tw.Flush()
}

// replyLine is a 整改报告 in the timeline: the problem, when it was
// received, from whom, its text and its files.
func replyLine(ev store.HistoryEvent) string {
	r := ev.Reply
	args := map[string]any{"Problem": ev.ProblemID, "Date": inspect.FormatDate(r.ReceivedAt), "From": r.From, "Text": r.Text}
	line := lang.L("{{.Problem}}: rectification report of {{.Date}} from {{.From}}", args)
	if r.Text != "" {
		line = lang.L("{{.Problem}}: rectification report of {{.Date}} from {{.From}}: {{.Text}}", args)
	}
	if len(r.Files) > 0 {
		names := make([]string, len(r.Files))
		for i, f := range r.Files {
			names[i] = f.Name
		}
		line += " " + lang.L("(files: {{.Names}})", map[string]any{"Names": strings.Join(names, lang.L(", "))})
	}
	return line
}

// stateName is a problem's 整改 state in the user's language.
func stateName(st inspect.ProblemState) string {
	switch st {
	case inspect.ProblemOpen:
		return lang.L("to rectify")
	case inspect.ProblemRectified:
		return lang.L("rectified")
	case inspect.ProblemVerified:
		return lang.L("fix verified")
	}
	return string(st)
}
