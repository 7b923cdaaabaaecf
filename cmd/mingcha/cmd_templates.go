package main

import (
	"errors"
	"fmt"
	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// Templates: list, validate, import and export template files.

func init() {
	register(command{Name: "templates list",
		Summary: func() string { return lang.L("list the templates in the database (newest version of each)") }, Run: cmdTemplatesList})
	register(command{Name: "templates validate", Usage: "FILE...",
		Summary: func() string { return lang.L("check template files; every fault is named by its item and field") }, Run: cmdTemplatesValidate})
	register(command{Name: "templates import", Usage: "FILE...",
		Summary: func() string { return lang.L("validate and store template files as new template versions") }, Run: cmdTemplatesImport})
	register(command{
		Name: "templates export", Usage: "ID [--version N] [-o FILE.json]",
		Summary: func() string {
			return lang.L("write a stored template version (default: the newest) as the file inspectors import (templates import, or their Templates screen); stdout without -o")
		},
		Run: cmdTemplatesExport,
	})
}

func cmdTemplatesList(e *env, args []string) error {
	if _, err := e.parse(e.flags(), args); err != nil {
		return err
	}
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	tpls, err := s.Templates()
	if err != nil {
		return err
	}
	tw := newTable(e.stdout)
	for _, t := range tpls {
		fmt.Fprintf(tw, "%s\tv%d\t%s\t%s\t%s\n", t.ID, t.Version, t.Title,
			lang.L("{{.Count}} items", map[string]any{"Count": len(t.Items())}),
			lang.L("full score {{.Score}}", map[string]any{"Score": t.FullScore}))
	}
	return tw.Flush()
}

func cmdTemplatesValidate(e *env, args []string) error {
	files, err := e.parse(e.flags(), args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New(lang.L("name at least one template file"))
	}
	bad := 0
	for _, f := range files {
		t, err := parseTemplateFile(f)
		if err != nil {
			bad++
			printTemplateErrors(e, f, err)
			continue
		}
		total := 0.0
		for _, it := range t.Items() {
			total += it.MaxDeduction()
		}
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: OK — {{.Title}} v{{.Version}}, {{.Items}} items, deductions up to {{.Deductions}} of {{.FullScore}}",
			map[string]any{"File": f, "Title": t.Title, "Version": t.Version, "Items": len(t.Items()), "Deductions": total, "FullScore": t.FullScore}))
		for _, it := range t.Items() {
			for _, c := range it.Choices {
				if c.Deduction > 0 && !c.Fails && it.Rule.Type != inspect.RuleNone {
					fmt.Fprintln(e.stdout, lang.L("  {{.Item}}: “{{.Label}}” deducts {{.Points}} but is not a problem (no fails): score only, no rectification",
						map[string]any{"Item": it.Code, "Label": c.Label, "Points": c.Deduction}))
				}
			}
		}
	}
	if bad > 0 {
		return errors.New(msg.Plural(len(files), lang.L("the file is not a valid template"), lang.L("{{.Bad}} of {{.Total}} files are not valid templates", map[string]any{"Bad": bad, "Total": len(files)})))
	}
	return nil
}

func parseTemplateFile(path string) (*inspect.Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return inspect.ParseTemplate(data)
}

func printTemplateErrors(e *env, file string, err error) {
	// One line per fault, each in the user's language (msg.Of gives a
	// validation error's faults one a line).
	for _, line := range strings.Split(msg.Of(err), "\n") {
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: {{.Fault}}", map[string]any{"File": file, "Fault": line}))
	}
}

func cmdTemplatesImport(e *env, args []string) error {
	files, err := e.parse(e.flags(), args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New(lang.L("name at least one template file"))
	}
	d, err := e.desk(false)
	if err != nil {
		return err
	}
	defer d.Store.Close()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			printTemplateErrors(e, f, err)
			return errors.New(lang.L("{{.File}} is not a valid template; nothing was imported from it", map[string]any{"File": f}))
		}
		t, err := d.ImportTemplate(whoami(), data)
		var bad *desk.InvalidTemplateError
		if errors.As(err, &bad) {
			printTemplateErrors(e, f, bad.Err)
			return errors.New(lang.L("{{.File}} is not a valid template; nothing was imported from it", map[string]any{"File": f}))
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: imported {{.Template}} v{{.Version}}", map[string]any{"File": f, "Template": t.ID, "Version": t.Version}))
	}
	return nil
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
	d, err := e.desk(true)
	if err != nil {
		return err
	}
	defer d.Store.Close()
	data, t, err := d.TemplateFile(rest[0], *version)
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
