package desk

import (
	"path/filepath"
	"testing"

	"mingcha/inspect"
	"mingcha/report"
)

// TestSigningKeys: the database's own key is offered for the identity, and
// without one for the first inspector (a demo database's 演示检查员); a key
// added for a colleague is offered for them once its holder is known; a
// report nobody here can sign is named so (CanSign).
func TestSigningKeys(t *testing.T) {
	d := openDesk(t)
	in := &inspect.Inspection{Inspectors: []string{"张三", "李四"}}
	if !d.CanSign(in) {
		t.Error("no key at all yet: the first export makes one, so it can be signed")
	}
	own := DefaultKeyPath(d.Store.Path(), false)
	save := func(path, name, pass string) {
		t.Helper()
		id, err := report.NewSelfSigned(name, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := SaveIdentity(path, id, pass); err != nil {
			t.Fatal(err)
		}
	}
	save(own, "张三", "zhang-pass")
	keys := d.SigningKeys(in)
	if keys[0].Path != own || !keys[0].Assumed || keys[1].Path != "" {
		t.Errorf("without an identity: %+v", keys)
	}
	if err := d.SetIdentity("test", Identity{Name: "李四"}); err != nil {
		t.Fatal(err)
	}
	if keys := d.SigningKeys(in); keys[0].Path != "" || keys[1].Path != own {
		t.Errorf("the identity's, assumed: %+v", keys)
	}
	// Opened once, the own key is known to be 张三's.
	if holder, err := d.AddKey(own, "zhang-pass"); err != nil || holder != "张三" {
		t.Fatalf("AddKey: %q %v", holder, err)
	}
	other := filepath.Join(t.TempDir(), "wang.p12")
	save(other, "王五", "wang-pass")
	if _, err := d.AddKey(other, "wrong"); err == nil {
		t.Error("a wrong passphrase added the key")
	}
	if _, err := d.AddKey(other, "wang-pass"); err != nil {
		t.Fatal(err)
	}
	keys = d.SigningKeys(&inspect.Inspection{Inspectors: []string{"李四", "王五", "张三"}})
	if keys[0].Path != "" || keys[1].Path != other || keys[2].Path != own || keys[2].Assumed {
		t.Errorf("recorded holders: %+v", keys)
	}
	if d.CanSign(&inspect.Inspection{Inspectors: []string{"赵六"}}) {
		t.Error("赵六 has no key here, and a key exists: CanSign must say no")
	}
}

// TestDemoKeyOfferedOnlyToItsHolder: in a demo database without an
// identity, the demo key is offered for 演示检查员 only, not for whoever is
// first on a new inspection (the walk's "Li Ming" was offered it, and the
// export failed after the passphrase: the key belongs to 演示检查员).
func TestDemoKeyOfferedOnlyToItsHolder(t *testing.T) {
	d := openDesk(t)
	if err := d.Store.PutSetting("test", SettingDemo, true); err != nil {
		t.Fatal(err)
	}
	if _, _, err := EnsureDemoKey(d.Store.Path()); err != nil {
		t.Fatal(err)
	}
	keys := d.SigningKeys(&inspect.Inspection{Inspectors: []string{"Li Ming", "Wang Fang"}})
	if keys[0].Path != "" || keys[1].Path != "" {
		t.Errorf("the demo key offered to another inspector: %+v", keys)
	}
	keys = d.SigningKeys(&inspect.Inspection{Inspectors: []string{"张华", demoHolder}})
	if keys[0].Path != "" || keys[1].Path != DemoKeyPath(d.Store.Path()) {
		t.Errorf("the demo key not offered to 演示检查员: %+v", keys)
	}
}
