package app

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefPhotoFolder is the folder the photo picker opened last; the export
// dialogs keep their own.
const prefPhotoFolder = "photo.folder"

// imageExts are the files the photo picker lists.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true}

// photoPicker is our own file dialog for evidence photos: it takes several
// files at once (Fyne's takes one) and every word in it is ours, so it is
// Chinese in the Chinese window (Fyne's names its places "Home" and
// "Computer" whatever the language).
type photoPicker struct {
	ui       *UI
	dir      string
	entries  []os.DirEntry
	chosen   map[string]bool
	single   bool
	list     *widget.List
	path     *widget.Label
	count    *widget.Label
	dialog   *dialog.CustomDialog
	open     *widget.Button
	onChosen func(paths []string)
}

// pickPhotos shows the picker; single allows one file only (replacing a
// photo). onChosen gets the chosen paths, in name order.
func (u *UI) pickPhotos(single bool, onChosen func(paths []string)) *photoPicker {
	p := &photoPicker{ui: u, chosen: map[string]bool{}, single: single, onChosen: onChosen}
	dir := u.app.Preferences().String(prefPhotoFolder)
	if info, err := os.Stat(dir); dir == "" || err != nil || !info.IsDir() {
		dir, _ = os.UserHomeDir()
	}
	p.path = widget.NewLabel("")
	p.path.Truncation = fyne.TextTruncateEllipsis
	p.count = widget.NewLabel("")
	p.list = widget.NewList(func() int { return len(p.entries) },
		func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, widget.NewLabel(""))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			e := p.entries[id]
			box := o.(*fyne.Container)
			label := box.Objects[0].(*widget.Label)
			icon := box.Objects[1].(*widget.Icon)
			label.SetText(e.Name())
			switch {
			case e.IsDir():
				icon.SetResource(theme.FolderIcon())
			case p.chosen[filepath.Join(p.dir, e.Name())]:
				icon.SetResource(theme.CheckButtonCheckedIcon())
			default:
				icon.SetResource(theme.CheckButtonIcon())
			}
		})
	p.list.OnSelected = func(id widget.ListItemID) {
		p.list.UnselectAll()
		if id >= len(p.entries) {
			return
		}
		e := p.entries[id]
		full := filepath.Join(p.dir, e.Name())
		if e.IsDir() {
			p.chdir(full)
			return
		}
		if p.single {
			p.chosen = map[string]bool{}
		}
		p.chosen[full] = !p.chosen[full]
		if !p.chosen[full] {
			delete(p.chosen, full)
		}
		p.refresh()
	}
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
	if single {
		all.Hide()
	}
	p.open = widget.NewButtonWithIcon(lang.L("Attach"), theme.ConfirmIcon(), p.finish)
	p.open.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { p.dialog.Hide() })
	top := container.NewBorder(nil, nil, container.NewHBox(up, home), all, p.path)
	bottom := container.NewBorder(nil, nil, p.count, container.NewHBox(cancel, p.open))
	content := container.NewBorder(top, bottom, nil, nil, p.list)
	title := lang.L("Choose photos")
	if single {
		title = lang.L("Choose the photo to put in its place")
	}
	p.dialog = dialog.NewCustomWithoutButtons(title, content, u.win)
	size := u.win.Canvas().Size()
	p.dialog.Resize(fyne.NewSize(min(720, size.Width*0.9), min(520, size.Height*0.85)))
	p.chdir(dir)
	p.dialog.Show()
	u.lastPicker = p
	return p
}

// chdir lists dir: folders first, then image files, by name.
func (p *photoPicker) chdir(dir string) {
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
		if e.IsDir() || imageExts[strings.ToLower(filepath.Ext(e.Name()))] {
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
	p.refresh()
}

func (p *photoPicker) refresh() {
	n := len(p.chosen)
	p.count.SetText(lang.L("{{.Count}} chosen", map[string]any{"Count": n}))
	if n == 0 {
		p.open.Disable()
	} else {
		p.open.Enable()
	}
	p.list.Refresh()
}

// finish remembers the folder and hands over the chosen files.
func (p *photoPicker) finish() {
	paths := make([]string, 0, len(p.chosen))
	for f := range p.chosen {
		paths = append(paths, f)
	}
	sort.Strings(paths)
	if len(paths) == 0 {
		return
	}
	setPrefs(p.ui.app.Preferences(), map[string]any{prefPhotoFolder: filepath.Dir(paths[0])})
	p.dialog.Hide()
	p.onChosen(paths)
}

// choose picks a file of the current folder by name (tests, and typing).
func (p *photoPicker) choose(name string) {
	for i, e := range p.entries {
		if e.Name() == name {
			p.list.OnSelected(i)
		}
	}
}
