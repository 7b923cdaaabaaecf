package app

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
)

// keyboard types on the window as the real one does: a rune or key goes to
// the focused widget if there is one, else to the window's handlers. It
// counts every keystroke.
type keyboard struct {
	c    fyne.Canvas
	keys int
}

func (k *keyboard) typ(s string) {
	for _, r := range s {
		k.keys++
		if f := k.c.Focused(); f != nil {
			f.TypedRune(r)
		} else {
			k.c.OnTypedRune()(r)
		}
	}
}

func (k *keyboard) press(name fyne.KeyName) {
	k.keys++
	e := &fyne.KeyEvent{Name: name}
	if f := k.c.Focused(); f != nil {
		f.TypedKey(e)
	} else {
		k.c.OnTypedKey()(e)
	}
}

// steppingClock is the stopwatch's clock: each reading 7 min 30 s after the last.
func steppingClock() func() time.Time {
	n := 0
	return func() time.Time {
		n++
		return testClock.Add(time.Duration(n) * 450 * time.Second)
	}
}

// walkFailures are the three failures of the keyboard walk: optional
// evidence, so the walk moves straight on.
var walkFailures = map[string]bool{"JL-12": true, "CK-05": true, "CK-06": true}

// TestWalkByKeyboardOnly walks the 42-item combined template from the
// keyboard alone: three failures, a count of 2, one person absent with a
// reason, one person not on the roster present, a choice and the queue
// stopwatch, in at most 50 keys; the same walk by taps records the same.
func TestWalkByKeyboardOnly(t *testing.T) {
	u, w, _ := newTestUI(t)
	u.Now = steppingClock()
	createInspection(t, u)
	k := &keyboard{c: w.Canvas()}
	wk := u.walk
	for steps := 0; steps < 60 && wk.items[wk.cur].Code != "CK-14"; steps++ {
		it := wk.items[wk.cur]
		switch {
		case it.Code == "JL-02": // a count of 2: 2 starts counting, 2 is the count, Enter moves on
			k.typ("22")
			k.press(fyne.KeyReturn)
		case it.Code == "JL-01": // the roster has the keys: 王芳 脱岗, then 小刘 (not on the roster) present
			if k.c.Focused() != wk.roster[0] {
				t.Fatal("the first roster row does not have the keys")
			}
			k.typ("t")
			k.typ("a小刘")
			k.press(fyne.KeyReturn)
			k.press(fyne.KeyReturn)
		case it.Code == "CK-12": // 取号, 叫号 (the minutes fill in), 办结 moves on
			k.typ("ttt")
		case it.Code == "CK-13":
			k.typ("2") // 一般
		case walkFailures[it.Code]:
			k.typ("2")
		default:
			k.typ("1")
		}
		if wk.items[wk.cur].Code == it.Code {
			t.Fatalf("%s: the walk did not move on (focus %T)", it.Code, k.c.Focused())
		}
	}
	if k.keys > 50 {
		t.Errorf("%d keys, want at most 50", k.keys)
	}
	t.Logf("42 items in %d keys", k.keys)
	if b := wk.in.Blockers(); len(b) > 0 {
		t.Fatalf("still blocked: %+v", b)
	}
	keyed := wk.in

	a := keyed.Answers["JL-01"]
	if a.Due() != 4 || a.Present() != 3 || len(a.Absent) != 1 || a.Absent[0].Reason != inspect.AbsenceOffPost ||
		len(a.OffRoster) != 1 || a.OffRoster[0].Name != "小刘" {
		t.Errorf("JL-01: 应到 %d 实到 %d %+v %+v", a.Due(), a.Present(), a.Absent, a.OffRoster)
	}
	if a := keyed.Answers["JL-02"]; a.Count != 2 {
		t.Errorf("JL-02 count %d", a.Count)
	}
	if a := keyed.Answers["CK-12"]; a.Number == nil || *a.Number != 7.5 || len(a.Times) != 3 {
		t.Errorf("CK-12: %+v", a)
	}
	sc := keyed.Score()
	// JL-01 2, JL-02 2, JL-12 5, CK-05 3, CK-06 3, 一般 0.5 = 15.5 off 100.
	if sc.Deducted != 15.5 || sc.Value != 84.5 {
		t.Errorf("score %+v", sc)
	}
	for _, p := range keyed.DeriveProblems(testClock, 15, inspect.Holidays{}, nil) {
		if p.ItemCode == "CK-13" {
			t.Error("一般 became a problem")
		}
	}

	// The same walk by taps.
	u2, w2, _ := newTestUI(t)
	u2.Now = steppingClock()
	createInspection(t, u2)
	tw := u2.walk
	for steps := 0; steps < 60 && tw.items[tw.cur].Code != "CK-14"; steps++ {
		it := tw.items[tw.cur]
		switch {
		case it.Code == "JL-02":
			test.Tap(tw.countPlus)
			test.Tap(tw.countPlus)
			test.Tap(tw.nextButton)
		case it.Code == "JL-01":
			test.Tap(tw.present["王芳"])
			tw.reasons["王芳"].SetSelected("脱岗")
			test.Type(tw.extraName, "小刘")
			test.Tap(tw.extraAdd)
			test.Tap(tw.attendanceConfirm)
		case it.Code == "CK-12":
			test.Tap(tw.lapButton)
			test.Tap(tw.lapButton)
			test.Tap(tw.lapButton)
		case it.Code == "CK-13":
			test.Tap(tw.choiceButtons[1])
		case it.Kind == inspect.KindCount:
			test.Tap(tw.noneButton)
		case walkFailures[it.Code]:
			test.Tap(tw.checkButtons[1])
		default:
			test.Tap(tw.checkButtons[0])
		}
		if tw.items[tw.cur].Code == it.Code {
			t.Fatalf("%s: tapping did not move on", it.Code)
		}
	}
	_ = w2
	tapped := tw.in
	if len(tapped.Answers) != len(keyed.Answers) {
		t.Fatalf("%d answers by taps, %d by keys", len(tapped.Answers), len(keyed.Answers))
	}
	for code, ka := range keyed.Answers {
		x, y := *ka, *tapped.Answers[code]
		x.AnsweredAt, y.AnsweredAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s: keys %+v, taps %+v", code, x, y)
		}
	}
}

// exifJPEG writes a small JPEG whose Exif DateTimeOriginal is taken.
func exifJPEG(t *testing.T, dir, name string, c color.Color, taken string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for y := 0; y < 12; y++ {
		for x := 0; x < 16; x++ {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	bo := binary.LittleEndian
	tiff := make([]byte, 64)
	copy(tiff, "II")
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	bo.PutUint16(tiff[10:], 0x8769)
	bo.PutUint16(tiff[12:], 4)
	bo.PutUint32(tiff[14:], 1)
	bo.PutUint32(tiff[18:], 26)
	bo.PutUint16(tiff[26:], 1)
	bo.PutUint16(tiff[28:], 0x9003)
	bo.PutUint16(tiff[30:], 2)
	bo.PutUint32(tiff[32:], 20)
	bo.PutUint32(tiff[36:], 44)
	copy(tiff[44:], taken+"\x00")
	seg := append([]byte("Exif\x00\x00"), tiff...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(out[4:], uint16(len(seg)+2))
	out = append(out, seg...)
	out = append(out, buf.Bytes()[2:]...)
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPhotosSeveralRemoveReplace: our picker takes several photos at once
// from its own remembered folder, each shows its EXIF capture time (one
// taken the day before is flagged), and a wrong one is replaced and one
// removed before signing.
func TestPhotosSeveralRemoveReplace(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	wk := u.walk
	dir := t.TempDir()
	exifJPEG(t, dir, "IMG_0001.JPG", color.RGBA{200, 0, 0, 255}, "2026:03:02 09:35:10")
	exifJPEG(t, dir, "IMG_0002.JPG", color.RGBA{0, 200, 0, 255}, "2026:03:01 17:02:00")
	exifJPEG(t, dir, "IMG_0003.JPG", color.RGBA{0, 0, 200, 255}, "2026:03:02 09:40:00")
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	u.app.Preferences().SetString(prefPhotoFolder, dir)
	test.Tap(wk.addPhotoButton)
	p := u.lastPicker
	if p == nil || p.dir != dir || len(p.entries) != 3 {
		t.Fatalf("picker at %v with %d entries, want %s with the 3 photos", p.dir, len(p.entries), dir)
	}
	p.choose("IMG_0001.JPG")
	p.choose("IMG_0002.JPG")
	test.Tap(p.open)
	settle(u)
	a := wk.in.Answers["SP-01"]
	if a == nil || len(a.Photos) != 2 {
		t.Fatalf("%+v, want two photos from one dialog", a)
	}
	if len(wk.thumbs) != 2 {
		t.Fatalf("%d thumbnails", len(wk.thumbs))
	}
	texts := strings.Join(labelTexts(w.Canvas().Content()), "\n")
	if !strings.Contains(texts, "拍摄于 03-02 09:35") || !strings.Contains(texts, "拍摄于 03-01 17:02，不在检查时段内") {
		t.Errorf("capture times not shown or not flagged:\n%s", texts)
	}
	second := a.Photos[1]
	wk.ReplacePhoto(second, filepath.Join(dir, "IMG_0003.JPG"))
	settle(u)
	a = wk.in.Answers["SP-01"]
	if len(a.Photos) != 2 || a.Photos[1] == second {
		t.Fatalf("after replace: %v", a.Photos)
	}
	if _, err := os.Stat(s.PhotoPath(second)); !os.IsNotExist(err) {
		t.Errorf("the replaced photo's original is still kept: %v", err)
	}
	test.Tap(wk.removeButtons[0])
	in, _ := s.Inspection(id)
	if got := in.Answers["SP-01"].Photos; len(got) != 1 || got[0] != a.Photos[1] {
		t.Fatalf("after remove: %v", got)
	}
	if got := u.app.Preferences().String(prefPhotoFolder); got != dir {
		t.Errorf("photo folder remembered as %q", got)
	}
}

// labelTexts is every label's text under o.
func labelTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*widget.Label); ok {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestReceiptOnTheSignatureScreen: a 明查 is signed only after the unit's
// representative signs off; an objection is kept in their words.
func TestReceiptOnTheSignatureScreen(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	u.ShowHome()
	test.Tap(u.home.newButton)
	f := u.form
	f.unit.SetSelectedIndex(0)
	f.mode.SetSelected("明查")
	f.inspectors.SetText("")
	test.Type(f.inspectors, "张三")
	test.Tap(f.create)
	wk := u.walk
	k := &keyboard{c: c}
	for steps := 0; steps < 60 && wk.items[wk.cur].Code != "CK-14"; steps++ {
		k.typ("1")
		if wk.items[wk.cur].Kind == inspect.KindNumber {
			k.typ("5")
			k.press(fyne.KeyReturn)
		}
	}
	id := wk.in.ID
	u.ShowReview(id)
	test.Tap(u.review.complete)
	test.Tap(u.review.signButton)
	sg := u.sign
	draw := func(pad *SignaturePad) {
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(pad)
		test.Drag(c, pos.AddXY(40, 60), 80, 20)
	}
	draw(sg.pads["张三"])
	test.Tap(sg.signBtn) // no 签收 yet: refused
	if in, _ := s.Inspection(id); in.Status == inspect.StatusSigned {
		t.Fatal("a 明查 was signed without the unit's 签收")
	}
	clearOverlays(c)
	test.Type(sg.repName, "王芳")
	test.Type(sg.repPost, "科长")
	sg.objection.SetSelected("有异议")
	test.Type(sg.objText, "李强当时在送件")
	draw(sg.repPad)
	test.Tap(sg.signBtn)
	in, _ := s.Inspection(id)
	if in.Status != inspect.StatusSigned || in.Receipt == nil || in.Receipt.Name != "王芳" || !in.Receipt.Objection ||
		in.Receipt.Text != "李强当时在送件" || len(in.Receipt.PNG) == 0 {
		t.Fatalf("status %s receipt %+v", in.Status, in.Receipt)
	}
}

// TestNewKeyPassphraseTwice: the first export explains that a forgotten
// passphrase is lost, and exports only with the same passphrase twice.
func TestNewKeyPassphraseTwice(t *testing.T) {
	u, w, _ := newTestUI(t)
	got := make(chan string, 1)
	pass, again, d := u.askNewPassphrase(func(p string) { got <- p })
	if !strings.Contains(overlayText(w.Canvas()), "无法找回") {
		t.Errorf("the dialog does not say a forgotten passphrase is lost:\n%s", overlayText(w.Canvas()))
	}
	if txt := overlayText(w.Canvas()); strings.Contains(txt, "太短") || !strings.Contains(txt, "至少 8 个字符") {
		t.Errorf("before anything is typed the dialog should ask for 8 characters, not say 太短:\n%s", txt)
	}
	test.Type(pass, "short")
	if !strings.Contains(overlayText(w.Canvas()), "太短") {
		t.Error("no strength hint for a short passphrase")
	}
	pass.SetText("")
	test.Type(pass, "明察2026-secret")
	test.Type(again, "明察2026-secreT")
	d.Submit()
	select {
	case p := <-got:
		t.Fatalf("exported with two different passphrases (%q)", p)
	default:
	}
	if !strings.Contains(overlayText(w.Canvas()), "不一致") {
		t.Error("the mismatch is not said")
	}
	again.SetText("")
	test.Type(again, "明察2026-secret")
	if !strings.Contains(overlayText(w.Canvas()), "强") {
		t.Errorf("strength of a long mixed passphrase:\n%s", overlayText(w.Canvas()))
	}
	d.Submit()
	if p := <-got; p != "明察2026-secret" {
		t.Fatalf("exported with %q", p)
	}
}

// TestWindowFitsTheScreen: 1100×720 (the default) or a remembered 1366×740
// on a 1024×768 screen opens within it; a small size stays.
func TestWindowFitsTheScreen(t *testing.T) {
	screen := fyne.NewSize(1024, 768)
	for _, want := range []fyne.Size{{Width: 1100, Height: 720}, {Width: 1366, Height: 740}} {
		got := fitScreen(want, screen, 1)
		if got.Width > 1024 || got.Height > 768-60 {
			t.Errorf("%v on a 1024×768 screen opens at %v", want, got)
		}
	}
	if got := fitScreen(fyne.NewSize(900, 600), screen, 1); got != fyne.NewSize(900, 600) {
		t.Errorf("a size that fits became %v", got)
	}
	if got := fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(2048, 1536), 2); got.Width > 1024 {
		t.Errorf("at scale 2: %v", got)
	}
}

// TestPrimaryActionsVisibleAt1024x768: on the largest window a 1024×768
// screen holds, every screen's primary action lies inside the window.
func TestPrimaryActionsVisibleAt1024x768(t *testing.T) {
	u, w, _ := newTestUI(t)
	size := fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1)
	w.Resize(size)
	inside := func(name string, o fyne.CanvasObject) {
		t.Helper()
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
		end := pos.Add(o.Size())
		if !o.Visible() || o.Size().Width == 0 || end.X > w.Canvas().Size().Width+0.5 || end.Y > w.Canvas().Size().Height+0.5 {
			t.Errorf("%s: primary action at %v–%v, window %v", name, pos, end, w.Canvas().Size())
		}
	}
	u.ShowHome()
	inside("home: new inspection", u.home.newButton)
	id := createInspection(t, u)
	inside("walk: review", u.walk.reviewButton)
	u.walk.goTo(14) // the roster
	inside("walk (attendance): review", u.walk.reviewButton)
	u.ShowReview(id)
	inside("review: complete", u.review.complete)
	u.ShowSignature(id)
	inside("signature: sign", u.sign.signBtn)
}

// TestFieldWalkScreenshots writes the walk at a count, a choice, the
// stopwatch and the roster, and the signature screen with the unit's 签收,
// at the largest window a 1024×768 screen holds (MINGCHA_SCREENSHOTS).
func TestFieldWalkScreenshots(t *testing.T) {
	dir := os.Getenv("MINGCHA_SCREENSHOTS")
	if dir == "" {
		t.Skip("MINGCHA_SCREENSHOTS not set")
	}
	u, w, _ := newTestUI(t)
	w.Resize(fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1))
	u.Now = steppingClock()
	shot := func(name string) {
		t.Helper()
		f, err := os.Create(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
	}
	u.ShowHome()
	test.Tap(u.home.newButton)
	f := u.form
	f.unit.SetSelectedIndex(0)
	f.mode.SetSelected("明查")
	f.inspectors.SetText("")
	test.Type(f.inspectors, "张三，李四")
	test.Tap(f.create)
	wk := u.walk
	k := &keyboard{c: w.Canvas()}
	for steps := 0; steps < 80 && wk.items[wk.cur].Code != "CK-14"; steps++ {
		switch wk.items[wk.cur].Code {
		case "JL-01":
			k.typ("ta小刘")
			k.press(fyne.KeyReturn)
			shot("walk-roster")
			k.press(fyne.KeyReturn)
		case "JL-02":
			k.typ("22")
			shot("walk-count")
			k.press(fyne.KeyReturn)
		case "CK-12":
			k.typ("tt")
			shot("walk-stopwatch")
			k.typ("t")
		case "CK-13":
			k.typ("2")
			wk.previous()
			shot("walk-choice")
			wk.next()
		default:
			k.typ("1")
		}
	}
	u.ShowReview(wk.in.ID)
	test.Tap(u.review.complete)
	test.Tap(u.review.signButton)
	sg := u.sign
	drawSignature(sg.pads["张三"])
	drawSignature(sg.pads["李四"])
	test.Type(sg.repName, "王芳")
	test.Type(sg.repPost, "科长")
	sg.objection.SetSelected("有异议")
	test.Type(sg.objText, "李强当时外出送件，有登记")
	drawSignature(sg.repPad)
	shot("signature-receipt")
}

// TestOpenResumesAtTheLastItem: opening a draft from home goes back to the
// item answered last, not the first.
func TestOpenResumesAtTheLastItem(t *testing.T) {
	u, _, s := newTestUI(t)
	id := createInspection(t, u)
	clock := testClock
	for _, code := range []string{"SP-01", "JL-03", "SP-02"} {
		clock = clock.Add(time.Minute)
		if _, err := s.SaveAnswer("张三", id, inspect.Answer{ItemCode: code, Result: inspect.ResultPass, Counted: true, AnsweredAt: clock}); err != nil {
			t.Fatal(err)
		}
	}
	u.ShowHome()
	u.OpenInspection(id)
	if got := u.walk.items[u.walk.cur].Code; got != "SP-02" {
		t.Errorf("opened at %s, want SP-02 (answered last)", got)
	}
}

// TestFirstRunGuidance: a database without an identity or inspection shows
// the steps on the home screen; they leave once the first inspection exists.
func TestFirstRunGuidance(t *testing.T) {
	u, w, _ := newTestUI(t)
	u.ShowHome()
	texts := strings.Join(labelTexts(w.Canvas().Content()), "\n")
	if !strings.Contains(texts, "开始使用") || !strings.Contains(texts, "设置本人姓名和单位") {
		t.Fatalf("no first-run guidance on an empty database:\n%s", texts)
	}
	createInspection(t, u)
	if err := u.store.PutSetting("test", desk.SettingIdentity, desk.Identity{Name: "张三", Unit: "区效能办"}); err != nil {
		t.Fatal(err)
	}
	u.ShowHome()
	if strings.Contains(strings.Join(labelTexts(w.Canvas().Content()), "\n"), "开始使用") {
		t.Error("the guidance stays after the first inspection")
	}
}
