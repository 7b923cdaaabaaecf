package app

import (
	"strings"
	"sync"
	"testing"

	"mingcha/desk"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/store"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// overlayText is every text shown in the topmost overlay (a dialog), one
// per line; "" when there is none.
func overlayText(c fyne.Canvas) string {
	top := c.Overlays().Top()
	if top == nil {
		return ""
	}
	var lines []string
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Label:
			lines = append(lines, x.Text)
		case *canvas.Text:
			lines = append(lines, x.Text)
		}
	}
	return strings.Join(lines, "\n")
}

// clearOverlays closes every dialog.
func clearOverlays(c fyne.Canvas) {
	for c.Overlays().Top() != nil {
		c.Overlays().Remove(c.Overlays().Top())
	}
}

// newUIOn is the window over s with the use cases as cmd/mingcha wires
// them (no key or passphrase configured), its background callbacks
// queued for settle.
func newUIOn(a fyne.App, w fyne.Window, s *store.Store) *UI {
	return newUI(a, w, desk.New(s, desk.Keys{}), office.New(s, office.Keys{}), &testQueue{})
}

// testQueue is the tests' scheduler: it keeps what background work posts
// until the test goroutine runs it (run), so that callbacks never race the
// test driving the widgets (Fyne's test driver would run fyne.Do at once,
// on the worker's goroutine).
type testQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *testQueue) post(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

// run runs what is queued, in order, including what those callbacks post,
// and reports how many ran.
func (q *testQueue) run() int {
	n := 0
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return n
		}
		for _, fn := range fns {
			fn()
		}
		n += len(fns)
	}
}

// settle waits for u's background work (export, photos added and
// decoded, backups, office jobs, and the extra groups: those of a screen
// no longer shown) and runs its callbacks on the test goroutine, until
// the callbacks start no more work. It does not wait out a debouncer's
// pause: waitPause does.
func settle(u *UI, extra ...*sync.WaitGroup) {
	for {
		groups := append([]*sync.WaitGroup{&u.work, &u.photos.wg}, extra...)
		if u.walk != nil {
			groups = append(groups, &u.walk.photoWG)
		}
		if u.settings != nil {
			groups = append(groups, &u.settings.backupWG)
		}
		if v, ok := officeScreens.Load(u); ok {
			groups = append(groups, &v.(*officeScreen).running)
		}
		for _, g := range groups {
			g.Wait()
		}
		if u.sched.(*testQueue).run() == 0 {
			return
		}
	}
}

// waitPause waits until d's timer has fired (the pause after typing is
// over) and runs what it posted, with the rest of u's background work.
func waitPause(u *UI, d *debouncer) {
	d.armed.Wait()
	settle(u)
}

// englishMessages makes lang.L answer in English for the rest of the test
// and restores the translations after it. Fyne's translation bundle is not
// safe to load while it is read, so u's background work (charts drawing
// their labels) is settled before the switch and again before the restore.
func englishMessages(t *testing.T, u *UI) {
	t.Helper()
	settle(u)
	t.Cleanup(func() { _ = msg.LoadTranslations() })
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	if err := msg.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { settle(u) }) // runs first: cleanups run last-in first-out
}

// chineseMessages makes lang.L answer in Chinese for the test.
func chineseMessages(t *testing.T) {
	t.Helper()
	t.Cleanup(func() { _ = msg.LoadTranslations() }) // after the variables are back: cleanups run last-in first-out
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	if err := msg.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
}
