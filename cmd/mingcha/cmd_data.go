package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
)

func init() {
	register(command{Name: "list", Usage: "[--status draft|completed|signed] [--unit TEXT] [--json]",
		Summary: func() string { return lang.L("list inspections, newest first: id, unit, mode, status, score") }, Run: cmdList})
	register(command{Name: "check",
		Summary: func() string { return lang.L("run the consistency check on the database and verify the audit chain") }, Run: cmdCheck})
	register(command{Name: "backup", Usage: "[--list] [--to DIR]",
		Summary: func() string {
			return lang.L("write a checked backup now (or list the backups); --to DIR: a full backup with photos and reports to a folder or USB drive")
		}, Run: cmdBackup})
	register(command{Name: "compact", Usage: "",
		Summary: func() string {
			return lang.L("rewrite the database without its free space (after a backup; the window must be closed)")
		}, Run: cmdCompact})
	register(command{Name: "restore", Usage: "[BACKUP] [--from DIR]",
		Summary: func() string {
			return lang.L("replace the database with a backup (default: the newest good one); the replaced file is kept")
		}, Run: cmdRestore})
}

func cmdList(e *env, args []string) error {
	fs := e.flags()
	status := fs.String("status", "", "only inspections with this status: draft, completed or signed")
	unit := fs.String("unit", "", "only units whose name contains this text")
	asJSON := fs.Bool("json", false, "print JSON, one array")
	limit := fs.Int("limit", 0, "at most this many (0: all)")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	q := store.Query{Text: *unit, Limit: *limit}
	if *status != "" {
		st := inspect.Status(*status)
		if st != inspect.StatusDraft && st != inspect.StatusCompleted && st != inspect.StatusSigned {
			return errors.New(lang.L("--status {{.Value}} is not draft, completed or signed", map[string]any{"Value": strconv.Quote(*status)}))
		}
		q.Statuses = []inspect.Status{st}
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	page, err := s.ListInspections(q)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if page.Items == nil {
			page.Items = []store.Summary{}
		}
		return enc.Encode(page.Items)
	}
	tw := newTable(e.stdout)
	for _, it := range page.Items {
		score := "-"
		if it.Status != inspect.StatusDraft {
			score = fmt.Sprintf("%g %s", it.Score, msg.Rating(it.Rating))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", it.ID, it.UnitName, msg.Mode(it.Mode), msg.Status(it.Status), score, inspect.FormatTime(it.ObservedAt))
	}
	return tw.Flush()
}

func cmdCheck(e *env, args []string) error {
	if _, err := e.parse(e.flags(), args); err != nil {
		return err
	}
	if _, err := os.Stat(e.dbPath); err != nil {
		return errors.New(lang.L("no database at {{.Path}}", map[string]any{"Path": e.dbPath}))
	}
	if err := store.CheckFile(e.dbPath); err != nil {
		var de *store.DamagedError
		var nd *store.NotDatabaseError
		switch {
		case errors.Is(err, store.ErrInUse):
			return err
		case errors.As(err, &nd):
			nd.NewestBackup, _ = store.NewestGoodBackup(e.dbPath)
			return nd
		case !errors.As(err, &de):
			good, _ := store.NewestGoodBackup(e.dbPath)
			err = &store.DamagedError{Path: e.dbPath, Cause: err, NewestBackup: good}
		}
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.VerifyAudit()
	if err != nil {
		return err
	}
	page, err := s.ListInspections(store.Query{})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Path}}: OK — consistency check clean, {{.Inspections}} inspections, audit chain of {{.Entries}} entries intact",
		map[string]any{"Path": e.dbPath, "Inspections": page.Total, "Entries": n}))
	return nil
}

func cmdBackup(e *env, args []string) error {
	fs := e.flags()
	list := fs.Bool("list", false, "list the backups, newest first, with their check result")
	to := fs.String("to", "", "a folder (a USB drive): the database backup, photos and reports, copied incrementally")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *to != "" {
		s, err := store.Open(e.dbPath, store.Options{NoBackup: true})
		if err != nil {
			return err
		}
		defer s.Close()
		res, err := s.BackupToFolder(*to)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("backed up to {{.Dir}}: the database, photos {{.Photos}} ({{.PhotosNew}} new), reports {{.Reports}} ({{.ReportsNew}} new), every copied file checked by its hash",
			map[string]any{"Dir": *to, "Photos": res.Manifest.Photos, "PhotosNew": res.PhotosCopied, "Reports": res.Manifest.Reports, "ReportsNew": res.ReportsCopied}))
		return nil
	}
	if *list {
		bs, err := store.ListBackups(e.dbPath)
		if err != nil {
			return err
		}
		for _, b := range bs {
			state := lang.L("intact")
			if err := store.CheckFile(b.Path); err != nil {
				state = lang.L("DAMAGED: {{.Reason}}", map[string]any{"Reason": msg.Of(err)})
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", b.Path, lang.L("{{.Bytes}} bytes", map[string]any{"Bytes": b.Size}), state)
		}
		return nil
	}
	s, err := store.Open(e.dbPath, store.Options{NoBackup: true})
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Backup()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, p)
	return nil
}

func cmdCompact(e *env, args []string) error {
	if _, err := e.parse(e.flags(), args); err != nil {
		return err
	}
	before, after, err := store.Compact(e.dbPath)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Path}}: {{.Before}} KB → {{.After}} KB", map[string]any{"Path": e.dbPath, "Before": before >> 10, "After": after >> 10}))
	return nil
}

func cmdRestore(e *env, args []string) error {
	fs := e.flags()
	from := fs.String("from", "", "a folder written by backup --to: brings back the database, photos and reports")
	rest, err := e.parse(fs, args)
	if err != nil {
		return err
	}
	if *from != "" {
		if len(rest) != 0 {
			return errors.New(lang.L("name one backup file"))
		}
		kept, err := store.RestoreFromFolder(e.dbPath, *from)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("restored {{.Path}} from {{.Backup}}", map[string]any{"Path": e.dbPath, "Backup": *from}))
		if kept != "" {
			fmt.Fprintln(e.stdout, lang.L("the replaced file is kept as {{.Path}}", map[string]any{"Path": kept}))
		}
		return nil
	}
	var backup string
	switch len(rest) {
	case 0:
		backup, err = store.NewestGoodBackup(e.dbPath)
		if err != nil {
			return err
		}
		if backup == "" {
			return errors.New(lang.L("no good backup of {{.Path}} in {{.Dir}}", map[string]any{"Path": e.dbPath, "Dir": store.BackupDir(e.dbPath)}))
		}
	case 1:
		backup = rest[0]
	default:
		return errors.New(lang.L("name one backup file"))
	}
	kept, err := store.Restore(e.dbPath, backup)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("restored {{.Path}} from {{.Backup}}", map[string]any{"Path": e.dbPath, "Backup": backup}))
	if kept != "" {
		fmt.Fprintln(e.stdout, lang.L("the replaced file is kept as {{.Path}}", map[string]any{"Path": kept}))
	}
	return nil
}

// whoami names the person behind a command-line change in the audit log.
func whoami() string {
	for _, k := range []string{"MINGCHA_USER", "USER", "USERNAME"} {
		if v := strings.TrimSpace(os.Getenv(k)); v != "" {
			return v
		}
	}
	return "cli"
}
