package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// What a file dialog is for: each purpose remembers its own folder (the
// photos of a visit are not where the reports go, nor where the office's
// imports come from).
const (
	purposePhotos = "photos"
	purposeExport = "export"
	purposeImport = "import"
	purposeKeys   = "keys"
)

// prefPhotoFolder is the folder the photo picker opened last.
const prefPhotoFolder = "folder." + purposePhotos

func folderPref(purpose string) string { return "folder." + purpose }

// readLimited reads at most limit bytes of the file at path; a larger
// file is refused.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errors.New(lang.L("The file is larger than {{.MB}} MB.", map[string]any{"MB": max(1, limit>>20)}))
	}
	return data, nil
}

// imageExts are the files the photo picker lists.
var imageExts = []string{".jpg", ".jpeg", ".png", ".gif"}

// pickMode is what the picker chooses.
type pickMode int

const (
	pickOpen   pickMode = iota // existing files (one, or several)
	pickSave                   // a file name to write; nothing is created here
	pickFolder                 // a folder
)

// filePicker is Mingcha's own file dialog, for every file the window opens
// or saves: every word in it is ours, so it is Chinese in the Chinese window
// (Fyne's names its places "Home" and "Computer" and asks "Overwrite?"
// whatever the language), it takes several photos at once (Fyne's takes
// one), and saving only names the file: nothing is created or truncated
// until the caller has the finished bytes (Fyne's save dialog creates the
// file when it closes).
type filePicker struct {
	ui      *UI
	purpose string
	mode    pickMode
	exts    []string // lower case, with the dot; empty lists every file
	single  bool
	start   string // the folder to open at, before the purpose's remembered one
	dir     string
	entries []os.DirEntry
	chosen  map[string]bool
	list    *widget.List
	keys    *pickKeys      // the list as the keyboard sees it
	cursor  int            // the row the keys act on (the list's selection); -1 none
	path    *widget.Entry  // the folder shown; a folder or file typed here and Enter goes there
	places  *widget.Select // drives (Windows) and mounted media (Linux): USB sticks
	count   *widget.Label
	name    *widget.Entry // the file name (save)
	dialog  *dialog.CustomDialog
	open    *widget.Button
	// onChosen gets the chosen paths (open: files in name order; folder:
	// the folder); onSave the path to write and whether the user agreed to
	// replace the file there.
	onChosen func(paths []string)
	onSave   func(path string, replace bool)
}

// pickPhotos shows the picker for evidence photos; single allows one file
// only (replacing a photo). onChosen gets the chosen paths, in name order.
func (u *UI) pickPhotos(single bool, onChosen func(paths []string)) *filePicker {
	title, button := lang.L("Choose photos"), lang.L("Attach")
	if single {
		title = lang.L("Choose the photo to put in its place")
	}
	return u.showPicker(&filePicker{ui: u, purpose: purposePhotos, mode: pickOpen, exts: imageExts,
		single: single, onChosen: onChosen}, title, button)
}

// pickFile asks for one existing file with one of exts (any file when
// empty) and calls onChosen with its path.
func (u *UI) pickFile(purpose string, exts []string, onChosen func(path string)) *filePicker {
	return u.showPicker(&filePicker{ui: u, purpose: purpose, mode: pickOpen, exts: lowerExts(exts), single: true,
		onChosen: func(paths []string) { onChosen(paths[0]) }}, lang.L("Open a file"), lang.L("Open"))
}

// pickFolderFor asks for a folder and calls onChosen with it.
func (u *UI) pickFolderFor(purpose string, onChosen func(dir string)) *filePicker {
	return u.showPicker(&filePicker{ui: u, purpose: purpose, mode: pickFolder,
		onChosen: func(paths []string) { onChosen(paths[0]) }}, lang.L("Choose a folder"), lang.L("Choose this folder"))
}

// pickSave asks where to save a file, suggesting name; exts are the
// endings offered (the first is added to a name without one). An existing
// file is replaced only when the user says so in our own words; then
// replace is true. Nothing is written here.
func (u *UI) pickSave(purpose, name string, exts []string, onSave func(path string, replace bool)) *filePicker {
	p := &filePicker{ui: u, purpose: purpose, mode: pickSave, exts: lowerExts(exts), single: true, onSave: onSave}
	p.name = widget.NewEntry()
	p.name.SetText(name)
	p.name.OnSubmitted = func(string) { p.finish() }
	p.name.OnChanged = func(string) { p.refresh() }
	u.showPicker(p, lang.L("Save as"), lang.L("Save"))
	u.win.Canvas().Focus(p.name)
	return p
}

func lowerExts(exts []string) []string {
	var out []string
	for _, e := range exts {
		if e = strings.ToLower(e); !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// showPicker builds p's dialog, opens it at the purpose's remembered
// folder (else the home folder) and shows it.
func (u *UI) showPicker(p *filePicker, title, button string) *filePicker {
	p.chosen = map[string]bool{}
	dir := ""
	for _, d := range []string{p.start, u.app.Preferences().String(folderPref(p.purpose))} {
		if info, err := os.Stat(d); d != "" && err == nil && info.IsDir() {
			dir = d
			break
		}
	}
	if dir == "" {
		dir, _ = os.UserHomeDir()
	}
	p.path = widget.NewEntry()
	p.path.OnSubmitted = p.goTo
	p.places = widget.NewSelect(volumes(), func(place string) {
		if place != "" {
			p.chdir(place)
		}
	})
	p.places.PlaceHolder = lang.L("Drives and media")
	if len(p.places.Options) == 0 {
		p.places.Hide()
	}
	p.count = widget.NewLabel("")
	p.cursor = -1
	p.list = widget.NewList(func() int { return len(p.entries) },
		func() fyne.CanvasObject { return newPickRow(p) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(p.entries) {
				return
			}
			e := p.entries[id]
			row := o.(*pickRow)
			row.id = id
			row.label.SetText(e.Name())
			switch {
			case e.IsDir():
				row.icon.SetResource(theme.FolderIcon())
			case p.mode == pickSave:
				row.icon.SetResource(theme.FileIcon())
			case p.chosen[filepath.Join(p.dir, e.Name())]:
				row.icon.SetResource(theme.CheckButtonCheckedIcon())
			default:
				row.icon.SetResource(theme.CheckButtonIcon())
			}
		})
	// The list's selection is the keyboard's cursor; what a row does is
	// the row's (tap, double tap) or the key's.
	p.list.OnSelected = func(id widget.ListItemID) { p.cursor = id }
	p.keys = &pickKeys{p: p}
	p.keys.ExtendBaseWidget(p.keys)
	up := widget.NewButtonWithIcon(lang.L("Up"), theme.MoveUpIcon(), func() { p.chdir(filepath.Dir(p.dir)) })
	home := widget.NewButtonWithIcon(lang.L("Home folder"), theme.HomeIcon(), func() {
		if h, err := os.UserHomeDir(); err == nil {
			p.chdir(h)
		}
	})
	all := widget.NewButton(lang.L("Select all photos"), func() {
		for _, e := range p.entries {
			if !e.IsDir() {
				p.chosen[filepath.Join(p.dir, e.Name())] = true
			}
		}
		p.refresh()
	})
	if p.single || p.mode != pickOpen {
		all.Hide()
	}
	p.open = widget.NewButtonWithIcon(button, theme.ConfirmIcon(), p.finish)
	p.open.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { p.dialog.Hide() })
	top := container.NewBorder(nil, nil, container.NewHBox(up, home, p.places), all, p.path)
	bottom := container.NewBorder(nil, nil, p.count, container.NewHBox(cancel, p.open))
	if p.name != nil {
		bottom = container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("File name")), nil, p.name), bottom)
	}
	content := container.NewBorder(top, bottom, nil, nil, p.keys)
	p.dialog = dialog.NewCustomWithoutButtons(title, content, u.win)
	size := u.win.Canvas().Size()
	p.dialog.Resize(fyne.NewSize(min(720, size.Width*0.9), min(520, size.Height*0.85)))
	p.chdir(dir)
	p.dialog.Show()
	if p.mode != pickSave { // saving starts in the name
		u.win.Canvas().Focus(p.keys)
	}
	u.lastPicker = p
	return p
}

// selected is a tap on a row: a folder opens, a file is chosen (or, when
// saving, gives its name).
func (p *filePicker) selected(id widget.ListItemID) {
	if id < 0 || id >= len(p.entries) {
		return
	}
	e := p.entries[id]
	full := filepath.Join(p.dir, e.Name())
	switch {
	case e.IsDir():
		p.chdir(full)
		return
	case p.mode == pickSave:
		p.name.SetText(e.Name())
		return
	}
	if p.single {
		was := p.chosen[full]
		p.chosen = map[string]bool{}
		if !was {
			p.chosen[full] = true
		}
	} else if p.chosen[full] {
		delete(p.chosen, full)
	} else {
		p.chosen[full] = true
	}
	p.refresh()
}

// chdir lists dir: folders first, then the files offered, by name.
func (p *filePicker) chdir(dir string) {
	list, err := os.ReadDir(dir)
	if err != nil {
		p.count.SetText(lang.L("This folder cannot be read."))
		return
	}
	p.dir = dir
	p.entries = p.entries[:0]
	for _, e := range list {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if e.IsDir() || p.mode != pickFolder && p.offers(e.Name()) {
			p.entries = append(p.entries, e)
		}
	}
	sort.SliceStable(p.entries, func(i, j int) bool {
		if p.entries[i].IsDir() != p.entries[j].IsDir() {
			return p.entries[i].IsDir()
		}
		return p.entries[i].Name() < p.entries[j].Name()
	})
	p.path.SetText(dir)
	p.list.UnselectAll()
	p.cursor = -1
	p.list.ScrollToTop()
	if len(p.entries) > 0 {
		p.point(0)
	}
	p.refresh()
}

// goTo is a path typed into the location and Enter: a folder is listed; a
// file is listed with its folder and chosen (open) or named (save); what
// does not exist is said and nothing changes.
func (p *filePicker) goTo(typed string) {
	path := strings.TrimSpace(typed)
	if path == "" {
		return
	}
	if strings.HasPrefix(path, "~") {
		if h, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(h, strings.TrimPrefix(path, "~"))
		}
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(p.dir, path)
	}
	info, err := os.Stat(path)
	if err != nil && p.mode == pickSave {
		// A new file's name in a folder that exists: that folder, that name.
		if dir, derr := os.Stat(filepath.Dir(path)); derr == nil && dir.IsDir() {
			p.chdir(filepath.Dir(path))
			p.name.SetText(filepath.Base(path)) // its OnChanged refreshes the Save button
			return
		}
	}
	switch {
	case err != nil:
		p.count.SetText(lang.L("No such folder or file: {{.Path}}", map[string]any{"Path": typed}))
		p.path.SetText(p.dir)
	case info.IsDir():
		p.chdir(path)
	default: // a file: its folder, and the file chosen or named where files are
		p.chdir(filepath.Dir(path))
		if p.mode == pickSave || p.mode == pickOpen && p.offers(info.Name()) {
			p.choose(info.Name())
		}
	}
}

// offers reports whether a file of this name is listed.
func (p *filePicker) offers(name string) bool {
	return len(p.exts) == 0 || slices.Contains(p.exts, strings.ToLower(filepath.Ext(name)))
}

func (p *filePicker) refresh() {
	ready := true
	switch p.mode {
	case pickOpen:
		n := len(p.chosen)
		p.count.SetText(lang.L("{{.Count}} chosen", map[string]any{"Count": n}))
		ready = n > 0
	case pickSave:
		p.count.SetText("")
		ready = strings.TrimSpace(p.name.Text) != ""
	case pickFolder:
		p.count.SetText("")
	}
	if ready {
		p.open.Enable()
	} else {
		p.open.Disable()
	}
	p.list.Refresh()
}

// savePath is the file the save picker names: the typed name in the
// current folder, with the first ending offered when it has none of them.
func (p *filePicker) savePath() string {
	name := strings.TrimSpace(p.name.Text)
	if name == "" {
		return ""
	}
	if len(p.exts) > 0 && !p.offers(name) {
		name += p.exts[0]
	}
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(p.dir, name)
}

// finish remembers the folder and hands over what was chosen; a save over
// an existing file asks first.
func (p *filePicker) finish() {
	prefs := p.ui.app.Preferences()
	switch p.mode {
	case pickFolder:
		setPrefs(prefs, map[string]any{folderPref(p.purpose): p.dir})
		p.dialog.Hide()
		p.onChosen([]string{p.dir})
	case pickSave:
		path := p.savePath()
		if path == "" {
			return
		}
		info, err := os.Stat(path)
		if err == nil && info.IsDir() {
			p.name.SetText("")
			p.chdir(path)
			return
		}
		done := func(replace bool) {
			setPrefs(prefs, map[string]any{folderPref(p.purpose): filepath.Dir(path)})
			p.dialog.Hide()
			p.onSave(path, replace)
		}
		if err != nil {
			done(false)
			return
		}
		confirm := dialog.NewConfirm(lang.L("Replace the file?"),
			lang.L("{{.Name}} already exists in {{.Folder}}. Replace it?", map[string]any{"Name": filepath.Base(path), "Folder": filepath.Dir(path)}),
			func(ok bool) {
				if ok {
					done(true)
				}
			}, p.ui.win)
		confirm.SetConfirmText(lang.L("Replace"))
		confirm.SetDismissText(lang.L("Cancel"))
		confirm.Show()
	default:
		paths := make([]string, 0, len(p.chosen))
		for f := range p.chosen {
			paths = append(paths, f)
		}
		sort.Strings(paths)
		if len(paths) == 0 {
			return
		}
		setPrefs(prefs, map[string]any{folderPref(p.purpose): filepath.Dir(paths[0])})
		p.dialog.Hide()
		p.onChosen(paths)
	}
}

// choose picks a file of the current folder by name (tests, and typing).
func (p *filePicker) choose(name string) {
	for i, e := range p.entries {
		if e.Name() == name {
			p.selected(i)
		}
	}
}

// point moves the keyboard's cursor to row id (shown as the selection).
func (p *filePicker) point(id widget.ListItemID) {
	if id < 0 || id >= len(p.entries) {
		return
	}
	p.cursor = id
	p.list.Select(id)
}

// activate is a double tap on row id, or Enter on it: a folder opens; a
// file is chosen and the picker finishes (with the others already ticked,
// when it takes several; saving names the file and saves, asking before
// it replaces one).
func (p *filePicker) activate(id widget.ListItemID) {
	if id < 0 || id >= len(p.entries) {
		return
	}
	e := p.entries[id]
	if e.IsDir() || p.mode == pickSave {
		p.selected(id) // a folder opens; saving takes the file's name
		if !e.IsDir() {
			p.finish()
		}
		return
	}
	full := filepath.Join(p.dir, e.Name())
	if p.single {
		p.chosen = map[string]bool{}
	}
	p.chosen[full] = true
	p.finish()
}

// typedKey is a key pressed while the list has the keyboard: ↑ ↓ move the
// cursor, Enter opens or chooses its row, Space ticks a file (as a tap),
// Backspace goes to the parent folder, Esc cancels.
func (p *filePicker) typedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown:
		if p.cursor < len(p.entries)-1 {
			p.point(p.cursor + 1)
		}
	case fyne.KeyUp:
		if p.cursor > 0 {
			p.point(p.cursor - 1)
		}
	case fyne.KeyHome:
		p.point(0)
	case fyne.KeyEnd:
		p.point(len(p.entries) - 1)
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.cursor >= 0 {
			p.activate(p.cursor)
		} else if p.mode == pickFolder {
			p.finish()
		}
	case fyne.KeySpace:
		if p.cursor >= 0 && !p.entries[p.cursor].IsDir() {
			p.selected(p.cursor)
		}
	case fyne.KeyBackspace:
		p.chdir(filepath.Dir(p.dir))
	case fyne.KeyEscape:
		p.dialog.Hide()
	}
}

// pickKeys holds the picker's list and takes the keyboard for it (Fyne's
// list moves only a focus mark of its own and has no Enter).
type pickKeys struct {
	widget.BaseWidget
	p *filePicker
}

func (k *pickKeys) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(k.p.list) }

// FocusGained and FocusLost: the cursor (the selection) shows where the keys act.
func (k *pickKeys) FocusGained() {}
func (k *pickKeys) FocusLost()   {}

// TypedRune takes letters away from the screen below the dialog.
func (k *pickKeys) TypedRune(rune)            {}
func (k *pickKeys) TypedKey(e *fyne.KeyEvent) { k.p.typedKey(e) }
func (k *pickKeys) MinSize() fyne.Size        { return k.p.list.MinSize() }

// pickRow is one folder or file in the picker's list: a tap acts as it
// always did (a folder opens, a file is ticked or named), a double tap
// opens or chooses (activate); either gives the keyboard to the list.
type pickRow struct {
	widget.BaseWidget
	p     *filePicker
	id    widget.ListItemID
	icon  *widget.Icon
	label *widget.Label
}

func newPickRow(p *filePicker) *pickRow {
	r := &pickRow{p: p, icon: widget.NewIcon(theme.FolderIcon()), label: widget.NewLabel("")}
	r.ExtendBaseWidget(r)
	return r
}

func (r *pickRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, nil, r.label))
}

func (r *pickRow) Tapped(*fyne.PointEvent) {
	r.focusList()
	r.p.point(r.id)
	r.p.selected(r.id)
}

func (r *pickRow) DoubleTapped(*fyne.PointEvent) {
	r.focusList()
	r.p.activate(r.id)
}

func (r *pickRow) focusList() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(r.p.keys); c != nil {
		c.Focus(r.p.keys)
	}
}
