package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/report"
	"mingcha/store"
)

const (
	// EnvPassphrase is where scripts put the signing key's passphrase; the
	// faces read it and pass it in Keys.Passphrase.
	EnvPassphrase = "MINGCHA_PASSPHRASE"
	// DemoPassphrase encrypts the signing key that mingcha demo creates.
	// It is public (README, export --help), and the key's certificate says
	// 演示: a report signed with it proves nothing, which is the point.
	DemoPassphrase = "mingcha-demo"
	// DemoKeySuffix names the demo key beside the database (demo.db →
	// demo-identity.p12), never identity.p12, so a demo database next to a
	// real one cannot replace or weaken the real signing key.
	DemoKeySuffix = "-identity.p12"
)

// ErrNeedPassphrase: the key needs a passphrase and nobody could be asked
// (the window asks for it and tries again).
var ErrNeedPassphrase = errors.New("the signing key needs its passphrase")

// IsWrongPassphrase reports whether an export or 通报 failed only for the
// want of the right passphrase: the window then asks again, and not on
// every error whose text happens to mention a passphrase.
func IsWrongPassphrase(err error) bool {
	return errors.Is(err, report.ErrWrongPassphrase) || errors.Is(err, ErrNeedPassphrase)
}

// DefaultKeyPath is the signing identity of the database at dbPath:
// identity.p12 beside it, or for a demo database its own demo key.
func DefaultKeyPath(dbPath string, demo bool) string {
	if demo {
		return DemoKeyPath(dbPath)
	}
	return filepath.Join(filepath.Dir(dbPath), "identity.p12")
}

// DemoKeyPath is the demo key of the database at dbPath.
func DemoKeyPath(dbPath string) string {
	base := strings.TrimSuffix(filepath.Base(dbPath), filepath.Ext(dbPath))
	return filepath.Join(filepath.Dir(dbPath), base+DemoKeySuffix)
}

// HasSigningKey reports whether the database's signing key exists (then
// export asks for its passphrase once); when it does not, the first export
// makes the key.
func (d *Desk) HasSigningKey() bool {
	path := d.Keys.Path
	if path == "" {
		path = DefaultKeyPath(d.Store.Path(), d.IsDemo())
	}
	_, err := os.Stat(path)
	return err == nil
}

// ExportOptions are what an export needs besides the inspection.
type ExportOptions struct {
	KeyPath string // "" means Keys.Path, then the database's default identity
	// CoKeys are further inspectors' key files on this laptop: each
	// co-signs the report after KeyPath's holder certified it.
	CoKeys   []string
	Signer   string // "" means the certificate's name
	Unit     string // the signer's office, for a new self-signed certificate
	NoPhotos bool
	Force    bool // replace an existing output file (the window's save dialog asked)
	// Passphrase, when set, opens the key; then Keys.Passphrase, then the
	// demo passphrase for a demo database's own key, then Ask.
	Passphrase string
	// Passphrases, by key file, are tried first for that file (the window
	// asks one per inspector's key).
	Passphrases map[string]string
	// Ask asks for the passphrase (isNew: it will encrypt a new key); nil
	// where nobody can be asked.
	Ask func(prompt string, isNew bool) (string, error)
	// Missing, when set, is told before rendering the characters of the
	// inspection no bundled font can draw (they print as empty boxes).
	Missing func(chars []rune)
}

// Exported is what an export did.
type Exported struct {
	ID      string
	Signer  string
	KeyPath string
	Created bool // a new self-signed identity was made
	Size    int
}

// Export renders the report of inspection id, signs it and writes it to
// out (temp file, fsync, rename). The key is opened before rendering, so a
// wrong passphrase costs nothing. A draft is refused. A panic of the PDF
// libraries on odd content is an error here, not a crash of the window.
func (d *Desk) Export(id, out string, o ExportOptions) (res *Exported, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("%s: %v", lang.L("Export PDF"), p)
		}
	}()
	s := d.Store
	// Never over the database, its backups, stores or a key; over another
	// file only with Force. Checked before any work.
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
	demo := d.IsDemo()
	chosen := o.KeyPath
	if chosen == "" {
		chosen = d.Keys.Path
	}
	res = &Exported{ID: in.ID, KeyPath: chosen}
	if res.KeyPath == "" {
		res.KeyPath = DefaultKeyPath(s.Path(), demo)
	}
	name := o.Signer
	if name == "" && len(in.Inspectors) > 0 {
		name = in.Inspectors[0]
	}
	// Only the default place gets a new self-signed identity: a key path
	// that names no file is a mistake (a typo), not a new key.
	if chosen != "" {
		if _, err := os.Stat(chosen); err != nil {
			return nil, msg.KeyError(chosen, err)
		}
	}
	// A demo database's own key opens with the public demo passphrase,
	// however it was named (the window names it).
	demoKey := demo && (chosen == "" || samePath(chosen, DemoKeyPath(s.Path())))
	ident, created, err := d.openIdentity(res.KeyPath, name, o.Unit, demoKey, o)
	if err != nil {
		return nil, err
	}
	d.remember(ident.Cert.Subject.CommonName, res.KeyPath)
	ids := []*report.Identity{ident}
	for _, k := range o.CoKeys {
		pass := o.Passphrases[k]
		if pass == "" {
			pass = o.Passphrase
		}
		id, err := d.OpenKey(k, pass, o.Ask)
		if err != nil {
			return nil, err
		}
		d.remember(id.Cert.Subject.CommonName, k)
		ids = append(ids, id)
	}
	signers := make([]string, 0, len(ids))
	for _, id := range ids {
		signers = append(signers, strings.TrimSpace(id.Cert.Subject.CommonName))
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
	pdf, err := report.Render(in, s, report.RenderOptions{Audit: auditTail(s, in.ID), NoPhotos: o.NoPhotos,
		DigitalSigners: signers})
	if err != nil {
		return nil, err
	}
	signed, err := report.SignAll(pdf, ids, res.Signer, d.now())
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
// order: the one given (the window's), Keys.Passphrase, and for a demo
// database's own key the demo passphrase; then Ask, if someone can answer.
func (d *Desk) openIdentity(path, name, unit string, demoKey bool, o ExportOptions) (*report.Identity, bool, error) {
	data, err := os.ReadFile(path)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("%s: %w", lang.L("read key {{.Path}}", map[string]any{"Path": path}), err)
	}
	var tries []string
	for _, p := range []string{o.Passphrases[path], o.Passphrase, d.Keys.Passphrase} {
		if p != "" && !slices.Contains(tries, p) {
			tries = append(tries, p)
		}
	}
	if demoKey {
		tries = append(tries, DemoPassphrase)
	}
	ask := func() (string, error) {
		if o.Ask == nil {
			return "", ErrNeedPassphrase
		}
		if exists {
			return o.Ask(lang.L("passphrase of the signing key {{.Path}}", map[string]any{"Path": path}), false)
		}
		return o.Ask(lang.L("new passphrase for the signing key {{.Path}}", map[string]any{"Path": path}), true)
	}
	if exists {
		lastErr := error(ErrNeedPassphrase)
		for _, p := range tries {
			id, err := report.LoadP12(data, p)
			if err == nil {
				return id, false, nil
			}
			if lastErr = err; !errors.Is(err, report.ErrWrongPassphrase) {
				return nil, false, msg.KeyError(path, err)
			}
		}
		if errors.Is(lastErr, report.ErrWrongPassphrase) || errors.Is(lastErr, ErrNeedPassphrase) {
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
		if errors.Is(lastErr, ErrNeedPassphrase) {
			return nil, false, lastErr
		}
		return nil, false, msg.KeyError(path, lastErr)
	}
	if strings.TrimSpace(name) == "" {
		return nil, false, errors.New(lang.L("a new signing key needs the signer's name (--signer)"))
	}
	var pass string
	switch {
	case demoKey:
		pass = DemoPassphrase // what the README promises for demo databases
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
	if err := SaveIdentity(path, id, pass); err != nil {
		return nil, false, err
	}
	return id, true, nil
}

// SaveIdentity writes id encrypted with pass to path (temp file, fsync,
// rename), creating the folder.
func SaveIdentity(path string, id *report.Identity, pass string) error {
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

// ImportKey makes the .p12 in data, read from src (opened with pass, to check it), the
// signing identity at dst ("" means the default of the database at
// dbPath, which isDemo says is a demo one). It returns where it was written
// and whose key it is.
func ImportKey(src string, data []byte, pass, dst, dbPath string, isDemo bool) (string, *report.Identity, error) {
	id, err := report.LoadP12(data, pass)
	if err != nil {
		return "", nil, msg.KeyError(src, err)
	}
	if dst == "" {
		dst = DefaultKeyPath(dbPath, isDemo)
	}
	if err := store.RefuseKeyOutput(dbPath, dst); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return "", nil, err
	}
	if err := store.WriteFileAtomic(dst, data); err != nil {
		return "", nil, err
	}
	return dst, id, nil
}
