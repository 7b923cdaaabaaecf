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
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/store"
)

// Preference keys (fyne.Preferences, per machine).
const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
	prefTheme  = "theme"
)

// Store setting keys (in the database, travel with it).
const (
	settingLastInspectors = "last_inspectors"
	settingInspectorName  = "inspector_name"
)

// ExportPDF renders and signs the report of inspection id into path. The
// report package provides it; cmd/mingcha assigns it. passphrase unlocks the
// inspector's key ("" when none is needed). Nil: export is not available yet.
var ExportPDF func(s *store.Store, id string, path string, passphrase string) error

// UI is the main window's state: the store and whichever screen is shown.
type UI struct {
	app   fyne.App
	win   fyne.Window
	store *store.Store

	// Now is the clock for defaults (observed time); tests fix it.
	Now func() time.Time

	home   *homeScreen
	walk   *walkScreen
	review *reviewScreen
	sign   *signatureScreen
	form   *newInspectionForm
}

// NewUI builds the UI over an open store. It does not show anything; call
// ShowHome (Run does).
func NewUI(a fyne.App, w fyne.Window, s *store.Store) *UI {
	return &UI{app: a, win: w, store: s, Now: time.Now}
}

// Run is the GUI's entry point: translations, theme, the main window (its
// size remembered), the store at dbPath, the home screen; it blocks until the
// window closes, then closes the store.
func Run(a fyne.App, dbPath string) {
	if err := LoadTranslations(); err != nil {
		log.Print(err)
	}
	prefs := a.Preferences()
	a.Settings().SetTheme(NewTheme(prefs.StringWithFallback(prefTheme, "system")))
	w := a.NewWindow(lang.L("Mingcha"))
	w.Resize(fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, 1100)),
		float32(prefs.FloatWithFallback(prefHeight, 720))))

	var ui *UI
	w.SetCloseIntercept(func() {
		size := w.Canvas().Size()
		prefs.SetFloat(prefWidth, float64(size.Width))
		prefs.SetFloat(prefHeight, float64(size.Height))
		if ui != nil {
			ui.flush()
			if err := ui.store.Close(); err != nil {
				log.Print(err)
			}
		}
		w.Close()
	})

	var open func()
	open = func() {
		s, err := store.Open(dbPath, store.Options{})
		if err != nil {
			w.SetContent(openErrorScreen(w, dbPath, err, open))
			return
		}
		ui = NewUI(a, w, s)
		ui.ShowHome()
	}
	open()
	w.ShowAndRun()
}

// openErrorScreen explains why the database did not open; a damaged file
// offers to restore the newest good backup, then retry calls open again.
func openErrorScreen(w fyne.Window, dbPath string, err error, retry func()) fyne.CanvasObject {
	msg := widget.NewLabel(Message(err))
	msg.Wrapping = fyne.TextWrapWord
	msg.Importance = widget.DangerImportance
	path := widget.NewLabel(dbPath)
	path.Wrapping = fyne.TextWrapBreak
	box := container.NewVBox(widget.NewLabelWithStyle(lang.L("Cannot open the database"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), msg, path)

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
				dialog.ShowError(errors.New(Message(rerr)), w)
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
func (u *UI) who() string {
	var name string
	if ok, _ := u.store.Setting(settingInspectorName, &name); ok && strings.TrimSpace(name) != "" {
		return name
	}
	var last []string
	if ok, _ := u.store.Setting(settingLastInspectors, &last); ok && len(last) > 0 {
		return last[0]
	}
	return "inspector"
}

// show replaces the window content; screen keyboard handlers are reset so
// that only the walk reacts to 1/2/3.
func (u *UI) show(content fyne.CanvasObject) {
	c := u.win.Canvas()
	c.SetOnTypedRune(nil)
	c.SetOnTypedKey(nil)
	u.win.SetOnDropped(nil)
	u.win.SetContent(content)
}

// flush writes whatever text is still waiting for its debounce.
func (u *UI) flush() {
	if u.walk != nil {
		u.walk.flush()
	}
}

// showError reports err in a dialog, localised.
func (u *UI) showError(err error) {
	dialog.ShowError(errors.New(Message(err)), u.win)
}

// ShowHome shows the list of inspections.
func (u *UI) ShowHome() {
	u.flush()
	u.walk, u.review, u.sign, u.form = nil, nil, nil, nil
	u.home = newHomeScreen(u)
	u.show(u.home.content)
	u.home.shown = true
}

// OpenInspection opens id: the walk for a draft, the review otherwise.
func (u *UI) OpenInspection(id string) {
	in, err := u.store.Inspection(id)
	if err != nil {
		u.showError(err)
		return
	}
	if in.CanEdit() == nil {
		u.ShowWalk(id, 0)
		return
	}
	u.ShowReview(id)
}

// savedText is the status line after a durable save.
func savedText(t time.Time) string {
	return lang.L("Saved") + " " + t.Format("15:04:05")
}

// debouncer runs the last function given to it after a pause; flush runs
// it at once. It is used from the UI goroutine only; the timer hops back
// through fyne.Do.
type debouncer struct {
	delay   time.Duration
	timer   *time.Timer
	pending func()
	gen     int
}

func (d *debouncer) call(fn func()) {
	if d.timer != nil {
		d.timer.Stop()
	}
	d.pending = fn
	d.gen++
	gen := d.gen
	d.timer = time.AfterFunc(d.delay, func() {
		fyne.Do(func() {
			if d.gen == gen {
				d.flush()
			}
		})
	})
}

func (d *debouncer) flush() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if fn := d.pending; fn != nil {
		d.pending = nil
		fn()
	}
}
