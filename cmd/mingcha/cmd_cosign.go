package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/desk"
	"mingcha/store"
)

func init() {
	register(command{Name: "cosign", Usage: "REPORT.pdf --key MINE.p12 [-o OUT.pdf]",
		Summary: func() string {
			return lang.L("add your signature to a signed report of an inspection you took part in (key passphrase from {{.Env}} or asked)",
				map[string]any{"Env": envPassphrase})
		},
		Run: cmdCosign})
}

// keyList is a repeatable --key flag: export signs with each in turn.
type keyList []string

func (k *keyList) String() string { return strings.Join(*k, ",") }
func (k *keyList) Set(v string) error {
	*k = append(*k, v)
	return nil
}

func cmdCosign(e *env, args []string) error {
	f := e.flags()
	key := f.String("key", "", "your encrypted identity file (.p12); required")
	out := f.String("o", "", "output PDF file (default: REPORT.pdf with -cosigned before .pdf)")
	force := f.Bool("force", false, "replace the output file if it exists")
	rest, err := e.parse(f, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *key == "" {
		f.Usage()
		return errUsage
	}
	in := rest[0]
	dst := *out
	if dst == "" {
		dst = strings.TrimSuffix(in, ".pdf") + "-cosigned.pdf"
	}
	// Never over the database, its backups, stores or key files; an
	// existing file only with --force; nothing written unless it verifies
	// (desk.CosignFile, as the window's co-sign).
	if err := store.RefuseOutput(e.dbPath, dst); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil && !*force {
		return errors.New(lang.L("{{.Path}} exists; choose another name with -o or add --force", map[string]any{"Path": dst}))
	}
	d := desk.New(nil, desk.Keys{Passphrase: os.Getenv(envPassphrase)})
	v, err := d.CosignFile(in, dst, *key, "", *force, func(prompt string, _ bool) (string, error) {
		return e.passphrase(envPassphrase, prompt)
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: report {{.ID}}, signed by {{.Signers}}", map[string]any{
		"File": dst, "ID": v.ReportID, "Signers": v.SignerNames()}))
	return nil
}
