package app

import (
	"bytes"
	"image/png"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"gonum.org/v1/plot/vg"

	"mingcha/chart"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
)

// The 总览's comparison with the previous period and its pictures (chart/):
// the ranking over the rating bands, problems by category, the last 12
// months. The charts' words are in the user's language.

// windowChart is the size of a chart in the window.
var windowChart = chart.Size{Width: 12 * vg.Centimeter, Height: 7 * vg.Centimeter, DPI: 100}

// themed is size s in the window's colours: a chart follows the theme (light
// text on the dark background in the dark theme), where the 通报's keep
// print colours. Called on the UI goroutine: the charts are drawn in the
// background, which must not read the settings.
func themed(s chart.Size) chart.Size {
	a := fyne.CurrentApp()
	th, v := a.Settings().Theme(), a.Settings().ThemeVariant()
	s.Colours = chart.Palette{Background: th.Color(theme.ColorNameBackground, v), Text: th.Color(theme.ColorNameForeground, v)}
	return s
}

// unitChart is the size of 单位档案's chart: wide and low, above the list.
var unitChart = chart.Size{Width: 16 * vg.Centimeter, Height: 5 * vg.Centimeter, DPI: 100}

func chartImageSized(_ string, data []byte, s chart.Size) fyne.CanvasObject {
	// Decoded here: a decoded image paints at once, in every painter.
	decoded, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return widget.NewLabel(lang.L("The chart could not be drawn: {{.Error}}", map[string]any{"Error": err.Error()}))
	}
	img := canvas.NewImageFromImage(decoded)
	img.FillMode = canvas.ImageFillContain
	w := float32(s.Width.Points() / 72 * s.DPI)
	h := float32(s.Height.Points() / 72 * s.DPI)
	img.SetMinSize(fyne.NewSize(w, h))
	return img
}

// bandNames names the rating bands of o's results in the user's language,
// looked up here on the UI goroutine (the chart is drawn in the background).
func bandNames(o *inspect.Overview) func(string) string {
	names := map[string]string{}
	for _, r := range o.Results {
		for _, b := range r.Bands {
			names[b.Name] = msg.Rating(b.Name)
		}
	}
	return func(name string) string {
		if n, ok := names[name]; ok {
			return n
		}
		return name
	}
}

// showCharts draws the period's pictures under the ranking's side panel,
// in the background (three charts take a third of a second on a busy
// machine); a newer overview's charts replace an older one's still drawing.
func (s *officeScreen) showCharts(f inspect.Filter) {
	s.chartFilter = f
	s.chartGen++
	gen, o, off := s.chartGen, s.overview, s.off
	s.charts.Objects = nil
	s.charts.Refresh()
	if o == nil || len(o.Ranking) == 0 {
		return
	}
	rankLabels := chart.RankingLabels{Title: lang.L("Score ranking"), Score: lang.L("Score"), Veto: lang.L("veto"), Later: lang.L("回访"), Band: bandNames(o)}
	catLabels := chart.CategoryLabels{Title: lang.L("Problems by category"), Problems: lang.L("Problems"),
		Rest: func(n, problems int) string {
			return lang.L("{{.Categories}} more categories, {{.Problems}} problems, not shown", map[string]any{"Categories": n, "Problems": problems})
		}}
	trendLabels := chart.TrendLabels{Title: lang.L("Last 12 months"), Average: lang.L("Average score"), Problems: lang.L("Problems"),
		Month: func(t time.Time) string {
			return lang.L("{{.Month}}/{{.Year}}", map[string]any{"Month": int(t.Month()), "Year": t.Year() % 100})
		}}
	type picture struct {
		png  []byte
		size chart.Size
		err  error
	}
	size := themed(windowChart)
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		var pics []picture
		png, err := chart.Ranking(o, rankLabels, size)
		pics = append(pics, picture{png, size, err})
		if len(o.Categories) > 0 {
			size := size
			size.Height = chart.CategoriesHeight(len(o.Categories), size.Height)
			png, err = chart.Categories(o, catLabels, size)
			pics = append(pics, picture{png, size, err})
		}
		if points, err := off.Trend(f); err != nil {
			pics = append(pics, picture{nil, size, err})
		} else if len(points) > 0 {
			png, err = chart.Trend(points, trendLabels, size)
			pics = append(pics, picture{png, size, err})
		}
		s.ui.post(func() {
			if gen != s.chartGen {
				return // a newer overview is shown
			}
			for _, p := range pics {
				if p.err != nil {
					s.charts.Add(widget.NewLabel(lang.L("The chart could not be drawn: {{.Error}}", map[string]any{"Error": p.err.Error()})))
					continue
				}
				s.charts.Add(chartImageSized("", p.png, p.size))
			}
			s.charts.Refresh()
		})
	}()
}

// themeWatched holds the UIs whose 效能办 charts follow a change of theme.
var themeWatched sync.Map // *UI → true

// watchTheme makes the 效能办 screen shown in u redraw its charts in the
// colours of a new theme (chosen in Settings, or the system's switching
// between light and dark while the screen is shown): they are pictures
// drawn in the theme's colours, which a theme change alone leaves as they
// were. Registered once per window; the redraw goes through the UI's
// scheduler, whichever goroutine Fyne tells the change on.
func watchTheme(u *UI) {
	if _, done := themeWatched.LoadOrStore(u, true); done {
		return
	}
	u.app.Settings().AddListener(func(fyne.Settings) {
		u.post(func() {
			if v, ok := officeScreens.Load(u); ok && u.nav != nil && u.nav.current == screenOffice {
				v.(*officeScreen).retheme()
			}
		})
	})
}

// retheme redraws the charts shown (总览's, and the 单位档案's of its unit)
// in the current theme's colours.
func (s *officeScreen) retheme() {
	if s.overview != nil {
		s.showCharts(s.chartFilter)
	}
	if h := s.history; h != nil && h.hist != nil {
		h.showScores(h.hist.UnitID)
	}
}

// officeDatabase reports whether the open database is the 效能办's: it holds
// imported reports and no inspection of its own. Such a database opens on
// the 效能办 screen instead of the inspector's list.
func (u *UI) officeDatabase() bool {
	own, err := u.store.ListInspections(store.Query{Limit: 1})
	if err != nil || own.Total > 0 {
		return false
	}
	units, err := u.store.OfficeUnits()
	return err == nil && len(units) > 0
}

// showOfficeOverview shows the 效能办 screen on its 总览 (an office
// database's first screen).
func (u *UI) showOfficeOverview() {
	u.ShowOffice()
	if v, ok := officeScreens.Load(u); ok {
		v.(*officeScreen).tabs.SelectIndex(tabOverview)
	}
}
