package desk

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

// SettingKeyRing maps the holder of each key file used on this laptop to
// its path ({"张三": "/home/…/identity.p12"}): a .p12's certificate is
// encrypted with its passphrase, so whose key a file is can only be read
// after it was opened once. Export, Cosign and AddKey record it.
const SettingKeyRing = "key_ring"

// SignerKey is one inspector of a report and the key on this laptop that
// signs for them ("" when there is none: the report records and prints
// them as 未数字签名, and they can co-sign later on their own laptop).
type SignerKey struct {
	Inspector string
	Path      string
	// Assumed: the database's own key, not opened yet on this database,
	// offered for the identity; its holder is checked when it is opened.
	Assumed bool
}

// keyRing is the recorded holder → key file map.
func (d *Desk) keyRing() map[string]string {
	ring := map[string]string{}
	_, _ = d.Store.Setting(SettingKeyRing, &ring)
	return ring
}

// remember records that the key at path belongs to holder (the window
// then offers it for that inspector). A failed write only loses the hint.
func (d *Desk) remember(holder, path string) {
	holder = strings.TrimSpace(holder)
	if holder == "" || path == "" || d.Store == nil {
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	ring := d.keyRing()
	if ring[holder] == path {
		return
	}
	ring[holder] = path
	_ = d.Store.PutSetting(d.Who(holder), SettingKeyRing, ring)
}

// defaultKey is the database's own signing key file.
func (d *Desk) defaultKey() string {
	if d.Keys.Path != "" {
		return d.Keys.Path
	}
	return DefaultKeyPath(d.Store.Path(), d.IsDemo())
}

// SigningKeys says, for each inspector of in, which key file on this
// laptop signs for them: the one recorded for that holder, else the
// database's own key for the identity, or without one for the first
// inspector (assumed until opened). A key file
// that is gone is not offered.
func (d *Desk) SigningKeys(in *inspect.Inspection) []SignerKey {
	ring := d.keyRing()
	own := d.defaultKey()
	ownHolder := ""
	for h, p := range ring {
		if samePath(p, own) {
			ownHolder = h
		}
	}
	// The database's own key is assumed the identity's, and without an
	// identity the first inspector's (whom the first export made it for;
	// a demo database's key is its 演示检查员's).
	me := d.Identity().Name
	switch {
	case me == "" && d.IsDemo():
		// Known without opening it: offering it to another inspector
		// only failed after the passphrase (walk: "Li Ming").
		me = demoHolder
	case me == "" && len(in.Inspectors) > 0:
		me = in.Inspectors[0]
	}
	out := make([]SignerKey, 0, len(in.Inspectors))
	for _, name := range in.Inspectors {
		k := SignerKey{Inspector: name}
		if p, ok := ring[name]; ok && exists(p) {
			k.Path = p
		} else if ownHolder == "" && name == me && exists(own) {
			k.Path, k.Assumed = own, true
		}
		out = append(out, k)
	}
	return out
}

// CanSign reports whether some inspector of in has a key on this laptop,
// or no key exists here yet (the first export makes one for the identity,
// else the first inspector). Signing and locking an inspection
// nobody here can export is asked about first (QA #2).
func (d *Desk) CanSign(in *inspect.Inspection) bool {
	for _, k := range d.SigningKeys(in) {
		if k.Path != "" {
			return true
		}
	}
	// No key at all yet: the first export makes one for an inspector.
	return !exists(d.defaultKey())
}

// KeyHolders names the holders of the key files recorded on this laptop.
func (d *Desk) KeyHolders() []string {
	var names []string
	for h, p := range d.keyRing() {
		if exists(p) {
			names = append(names, h)
		}
	}
	slices.Sort(names)
	return names
}

// AddKey opens the key file at path with pass (checking it) and records
// whose it is, so that export offers it for that inspector. The file
// stays where it is (never copied: it is somebody's private key).
func (d *Desk) AddKey(path, pass string) (holder string, err error) {
	id, err := d.OpenKey(path, pass, nil)
	if err != nil {
		return "", err
	}
	holder = strings.TrimSpace(id.Cert.Subject.CommonName)
	d.remember(holder, path)
	return holder, nil
}

// CosignFile adds the holder of the key at keyPath as a signer of the
// report at src and writes the result to dst (temp file, fsync, rename;
// over an existing file only with force; never over the database, its
// backups, stores or a key). Nothing is written unless the co-signed
// report verifies. A holder who is not one of the report's inspectors, or
// who signed already, is refused.
func (d *Desk) CosignFile(src, dst, keyPath, pass string, force bool, ask func(prompt string, isNew bool) (string, error)) (*report.Verification, error) {
	dbPath := ""
	if d.Store != nil {
		dbPath = d.Store.Path()
	}
	if err := store.RefuseOutput(dbPath, dst); err != nil {
		return nil, err
	}
	if _, err := os.Stat(dst); err == nil && !force {
		return nil, store.WriteOutput(dst, nil, false) // names the existing file
	}
	if info, err := os.Stat(src); err == nil && info.Size() > report.MaxReportSize {
		return nil, errors.New(lang.L("{{.Path}} is larger than any report", map[string]any{"Path": src}))
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("read {{.Path}}", map[string]any{"Path": src}), err)
	}
	signed, v, err := d.Cosign(data, keyPath, pass, ask)
	if err != nil {
		return nil, err
	}
	if err := store.WriteOutput(dst, signed, force); err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": dst}), err)
	}
	return v, nil
}

// ReportSigners reads the report at path: its inspectors, who signed it
// already, and for each inspector who has not the key on this laptop
// (SigningKeys' rule). The window's co-sign asks with it.
func (d *Desk) ReportSigners(path string) (*report.Verification, []SignerKey, error) {
	if info, err := os.Stat(path); err == nil && info.Size() > report.MaxReportSize {
		return nil, nil, errors.New(lang.L("{{.Path}} is larger than any report", map[string]any{"Path": path}))
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", lang.L("read {{.Path}}", map[string]any{"Path": path}), err)
	}
	v, err := report.Verify(data, report.VerifyOptions{})
	if err != nil {
		return nil, nil, err
	}
	if !v.Valid || v.Payload == nil || v.Payload.Inspection == nil {
		return v, nil, &inspect.Error{Code: inspect.ECodeInvalid, Key: v.ReasonKey, Params: v.ReasonParams, Message: v.Reason}
	}
	var open []SignerKey
	for _, k := range d.SigningKeys(v.Payload.Inspection) {
		if !slices.ContainsFunc(v.Signers, func(s report.Signer) bool { return s.Name == k.Inspector }) {
			open = append(open, k)
		}
	}
	return v, open, nil
}

func exists(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir()
}

func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// KeyDir is the folder where this laptop keeps signing keys: that of the
// database's own key. New keys are made there, and the window's key file
// picker starts there, so a .p12 never opened here is found.
func (d *Desk) KeyDir() string { return filepath.Dir(d.defaultKey()) }

// NewKey makes a signing key for inspector: a self-signed certificate
// naming them and the identity's unit, encrypted with pass, recorded as
// theirs (export offers it for them). The identity's key (without an
// identity, the key of the first inspector named) is the database's own
// key file when there is none yet; every other key is <KeyDir>/<name>.p12
// (<name>-2.p12 … when that is taken). No existing file is written over.
func (d *Desk) NewKey(inspector, pass string, in *inspect.Inspection) (string, error) {
	inspector = strings.TrimSpace(inspector)
	if inspector == "" {
		return "", errors.New(lang.L("a new signing key needs the signer's name (--signer)"))
	}
	if pass == "" {
		return "", ErrNeedPassphrase
	}
	me := d.Identity().Name
	if me == "" && in != nil && len(in.Inspectors) > 0 {
		me = in.Inspectors[0]
	}
	id, err := report.NewSelfSigned(inspector, d.Identity().Unit)
	if err != nil {
		return "", err
	}
	path, err := d.reserveKeyFile(inspector, inspector == me)
	if err != nil {
		return "", err
	}
	if err := SaveIdentity(path, id, pass); err != nil {
		_ = os.Remove(path) // the empty reservation
		return "", err
	}
	d.remember(inspector, path)
	return path, nil
}

// reserveKeyFile creates, empty and exclusively, the file a new key of
// holder goes to (own: the database's own key file, if free).
func (d *Desk) reserveKeyFile(holder string, own bool) (string, error) {
	if err := os.MkdirAll(d.KeyDir(), 0o700); err != nil {
		return "", err
	}
	var tries []string
	if own {
		tries = append(tries, d.defaultKey())
	}
	base := keyFileName(holder)
	tries = append(tries, filepath.Join(d.KeyDir(), base+".p12"))
	for n := 2; n < 100; n++ {
		tries = append(tries, filepath.Join(d.KeyDir(), fmt.Sprintf("%s-%d.p12", base, n)))
	}
	for _, p := range tries {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", lang.L("save key {{.Path}}", map[string]any{"Path": p}), err)
		}
		return p, f.Close()
	}
	return "", fmt.Errorf("%s: %w", lang.L("save key {{.Path}}", map[string]any{"Path": tries[len(tries)-1]}), fs.ErrExist)
}

// keyFileName is holder as a file name on every system (no separators,
// no characters Windows refuses).
func keyFileName(holder string) string {
	name := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, holder)
	if name = strings.Trim(name, " ."); name == "" {
		name = "key"
	}
	return name
}
