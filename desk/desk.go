// Package desk holds the inspector's use cases, once, for both faces (the
// window in app and the command line in cmd/mingcha): open a database with
// the bundled templates, the inspector's identity, export a signed report
// (which key, which passphrase, where it is written), templates and unit
// rosters in and out, backups and restore.
//
// A Desk takes everything it works with explicitly: the store, the clock
// and where the signing keys live. It holds no state of its own, so a face
// that swaps the database (restore) makes a new Desk with On.
package desk

import (
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/store"
)

// Desk is the inspector's side of one open database.
type Desk struct {
	Store *store.Store
	// Now is the clock: signing times, defaults. Nil means time.Now.
	Now func() time.Time
	// Keys says where the signing key lives and what unlocks it.
	Keys Keys
}

// Keys are the signing-key rules' inputs a face provides.
type Keys struct {
	// Path is the signing identity; "" means the database's default
	// (identity.p12 beside it, on a demo database <name>-identity.p12).
	Path string
	// Passphrase, when not empty, is tried first: the value of
	// MINGCHA_PASSPHRASE, read by the face (scripts, tests).
	Passphrase string
}

// New is a Desk over an open store, with the real clock.
func New(s *store.Store, keys Keys) *Desk {
	return &Desk{Store: s, Now: time.Now, Keys: keys}
}

// On is a copy of d over another store (after a restore the old one is
// closed, and whoever still holds it gets store.ErrClosed).
func (d *Desk) On(s *store.Store) *Desk {
	c := *d
	c.Store = s
	return &c
}

func (d *Desk) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

// Open opens the database at path and, unless it is opened read-only, adds
// the bundled templates it lacks (so that a new database can start an
// inspection at once).
func Open(path string, opts store.Options, keys Keys) (*Desk, error) {
	s, err := store.Open(path, opts)
	if err != nil {
		return nil, err
	}
	d := New(s, keys)
	if !opts.ReadOnly {
		if err := d.AddDefaultTemplates(); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	return d, nil
}

// AddDefaultTemplates stores the bundled templates that the database lacks.
func (d *Desk) AddDefaultTemplates() error {
	for name, data := range assets.TemplateFiles() {
		t, err := inspect.ParseTemplate(data)
		if err != nil {
			return fmt.Errorf("%s: %w", lang.L("bundled template {{.Name}}", map[string]any{"Name": name}), err)
		}
		if _, err := d.Store.Template(t.ID, t.Version); err == nil {
			continue
		}
		if err := d.Store.PutTemplate("mingcha", t); err != nil {
			return err
		}
	}
	return nil
}

// Store setting keys of the inspector's side (they travel with the database).
const (
	SettingLastInspectors = "last_inspectors"
	settingInspectorName  = "inspector_name" // before "identity"; still read
	SettingIdentity       = "identity"
	// SettingDemo marks a database filled by mingcha demo.
	SettingDemo = "demo"
)

// Identity is the inspector who uses this database (store setting
// "identity"): the name goes into the audit trail and new inspections.
type Identity struct {
	Name string `json:"name"`
	Unit string `json:"unit,omitempty"` // the inspector's own unit, e.g. 区效能办
}

// Identity reads the "identity" setting, or the older "inspector_name".
func (d *Desk) Identity() Identity {
	var id Identity
	if ok, _ := d.Store.Setting(SettingIdentity, &id); ok {
		id.Name, id.Unit = strings.TrimSpace(id.Name), strings.TrimSpace(id.Unit)
		return id
	}
	var name string
	if ok, _ := d.Store.Setting(settingInspectorName, &name); ok {
		id.Name = strings.TrimSpace(name)
	}
	return id
}

// SetIdentity stores the inspector's identity; the edit is signed by the
// new name (or by who, when the name is empty).
func (d *Desk) SetIdentity(who string, id Identity) error {
	id.Name, id.Unit = strings.TrimSpace(id.Name), strings.TrimSpace(id.Unit)
	if id.Name != "" {
		who = id.Name
	}
	return d.Store.PutSetting(who, SettingIdentity, id)
}

// Who names the person behind an edit in the audit trail: the identity,
// else the last inspector named, else fallback.
func (d *Desk) Who(fallback string) string {
	if id := d.Identity(); id.Name != "" {
		return id.Name
	}
	var last []string
	if ok, _ := d.Store.Setting(SettingLastInspectors, &last); ok && len(last) > 0 {
		return last[0]
	}
	return fallback
}

// IsDemo reports whether mingcha demo filled the database.
func (d *Desk) IsDemo() bool {
	var demo bool
	ok, _ := d.Store.Setting(SettingDemo, &demo)
	return ok && demo
}
