package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

func init() {
	register(command{Name: "export", Usage: "ID -o FILE.pdf [--key FILE.p12] [--signer NAME] [--unit OFFICE]",
		Summary: "write the signed PDF report of a completed or signed inspection (passphrase from MINGCHA_PASSPHRASE or asked)",
		Run:     cmdExport})
	register(command{Name: "verify", Usage: "FILE.pdf... [--ca office-ca.pem]",
		Summary: "check signed reports: signature, nothing changed or appended, CA trust, embedded data; exit 0 only if all are valid",
		Run:     cmdVerify})
	register(command{Name: "ca init", Usage: "--out DIR [--name NAME]",
		Summary: "create an office (效能办) root CA: DIR/office-ca.pem for verifiers, DIR/office-ca.p12 (encrypted) for issuing",
		Run:     cmdCAInit})
	register(command{Name: "ca issue", Usage: "--ca DIR --name NAME [--unit UNIT] --out NAME.p12",
		Summary: "issue an inspector a key and certificate as an encrypted .p12 (CA passphrase from MINGCHA_CA_PASSPHRASE, the new one from MINGCHA_PASSPHRASE)",
		Run:     cmdCAIssue})
	register(command{Name: "keys import", Usage: "FILE.p12 [--key FILE.p12]",
		Summary: "use an issued .p12 as this computer's signing identity (checked with its passphrase first)",
		Run:     cmdKeysImport})
}

// Passphrases come from the environment for scripts, else from a prompt.
// The prompt echoes: the laptop is the inspector's own and offline.
func (e *env) passphrase(envVar, prompt string) (string, error) {
	if p := os.Getenv(envVar); p != "" {
		return p, nil
	}
	if e.stdin == nil {
		return "", fmt.Errorf("no passphrase: set %s", envVar)
	}
	fmt.Fprint(e.stderr, prompt+": ")
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	p := strings.TrimRight(line, "\r\n")
	if p == "" {
		return "", fmt.Errorf("no passphrase given (set %s for scripts)", envVar)
	}
	return p, nil
}

func (e *env) defaultKeyPath() string { return filepath.Join(filepath.Dir(e.dbPath), "identity.p12") }

// loadOrCreateIdentity opens the encrypted identity file, or on first use
// creates a self-signed identity and stores it encrypted.
func (e *env) loadOrCreateIdentity(path, name, unit string) (*report.Identity, bool, error) {
	pass, err := e.passphrase("MINGCHA_PASSPHRASE", "passphrase of "+path)
	if err != nil {
		return nil, false, err
	}
	data, err := os.ReadFile(path)
	if err == nil {
		id, err := report.LoadP12(data, pass)
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return id, false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, false, err
	}
	id, err := report.NewSelfSigned(name, unit)
	if err != nil {
		return nil, false, err
	}
	p12, err := id.MarshalP12(pass)
	if err != nil {
		return nil, false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, err
	}
	if err := store.WriteFileAtomic(path, p12); err != nil {
		return nil, false, fmt.Errorf("save key %s: %w", path, err)
	}
	return id, true, nil
}

func cmdExport(e *env, args []string) error {
	f := e.flags()
	out := f.String("o", "", "output PDF file")
	key := f.String("key", "", "encrypted identity file (default: identity.p12 beside the database)")
	signer := f.String("signer", "", "who signs (default: the certificate's name, or the first inspector for a new identity)")
	unit := f.String("unit", "", "the signer's office, for a new self-signed certificate")
	noPhotos := f.Bool("no-photos", false, "leave out the photo appendix")
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
	in, err := s.Inspection(rest[0])
	if err != nil {
		return err
	}
	if in.Status == inspect.StatusDraft {
		return fmt.Errorf("inspection %s is a draft; complete it before exporting the report", in.ID)
	}
	var audit json.RawMessage
	if entries, err := s.AuditFor("inspection/" + in.ID); err == nil {
		var mine []store.AuditEntry
		for _, a := range entries {
			if a.Object == "inspection/"+in.ID || strings.HasPrefix(a.Object, "inspection/"+in.ID+"/") {
				mine = append(mine, a)
			}
		}
		if len(mine) > 200 {
			mine = mine[len(mine)-200:]
		}
		audit, _ = json.Marshal(mine)
	}
	pdf, err := report.Render(in, s, report.RenderOptions{Audit: audit, NoPhotos: *noPhotos})
	if err != nil {
		return err
	}
	keyPath := *key
	if keyPath == "" {
		keyPath = e.defaultKeyPath()
	}
	name := *signer
	if name == "" && len(in.Inspectors) > 0 {
		name = in.Inspectors[0]
	}
	id, created, err := e.loadOrCreateIdentity(keyPath, name, *unit)
	if err != nil {
		return err
	}
	if created {
		fmt.Fprintf(e.stderr, "created a self-signed signing identity for %s in %s\n", name, keyPath)
	}
	if *signer == "" {
		name = id.Cert.Subject.CommonName
	}
	signed, err := report.Sign(pdf, id, name, time.Now())
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(*out, signed); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(e.stdout, "%s: report %s, %d KB, signed by %s, %.2fs\n", *out, in.ID, (len(signed)+1023)/1024, name, time.Since(start).Seconds())
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
	var opts report.VerifyOptions
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
			fmt.Fprintf(e.stdout, "%s: invalid: %s", name, v.Reason)
			if v.Signer != "" {
				fmt.Fprintf(e.stdout, " (signer %s, trust %s)", v.Signer, v.Trust)
			}
			fmt.Fprintln(e.stdout)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: valid: signer %s, signed %s, trust %s, id %s, unit %s, score %.2f\n",
			name, v.Signer, v.SigningTime.Format(time.DateTime), v.Trust, v.ReportID, v.Unit, v.Score)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d reports are not valid", bad, len(files))
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
	if _, err := os.Stat(p12Path); err == nil {
		return fmt.Errorf("%s exists; an office CA is created once", p12Path)
	}
	pass, err := e.passphrase("MINGCHA_CA_PASSPHRASE", "passphrase for the CA key")
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
	fmt.Fprintf(e.stdout, "created CA %q: give %s to verifiers, keep %s safe\n", *name, pemPath, p12Path)
	return nil
}

func cmdCAIssue(e *env, args []string) error {
	f := e.flags()
	dir := f.String("ca", "", "CA folder (from ca init)")
	name := f.String("name", "", "the inspector's name")
	unit := f.String("unit", "", "the inspector's office")
	out := f.String("out", "", "output .p12")
	if _, err := e.parse(f, args); err != nil {
		return err
	}
	if *dir == "" || *name == "" || *out == "" {
		f.Usage()
		return errUsage
	}
	data, err := os.ReadFile(filepath.Join(*dir, "office-ca.p12"))
	if err != nil {
		return err
	}
	caPass, err := e.passphrase("MINGCHA_CA_PASSPHRASE", "passphrase of the CA key")
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
	pass, err := e.passphrase("MINGCHA_PASSPHRASE", "passphrase for "+*name+"'s key")
	if err != nil {
		return err
	}
	p12, err := id.MarshalP12(pass)
	if err != nil {
		return err
	}
	if err := store.WriteFileAtomic(*out, p12); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "issued %s a certificate from %s: %s\n", *name, ca.Cert.Subject.CommonName, *out)
	return nil
}

func cmdKeysImport(e *env, args []string) error {
	f := e.flags()
	key := f.String("key", "", "identity file to replace (default: identity.p12 beside the database)")
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
		return err
	}
	pass, err := e.passphrase("MINGCHA_PASSPHRASE", "passphrase of "+rest[0])
	if err != nil {
		return err
	}
	id, err := report.LoadP12(data, pass)
	if err != nil {
		return fmt.Errorf("%s: %w", rest[0], err)
	}
	dst := *key
	if dst == "" {
		dst = e.defaultKeyPath()
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := store.WriteFileAtomic(dst, data); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s now signs as %s\n", dst, id.Cert.Subject.CommonName)
	return nil
}
