package main

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/desk"
	"mingcha/store"
)

func init() {
	register(command{Name: "demo", Usage: "[--inspections N] [--force]",
		Summary: func() string {
			return lang.L("fill a database with sample units and inspections in every state, and a demo signing key (passphrase {{.Passphrase}})",
				map[string]any{"Passphrase": strconv.Quote(desk.DemoPassphrase)})
		},
		Run: cmdDemo})
}

func cmdDemo(e *env, args []string) error {
	fs := e.flags()
	n := fs.Int("inspections", 24, "how many inspections to create")
	force := fs.Bool("force", false, "add to a database that already has inspections")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	s, err := store.Open(e.dbPath, store.Options{NoBackup: *n > 100})
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.ListInspections(store.Query{Limit: 1})
	if err != nil {
		return err
	}
	if p.Total > 0 && !*force {
		return errors.New(lang.L("{{.Path}} already has {{.Inspections}} inspections; use --force to add more", map[string]any{"Path": e.dbPath, "Inspections": p.Total}))
	}
	d := desk.New(s, desk.Keys{})
	if err := d.AddDefaultTemplates(); err != nil {
		return err
	}
	// Only a database that held no inspections becomes a demo database:
	// --force on real data must not switch its exports to the demo key.
	if p.Total == 0 {
		if err := s.PutSetting("demo", desk.SettingDemo, true); err != nil {
			return err
		}
	}
	count, err := desk.FillDemo(s, *n, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Path}}: {{.Units}} units, {{.Inspections}} inspections (drafts, completed and signed)",
		map[string]any{"Path": e.dbPath, "Units": desk.DemoUnits, "Inspections": count}))
	if d.IsDemo() {
		key, created, err := desk.EnsureDemoKey(e.dbPath)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintln(e.stdout, lang.L("demo signing key: {{.Path}}, passphrase {{.Passphrase}} (mingcha export uses it without asking)",
				map[string]any{"Path": key, "Passphrase": strconv.Quote(desk.DemoPassphrase)}))
		}
	}
	return nil
}
