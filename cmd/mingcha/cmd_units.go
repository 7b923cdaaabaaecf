package main

import (
	"errors"
	"fmt"
	"mingcha/desk"
	"mingcha/msg"
	"os"

	"fyne.io/fyne/v2/lang"
)

// The unit roster in and out.

func init() {
	register(command{
		Name: "units import", Usage: "FILE.xlsx|FILE.csv [--good-rows]",
		Summary: func() string {
			return lang.L("import a unit roster; a file with bad rows imports nothing unless --good-rows")
		}, Run: cmdUnitsImport,
	})
	register(command{Name: "units export", Usage: "-o FILE.xlsx|FILE.csv", Summary: func() string { return lang.L("write the unit roster as .xlsx or .csv") }, Run: cmdUnitsExport})
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
	ro, err := desk.ReadRoster(rest[0], data)
	if err != nil {
		return fmt.Errorf("%s: %s", rest[0], msg.Of(err)) // the file's fault in the user's language (msg.Of alone drops the name)
	}
	for _, re := range ro.Errors {
		fmt.Fprintf(e.stdout, "%s: %s\n", rest[0], msg.Row(re.Key, re.Message, re.Params))
	}
	d, err := e.desk(false)
	if err != nil {
		return err
	}
	defer d.Store.Close()
	res, err := d.ImportRoster(whoami(), ro, *good)
	var bad *desk.BadRowsError
	switch {
	case errors.As(err, &bad) && len(ro.Units) == 0:
		return errors.New(lang.L("{{.File}} has {{.Bad}} bad rows and no good one; nothing was imported", map[string]any{"File": rest[0], "Bad": len(ro.Errors)}))
	case errors.As(err, &bad):
		return errors.New(lang.L("{{.File}} has {{.Bad}} bad rows; nothing was imported (fix them, or import the {{.Good}} good rows with --good-rows)",
			map[string]any{"File": rest[0], "Bad": len(ro.Errors), "Good": len(ro.Units)}))
	case errors.Is(err, desk.ErrNoUnits):
		return errors.New(lang.L("{{.File}} has no unit to import", map[string]any{"File": rest[0]}))
	case err != nil:
		return err
	}
	fmt.Fprint(e.stdout, lang.L("{{.File}} ({{.Encoding}}): units {{.Units}} — {{.New}} new, {{.Updated}} updated, {{.Unchanged}} unchanged", map[string]any{
		"File": rest[0], "Encoding": ro.Encoding, "Units": len(ro.Units), "New": res.Created, "Updated": res.Updated, "Unchanged": res.Unchanged}))
	if res.LeftOut > 0 {
		fmt.Fprint(e.stdout, msg.Plural(res.LeftOut, lang.L("; 1 bad row left out"), lang.L("; {{.Bad}} bad rows left out", map[string]any{"Bad": res.LeftOut})))
	}
	fmt.Fprintln(e.stdout)
	return nil
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
	d, err := e.desk(true)
	if err != nil {
		return err
	}
	defer d.Store.Close()
	_, n, err := d.ExportRoster(*out, false, *force)
	if errors.Is(err, desk.ErrRosterFormat) {
		return errors.New(lang.L("-o {{.File}}: the roster is written as .xlsx or .csv", map[string]any{"File": *out}))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": *out}), err)
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: units {{.Units}}", map[string]any{"File": *out, "Units": n}))
	return nil
}
