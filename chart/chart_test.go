package chart

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata")

var loc = time.FixedZone("CST", 8*3600)

var bands = []inspect.Band{{Name: "优秀", Min: 90}, {Name: "良好", Min: 80}, {Name: "合格", Min: 60}, {Name: "不合格", Min: 0}}

func result(id, unit string, at time.Time, score float64, veto bool, cats ...string) inspect.ReportResult {
	r := inspect.ReportResult{ReportID: id, UnitID: unit, UnitName: unit, Department: "区政务服务中心", ObservedAt: at,
		Full: 100, Score: score, Veto: veto, Bands: bands, Mode: inspect.ModeCovert, TemplateKey: "combined@1"}
	tpl := inspect.Template{Bands: bands}
	r.Rating = tpl.Rating(score)
	if veto {
		r.Rating = "不合格"
	}
	for i, c := range cats {
		r.Problems = append(r.Problems, inspect.Problem{ID: fmt.Sprintf("%s/%d", id, i), UnitID: unit, Category: c, FoundAt: at})
	}
	return r
}

// A year of an office's reports: eight units, a veto in November.
func year() []inspect.ReportResult {
	units := []string{"区民政局", "区市场监管局窗口1", "区税务局办税厅", "区人社局社保窗口", "区医保局", "区不动产登记中心", "区公安分局户政窗口", "区住建局"}
	cats := []string{"胸牌", "桌牌", "脱岗", "公示栏", "服务态度", "去向牌"}
	var all []inspect.ReportResult
	for m := 0; m < 12; m++ {
		for u, name := range units {
			if (m+u)%3 == 0 {
				continue
			}
			at := time.Date(2025, time.December, 3+u, 10, 0, 0, 0, loc).AddDate(0, m, 0)
			score := 70 + float64((u*7+m*5)%30)
			var found []string
			for k := 0; k < (u+m)%4; k++ {
				found = append(found, cats[(u+k+m)%len(cats)])
			}
			all = append(all, result(fmt.Sprintf("r%02d-%d", m, u), name, at, score, false, found...))
		}
	}
	nov := time.Date(2026, time.November, 5, 10, 0, 0, 0, loc)
	all = append(all, result("veto", "区民政局", nov, 62, true, "赌博"), result("revisit", "区民政局", nov.AddDate(0, 0, 9), 90.82, false))
	return all
}

func november() *inspect.Overview {
	return inspect.Summarize(year(), inspect.Filter{From: time.Date(2026, 11, 1, 0, 0, 0, 0, loc), To: time.Date(2026, 12, 1, 0, 0, 0, 0, loc)})
}

// dark is the window's palette in Fyne's dark theme (its background and
// foreground colours).
var dark = Palette{Background: color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff}, Text: color.NRGBA{R: 0xf3, G: 0xf3, B: 0xf3, A: 0xff}}

// TestCharts compares each chart with its golden image, in print colours
// (the 通报's) and in the dark theme's (the window's: testdata/*-dark.png).
func TestCharts(t *testing.T) {
	o := november()
	all := year()
	cases := []struct {
		name string
		draw func(Size) ([]byte, error)
	}{
		{"ranking", func(s Size) ([]byte, error) { return Ranking(o, DefaultRankingLabels, s) }},
		{"categories", func(s Size) ([]byte, error) { return Categories(o, DefaultCategoryLabels, s) }},
		{"trend", func(s Size) ([]byte, error) {
			return Trend(inspect.Trend(all, time.Date(2026, 11, 20, 0, 0, 0, 0, loc), 12), DefaultTrendLabels, s)
		}},
		{"unit", func(s Size) ([]byte, error) {
			return UnitScores(inspect.UnitScores(all, "区民政局"), UnitLabels{Title: "区民政局 历次得分", Score: "得分"}, s)
		}},
	}
	darkSize := DefaultSize
	darkSize.Colours = dark
	for _, c := range cases {
		for _, v := range []struct {
			suffix string
			size   Size
		}{{"", DefaultSize}, {"-dark", darkSize}} {
			t.Run(c.name+v.suffix, func(t *testing.T) {
				data, err := c.draw(v.size)
				if err != nil {
					t.Fatal(err)
				}
				again, _ := c.draw(v.size)
				if !bytes.Equal(data, again) {
					t.Error("the same chart drawn twice differs")
				}
				checkBackground(t, data, v.size.Colours.or().Background)
				golden(t, c.name+v.suffix+".png", data)
			})
		}
	}
}

// checkBackground: the picture's corners are the
// palette's background (a dark-theme chart is not a white card in the
// window, QA), a fifth of its pixels at least, and some pixels are far from it (something is drawn).
func checkBackground(t *testing.T, data []byte, bg color.Color) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	near := func(c color.Color, limit uint32) bool {
		r1, g1, b1, _ := c.RGBA()
		r2, g2, b2, _ := bg.RGBA()
		return absDiff(r1, r2) <= limit && absDiff(g1, g2) <= limit && absDiff(b1, b2) <= limit
	}
	r := img.Bounds()
	for _, p := range []image.Point{r.Min, {r.Max.X - 1, r.Min.Y}, {r.Min.X, r.Max.Y - 1}, {r.Max.X - 1, r.Max.Y - 1}} {
		if c := img.At(p.X, p.Y); !near(c, 0x100) {
			t.Errorf("corner %v is %v, not the background %v", p, c, bg)
		}
	}
	n, same, far := 0, 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			n++
			if near(img.At(x, y), 0x100) {
				same++
			} else if !near(img.At(x, y), 0x8000) {
				far++
			}
		}
	}
	if same*5 < n || far == 0 { // the rating bands' shading covers much of the rest
		t.Errorf("%d of %d pixels are the background %v, %d far from it", same, n, bg, far)
	}
}

// golden compares a PNG with testdata/name pixel by pixel; a few pixels may
// differ (anti-aliasing on another platform).
func golden(t *testing.T, name string, data []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	a, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if frac := differ(a, b); frac > 0.002 {
		failed := filepath.Join("testdata", "failed")
		_ = os.MkdirAll(failed, 0o755)
		_ = os.WriteFile(filepath.Join(failed, name), data, 0o644)
		t.Errorf("%s: %.2f%% of pixels differ; see testdata/failed/%s, run with -update if intended", name, frac*100, name)
	}
}

func differ(a, b image.Image) float64 {
	if a.Bounds() != b.Bounds() {
		return 1
	}
	n, bad := 0, 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			n++
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absDiff(r1, r2) > 0x1800 || absDiff(g1, g2) > 0x1800 || absDiff(b1, b2) > 0x1800 {
				bad++
			}
		}
	}
	return float64(bad) / float64(n)
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestVetoUnitIsLastAndLabelled(t *testing.T) {
	o := november()
	last := o.Ranking[len(o.Ranking)-1]
	if last.UnitName != "区民政局" || !last.Veto || last.LaterScore == nil || *last.LaterScore != 90.82 {
		t.Fatalf("last %+v", last)
	}
}
