package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/app"
	"mingcha/report"
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

// keyFileError is a key file's problem in the user's language; errors.Is
// still finds the report package's sentinel beneath it.
type keyFileError struct {
	msg string
	err error
}

func (e *keyFileError) Error() string { return e.msg }
func (e *keyFileError) Unwrap() error { return e.err }

// keyError names the key file and says what is wrong with it.
func keyError(path string, err error) error {
	p := map[string]any{"Path": path}
	switch {
	case errors.Is(err, report.ErrWrongPassphrase):
		return &keyFileError{lang.L("the passphrase does not open the key file {{.Path}}", p), err}
	case errors.Is(err, report.ErrNotP12):
		return &keyFileError{lang.L("{{.Path}} is not a PKCS#12 key file (.p12)", p), err}
	case errors.Is(err, fs.ErrNotExist):
		return &keyFileError{lang.L("the key file {{.Path}} does not exist", p), err}
	case errors.Is(err, fs.ErrPermission):
		return &keyFileError{lang.L("the key file {{.Path}} cannot be read: permission denied", p), err}
	}
	return fmt.Errorf("%s: %w", path, err)
}

// keyList is a repeatable --key flag: export signs with each in turn.
type keyList []string

func (k *keyList) String() string { return strings.Join(*k, ",") }
func (k *keyList) Set(v string) error {
	*k = append(*k, v)
	return nil
}

// cosignFile adds the holder of the key at keyPath as a signer of the
// report in data; the report must verify and the holder be one of its
// inspectors who has not signed yet.
func cosignFile(data []byte, keyPath string, o exportOptions) ([]byte, *report.Verification, error) {
	id, err := openKey(keyPath, o)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	out, err := report.CosignAt(data, id, now())
	if err != nil {
		return nil, nil, err
	}
	v, err := report.Verify(out, report.VerifyOptions{})
	if err != nil {
		return nil, nil, err
	}
	return out, v, nil
}

// openKey opens an existing key file (never creates one), trying the
// passphrases as openIdentity does.
func openKey(path string, o exportOptions) (*report.Identity, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, keyError(path, err)
	}
	var tries []string
	for _, p := range []string{o.Passphrase, os.Getenv(envPassphrase)} {
		if p != "" {
			tries = append(tries, p)
		}
	}
	lastErr := error(report.ErrWrongPassphrase)
	for _, p := range tries {
		id, err := report.LoadP12(data, p)
		if err == nil {
			return id, nil
		}
		if lastErr = err; !errors.Is(err, report.ErrWrongPassphrase) {
			return nil, keyError(path, err)
		}
	}
	if o.Ask == nil {
		if len(tries) == 0 {
			return nil, errNeedPassphrase
		}
		return nil, keyError(path, lastErr)
	}
	p, err := o.Ask(lang.L("passphrase of the signing key {{.Path}}", map[string]any{"Path": path}), false)
	if err != nil {
		return nil, err
	}
	id, err := report.LoadP12(data, p)
	if err != nil {
		return nil, keyError(path, err)
	}
	return id, nil
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
	// existing file only with --force.
	if err := store.RefuseOutput(e.dbPath, dst); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil && !*force {
		return errors.New(lang.L("{{.Path}} exists; choose another name with -o or add --force", map[string]any{"Path": dst}))
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	signed, v, err := cosignFile(data, *key, exportOptions{Ask: func(prompt string, _ bool) (string, error) {
		return e.passphrase(envPassphrase, prompt)
	}})
	if err != nil {
		return errors.New(app.Message(err))
	}
	if err := store.WriteOutput(dst, signed, *force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": dst}), err)
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: report {{.ID}}, signed by {{.Signers}}", map[string]any{
		"File": dst, "ID": v.ReportID, "Signers": v.SignerNames()}))
	return nil
}
