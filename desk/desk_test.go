package desk

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

func openDesk(t *testing.T) *Desk {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "m.db"), store.Options{NoBackup: true}, Keys{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Store.Close() })
	return d
}

func TestOpenAddsTheBundledTemplates(t *testing.T) {
	d := openDesk(t)
	tpls, err := d.Store.Templates()
	if err != nil || len(tpls) == 0 {
		t.Fatalf("templates after Open: %d %v", len(tpls), err)
	}
	// Twice is harmless.
	if err := d.AddDefaultTemplates(); err != nil {
		t.Fatal(err)
	}
}

func TestIsWrongPassphrase(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{fmt.Errorf("key.p12: %w", report.ErrWrongPassphrase), true},
		{msg.KeyError("key.p12", report.ErrWrongPassphrase), true},
		{ErrNeedPassphrase, true},
		{errors.New("the passphrase is a word in this text"), false},
		{inspect.Errorf(inspect.ECodeInvalid, "transition.sign_draft", nil, "wrong passphrase"), false},
	} {
		if got := IsWrongPassphrase(tt.err); got != tt.want {
			t.Errorf("IsWrongPassphrase(%v) = %v", tt.err, got)
		}
	}
}

// TestRosterBadRowsRule: bad rows import nothing unless the good rows are
// asked for; a roster without units is refused.
func TestRosterBadRowsRule(t *testing.T) {
	d := openDesk(t)
	ro := &sheet.Roster{Units: []inspect.Unit{{Name: "企业登记科", Department: "区市场监管局", Kind: inspect.UnitWindow}},
		Errors: []sheet.RowError{{Row: 3, Message: "no name"}}}
	var bad *BadRowsError
	if _, err := d.ImportRoster("t", ro, false); !errors.As(err, &bad) {
		t.Fatalf("bad rows without goodRows: %v", err)
	}
	if units, _ := d.Store.Units(); len(units) != 0 {
		t.Fatalf("%d units stored from a refused roster", len(units))
	}
	res, err := d.ImportRoster("t", ro, true)
	if err != nil || res.Created != 1 || res.LeftOut != 1 {
		t.Fatalf("good rows: %+v %v", res, err)
	}
	if _, err := d.ImportRoster("t", &sheet.Roster{}, true); !errors.Is(err, ErrNoUnits) {
		t.Errorf("empty roster: %v", err)
	}
}

func TestExportRefusesTheDatabaseAndADraft(t *testing.T) {
	d := openDesk(t)
	if _, err := d.Export("x", d.Store.Path(), ExportOptions{Force: true}); err == nil {
		t.Error("export over the database itself")
	}
	if _, err := d.Export("nosuch", filepath.Join(t.TempDir(), "r.pdf"), ExportOptions{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown inspection: %v", err)
	}
}
