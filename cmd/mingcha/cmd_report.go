package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/term"

	"mingcha/app"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

func init() {
	register(command{Name: "export", Usage: "ID -o FILE.pdf [--key FILE.p12] [--signer NAME] [--unit OFFICE] [--no-photos]",
		Summary: func() string {
			return lang.L("write the signed PDF report of a completed or signed inspection (key passphrase from {{.Env}} or asked; demo databases: {{.Passphrase}})",
				map[string]any{"Env": envPassphrase, "Passphrase": strconv.Quote(demoPassphrase)})
		},
		Run: cmdExport})
	register(command{Name: "verify", Usage: "FILE.pdf... [--ca office-ca.pem]",
		Summary: func() string {
			return lang.L("check signed reports: signature, nothing changed or appended, CA trust, embedded data; exit 0 only if all are valid")
		},
		Run: cmdVerify})
	register(command{Name: "ca init", Usage: "--out DIR [--name NAME]",
		Summary: func() string {
			return lang.L("create an office (效能办) root CA: DIR/office-ca.pem for verifiers, DIR/office-ca.p12 (encrypted with {{.Env}} or the asked passphrase) for issuing",
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
	// The window exports through the same code as the command.
	app.ExportPDF = exportToFile
	// A first export makes the key: the window asks for its passphrase twice.
	app.HasSigningKey = func(s *store.Store) bool {
		_, err := os.Stat(defaultKeyPath(s.Path(), isDemo(s)))
		return err == nil
	}
	// The window asks again for the passphrase only on these, not on
	// every error whose text happens to mention a passphrase.
	app.IsWrongPassphrase = func(err error) bool {
		return errors.Is(err, report.ErrWrongPassphrase) || errors.Is(err, errNeedPassphrase)
	}
}

const (
	envPassphrase   = "MINGCHA_PASSPHRASE"
	envCAPassphrase = "MINGCHA_CA_PASSPHRASE"

	// demoPassphrase encrypts the signing key that mingcha demo creates.
	// It is public (README, export --help), and the key's certificate says
	// 演示: a report signed with it proves nothing, which is the point.
	demoPassphrase = "mingcha-demo"
	// demoKeySuffix names the demo key beside the database (demo.db →
	// demo-identity.p12), never identity.p12, so a demo database next to a
	// real one cannot replace or weaken the real signing key.
	demoKeySuffix = "-identity.p12"
	// settingDemo marks a database filled by mingcha demo.
	settingDemo = "demo"
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

// isDemo reports whether mingcha demo filled the database.
func isDemo(s *store.Store) bool {
	var demo bool
	ok, _ := s.Setting(settingDemo, &demo)
	return ok && demo
}

// defaultKeyPath is the signing identity of the database at dbPath:
// identity.p12 beside it, or for a demo database its own demo key.
func defaultKeyPath(dbPath string, demo bool) string {
	if demo {
		return demoKeyPath(dbPath)
	}
	return filepath.Join(filepath.Dir(dbPath), "identity.p12")
}

func demoKeyPath(dbPath string) string {
	base := strings.TrimSuffix(filepath.Base(dbPath), filepath.Ext(dbPath))
	return filepath.Join(filepath.Dir(dbPath), base+demoKeySuffix)
}

// exportOptions are what an export needs besides the inspection.
type exportOptions struct {
	KeyPath string // "" means the database's default identity
	// CoKeys are further inspectors' key files on this laptop: each
	// co-signs the report after KeyPath's holder certified it.
	CoKeys   []string
	Signer   string // "" means the certificate's name
	Unit     string // the signer's office, for a new self-signed certificate
	NoPhotos bool
	Force    bool // replace an existing output file (the window asked)
	// Passphrase, when set, opens the key; otherwise MINGCHA_PASSPHRASE,
	// then the demo passphrase for a demo database's own key, then Ask.
	Passphrase string
	// Ask asks for the passphrase (isNew: it will encrypt a new key); nil
	// where nobody can be asked.
	Ask func(prompt string, isNew bool) (string, error)
	// Now is the signing time; nil means time.Now.
	Now func() time.Time
	// Missing, when set, is told before rendering the characters of the
	// inspection no bundled font can draw (they print as empty boxes).
	Missing func(chars []rune)
}

// exported is what an export did.
type exported struct {
	ID      string
	Signer  string
	KeyPath string
	Created bool // a new self-signed identity was made
	Size    int
}

// errNeedPassphrase: the window asks for the passphrase and tries again.
var errNeedPassphrase = errors.New("the signing key needs its passphrase")

// exportReport renders the report of inspection id, signs it and writes it
// to out (temp file, fsync, rename). The key is opened before rendering,
// so a wrong passphrase costs nothing.
func exportReport(s *store.Store, id, out string, o exportOptions) (*exported, error) {
	if err := s.RefuseOutput(out); err != nil {
		return nil, err
	}
	if _, err := os.Stat(out); err == nil && !o.Force {
		return nil, store.WriteOutput(out, nil, false) // names the existing file
	}
	in, err := s.Inspection(id)
	if err != nil {
		return nil, err
	}
	if in.Status == inspect.StatusDraft {
		return nil, errors.New(lang.L("inspection {{.ID}} is a draft; complete it before exporting the report", map[string]any{"ID": in.ID}))
	}
	demo := isDemo(s)
	res := &exported{ID: in.ID, KeyPath: o.KeyPath}
	if res.KeyPath == "" {
		res.KeyPath = defaultKeyPath(s.Path(), demo)
	}
	name := o.Signer
	if name == "" && len(in.Inspectors) > 0 {
		name = in.Inspectors[0]
	}
	// Only the default place gets a new self-signed identity: a --key
	// that names no file is a mistake (a typo), not a new key.
	if o.KeyPath != "" {
		if _, err := os.Stat(o.KeyPath); err != nil {
			return nil, keyError(o.KeyPath, err)
		}
	}
	ident, created, err := openIdentity(res.KeyPath, name, o.Unit, demo && o.KeyPath == "", o)
	if err != nil {
		return nil, err
	}
	ids := []*report.Identity{ident}
	for _, k := range o.CoKeys {
		id, err := openKey(k, o)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		if holder := strings.TrimSpace(id.Cert.Subject.CommonName); !slices.Contains(in.Inspectors, holder) {
			return nil, errors.New(lang.L("the signing key belongs to {{.Holder}}, who is not one of the inspectors of {{.ID}} ({{.Inspectors}})",
				map[string]any{"Holder": holder, "ID": in.ID, "Inspectors": strings.Join(in.Inspectors, ", ")}))
		}
	}
	res.Created = created
	res.Signer = o.Signer
	if res.Signer == "" {
		res.Signer = ident.Cert.Subject.CommonName
	}
	if m := report.InspectionMissingGlyphs(in); len(m) > 0 && o.Missing != nil {
		o.Missing(m)
	}
	pdf, err := report.Render(in, s, report.RenderOptions{Audit: auditTail(s, in.ID), NoPhotos: o.NoPhotos})
	if err != nil {
		return nil, err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	signed, err := report.SignAll(pdf, ids, res.Signer, now())
	if err != nil {
		return nil, err
	}
	if len(ids) > 1 {
		names := make([]string, len(ids))
		for i, id := range ids {
			names[i] = id.Cert.Subject.CommonName
		}
		res.Signer = strings.Join(names, ", ")
	}
	if err := store.WriteOutput(out, signed, o.Force); err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": out}), err)
	}
	res.Size = len(signed)
	return res, nil
}

// auditTail is the inspection's last 200 audit entries, embedded with the data.
func auditTail(s *store.Store, id string) json.RawMessage {
	entries, err := s.AuditFor("inspection/" + id)
	if err != nil {
		return nil
	}
	var mine []store.AuditEntry
	for _, a := range entries {
		if a.Object == "inspection/"+id || strings.HasPrefix(a.Object, "inspection/"+id+"/") {
			mine = append(mine, a)
		}
	}
	if len(mine) > 200 {
		mine = mine[len(mine)-200:]
	}
	audit, _ := json.Marshal(mine)
	return audit
}

// openIdentity opens the encrypted identity file, or on first use creates
// a self-signed identity and stores it encrypted. The passphrases tried, in
// order: the one given (the window's), MINGCHA_PASSPHRASE, and for a demo
// database's own key the demo passphrase; then Ask, if someone can answer.
func openIdentity(path, name, unit string, demoKey bool, o exportOptions) (*report.Identity, bool, error) {
	data, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("%s: %w", lang.L("read key {{.Path}}", map[string]any{"Path": path}), err)
	}
	var tries []string
	for _, p := range []string{o.Passphrase, os.Getenv(envPassphrase)} {
		if p != "" && !slices.Contains(tries, p) {
			tries = append(tries, p)
		}
	}
	if demoKey {
		tries = append(tries, demoPassphrase)
	}
	ask := func() (string, error) {
		if o.Ask == nil {
			return "", errNeedPassphrase
		}
		if exists {
			return o.Ask(lang.L("passphrase of the signing key {{.Path}}", map[string]any{"Path": path}), false)
		}
		return o.Ask(lang.L("new passphrase for the signing key {{.Path}}", map[string]any{"Path": path}), true)
	}
	if exists {
		lastErr := error(errNeedPassphrase)
		for _, p := range tries {
			id, err := report.LoadP12(data, p)
			if err == nil {
				return id, false, nil
			}
			if lastErr = err; !errors.Is(err, report.ErrWrongPassphrase) {
				return nil, false, keyError(path, err)
			}
		}
		if errors.Is(lastErr, report.ErrWrongPassphrase) || errors.Is(lastErr, errNeedPassphrase) {
			if o.Ask != nil {
				// A key imported over the demo key has its own passphrase.
				p, err := ask()
				if err != nil {
					return nil, false, err
				}
				id, err := report.LoadP12(data, p)
				if err == nil {
					return id, false, nil
				}
				lastErr = err
			}
		}
		if errors.Is(lastErr, errNeedPassphrase) {
			return nil, false, lastErr
		}
		return nil, false, keyError(path, lastErr)
	}
	if strings.TrimSpace(name) == "" {
		return nil, false, errors.New(lang.L("a new signing key needs the signer's name (--signer)"))
	}
	var pass string
	switch {
	case demoKey:
		pass = demoPassphrase // what the README promises for demo databases
	case len(tries) > 0:
		pass = tries[0]
	default:
		if pass, err = ask(); err != nil {
			return nil, false, err
		}
	}
	id, err := report.NewSelfSigned(name, unit)
	if err != nil {
		return nil, false, err
	}
	if err := saveIdentity(path, id, pass); err != nil {
		return nil, false, err
	}
	return id, true, nil
}

func saveIdentity(path string, id *report.Identity, pass string) error {
	p12, err := id.MarshalP12(pass)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(path, p12); err != nil {
		return fmt.Errorf("%s: %w", lang.L("save key {{.Path}}", map[string]any{"Path": path}), err)
	}
	return nil
}

// exportToFile is app.ExportPDF: the window's export, through the same code
// as the command. An empty passphrase falls back to MINGCHA_PASSPHRASE and
// the demo rule; without either it returns errNeedPassphrase.
func exportToFile(s *store.Store, id, path, passphrase string) error {
	_, err := exportReport(s, id, path, exportOptions{Passphrase: passphrase, Force: true})
	return err
}

func cmdExport(e *env, args []string) error {
	f := e.flags()
	out := f.String("o", "", "output PDF file")
	var keys keyList
	f.Var(&keys, "key", "encrypted identity file (default: identity.p12 beside the database; on a demo database <name>"+demoKeySuffix+"); given again, each further inspector's key co-signs")
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
A demo report's signature proves nothing.`, map[string]any{"Env": envPassphrase, "Suffix": demoKeySuffix, "Passphrase": strconv.Quote(demoPassphrase)}), lang.L("flags:"))
		f.PrintDefaults()
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
	s, err := e.open(true)
	if err != nil {
		return err
	}
	defer s.Close()
	var key string
	if len(keys) > 0 {
		key = keys[0]
	}
	var coKeys []string
	if len(keys) > 1 {
		coKeys = keys[1:]
	}
	res, err := exportReport(s, rest[0], *out, exportOptions{
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
			return fmt.Errorf("%s: %w", *caFile, err)
		}
	}
	bad := 0
	for _, name := range files {
		// Refused before reading: a multi-gigabyte file is not a report.
		if st, err := os.Stat(name); err == nil && st.Size() > report.MaxReportSize {
			size, most := st.Size()>>20, report.MaxReportSize>>20
			fmt.Fprintf(e.stdout, "%s: invalid: %s\n", name, app.LocalizeReason("verify.too_large",
				fmt.Sprintf("the file is %d MB, larger than any report (%d MB at most)", size, most),
				map[string]any{"Size": size, "Max": most}))
			bad++
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(e.stdout, "%s: invalid: %v\n", name, err)
			bad++
			continue
		}
		v, err := report.Verify(data, opts)
		if err != nil {
			return err
		}
		if !v.Valid {
			bad++
			fmt.Fprintf(e.stdout, "%s: invalid: %s", name, app.LocalizeReason(v.ReasonKey, v.Reason, v.ReasonParams))
			if v.Signer != "" {
				fmt.Fprintf(e.stdout, " (signer %s, trust %s)", v.Signer, v.Trust)
			}
			fmt.Fprintln(e.stdout)
			continue
		}
		if v.Kind == "bulletin" {
			fmt.Fprintf(e.stdout, "%s: valid: 通报 (bulletin), signer %s, signed %s, trust %s\n",
				name, v.Signer, v.SigningTime.Format(time.DateTime), v.Trust)
			continue
		}
		if v.Kind == "notice" {
			fmt.Fprintf(e.stdout, "%s: valid: 整改通知书 (rectification notice), signer %s, signed %s, trust %s\n",
				name, v.Signer, v.SigningTime.Format(time.DateTime), v.Trust)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: valid: signer %s, signed %s, trust %s, id %s, unit %s, score %.2f\n",
			name, v.SignerNames(), v.SigningTime.Format(time.DateTime), v.Trust, v.ReportID, v.Unit, v.Score)
	}
	if bad > 0 {
		return errors.New(lang.L("{{.Bad}} of {{.Total}} reports are not valid", map[string]any{"Bad": bad, "Total": len(files)}))
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
	data, err := os.ReadFile(filepath.Join(*dir, "office-ca.p12"))
	if err != nil {
		return err
	}
	caPass, err := e.passphrase(envCAPassphrase, lang.L("passphrase of the CA key"))
	if err != nil {
		return err
	}
	ca, err := report.LoadCA(data, caPass)
	if err != nil {
		return err
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
	key := f.String("key", "", "identity file to replace (default: identity.p12 beside the database; on a demo database <name>"+demoKeySuffix+")")
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
		return keyError(rest[0], err)
	}
	pass, err := e.passphrase(envPassphrase, lang.L("passphrase of {{.Path}}", map[string]any{"Path": rest[0]}))
	if err != nil {
		return err
	}
	id, err := report.LoadP12(data, pass)
	if err != nil {
		return keyError(rest[0], err)
	}
	dst := *key
	if dst == "" {
		demo := false
		if _, err := os.Stat(e.dbPath); err == nil {
			s, err := e.open(true)
			if err != nil {
				return err
			}
			demo = isDemo(s)
			_ = s.Close()
		}
		dst = defaultKeyPath(e.dbPath, demo)
	}
	if err := store.RefuseKeyOutput(e.dbPath, dst); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(dst, data); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, lang.L("{{.Path}} now signs as {{.Name}}", map[string]any{"Path": dst, "Name": id.Cert.Subject.CommonName}))
	return nil
}
