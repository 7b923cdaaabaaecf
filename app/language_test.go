package app

import (
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/assets"
	"mingcha/desk"
	"mingcha/inspect"
)

// shownTexts is every text a screen shows: labels, button and check texts,
// place holders and drawn text.
func shownTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		switch v := x.(type) {
		case *widget.Label:
			out = append(out, v.Text)
		case *widget.Button:
			out = append(out, v.Text)
		case *widget.Check:
			out = append(out, v.Text)
		case *widget.Entry:
			out = append(out, v.PlaceHolder)
		case *widget.Select:
			out = append(out, v.PlaceHolder, v.Selected)
		case *canvas.Text:
			out = append(out, v.Text)
		}
	}
	return out
}

func loadTranslationFile(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// foreignStrings are the other language's own words: its translations that
// differ from this language's and are long enough not to be a code or a
// number ("Fair" and such short words are checked whole).
func foreignStrings(t *testing.T, lang string) []string {
	zh, en := loadTranslationFile(t, "zh-Hans.json"), loadTranslationFile(t, "en.json")
	var out []string
	for k, e := range en {
		z := zh[k]
		if z == e || strings.Contains(e, "{{") || strings.Contains(z, "{{") {
			continue // the same in both, or a template whose fixed parts are checked below
		}
		switch lang {
		case "zh":
			if !hasHan(e) && len([]rune(e)) >= 4 {
				out = append(out, e)
			}
		case "en":
			if hasHan(z) {
				out = append(out, z)
			}
		}
	}
	sort.Strings(out)
	return out
}

// walkScreens shows every screen (and every item kind of the walk) and
// hands each one's texts to check.
func walkScreens(t *testing.T, u *UI, check func(screen string, texts []string)) {
	c := u.win.Canvas()
	units, _ := u.store.Units()
	tpls, _ := u.store.Templates()
	for _, mode := range []inspect.Mode{inspect.ModeOpen, inspect.ModeCovert} {
		in, err := inspect.NewInspection("", units[0], &tpls[0], mode, []string{"张三", "李四"}, testClock, testClock)
		if err != nil {
			t.Fatal(err)
		}
		in.ID = "lang-" + string(mode)
		if err := u.store.CreateInspection("test", in); err != nil {
			t.Fatal(err)
		}
		u.ShowWalk(in.ID, 0)
		for i := range u.walk.items {
			u.walk.goTo(i)
			check("walk "+u.walk.items[i].Code, shownTexts(c.Content()))
			k := &keyboard{c: c}
			switch u.walk.items[i].Kind {
			case inspect.KindCount:
				k.typ("22")
				c.Unfocus()
			case inspect.KindAttendance:
				k.typ("ta小刘")
				k.press(fyne.KeyReturn)
				c.Unfocus()
			case inspect.KindNumber:
				k.typ("tt")
			case inspect.KindChoice:
				u.walk.setChoice(u.walk.items[i].Choices[1].Label)
				u.walk.goTo(i)
			}
			check("walk "+u.walk.items[i].Code+" answered", shownTexts(c.Content()))
		}
		u.ShowReview(in.ID)
		check("review", shownTexts(c.Content()))
		u.ShowSignature(in.ID)
		check("signature", shownTexts(c.Content()))
	}
	signedReview(t, u, check)
	u.ShowHome()
	check("home", shownTexts(c.Content()))
	u.ShowUnits()
	check("units", shownTexts(c.Content()))
	u.ShowTemplates()
	check("templates", shownTexts(c.Content()))
	u.ShowSettings()
	check("settings", shownTexts(c.Content()))
	officeTabs(t, u, check)
	u.ShowHome()
	u.walk = nil
	p := u.pickPhotos(false, func([]string) {})
	check("photo picker", shownTexts(c.Overlays().Top()))
	p.dialog.Hide()
	u.askNewPassphrase(func(string) {})
	check("new key", shownTexts(c.Overlays().Top()))
	clearOverlays(c)
	u.pickSave(purposeExport, "x.pdf", []string{".pdf"}, func(string, bool) {})
	check("save picker", shownTexts(c.Overlays().Top()))
	clearOverlays(c)
	u.pickFolderFor(purposeImport, func(string) {})
	check("folder picker", shownTexts(c.Overlays().Top()))
	clearOverlays(c)
}

// officeTabs imports a round of signed reports from February and shows
// each tab of the 效能办 screen with something in it: the 总览 of February
// (charts drawn), 整改 with a problem chosen, a unit's 单位档案, the 通报's
// form, a draw from the units the reports name, the roster and the template
// editor on an item.
func officeTabs(t *testing.T, u *UI, check func(screen string, texts []string)) {
	t.Helper()
	dir := t.TempDir()
	useOfficeCA(t, u.store, officePDFs(t, dir, 3, time.Date(2026, 2, 2, 8, 0, 0, 0, inspect.Zone)))
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.startImport([]string{dir})
	settle(u)
	if len(o.results) != 3 {
		t.Fatalf("%d reports imported", len(o.results))
	}
	u.ShowOffice() // opens on February, the last month with reports
	v, _ = officeScreens.Load(u)
	o = v.(*officeScreen)
	c := u.win.Canvas()
	for i, name := range officeTabNames {
		o.tabs.SelectIndex(i)
		switch i {
		case tabProblems:
			o.problemList.Select(0)
		case tabHistory:
			o.showHistory(o.problems[0].UnitID)
		case tabDraw:
			o.draw.n.SetText("2")
			o.draw.doDraw()
		case tabTemplates:
			o.editor.list.Select(o.editor.m.rowOf(0, 1))
		}
		settle(u)
		check("office "+name, shownTexts(c.Content()))
	}
	// The dialogs, named "office-…" so that the fit test tells them from
	// the tabs.
	eachOfficeDialog(t, o, func(name string) { check("office-"+name+" dialog", shownTexts(c.Overlays().Top())) })
}

// officeTabNames name the 效能办 screen's tabs, in order, in test messages.
var officeTabNames = []string{"import", "overview", "rectification", "unit-history", "bulletin", "draw", "roster", "templates"}

// windowNeeds is the size the canvas's content needs of the window: its
// minimum, and the padding a padded window keeps around it (the content of
// a 1008 px wide window has 1000 px).
func windowNeeds(c fyne.Canvas, content fyne.CanvasObject) fyne.Size {
	min := content.MinSize()
	if p, ok := c.(interface{ Padded() bool }); ok && p.Padded() && content == c.Content() {
		min = min.Add(fyne.NewSquareSize(2 * theme.Padding()))
	}
	return min
}

// widestOfficeTab names the 效能办 tab that needs the most room (the tabs
// need as much as their largest one).
func widestOfficeTab(u *UI) string {
	v, ok := officeScreens.Load(u)
	if !ok {
		return ""
	}
	o := v.(*officeScreen)
	widest, w := "", float32(0)
	for i, item := range o.tabs.Items {
		if m := item.Content.MinSize(); m.Width > w {
			widest, w = officeTabNames[i], m.Width
		}
	}
	return fmt.Sprintf(" (widest tab: %s, %.0f px)", widest, w)
}

// signedReview answers a new inspection (one failure), completes it,
// shows the completed review and the export's "who signs" dialog, signs it
// and shows the signed review (the problems' 责任人 and 整改期限 as text, the
// rating) and the walk's key help.
func signedReview(t *testing.T, u *UI, check func(screen string, texts []string)) {
	t.Helper()
	c := u.win.Canvas()
	units, _ := u.store.Units()
	tpls, _ := u.store.Templates()
	in, err := inspect.NewInspection("lang-signed", units[0], &tpls[0], inspect.ModeCovert, []string{"张三", "李四"}, testClock, testClock)
	if err != nil {
		t.Fatal(err)
	}
	if err := u.store.CreateInspection("test", in); err != nil {
		t.Fatal(err)
	}
	u.ShowWalk(in.ID, 0)
	w := u.walk
	w.showKeys()
	check("walk keys", shownTexts(c.Overlays().Top()))
	clearOverlays(c)
	failed := false
	for i, it := range w.items {
		w.goTo(i)
		switch it.Kind {
		case inspect.KindCheck:
			if !failed && it.Evidence != inspect.EvidenceRequiredOnFail {
				w.setResult(inspect.ResultFail)
				failed = true
			} else {
				w.setResult(inspect.ResultPass)
			}
		case inspect.KindCount:
			w.setCount(0, true)
		case inspect.KindNumber:
			w.numberEntry.SetText("5")
		case inspect.KindChoice:
			w.setChoice(it.Choices[0].Label)
		default:
			w.confirm()
		}
	}
	if b := w.in.Blockers(); len(b) > 0 {
		t.Fatalf("blocked: %+v", b)
	}
	u.ShowReview(in.ID)
	test.Tap(u.review.complete)
	check("review completed", shownTexts(c.Content()))
	makeKey(t, filepath.Join(filepath.Dir(u.store.Path()), "identity.p12"), "张三", "zhang-pass")
	if err := u.desk.SetIdentity("test", desk.Identity{Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	u.chooseSigners(in.ID, exportChoice{path: filepath.Join(t.TempDir(), "x.pdf")}, "")
	check("who signs", shownTexts(c.Overlays().Top()))
	clearOverlays(c)
	png := writePNG(t, "sig.png", color.Black)
	data, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"张三", "李四"} {
		if _, err := u.store.SetSignature("test", in.ID, inspect.DrawnSignature{Inspector: name, PNG: data}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := u.store.SignInspection("test", in.ID); err != nil {
		t.Fatal(err)
	}
	u.ShowReview(in.ID)
	check("review signed", shownTexts(c.Content()))
}

// TestNoWordOfTheOtherLanguage renders every screen in Chinese and in
// English and fails on a string of the other language's translations:
// no English word in the Chinese window, no Chinese in the English one
// (the inspection's own data, unit names and item texts, stay as written).
func TestNoWordOfTheOtherLanguage(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			u, _, _ := newTestUI(t)
			if lang == "en" {
				englishMessages(t, u)
			}
			u.Now = func() time.Time { return testClock }
			foreign := foreignStrings(t, lang)
			seen := map[string]bool{}
			own, found := map[string]string{"zh": "新建检查", "en": "New inspection"}[lang], false
			walkScreens(t, u, func(screen string, texts []string) {
				for _, s := range texts {
					if s == "" || strings.HasPrefix(s, "/") {
						continue // empty, or a file path (the test's temp folder)
					}
					if screen == "home" && s == own {
						found = true
					}
					for _, f := range foreign {
						if (s == f || (len([]rune(f)) >= 8 && strings.Contains(s, f))) && !seen[screen+f] {
							seen[screen+f] = true
							t.Errorf("%s shows %q (the other language) in %q", screen, f, s)
						}
					}
				}
			})
			if !found {
				t.Errorf("home does not show %q: the window is not in %s", own, lang)
			}
		})
	}
}

// TestEveryScreenFitsAt1024x768: in both languages every screen (and each
// item kind of the walk, the dialogs) needs no more than the largest window
// a 1024×768 screen holds: nothing is pushed off the window (QA: the English
// window was 1057 px wide at 1024×768); and none of the program's own
// sentences is cut short by an ellipsis there (cutLabels).
func TestEveryScreenFitsAt1024x768(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			u, w, _ := newTestUI(t)
			if lang == "en" {
				englishMessages(t, u)
			}
			u.Now = func() time.Time { return testClock }
			size := fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1)
			w.Resize(size)
			c := w.Canvas()
			seen := map[string]bool{}
			walked := map[string]bool{}
			values := map[string]bool{}
			for _, v := range loadTranslationFile(t, map[string]string{"zh": "zh-Hans.json", "en": "en.json"}[lang]) {
				values[v] = true
			}
			walkScreens(t, u, func(screen string, _ []string) {
				min := windowNeeds(c, c.Content())
				shown := c.Content()
				if top := c.Overlays().Top(); top != nil {
					min = windowNeeds(c, top)
					shown = top
				}
				for _, s := range cutLabels(shown, values) {
					if !seen["cut "+s] {
						seen["cut "+s] = true
						t.Errorf("%s cuts %q", screen, s)
					}
				}
				key := strings.Fields(screen)[0]
				walked[screen] = true
				if (min.Width > size.Width || min.Height > size.Height) && !seen[key] {
					seen[key] = true
					extra := ""
					if key == "office" {
						extra = widestOfficeTab(u)
					}
					t.Errorf("%s needs %v, the window is %v%s", screen, min, size, extra)
				}
			})
			for _, name := range officeTabNames {
				if !walked["office "+name] {
					t.Errorf("the 效能办 tab %s was not shown", name)
				}
			}
		})
	}
}
