package office

import (
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
	"mingcha/store"
)

func openOffice(t *testing.T) *Office {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "office.db"), store.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	o := New(s, Keys{})
	o.Now = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, inspect.Zone) }
	return o
}

// TestBulletinNeedsTheOfficeKeysPassphrase: without a passphrase and
// nobody to ask, the 通报 is not written and the window can ask.
func TestBulletinNeedsTheOfficeKeysPassphrase(t *testing.T) {
	o := openOffice(t)
	out := filepath.Join(t.TempDir(), "通报.pdf")
	from, to, _ := inspect.ParsePeriod("2026-02")
	if _, err := o.Bulletin(BulletinRequest{Filter: inspect.Filter{From: from, To: to}}, out); err == nil {
		t.Fatal("a signed 通报 without an office key")
	}
	// A draft needs no key.
	res, err := o.Bulletin(BulletinRequest{Filter: inspect.Filter{From: from, To: to}, Unsigned: true}, out)
	if err != nil || res.Signer != "" || res.Size == 0 {
		t.Fatalf("unsigned draft: %+v %v", res, err)
	}
	// Written once; a second time only with Force.
	if _, err := o.Bulletin(BulletinRequest{Filter: inspect.Filter{From: from, To: to}, Unsigned: true}, out); err == nil {
		t.Error("an existing file replaced without Force")
	}
	if _, err := o.Bulletin(BulletinRequest{Filter: inspect.Filter{From: from, To: to}, Unsigned: true, Force: true}, out); err != nil {
		t.Errorf("with Force: %v", err)
	}
	if err := o.CheckOutput(o.Store.Path(), true); err == nil {
		t.Error("the database accepted as an output file")
	}
}

func TestDrawIsRecordedAndReproducible(t *testing.T) {
	o := openOffice(t)
	for _, n := range []string{"甲科", "乙科", "丙科", "丁科"} {
		u := inspect.Unit{Name: n, Department: "区政府", Kind: inspect.UnitOffice}
		if err := o.Store.PutUnit("t", &u); err != nil {
			t.Fatal(err)
		}
	}
	a, err := o.Draw("t", inspect.DrawFilter{}, 2, "seed-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := o.Draw("t", inspect.DrawFilter{}, 2, "seed-1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Drawn) != 2 || a.Drawn[0].UnitID != b.Drawn[0].UnitID || a.Drawn[1].UnitID != b.Drawn[1].UnitID {
		t.Errorf("the same seed drew %v and %v", a.Drawn, b.Drawn)
	}
	draws, _ := o.Store.Draws()
	if len(draws) != 2 {
		t.Errorf("%d draws recorded", len(draws))
	}
	if _, err := o.Draw("t", inspect.DrawFilter{}, 0, "", 0); err == nil {
		t.Error("a draw of nothing")
	}
	if err := o.WriteTaskList(a, filepath.Join(t.TempDir(), "tasks.txt"), false); err == nil {
		t.Error("a task list as .txt")
	}
}
