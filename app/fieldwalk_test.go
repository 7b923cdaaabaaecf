package app

import (
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
