package main

import (
	"errors"
	"fmt"
	"mingcha/inspect"
	"mingcha/office"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// 抽签: units drawn at random for the next inspections.

func init() {
	register(command{
		Name: "office draw", Usage: "--n N [--department D] [--kind K] [--seed S] [-o tasks.csv|tasks.xlsx]",
		Summary: func() string {
			return lang.L("draw N units at random for covert inspection, reproducible from the seed, recorded in the audit log, written as a task list")
		},
		Run: cmdOfficeDraw,
	})
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
	if *out != "" && office.TaskFormat(*out) == "" {
		return errors.New(lang.L("-o {{.File}}: the task list is written as .csv or .xlsx", map[string]any{"File": *out}))
	}
	o, err := e.office(false)
	if err != nil {
		return err
	}
	defer o.Store.Close()
	if *out != "" {
		// Refused before the draw is recorded, not after.
		if err := o.CheckOutput(*out, *force); err != nil {
			return err
		}
	}
	d, err := o.Draw(whoami(), filter, *n, *seed, *recent)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("draw {{.Seq}}: {{.Drawn}} of {{.Candidates}} candidates, seed {{.Seed}}", map[string]any{"Seq": d.Seq, "Drawn": len(d.Drawn), "Candidates": len(d.Candidates), "Seed": d.Seed}))
	for _, u := range d.Drawn {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", u.Order, u.UnitID, u.Name, u.Department)
	}
	if *out != "" {
		if err := o.WriteTaskList(d, *out, *force); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("task list: {{.File}}", map[string]any{"File": *out}))
	}
	return nil
}
