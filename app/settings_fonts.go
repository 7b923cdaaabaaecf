package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/msg"
	"mingcha/office"
	"mingcha/report"
)

// purposeFonts is the folder the 公文 font picker opened last.
const purposeFonts = "fonts"

// fontExts are the files the font picker lists.
var fontExts = []string{".ttf", ".otf", ".ttc"}

// gongwenFontsCard is Settings' 公文字体: per role the face every 公文 the
// office writes uses now, a font file to choose instead, or automatic
// again. Reading a font file (a 宋体 collection is 20 MB) runs in the
// background.
type gongwenFontsCard struct {
	ui      *UI
	card    *widget.Card
	used    map[string]*widget.Label  // role → what it uses now
	choose  map[string]*widget.Button // role → 选择字体文件…
	auto    map[string]*widget.Button // role → 自动
	status  *widget.Label
	picking string // the role whose file the picker is choosing

	officeName *widget.Entry  // 发文机关, as office config --name stores it
	saveName   *widget.Button // saves officeName
}

func newGongwenFontsCard(u *UI) *gongwenFontsCard {
	c := &gongwenFontsCard{ui: u, used: map[string]*widget.Label{}, choose: map[string]*widget.Button{}, auto: map[string]*widget.Button{}}
	form := widget.NewForm()
	c.officeName = widget.NewEntry()
	c.officeName.SetPlaceHolder(lang.L("e.g. District Efficiency Office"))
	if name, err := u.office.OfficeName(); err == nil {
		c.officeName.SetText(name)
	}
	c.saveName = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), c.doSaveName)
	form.Append(lang.L("Issuing office"), container.NewBorder(nil, nil, nil, c.saveName, c.officeName))
	for _, role := range report.FontRoles {
		role := role
		used := widget.NewLabel(lang.L("Looking for the fonts…"))
		used.Wrapping = fyne.TextWrapBreak
		c.used[role] = used
		c.choose[role] = widget.NewButtonWithIcon(lang.L("Choose a font file…"), theme.FileIcon(), func() { c.pick(role) })
		c.auto[role] = widget.NewButtonWithIcon(lang.L("Automatic"), theme.ViewRefreshIcon(), func() { c.set(role, "") })
		form.Append(office.RoleName(role), container.NewVBox(used, container.NewHBox(c.choose[role], c.auto[role])))
	}
	c.status = widget.NewLabel("")
	c.status.Wrapping = fyne.TextWrapWord
	c.card = widget.NewCard(lang.L("Fonts of official documents"), "", container.NewVBox(
		wrapped(lang.L("Bulletins, rectification notices and reminder lists use these fonts. Automatic: the installed font when one is found, otherwise the bundled one.")),
		form, c.status))
	c.reload()
	return c
}

// reload shows what every role uses, read in the background.
func (c *gongwenFontsCard) reload() {
	o := c.ui.office
	c.ui.work.Add(1)
	go func() {
		defer c.ui.work.Done()
		fonts, err := o.GongwenFonts()
		c.ui.post(func() {
			if err != nil {
				c.status.SetText(msg.Of(err))
				return
			}
			for _, f := range fonts {
				c.show(f)
			}
		})
	}()
}

func (c *gongwenFontsCard) show(f office.FontChoice) {
	c.used[f.Role].SetText(f.Describe())
	if f.Chosen == "" {
		c.auto[f.Role].Disable()
	} else {
		c.auto[f.Role].Enable()
	}
}

// pick asks for a font file for role (our own picker, never Fyne's).
func (c *gongwenFontsCard) pick(role string) *filePicker {
	c.picking = role
	return c.ui.pickFile(purposeFonts, fontExts, func(path string) { c.set(role, path) })
}

// set chooses path for role ("": automatic), checking the file in the
// background; a refused file leaves the previous choice and says why.
func (c *gongwenFontsCard) set(role, path string) {
	o, who := c.ui.office, c.ui.who()
	c.choose[role].Disable()
	c.auto[role].Disable()
	c.status.SetText(lang.L("Checking the font…"))
	c.status.Importance = widget.MediumImportance
	c.ui.work.Add(1)
	go func() {
		defer c.ui.work.Done()
		f, err := o.SetGongwenFont(who, role, path)
		var now office.FontChoice
		if err != nil {
			if all, aerr := o.GongwenFonts(); aerr == nil {
				for _, a := range all {
					if a.Role == role {
						now = a
					}
				}
			}
		}
		c.ui.post(func() {
			c.choose[role].Enable()
			if err != nil {
				c.status.Importance = widget.DangerImportance
				c.status.SetText(msg.Of(err))
				if now.Role != "" {
					c.show(now)
				}
				return
			}
			c.show(f)
			c.status.SetText(lang.L("{{.Role}}: {{.Font}}", map[string]any{"Role": office.RoleName(role), "Font": f.Describe()}))
		})
	}()
}

// doSaveName stores the issuing office's name (版头 and 落款 of the 通报,
// 整改通知书 and 催办), as office config --name does.
func (c *gongwenFontsCard) doSaveName() {
	if err := c.ui.office.SetOfficeName(c.ui.who(), c.officeName.Text); err != nil {
		c.status.SetText(msg.Of(err))
		return
	}
	c.status.Importance = widget.MediumImportance
	c.status.SetText(lang.L("Issuing office saved: {{.Name}}", map[string]any{"Name": c.officeName.Text}))
}
