package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/term"

	"mingcha/desk"
	"mingcha/msg"
	"mingcha/report"
	"mingcha/store"
)

func init() {
	register(command{Name: "export", Usage: "ID -o FILE.pdf [--key FILE.p12] [--signer NAME] [--unit OFFICE] [--no-photos]",
		Summary: func() string {
			return lang.L("write the signed PDF report of a completed or signed inspection (key passphrase from {{.Env}} or asked; demo databases: {{.Passphrase}})",
				map[string]any{"Env": envPassphrase, "Passphrase": strconv.Quote(desk.DemoPassphrase)})
		},
		Run: cmdExport})
	register(command{Name: "verify", Usage: "FILE.pdf... [--ca office-ca.pem]",
		Summary: func() string {
			return lang.L("check signed reports: signature, nothing changed or appended, CA trust, embedded data; exit 0 only if all are valid")
		},
		Run: cmdVerify})
	register(command{Name: "ca init", Usage: "--out DIR [--name NAME]",
		Summary: func() string {
			return lang.L("create the office's root CA: DIR/office-ca.pem for verifiers, DIR/office-ca.p12 (encrypted with {{.Env}} or the asked passphrase) for issuing",
				map[string]any{"Env": envCAPassphrase})
		},
		Run: cmdCAInit})
	register(command{Name: "ca issue", Usage: "--ca DIR --name NAME [--unit UNIT] --out NAME.p12",
		Summary: func() string {
			return lang.L("issue an inspector a key and certificate as an encrypted .p12 (CA passphrase from {{.CAEnv}}, the new one from {{.Env}}, else asked)",
				map[string]any{"CAEnv": envCAPassphrase, "Env": envPassphrase})
		},
		Run: cmdCAIssue})
	register(command{Name: "keys import", Usage: "FILE.p12 [--key FILE.p12]",
		Summary: func() string {
			return lang.L("use an issued .p12 as this database's signing identity (checked with its passphrase first)")
		},
		Run: cmdKeysImport})
}

const (
	envPassphrase   = desk.EnvPassphrase
	envCAPassphrase = "MINGCHA_CA_PASSPHRASE"
)

// readSecret asks for a passphrase on the terminal without echo, or reads
// one line when stdin is a pipe or file (scripts, tests).
func (e *env) readSecret(prompt string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, prompt+": ")
		b, err := readPasswordRestoring(int(f.Fd()), e.stderr)
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("%s: %w", lang.L("read passphrase"), err)
		}
		return string(b), nil
	}
	if e.stdin == nil {
		return "", nil
	}
	// One buffered reader for the whole command: ca issue reads two lines.
	br, ok := e.stdin.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(e.stdin)
		e.stdin = br
	}
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: %w", lang.L("read passphrase"), err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readPasswordRestoring is term.ReadPassword that gives the terminal its
// echo back when Ctrl-C ends the program in the middle of typing.
func readPasswordRestoring(fd int, stderr io.Writer) ([]byte, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(sig)
		close(done)
	}()
	go func() {
		select {
		case <-sig:
			_ = term.Restore(fd, state)
			fmt.Fprintln(stderr)
			os.Exit(130)
		case <-done:
		}
	}()
	return term.ReadPassword(fd)
}

// passphrase comes from envVar for scripts, else from the prompt.
func (e *env) passphrase(envVar, prompt string) (string, error) {
	if p := os.Getenv(envVar); p != "" {
		return p, nil
	}
	p, err := e.readSecret(prompt)
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", errors.New(lang.L("no passphrase given: type it at the prompt, or set {{.Env}} for scripts", map[string]any{"Env": envVar}))
	}
	return p, nil
}

// newPassphrase is passphrase for a key about to be encrypted: typed at a
// terminal it is asked twice, since a typo would lock the key for good.
func (e *env) newPassphrase(envVar, prompt string) (string, error) {
	p, err := e.passphrase(envVar, prompt)
	if err != nil || os.Getenv(envVar) != "" {
		return p, err
	}
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		again, err := e.readSecret(lang.L("the same passphrase again"))
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New(lang.L("the two passphrases differ; nothing was written"))
		}
	}
	return p, nil
}

func cmdExport(e *env, args []string) error {
	f := e.flags()
	out := f.String("o", "", "output PDF file")
	var keys keyList
	f.Var(&keys, "key", "encrypted identity file (default: identity.p12 beside the database; on a demo database <name>-identity.p12); given again, each further inspector's key co-signs")
	signer := f.String("signer", "", "who signs (default: the certificate's name, or the first inspector for a new identity)")
	unit := f.String("unit", "", "the signer's office, for a new self-signed certificate")
	noPhotos := f.Bool("no-photos", false, "leave out the photo appendix")
	force := forceFlag(f)
	f.Usage = func() {
		fmt.Fprintf(e.stderr, "%s\n\n", usageLine(e.cmd))
		fmt.Fprintf(e.stderr, "%s\n\n%s\n", lang.L(`Writes the signed PDF report of a completed or signed inspection (drafts are refused).

The report is signed with this database's key, identity.p12 beside the database,
created self-signed on first use; "mingcha keys import" replaces it with a key
issued by the office CA. The key's passphrase is read from {{.Env}} when set,
otherwise asked (without echo on a terminal, one line from a pipe).

Demo databases (made by "mingcha demo"): their key is <name>{{.Suffix}} beside the
database (demo.db: demo-identity.p12), made by mingcha demo for 演示检查员 and
encrypted with the public passphrase {{.Passphrase}}, which export uses without asking.
A demo report's signature proves nothing.`, map[string]any{"Env": envPassphrase, "Suffix": desk.DemoKeySuffix, "Passphrase": strconv.Quote(desk.DemoPassphrase)}), lang.L("flags:"))
		printFlags(f)
	}
	rest, err := e.parse(f, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *out == "" {
		f.Usage()
		return errUsage
	}
	start := time.Now()
	d, err := e.desk(true)
	if err != nil {
		return err
	}
	defer d.Store.Close()
	var key string
	if len(keys) > 0 {
		key = keys[0]
	}
	var coKeys []string
	if len(keys) > 1 {
		coKeys = keys[1:]
	}
	res, err := d.Export(rest[0], *out, desk.ExportOptions{
		KeyPath: key, CoKeys: coKeys, Signer: *signer, Unit: *unit, NoPhotos: *noPhotos, Force: *force,
		Missing: func(chars []rune) {
			fmt.Fprintln(e.stderr, lang.L("warning: no bundled font has {{.Chars}}; the report shows an empty box for each", map[string]any{"Chars": report.RuneList(chars)}))
		},
		Ask: func(prompt string, isNew bool) (string, error) {
			if isNew {
				return e.newPassphrase(envPassphrase, prompt)
			}
			return e.passphrase(envPassphrase, prompt)
		},
	})
	if err != nil {
		return err
	}
	if res.Created {
		fmt.Fprintln(e.stderr, lang.L("created a self-signed signing identity for {{.Signer}} in {{.Path}}", map[string]any{"Signer": res.Signer, "Path": res.KeyPath}))
	}
	fmt.Fprintln(e.stdout, lang.L("{{.File}}: report {{.ID}}, {{.KB}} KB, signed by {{.Signer}}, {{.Seconds}}s", map[string]any{
		"File": *out, "ID": res.ID, "KB": (res.Size + 1023) / 1024, "Signer": res.Signer, "Seconds": fmt.Sprintf("%.2f", time.Since(start).Seconds())}))
	return nil
}

func cmdVerify(e *env, args []string) error {
	f := e.flags()
	caFile := f.String("ca", "", "office CA certificate (PEM): only certificates it issued are accepted")
	files, err := e.parse(f, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		f.Usage()
		return errUsage
	}
	opts := report.VerifyOptions{AcceptBulletins: true}
	if *caFile != "" {
		pemData, err := os.ReadFile(*caFile)
		if err != nil {
			return err
		}
		if opts.Roots, err = report.ParseCertPool(pemData); err != nil {
			return errors.New(lang.L("{{.Path}}: {{.Reason}}", map[string]any{"Path": *caFile, "Reason": msg.Of(err)})) // msg.Of alone drops the name
		}
	}
	bad := 0
	for _, name := range files {
		// Refused before reading: a multi-gigabyte file is not a report.
		if st, err := os.Stat(name); err == nil && st.Size() > report.MaxReportSize {
			size, most := st.Size()>>20, report.MaxReportSize>>20
			fmt.Fprintln(e.stdout, lang.L("{{.File}}: invalid: {{.Reason}}", map[string]any{"File": name, "Reason": msg.Reason("verify.too_large",
				fmt.Sprintf("the file is %d MB, larger than any report (%d MB at most)", size, most),
				map[string]any{"Size": size, "Max": most})}))
			bad++
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintln(e.stdout, lang.L("{{.File}}: invalid: {{.Reason}}", map[string]any{"File": name, "Reason": msg.Of(err)}))
			bad++
			continue
		}
		v, err := report.Verify(data, opts)
		if err != nil {
			return err
		}
		if !v.Valid {
			bad++
			line := lang.L("{{.File}}: invalid: {{.Reason}}", map[string]any{"File": name, "Reason": msg.Reason(v.ReasonKey, v.Reason, v.ReasonParams)})
			if v.Signer != "" {
				line += lang.L(" (signer {{.Signer}}, trust {{.Trust}})", map[string]any{"Signer": v.Signer, "Trust": msg.Trust(string(v.Trust))})
			}
			fmt.Fprintln(e.stdout, line)
			continue
		}
		if v.Kind == "bulletin" {
			fmt.Fprintln(e.stdout, lang.L("{{.File}}: valid: bulletin, signer {{.Signer}}, signed {{.Time}}, trust {{.Trust}}",
				map[string]any{"File": name, "Signer": v.Signer, "Time": v.SigningTime.Format(time.DateTime), "Trust": msg.Trust(string(v.Trust))}))
			continue
		}
		if v.Kind == "notice" {
			fmt.Fprintln(e.stdout, lang.L("{{.File}}: valid: rectification notice, signer {{.Signer}}, signed {{.Time}}, trust {{.Trust}}",
				map[string]any{"File": name, "Signer": v.Signer, "Time": v.SigningTime.Format(time.DateTime), "Trust": msg.Trust(string(v.Trust))}))
			continue
		}
		fmt.Fprintln(e.stdout, lang.L("{{.File}}: valid: signer {{.Signers}}, signed {{.Time}}, trust {{.Trust}}, id {{.ID}}, unit {{.Unit}}, score {{.Score}}",
			map[string]any{"File": name, "Signers": v.SignerNames(), "Time": v.SigningTime.Format(time.DateTime), "Trust": msg.Trust(string(v.Trust)),
				"ID": v.ReportID, "Unit": v.Unit, "Score": fmt.Sprintf("%.2f", v.Score)}))
	}
	if bad > 0 {
		return errors.New(msg.Plural(len(files), lang.L("the report is not valid"), lang.L("{{.Bad}} of {{.Total}} reports are not valid", map[string]any{"Bad": bad, "Total": len(files)})))
	}
	return nil
}

func cmdCAInit(e *env, args []string) error {
	f := e.flags()
	out := f.String("out", "", "folder for office-ca.pem and office-ca.p12")
	name := f.String("name", "效能办", "the CA's name")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if *out == "" {
		f.Usage()
		return errUsage
	}
	p12Path := filepath.Join(*out, "office-ca.p12")
	for _, p := range []string{p12Path, filepath.Join(*out, "office-ca.pem")} {
		if err := store.RefuseKeyOutput(e.dbPath, p); err != nil {
			return err
		}
	}
	if _, err := os.Stat(p12Path); err == nil {
		return errors.New(lang.L("{{.Path}} exists; an office CA is created once", map[string]any{"Path": p12Path}))
	}
	pass, err := e.newPassphrase(envCAPassphrase, lang.L("passphrase for the new CA key"))
	if err != nil {
		return err
	}
	ca, err := report.NewCA(*name)
	if err != nil {
		return err
	}
	p12, err := ca.MarshalP12(pass)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(p12Path, p12); err != nil {
		return err
	}
	pemPath := filepath.Join(*out, "office-ca.pem")
	if err := store.WriteFileAtomic(pemPath, ca.CertPEM()); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("created CA {{.Name}}: give {{.PEM}} to verifiers, keep {{.P12}} safe",
		map[string]any{"Name": strconv.Quote(*name), "PEM": pemPath, "P12": p12Path}))
	return nil
}

func cmdCAIssue(e *env, args []string) error {
	f := e.flags()
	dir := f.String("ca", "", "CA folder (from ca init)")
	name := f.String("name", "", "the inspector's name")
	unit := f.String("unit", "", "the inspector's office")
	out := f.String("out", "", "output .p12")
	force := f.Bool("force", false, "replace an existing key file at --out")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if *dir == "" || *name == "" || *out == "" {
		f.Usage()
		return errUsage
	}
	if err := store.RefuseKeyOutput(e.dbPath, *out); err != nil {
		return err
	}
	if _, err := os.Stat(*out); err == nil && !*force {
		return store.WriteOutput(*out, nil, false) // names the existing key; nothing asked yet
	}
	caPath := filepath.Join(*dir, "office-ca.p12")
	data, err := os.ReadFile(caPath)
	if err != nil {
		return msg.KeyError(caPath, err)
	}
	caPass, err := e.passphrase(envCAPassphrase, lang.L("passphrase of the CA key"))
	if err != nil {
		return err
	}
	ca, err := report.LoadCA(data, caPass)
	if err != nil {
		return msg.KeyError(caPath, err)
	}
	id, err := ca.Issue(*name, *unit)
	if err != nil {
		return err
	}
	pass, err := e.newPassphrase(envPassphrase, lang.L("passphrase for {{.Name}}'s new key (tell it to them)", map[string]any{"Name": *name}))
	if err != nil {
		return err
	}
	p12, err := id.MarshalP12(pass)
	if err != nil {
		return err
	}
	if err := store.WriteOutput(*out, p12, *force); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("issued {{.Name}} a certificate from {{.CA}}: {{.Path}}", map[string]any{"Name": *name, "CA": ca.Cert.Subject.CommonName, "Path": *out}))
	return nil
}

func cmdKeysImport(e *env, args []string) error {
	f := e.flags()
	key := f.String("key", "", "identity file to replace (default: identity.p12 beside the database; on a demo database <name>-identity.p12)")
	rest, err := e.parse(f, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		f.Usage()
		return errUsage
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return msg.KeyError(rest[0], err)
	}
	pass, err := e.passphrase(envPassphrase, lang.L("passphrase of {{.Path}}", map[string]any{"Path": rest[0]}))
	if err != nil {
		return err
	}
	demo := false
	if _, err := os.Stat(e.dbPath); err == nil && *key == "" {
		d, err := e.desk(true)
		if err != nil {
			return err
		}
		demo = d.IsDemo()
		_ = d.Store.Close()
	}
	dst, id, err := desk.ImportKey(rest[0], data, pass, *key, e.dbPath, demo)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Path}} now signs as {{.Name}}", map[string]any{"Path": dst, "Name": id.Cert.Subject.CommonName}))
	return nil
}
