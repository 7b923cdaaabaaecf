// Package app is Mingcha's desktop GUI (Fyne): the home list of
// inspections, the new-inspection form, the checklist walk (明查暗访 in the
// field), review, the signature pad, export, and the catalogue screens.
//
// It never imports fyne.io/fyne/v2/app, so every screen is tested headless
// with fyne.io/fyne/v2/test; cmd/mingcha creates the fyne.App and calls Run.
package app

import (
	"errors"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/office"
	"mingcha/store"
)

// Preference keys (fyne.Preferences, per machine).
const (
	prefWidth    = "window.width"
	prefHeight   = "window.height"
	prefTheme    = "theme"    // "light", "dark" or "system"
	prefLanguage = "language" // "zh", "en" or "" for the system's
)

// settingLastInspectors: the inspectors of the last new inspection.
const settingLastInspectors = desk.SettingLastInspectors

// UI is the main window's state: the use cases, the store they work on,
// and whichever screen is shown.
type UI struct {
	app fyne.App
	win fyne.Window
	// desk and office are the use cases the window shares with the
	// command line; store is desk.Store (reads for display). All three
	// change together in use (a restored backup).
	desk   *desk.Desk
	office *office.Office
	store  *store.Store
	// current is store for the photo decoders, which run off the UI
	// goroutine while a restore may swap it.
	current atomic.Pointer[store.Store]

	lastPicker *filePicker // the file picker shown last (tests)

	// Now is the clock for defaults (observed time); tests fix it.
	Now func() time.Time
	// storeOpts reopens the store after a backup is restored.
	storeOpts store.Options

	nav    *navBar
	photos *photoCache
	// sched runs what background work hands back to the widgets on the
	// UI goroutine (fyne.Do in the window); see scheduler.
	sched scheduler
	// work counts the background jobs that end in a post (export);
	// tests wait on it.
	work sync.WaitGroup

	home      *homeScreen
	walk      *walkScreen
	review    *reviewScreen
	sign      *signatureScreen
	signers   *signersDialog // the export's last "who signs" dialog (tests)
	cosign    *cosignDialog  // the last "co-sign a report" dialog (tests)
	form      *newInspectionForm
	units     *unitsScreen
	templates *templatesScreen
	settings  *settingsScreen

	// guard is the screen shown when it may hold unsaved changes (the
	// unit editor, the 效能办 screen with the template editor); nil else.
	guard leaveGuard
	// asking: the unsaved-changes dialog is open (a second click on the
	// window's close button must not stack another).
	asking bool
}

// leaveGuard is a screen that may hold unsaved changes. canLeave reports
// whether it may be left at once; when it may not, it has asked the user
// and calls proceed once they chose to save (and saving worked) or not to
// save, and never when they cancel.
type leaveGuard interface {
	canLeave(proceed func()) bool
}

// NewUI builds the UI over the inspector's and the office's use cases on
// one open store (d.Store). It does not show anything; call Restore or
// ShowHome (Run restores the last screen).
func NewUI(a fyne.App, w fyne.Window, d *desk.Desk, o *office.Office) *UI {
	return newUI(a, w, d, o, fyneDo{})
}

// newUI is NewUI with the scheduler of background callbacks (tests pass
// a queue they run themselves).
func newUI(a fyne.App, w fyne.Window, d *desk.Desk, o *office.Office, sched scheduler) *UI {
	u := &UI{app: a, win: w, Now: time.Now, sched: sched}
	u.use(d, o)
	u.photos = newPhotoCache(64, u.photoSource, sched)
	return u
}

// scheduler runs on the UI goroutine what background work hands back to
// the widgets: a decoded thumbnail, an export's or import's outcome, a
// note saved after a pause. Every goroutine and timer in app posts through
// the UI's scheduler, never through fyne.Do itself. The window's is
// fyne.Do; the tests' is a queue they run on their own goroutine once they
// have waited for the work, because Fyne's test driver runs fyne.Do at
// once on the calling goroutine, where the callback would race the test
// driving the widgets.
type scheduler interface {
	post(fn func())
}

// fyneDo is the window's scheduler: Fyne's event loop runs fn.
type fyneDo struct{}

func (fyneDo) post(fn func()) { fyne.Do(fn) }

// post runs fn on the UI goroutine, after what was posted before it.
func (u *UI) post(fn func()) { u.sched.post(fn) }

// use makes the window work on d and o (one store).
func (u *UI) use(d *desk.Desk, o *office.Office) {
	u.desk, u.office = d, o.On(d.Store)
	u.store = d.Store
	u.current.Store(d.Store)
}

// Options are what Run needs besides the fyne.App.
type Options struct {
	DBPath string
	// Keys and OfficeKeys say where the signing keys live and what unlocks
	// them (MINGCHA_PASSPHRASE, read by cmd/mingcha).
	Keys       desk.Keys
	OfficeKeys office.Keys
	// ScreenSize reports the screen the window opens on, in pixels; the
	// default and the remembered window sizes are clamped to it.
	// cmd/mingcha passes GLFW's; nil or false keeps them as they are.
	ScreenSize func() (w, h float32, ok bool)
}

// Run is the GUI's entry point: language, translations, theme, the main
// window (its size remembered), the store at dbPath, the last screen; it
// blocks until the window closes, then closes the store.
//
// The window shows at once with a progress screen and the store opens in
// the background: opening checks the whole file, which on a large
// database read from a cold disk takes seconds.
func Run(a fyne.App, opts Options) {
	dbPath := opts.DBPath
	prefs := a.Preferences()
	applyLanguage(prefs.String(prefLanguage))
	if err := msg.LoadTranslations(); err != nil {
		log.Print(err)
	}
	useLanguage(prefs.String(prefLanguage))
	a.Settings().SetTheme(NewTheme(prefs.StringWithFallback(prefTheme, "system")))
	w := a.NewWindow(lang.L("Mingcha"))
	want := fyne.NewSize(float32(prefs.FloatWithFallback(prefWidth, 1100)), float32(prefs.FloatWithFallback(prefHeight, 720)))
	if opts.ScreenSize != nil {
		if sw, sh, ok := opts.ScreenSize(); ok {
			want = fitScreen(want, fyne.NewSize(sw, sh), w.Canvas().Scale())
		}
	}
	w.Resize(want)

	var ui *UI
	o := opener{sched: fyneDo{}}
	// Copies of reply files an earlier run opened and could not remove.
	go removeStaleReplyCopies(os.TempDir(), time.Now())
	// shutdown saves what is pending and closes the store, once: from the
	// window's close button, or after a.Quit (SIGTERM) ends the event loop.
	var once sync.Once
	shutdown := func() {
		once.Do(func() {
			size := w.Canvas().Size()
			values := map[string]any{prefWidth: float64(size.Width), prefHeight: float64(size.Height)}
			if ui != nil && ui.walk != nil {
				values[prefItem] = ui.walk.cur
			}
			setPrefs(prefs, values)
			o.close()
			if err := openedReplies.remove(); err != nil { // the copies of opened reply files
				log.Print(err)
			}
			if ui == nil || ui.store == nil {
				return
			}
			ui.flush()
			if err := ui.store.Close(); err != nil {
				log.Print(err)
			}
		})
	}
	// A screen with unsaved changes asks first (save, don't save, cancel).
	w.SetCloseIntercept(func() {
		closeWindow := func() {
			shutdown()
			w.Close()
		}
		if ui == nil {
			closeWindow()
			return
		}
		ui.navigate(closeWindow)
	})

	var open func()
	open = func() {
		w.SetContent(openingScreen(dbPath))
		o.open(dbPath, opts.Keys, func(d *desk.Desk, err error) {
			if err != nil {
				w.SetContent(openErrorScreen(w, dbPath, err, open))
				return
			}
			ui = NewUI(a, w, d, office.New(d.Store, opts.OfficeKeys))
			ui.Restore()
			if os.Getenv("MINGCHA_TRACE_STARTUP") != "" {
				log.Printf("startup: first screen shown at unix_ns=%d", time.Now().UnixNano())
			}
		})
	}
	open()
	w.ShowAndRun()
	shutdown()
}

// opener opens the store off the UI goroutine and hands it over through
// sched; a store that opens after the window has closed is closed again.
type opener struct {
	sched   scheduler
	mu      sync.Mutex
	closing bool
	wg      sync.WaitGroup // the goroutine of open (tests wait for it)
}

func (o *opener) open(path string, keys desk.Keys, done func(*desk.Desk, error)) {
	o.wg.Add(1)
	go func() {
		defer o.wg.Done()
		d, err := desk.Open(path, store.Options{}, keys)
		o.mu.Lock()
		closing := o.closing
		o.mu.Unlock()
		if closing {
			if d != nil {
				_ = d.Store.Close()
			}
			return
		}
		o.sched.post(func() {
			o.mu.Lock()
			closing := o.closing
			o.mu.Unlock()
			if closing { // the window closed while this waited in the queue
				if d != nil {
					_ = d.Store.Close()
				}
				return
			}
			done(d, err)
		})
	}()
}

// close makes a store still being opened close itself once open.
func (o *opener) close() {
	o.mu.Lock()
	o.closing = true
	o.mu.Unlock()
}

// openingScreen is shown while the store opens.
func openingScreen(dbPath string) fyne.CanvasObject {
	bar := widget.NewProgressBarInfinite()
	title := widget.NewLabelWithStyle(lang.L("Opening the database…"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	path := widget.NewLabel(dbPath)
	path.Alignment = fyne.TextAlignCenter
	return container.NewCenter(container.NewVBox(title,
		container.NewGridWrap(fyne.NewSize(420, bar.MinSize().Height), bar), path))
}

// setPrefs sets several preferences in one change. Fyne saves the file at
// the first change and puts off the ones that follow within 100 ms to the
// event loop, which is gone when the window is closing: values set one by
// one there would be lost after the first.
func setPrefs(p fyne.Preferences, values map[string]any) {
	if batch, ok := p.(interface{ WriteValues(func(map[string]any)) }); ok {
		batch.WriteValues(func(all map[string]any) {
			for k, v := range values {
				all[k] = v
			}
		})
		return
	}
	for k, v := range values {
		switch v := v.(type) {
		case float64:
			p.SetFloat(k, v)
		case int:
			p.SetInt(k, v)
		case string:
			p.SetString(k, v)
		}
	}
}

// applyLanguage makes Fyne's lang package (which asks go-locale, which reads
// LANGUAGE, LC_ALL, LC_MESSAGES and LANG) see the language chosen in the
// settings. It must run before LoadTranslations; "" keeps the system's.
func applyLanguage(pref string) {
	var loc, short string
	switch pref {
	case "zh":
		loc, short = "zh_CN.UTF-8", "zh_CN"
	case "en":
		loc, short = "en_US.UTF-8", "en_US"
	default:
		return
	}
	_ = os.Setenv("LANG", loc)
	_ = os.Setenv("LANGUAGE", short)
	// LANGUAGE is ignored under the C locale, so replace a C or POSIX there.
	for _, k := range []string{"LC_ALL", "LC_MESSAGES"} {
		if v := os.Getenv(k); v == "C" || v == "POSIX" {
			_ = os.Setenv(k, loc)
		}
	}
}

// openErrorScreen explains why the database did not open; a damaged file
// offers to restore the newest good backup, then retry calls open again.
func openErrorScreen(w fyne.Window, dbPath string, err error, retry func()) fyne.CanvasObject {
	why := widget.NewLabel(msg.Of(err))
	why.Wrapping = fyne.TextWrapWord
	why.Importance = widget.DangerImportance
	path := widget.NewLabel(dbPath)
	path.Wrapping = fyne.TextWrapBreak
	box := container.NewVBox(widget.NewLabelWithStyle(lang.L("Cannot open the database"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), why, path)

	var damaged *store.DamagedError
	if errors.As(err, &damaged) {
		restore := widget.NewButtonWithIcon(lang.L("Restore the newest good backup"), theme.HistoryIcon(), func() {
			backup := damaged.NewestBackup
			if backup == "" {
				var berr error
				if backup, berr = store.NewestGoodBackup(dbPath); berr != nil || backup == "" {
					dialog.ShowInformation(lang.L("Restore"), lang.L("No usable backup was found."), w)
					return
				}
			}
			kept, rerr := store.Restore(dbPath, backup)
			if rerr != nil {
				dialog.ShowError(errors.New(msg.Of(rerr)), w)
				return
			}
			if kept != "" {
				log.Printf("damaged database kept as %s", kept)
			}
			retry()
		})
		restore.Importance = widget.HighImportance
		box.Add(restore)
	}
	if errors.Is(err, store.ErrInUse) {
		box.Add(widget.NewButtonWithIcon(lang.L("Try again"), theme.ViewRefreshIcon(), retry))
	}
	return container.NewCenter(container.NewPadded(box))
}

// who names the person behind an edit in the audit trail.
func (u *UI) who() string { return u.desk.Who("inspector") }

// identity is the inspector who uses this database.
func (u *UI) identity() desk.Identity { return u.desk.Identity() }

// show puts content under the navigation bar with section highlighted.
// Screen keyboard handlers are reset, so that only the walk reacts to 1/2/3.
func (u *UI) show(section string, content fyne.CanvasObject) {
	c := u.win.Canvas()
	c.SetOnTypedRune(nil)
	c.SetOnTypedKey(nil)
	u.win.SetOnDropped(nil)
	if u.nav == nil {
		u.nav = newNavBar(u)
	}
	u.nav.setCurrent(section)
	u.win.SetContent(container.NewBorder(u.nav.content, nil, nil, nil, content))
}

// leave saves what the current screen still holds and forgets every
// screen; each Show method calls it before building its own. It does not
// ask about unsaved changes: whatever lets the user go elsewhere (the
// navigation bar, the window's close button) goes through navigate.
func (u *UI) leave() {
	u.flush()
	u.rememberItem()
	u.home, u.walk, u.review, u.sign, u.form = nil, nil, nil, nil, nil
	u.units, u.templates, u.settings = nil, nil, nil
	u.guard = nil
}

// navigate runs next (showing another screen, closing the window) once
// the current screen lets go: at once, or after the user has answered the
// unsaved-changes dialog.
func (u *UI) navigate(next func()) {
	if u.asking && u.win.Canvas().Overlays().Top() != nil {
		return // the dialog is up: answer it first
	}
	if u.guard != nil && !u.guard.canLeave(next) {
		return
	}
	next()
}

// askUnsaved asks what becomes of unsaved changes before proceed runs:
// 保存 runs save and proceeds if it reports success (a failed save stays,
// with its faults shown by save), 不保存 proceeds, 取消 stays. save nil:
// the changes cannot be saved as they are, and message says why.
func (u *UI) askUnsaved(message string, save func() bool, proceed func()) {
	msg := widget.NewLabel(message)
	msg.Wrapping = fyne.TextWrapWord
	var d *dialog.CustomDialog
	answer := func(fn func()) func() {
		return func() {
			d.Hide()
			fn()
		}
	}
	cancel := widget.NewButton(lang.L("Cancel"), answer(func() {}))
	discard := widget.NewButton(lang.L("Don't save"), answer(proceed))
	discard.Importance = widget.DangerImportance
	saveBtn := widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), answer(func() {
		if save() {
			proceed()
		}
	}))
	saveBtn.Importance = widget.HighImportance
	if save == nil {
		saveBtn.Disable()
	}
	d = dialog.NewCustomWithoutButtons(lang.L("Unsaved changes"), msg, u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, discard, saveBtn})
	d.SetOnClosed(func() { u.asking = false })
	d.Resize(fyne.NewSize(440, d.MinSize().Height))
	u.asking = true
	d.Show()
}

// flush writes whatever text is still waiting for its debounce.
func (u *UI) flush() {
	if u.walk != nil {
		u.walk.flush()
	}
	if u.review != nil {
		u.review.flush()
	}
}

// showError reports err in a dialog, localised.
func (u *UI) showError(err error) {
	dialog.ShowError(errors.New(msg.Of(err)), u.win)
}

// ShowHome shows the list of inspections.
func (u *UI) ShowHome() {
	u.leave()
	u.home = newHomeScreen(u)
	u.show(screenHome, u.home.content)
	u.home.shown = true
	u.remember(screenHome, "")
}

// OpenInspection opens id: the walk for a draft, the review otherwise.
func (u *UI) OpenInspection(id string) {
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	if in.CanEdit() == nil {
		u.ShowWalk(id, -1) // at the item last worked on
		return
	}
	u.ShowReview(id)
}

// savedText is the status line after a durable save, its time in the
// office's zone like the answer's "记录于" beside it.
func savedText(t time.Time) string {
	return lang.L("Saved") + " " + t.In(inspect.Zone).Format("15:04:05")
}

// debouncer runs the last function given to it after a pause; flush runs
// it at once. It is used from the UI goroutine only; the timer hops back
// through sched.
type debouncer struct {
	delay   time.Duration
	sched   scheduler
	timer   *time.Timer
	pending func()
	gen     int
	// armed counts the timer until it is stopped or has posted its flush
	// (tests wait on it instead of sleeping through the pause).
	armed sync.WaitGroup
}

func (d *debouncer) call(fn func()) {
	d.stop()
	d.pending = fn
	d.gen++
	gen := d.gen
	d.armed.Add(1)
	d.timer = time.AfterFunc(d.delay, func() {
		defer d.armed.Done()
		d.sched.post(func() {
			if d.gen == gen {
				d.flush()
			}
		})
	})
}

// stop stops the timer; one that has fired already has posted its flush,
// which finds nothing pending or a newer generation.
func (d *debouncer) stop() {
	if d.timer != nil {
		if d.timer.Stop() {
			d.armed.Done()
		}
		d.timer = nil
	}
}

func (d *debouncer) flush() {
	d.stop()
	if fn := d.pending; fn != nil {
		d.pending = nil
		fn()
	}
}
