package app

import (
	"fmt"
	"image/color"
	"net/url"
	"path/filepath"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/desk"
	"mingcha/msg"
	"mingcha/store"
)

// Values of prefTheme and prefLanguage, in the order the radio groups show.
var (
	themeValues    = []string{"light", "dark", "system"}
	languageValues = []string{"", "zh", "en"}
)

// settingsScreen: the inspector's identity, theme, language, the data
// folder and the backups.
type settingsScreen struct {
	ui      *UI
	content fyne.CanvasObject

	name         *widget.Entry
	unit         *widget.Entry
	saveIdentity *widget.Button
	identityNote *widget.Label

	paths []*widget.Label // database, photos, backups

	theme        *widget.RadioGroup
	language     *widget.RadioGroup
	languageNote *widget.Label

	backups      []store.BackupInfo
	backupList   *widget.List
	selected     int // index into backups, -1 for none
	backupNow    *widget.Button
	toFolder     *widget.Button // a full backup (photos and reports too) to a folder or USB drive
	restore      *widget.Button
	backupStatus *widget.Label
	backupWG     sync.WaitGroup // a backup running in the background

	fonts *gongwenFontsCard // 公文字体
}

// ShowSettings shows the settings screen.
func (u *UI) ShowSettings() {
	u.leave()
	s := &settingsScreen{ui: u, selected: -1}
	s.build()
	u.settings = s
	u.show(screenSettings, s.content)
	u.remember(screenSettings, "")
}

func (s *settingsScreen) build() {
	u := s.ui
	prefs := u.app.Preferences()

	// Identity.
	id := u.identity()
	s.name = widget.NewEntry()
	s.name.SetText(id.Name)
	s.name.SetPlaceHolder(lang.L("Your name, as in the reports"))
	s.unit = widget.NewEntry()
	s.unit.SetText(id.Unit)
	s.unit.SetPlaceHolder(lang.L("e.g. District Efficiency Office"))
	s.identityNote = widget.NewLabel("")
	s.saveIdentity = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), s.doSaveIdentity)
	// Card subtitles do not wrap: each is a wrapped label instead, so that
	// the two columns fit a 1024×768 screen in English too.
	identity := widget.NewCard(lang.L("Inspector"), "",
		container.NewVBox(wrapped(lang.L("Recorded with every change and proposed for new inspections.")), widget.NewForm(
			widget.NewFormItem(lang.L("Name"), s.name),
			widget.NewFormItem(lang.L("Own unit"), s.unit)),
			container.NewBorder(nil, nil, nil, s.saveIdentity, s.identityNote)))

	// Appearance.
	s.theme = widget.NewRadioGroup([]string{lang.L("Light"), lang.L("Dark"), lang.L("Follow the system")}, nil)
	s.theme.Required = true
	s.theme.SetSelected(s.theme.Options[max(0, slices.Index(themeValues, prefs.StringWithFallback(prefTheme, "system")))])
	s.theme.OnChanged = func(string) { s.applyTheme() }
	s.language = widget.NewRadioGroup([]string{lang.L("Follow the system"), "中文", "English"}, nil)
	s.language.Required = true
	s.language.SetSelected(s.language.Options[max(0, slices.Index(languageValues, prefs.String(prefLanguage)))])
	s.language.OnChanged = func(string) { s.applyLanguage() }
	s.languageNote = widget.NewLabel(lang.L("A new language shows after Mingcha is restarted."))
	s.languageNote.SizeName = theme.SizeNameCaptionText
	appearance := widget.NewCard(lang.L("Appearance"), "", widget.NewForm(
		widget.NewFormItem(lang.L("Theme"), s.theme),
		widget.NewFormItem(lang.L("Language"), container.NewVBox(s.language, s.languageNote))))

	// Data folder.
	path := u.store.Path()
	pathLabel := func(p string) *widget.Label {
		l := widget.NewLabel(p)
		l.Wrapping = fyne.TextWrapBreak
		l.Selectable = true
		s.paths = append(s.paths, l)
		return l
	}
	openFolder := widget.NewButtonWithIcon(lang.L("Open the folder"), theme.FolderOpenIcon(), func() {
		if err := u.app.OpenURL(&url.URL{Scheme: "file", Path: filepath.Dir(path)}); err != nil {
			u.showError(err)
		}
	})
	data := widget.NewCard(lang.L("Data folder"), "",
		container.NewVBox(wrapped(lang.L("Copy this folder to move or keep everything: the database, the photos and the backups.")), widget.NewForm(
			widget.NewFormItem(lang.L("Database"), pathLabel(path)),
			widget.NewFormItem(lang.L("Photos"), pathLabel(u.store.PhotoDir())),
			widget.NewFormItem(lang.L("Backups"), pathLabel(store.BackupDir(path)))),
			container.NewHBox(openFolder)))

	// Backups.
	s.backupList = widget.NewList(func() int { return len(s.backups) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.backups) {
				o.(*widget.Label).SetText(backupLine(s.backups[i]))
			}
		})
	s.backupList.OnSelected = func(i widget.ListItemID) {
		s.selected = i
		s.restore.Enable()
	}
	s.backupList.OnUnselected = func(widget.ListItemID) {
		s.selected = -1
		s.restore.Disable()
	}
	s.backupNow = widget.NewButtonWithIcon(lang.L("Back up now"), theme.DocumentSaveIcon(), s.doBackup)
	s.restore = widget.NewButtonWithIcon(lang.L("Restore the selected backup…"), theme.HistoryIcon(), s.confirmRestore)
	s.toFolder = widget.NewButtonWithIcon(lang.L("Back up to a folder…"), theme.FolderIcon(), s.chooseBackupFolder)
	// Two rows: in one the English labels widen the window past 1024 px.
	backupButtons := container.NewVBox(container.NewHBox(s.backupNow, s.toFolder), container.NewHBox(s.restore))
	// Offered only when the file holds much free space (a year of edits).
	if free := u.store.FreeBytes(); free > store.CompactWorthIt {
		backupButtons.Add(widget.NewButtonWithIcon(lang.L("Compact the database (frees about {{.MB}} MB)", map[string]any{"MB": free >> 20}),
			theme.ViewRestoreIcon(), s.doCompact))
	}
	s.backupStatus = widget.NewLabel("")
	s.backupStatus.Wrapping = fyne.TextWrapWord
	height := canvas.NewRectangle(color.Transparent)
	height.SetMinSize(fyne.NewSize(10, 180))
	backups := widget.NewCard(lang.L("Backups"), "",
		container.NewBorder(wrapped(lang.L("Mingcha backs the database up by itself every 200 changes and keeps the newest 10.")),
			container.NewVBox(backupButtons, s.backupStatus), nil, nil,
			container.NewStack(height, s.backupList)))
	s.reloadBackups()
	s.fonts = newGongwenFontsCard(u)

	// Two columns, so that the backups show without scrolling.
	s.content = container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2,
		container.NewVBox(identity, appearance, data), container.NewVBox(backups, s.fonts.card))))
}

func (s *settingsScreen) doSaveIdentity() {
	id := desk.Identity{Name: s.name.Text, Unit: s.unit.Text}
	if err := s.ui.desk.SetIdentity(s.ui.who(), id); err != nil {
		s.ui.showError(err)
		return
	}
	s.identityNote.SetText(savedText(s.ui.store.Now()))
}

// applyTheme stores the theme and applies it at once.
func (s *settingsScreen) applyTheme() {
	v := themeValues[max(0, slices.Index(s.theme.Options, s.theme.Selected))]
	s.ui.app.Preferences().SetString(prefTheme, v)
	s.ui.app.Settings().SetTheme(NewTheme(v))
}

// applyLanguage stores the language; Run applies it at the next start
// (Fyne reads the locale once, and every label is already drawn).
func (s *settingsScreen) applyLanguage() {
	v := languageValues[max(0, slices.Index(s.language.Options, s.language.Selected))]
	s.ui.app.Preferences().SetString(prefLanguage, v)
	s.languageNote.SetText(lang.L("Restart Mingcha to see the new language."))
	s.languageNote.Importance = widget.WarningImportance
	s.languageNote.Refresh()
}

// backupLine is "2026-03-02 09:30:15 · 1.2 MB · mingcha-….db".
func backupLine(b store.BackupInfo) string {
	return fmt.Sprintf("%s · %s · %s", b.ModTime.Local().Format("2006-01-02 15:04:05"), sizeText(b.Size), filepath.Base(b.Path))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func (s *settingsScreen) reloadBackups() {
	list, err := s.ui.desk.Backups()
	if err != nil {
		s.backupStatus.SetText(msg.Of(err))
	}
	s.backups = list
	s.selected = -1
	s.backupList.UnselectAll()
	s.backupList.Refresh()
	s.restore.Disable()
	if len(list) == 0 && err == nil {
		s.backupStatus.SetText(lang.L("No backups yet."))
	}
}

// doBackup checks the database and copies it, in the background: on a
// large database that takes a moment.
func (s *settingsScreen) doBackup() {
	s.backupNow.Disable()
	s.backupStatus.SetText(lang.L("Backing up…"))
	d := s.ui.desk
	s.backupWG.Add(1)
	go func() {
		defer s.backupWG.Done()
		path, err := d.Backup()
		s.ui.post(func() {
			s.backupNow.Enable()
			s.reloadBackups()
			if err != nil {
				s.backupStatus.SetText(msg.Of(err))
				return
			}
			s.backupStatus.SetText(lang.L("Backed up to {{.Path}}", map[string]any{"Path": path}))
		})
	}()
}

// chooseBackupFolder asks for a folder (a USB drive) and writes a full
// backup there in the background: the database, photos and reports.
func (s *settingsScreen) chooseBackupFolder() {
	s.ui.pickFolderFor(purposeExport, s.backupToFolder)
}

func (s *settingsScreen) backupToFolder(dir string) {
	s.toFolder.Disable()
	s.backupStatus.SetText(lang.L("Backing up to {{.Dir}}…", map[string]any{"Dir": dir}))
	st := s.ui.store
	s.backupWG.Add(1)
	go func() {
		defer s.backupWG.Done()
		res, err := st.BackupToFolder(dir)
		s.ui.post(func() {
			s.toFolder.Enable()
			s.reloadBackups()
			if err != nil {
				s.backupStatus.SetText(msg.Of(err))
				return
			}
			s.backupStatus.SetText(lang.L("Backed up to {{.Dir}}: {{.Photos}} photos and {{.Reports}} reports, {{.New}} files new.",
				map[string]any{"Dir": dir, "Photos": res.Manifest.Photos, "Reports": res.Manifest.Reports, "New": res.PhotosCopied + res.ReportsCopied}))
		})
	}()
}

// doCompact compacts the database and shows the settings again.
func (s *settingsScreen) doCompact() {
	before, after, err := s.ui.compactDatabase()
	if s.ui.store == nil {
		return // the reopened database failed; its error screen is shown
	}
	s.ui.ShowSettings()
	st := s.ui.settings
	if err != nil {
		st.backupStatus.SetText(msg.Of(err))
		return
	}
	st.backupStatus.SetText(lang.L("Compacted: {{.Before}} MB → {{.After}} MB.", map[string]any{"Before": before >> 20, "After": after >> 20}))
}

func (s *settingsScreen) confirmRestore() {
	if s.selected < 0 || s.selected >= len(s.backups) {
		return
	}
	b := s.backups[s.selected]
	d := dialog.NewConfirm(lang.L("Restore a backup"),
		lang.L("Replace the database with the backup of {{.Time}}?\nChanges made since then are lost; the current file is kept beside it.",
			map[string]any{"Time": b.ModTime.Local().Format("2006-01-02 15:04:05")}),
		func(ok bool) {
			if ok {
				s.doRestore(b.Path)
			}
		}, s.ui.win)
	d.SetConfirmText(lang.L("Restore"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.SetDismissText(lang.L("Cancel"))
	d.Show()
}

// doRestore puts backup in place of the open database and shows the
// settings again over the restored data.
func (s *settingsScreen) doRestore(backup string) {
	kept, err := s.ui.restoreBackup(backup)
	if s.ui.store == nil {
		return // the reopened database failed; its error screen is shown
	}
	s.ui.ShowSettings()
	st := s.ui.settings
	switch {
	case err != nil:
		st.backupStatus.SetText(msg.Of(err))
	case kept != "":
		st.backupStatus.SetText(lang.L("Restored. The replaced file is kept as {{.Path}}", map[string]any{"Path": kept}))
	default:
		st.backupStatus.SetText(lang.L("Restored."))
	}
}

// restoreBackup closes the store (the restore needs the file lock),
// replaces the database with backup and opens it again (desk.Restore).
// Work still running on the old store gets store.ErrClosed. When reopening
// fails, the window shows why and u.store is nil.
func (u *UI) restoreBackup(backup string) (kept string, err error) {
	err = u.withStoreClosed(func(d *desk.Desk) (*desk.Desk, error) {
		next, k, err := d.Restore(backup, u.storeOpts)
		kept = k
		return next, err
	})
	return kept, err
}

// compactDatabase closes the store, compacts the file (after a backup)
// and opens it again (desk.Compact).
func (u *UI) compactDatabase() (before, after int64, err error) {
	err = u.withStoreClosed(func(d *desk.Desk) (*desk.Desk, error) {
		next, b, a, err := d.Compact(u.storeOpts)
		before, after = b, a
		return next, err
	})
	return before, after, err
}

// withStoreClosed runs work, which closes the store, changes the file and
// opens it again, and makes the window use the reopened database. When
// reopening failed (work returned no Desk), the window shows why and
// u.store is nil.
func (u *UI) withStoreClosed(work func(*desk.Desk) (*desk.Desk, error)) error {
	u.flush()
	old := u.desk
	path := old.Store.Path()
	next, err := work(old)
	if next == nil {
		u.store = nil
		u.current.Store(nil)
		var retry func()
		retry = func() {
			d, err := desk.Open(path, u.storeOpts, old.Keys)
			if err != nil {
				u.win.SetContent(openErrorScreen(u.win, path, err, retry))
				return
			}
			d.Now = old.Now
			u.use(d, u.office)
			u.ShowHome()
		}
		u.win.SetContent(openErrorScreen(u.win, path, err, retry))
		return err
	}
	u.use(next, u.office)
	return err
}
