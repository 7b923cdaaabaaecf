package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/report"
)

// makeKey writes name's self-signed key, encrypted with pass, to path.
func makeKey(t *testing.T, path, name, pass string) {
	t.Helper()
	id, err := report.NewSelfSigned(name, "区效能办")
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.SaveIdentity(path, id, pass); err != nil {
		t.Fatal(err)
	}
}

// completedInspection walks the combined template and completes it
// (inspectors 张三 and 李四).
func completedInspection(t *testing.T, u *UI) string {
	t.Helper()
	id := createInspection(t, u)
	walkAll(t, u, u.win.Canvas())
	u.ShowReview(id)
	test.Tap(u.review.complete)
	if u.review.in.Status != inspect.StatusCompleted {
		t.Fatal("not completed")
	}
	return id
}

func verifyFile(t *testing.T, path string) *report.Verification {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := report.Verify(data, report.VerifyOptions{})
	if err != nil || !v.Valid {
		t.Fatalf("%s does not verify: %v %+v", path, err, v)
	}
	return v
}

func signerNames(v *report.Verification) []string {
	var names []string
	for _, s := range v.Signers {
		names = append(names, s.Name)
	}
	return names
}

// TestExportEveryInspectorSigns: the window's export offers the keys on
// this laptop of the report's inspectors and signs with each (张三
// certifies, 王五 co-signs); 李四, whose key is not here, is recorded and
// printed as 未数字签名 and co-signs later through "co-sign a report",
// which refuses a key of somebody who is not an inspector. Nothing is
// written at the chosen path until the signed PDF is complete: cancelling
// the signers' dialog leaves no file (QA #3).
func TestExportEveryInspectorSigns(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	if err := u.desk.SetIdentity("test", desk.Identity{Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	makeKey(t, filepath.Join(filepath.Dir(s.Path()), "identity.p12"), "张三", "zhang-pass")
	makeKey(t, filepath.Join(keys, "wangwu.p12"), "王五", "wang-pass")
	makeKey(t, filepath.Join(keys, "lisi.p12"), "李四", "li-pass")
	makeKey(t, filepath.Join(keys, "outsider.p12"), "赵六", "zhao-pass")
	if holder, err := u.desk.AddKey(filepath.Join(keys, "wangwu.p12"), "wang-pass"); err != nil || holder != "王五" {
		t.Fatalf("AddKey: %q %v", holder, err)
	}

	u.ShowHome()
	test.Tap(u.home.newButton)
	if got := u.form.inspectors.Text; got != "张三" {
		t.Errorf("the form proposes %q, want the identity 张三", got)
	}
	u.form.inspectors.SetText("张三，李四，王五")
	u.form.unit.SetSelectedIndex(0)
	test.Tap(u.form.create)
	id := u.walk.in.ID
	walkAll(t, u, c)
	u.ShowReview(id)
	test.Tap(u.review.complete)

	out := t.TempDir()
	pdf := filepath.Join(out, "report.pdf")
	// Cancelled after choosing the file: nothing there.
	test.Tap(u.review.export)
	p := u.lastPicker
	p.chdir(out)
	p.name.SetText("report.pdf")
	test.Tap(p.open)
	sd := u.signers
	if sd == nil {
		t.Fatalf("no signers' dialog: %q", overlayText(c))
	}
	test.Tap(dialogButton(t, c, "取消"))
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Fatalf("cancelling left a file at the chosen path: %v", err)
	}

	test.Tap(u.review.export)
	p = u.lastPicker
	if p.dir != out {
		t.Errorf("the export folder is not remembered: %s", p.dir)
	}
	p.name.SetText("report")
	test.Tap(p.open)
	sd = u.signers
	text := overlayText(c)
	for _, want := range []string{"张三", "李四", "王五", "本机无此人密钥：未数字签名", filepath.Join(keys, "wangwu.p12")} {
		if !strings.Contains(text, want) {
			t.Errorf("the signers' dialog lacks %q:\n%s", want, text)
		}
	}
	if !sd.checks[0].Checked || sd.checks[1].Checked || !sd.checks[1].Disabled() || !sd.checks[2].Checked {
		t.Errorf("checked: %v %v %v", sd.checks[0].Checked, sd.checks[1].Checked, sd.checks[2].Checked)
	}
	test.Type(sd.passes[0], "zhang-pass")
	test.Type(sd.passes[2], "wang-pass")
	test.Tap(sd.export)
	settle(u)
	if got := overlayText(c); !strings.Contains(got, "已保存到 "+pdf) || !strings.Contains(got, "张三, 王五") {
		t.Fatalf("export: %q", got)
	}
	v := verifyFile(t, pdf)
	if got := signerNames(v); !slices.Equal(got, []string{"张三", "王五"}) {
		t.Errorf("signers %v, want 张三 then 王五", got)
	}
	if got := v.Payload.NotDigitallySigned; !slices.Equal(got, []string{"李四"}) {
		t.Errorf("recorded as not digitally signed: %v, want [李四]", got)
	}
	if txt := pdfText(t, pdf); !strings.Contains(txt, "未数字签名") || strings.Count(txt, "数字签名") < 3 {
		t.Errorf("the report does not print who signed digitally:\n%s", txt)
	}

	// 李四 co-signs in the window with a key file of his; 赵六 (no
	// inspector) is refused and nothing is written.
	clearOverlays(c)
	cd := u.cosignReport(pdf)
	if cd == nil || cd.who.Selected != "李四" || !cd.sign.Disabled() {
		t.Fatalf("co-sign dialog: %q", overlayText(c))
	}
	refused := filepath.Join(out, "refused.pdf")
	cd.chosen = filepath.Join(keys, "outsider.p12")
	cd.showKey()
	test.Type(cd.pass, "zhao-pass")
	test.Tap(cd.sign)
	p = u.lastPicker
	p.chdir(out)
	p.name.SetText("refused.pdf")
	test.Tap(p.open)
	settle(u)
	if got := overlayText(c); !strings.Contains(got, "赵六") || !strings.Contains(got, "检查人员") {
		t.Errorf("a non-inspector's co-signature: %q", got)
	}
	if _, err := os.Stat(refused); !os.IsNotExist(err) {
		t.Errorf("a refused co-signature left a file: %v", err)
	}

	clearOverlays(c)
	cd = u.cosignReport(pdf)
	test.Tap(dialogButton(t, c, "添加密钥文件…"))
	p = u.lastPicker
	p.chdir(keys)
	p.choose("lisi.p12")
	test.Tap(p.open)
	test.Type(cd.pass, "li-pass")
	test.Tap(cd.sign)
	p = u.lastPicker
	if p.name.Text != "report-cosigned.pdf" {
		t.Errorf("suggested %q", p.name.Text)
	}
	test.Tap(p.open)
	settle(u)
	cosigned := filepath.Join(out, "report-cosigned.pdf")
	if !strings.Contains(cd.done, cosigned) {
		t.Fatalf("co-sign: %q / %q", cd.done, overlayText(c))
	}
	if got := signerNames(verifyFile(t, cosigned)); !slices.Equal(got, []string{"张三", "王五", "李四"}) {
		t.Errorf("after co-signing: %v", got)
	}
	// The key is remembered for 李四 now.
	if got := u.desk.KeyHolders(); !slices.Contains(got, "李四") {
		t.Errorf("key holders %v", got)
	}
}

// TestSignWarnsWhenNoKeyHere: an inspection whose inspectors hold no key on
// this laptop is named as such before it is signed and locked (QA #2),
// and the new-inspection form asks when the identity is left out.
func TestSignWarnsWhenNoKeyHere(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	if err := u.desk.SetIdentity("test", desk.Identity{Name: "演示检查员"}); err != nil {
		t.Fatal(err)
	}
	makeKey(t, filepath.Join(filepath.Dir(s.Path()), "identity.p12"), "演示检查员", "demo-pass-1")
	if _, err := u.desk.AddKey(filepath.Join(filepath.Dir(s.Path()), "identity.p12"), "demo-pass-1"); err != nil {
		t.Fatal(err)
	}
	u.ShowHome()
	test.Tap(u.home.newButton)
	f := u.form
	f.unit.SetSelectedIndex(0)
	f.inspectors.SetText("张三，李四")
	test.Tap(f.create)
	if u.walk != nil || !strings.Contains(overlayText(c), "您（演示检查员）不在检查人员") {
		t.Fatalf("created without asking: %q", overlayText(c))
	}
	test.Tap(dialogButton(t, c, "仍然创建"))
	if u.walk == nil {
		t.Fatal("仍然创建 did not create")
	}
	id := u.walk.in.ID
	walkAll(t, u, c)
	u.ShowReview(id)
	test.Tap(u.review.complete)
	u.ShowSignature(id)
	sg := u.sign
	if sg.keyWarning == nil || !strings.Contains(sg.keyWarning.Text, "演示检查员") {
		t.Fatal("the signature screen does not say that no key here belongs to an inspector")
	}
	test.Tap(sg.signBtn)
	dialogButton(t, c, "仍然签名")
	test.Tap(dialogButton(t, c, "取消"))
	if in, _ := s.Inspection(id); in.Status != inspect.StatusCompleted {
		t.Errorf("cancelled, but the inspection is %s", in.Status)
	}

	// Enter in the last field of 新建检查 creates (the identity is an
	// inspector this time: no question).
	u.ShowHome()
	test.Tap(u.home.newButton)
	u.form.unit.SetSelectedIndex(0)
	if got := u.form.inspectors.Text; got != "演示检查员" {
		t.Errorf("the form proposes %q", got)
	}
	test.Type(u.form.place, "二楼")
	u.form.place.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.walk == nil || u.walk.in.Place != "二楼" {
		t.Fatal("Enter in the last field did not create")
	}
	if got := u.walk.who; got != "演示检查员" {
		t.Errorf("answers recorded by %q", got)
	}
}

// TestFirstExportEachInspectorMakesAKey: on a laptop with no key at all
// the export's 谁来签名 offers every inspector 新建密钥… beside
// 添加密钥文件…: the key names the inspector and the identity's unit, its
// passphrase is typed twice after the warning that a forgotten one is
// lost, and both inspectors sign the same export with their own new key
// (张三's becomes the database's own identity.p12, 李四's 李四.p12 beside
// it, both remembered). A .p12 never opened here is found: the key file
// picker starts in that folder and lists every .p12 there.
func TestFirstExportEachInspectorMakesAKey(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	if err := u.desk.SetIdentity("test", desk.Identity{Name: "张三", Unit: "区效能办"}); err != nil {
		t.Fatal(err)
	}
	id := completedInspection(t, u)
	out := t.TempDir()
	pdf := filepath.Join(out, "report.pdf")
	test.Tap(u.review.export)
	p := u.lastPicker
	p.chdir(out)
	p.name.SetText("report.pdf")
	test.Tap(p.open)
	sd := u.signers
	if sd == nil {
		t.Fatalf("no 谁来签名 on the first export: %q", overlayText(c))
	}
	for i, h := range sd.hints {
		if h.Text != "本机无此人密钥：未数字签名" {
			t.Fatalf("inspector %d: %q, want no key here", i, h.Text)
		}
	}
	if !sd.export.Disabled() {
		t.Error("export enabled with no key")
	}
	for i, name := range []string{"张三", "李四"} {
		if sd.adds[i] == nil || sd.adds[i].Text != "新建密钥…" {
			t.Fatalf("no 新建密钥… for %s", name)
		}
		test.Tap(sd.adds[i])
		text := overlayText(c)
		for _, want := range []string{name, "区效能办", "无法找回"} {
			if !strings.Contains(text, want) {
				t.Errorf("the new key's dialog for %s lacks %q:\n%s", name, want, text)
			}
		}
		if c.Focused() != sd.newKeyPass {
			t.Errorf("the passphrase is not focused: %T", c.Focused())
		}
		test.Type(sd.newKeyPass, name+"-2026-pass")
		test.Type(sd.newKeyAgain, name+"-2026-Pass") // a typo: refused
		sd.newKeyDialog.Submit()
		if sd.keys[i].Path != "" {
			t.Fatalf("a key made from two different passphrases: %s", sd.keys[i].Path)
		}
		sd.newKeyAgain.SetText(name + "-2026-pass")
		sd.newKeyDialog.Submit()
		if sd.keys[i].Path == "" || !sd.checks[i].Checked || sd.passes[i].Text != name+"-2026-pass" {
			t.Fatalf("after making %s's key: path %q checked %v", name, sd.keys[i].Path, sd.checks[i].Checked)
		}
	}
	dir := filepath.Dir(s.Path())
	if sd.keys[0].Path != filepath.Join(dir, "identity.p12") || sd.keys[1].Path != filepath.Join(dir, "李四.p12") {
		t.Errorf("keys made at %s and %s", sd.keys[0].Path, sd.keys[1].Path)
	}
	test.Tap(sd.export)
	settle(u)
	if got := overlayText(c); !strings.Contains(got, "已保存到 "+pdf) {
		t.Fatalf("export: %q", got)
	}
	v := verifyFile(t, pdf)
	if got := signerNames(v); !slices.Equal(got, []string{"张三", "李四"}) {
		t.Errorf("signers %v, want 张三 then 李四", got)
	}
	for _, sg := range v.Signers {
		if sg.Unit != "区效能办" {
			t.Errorf("%s's certificate names %q, want the identity's unit", sg.Name, sg.Unit)
		}
	}
	if len(v.Payload.NotDigitallySigned) != 0 {
		t.Errorf("recorded as not digitally signed: %v", v.Payload.NotDigitallySigned)
	}
	if got := u.desk.KeyHolders(); !slices.Equal(got, []string{"张三", "李四"}) {
		t.Errorf("key holders %v", got)
	}
	clearOverlays(c)

	// 王五's key, copied here and never opened: the picker of
	// 添加密钥文件… starts in the key folder and lists it.
	makeKey(t, filepath.Join(dir, "王五.p12"), "王五", "wang-pass")
	u.app.Preferences().SetString(folderPref(purposeImport), out)
	kp := u.pickKeyFile(func(string) {})
	var names []string
	for _, e := range kp.entries {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	if kp.dir != dir || !slices.Equal(names, []string{"identity.p12", "李四.p12", "王五.p12"}) {
		t.Errorf("the key picker opened %s listing %v", kp.dir, names)
	}
	clearOverlays(c)
	_ = id
}
