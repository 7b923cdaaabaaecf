// Package chart draws the office's pictures with gonum.org/v1/plot and the
// bundled CJK font: the score ranking as bars over the rating bands,
// problems by category, the 12-month trend of average score and problem
// count, and one unit's score over time. Each returns a PNG, for the
// window's 总览 and 单位档案 and for the 通报's 附件. Labels are passed in, so
// the window can show them in the user's language while a 通报 stays Chinese.
package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"mingcha/assets"
	"mingcha/inspect"
)

// Size is a picture's size and resolution, and the colours it is drawn in
// (the zero Palette: print colours, black on white).
type Size struct {
	Width, Height vg.Length
	DPI           float64
	Colours       Palette
}

// Palette is what a chart is drawn on and with: the background and the ink
// of its text, axes and ticks (the rating bands' shading follows the
// background). The
// window passes its theme's colours (light text on a dark background in the
// dark theme); the 通报's PDF and .docx keep the zero value, print colours.
type Palette struct {
	Background, Text color.Color
}

// Print is the palette of paper: black on white.
var Print = Palette{Background: color.White, Text: color.Black}

// or is p with print colours where it names none.
func (p Palette) or() Palette {
	if p.Background == nil {
		p.Background = Print.Background
	}
	if p.Text == nil {
		p.Text = Print.Text
	}
	return p
}

// dark reports whether the background is dark (the bands' shading then
// mixes towards it, not towards white).
func (p Palette) dark() bool {
	r, g, b, _ := p.or().Background.RGBA()
	return (299*r+587*g+114*b)/1000 < 0x8000
}

// DefaultSize fits the 版心 of a 公文 (156 mm wide).
var DefaultSize = Size{Width: 15 * vg.Centimeter, Height: 9 * vg.Centimeter, DPI: 150}

var (
	fontOnce sync.Once
	fontErr  error
	cjk      = font.Font{Typeface: "MingchaCJK"}
)

// setup registers the bundled CJK font with plot's font cache, once.
func setup() error {
	fontOnce.Do(func() {
		f, err := opentype.Parse(assets.FontTTF())
		if err != nil {
			fontErr = fmt.Errorf("chart: font: %w", err)
			return
		}
		font.DefaultCache.Add(font.Collection{{Font: cjk, Face: f}})
	})
	return fontErr
}

func newPlot(title string, pal Palette) (*plot.Plot, error) {
	if err := setup(); err != nil {
		return nil, err
	}
	pal = pal.or()
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(cjk, 12)
	p.Title.TextStyle.Color = pal.Text
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(cjk, 9)
		ax.Tick.Label.Font = font.From(cjk, 8)
		ax.Label.TextStyle.Color = pal.Text
		ax.Tick.Label.Color = pal.Text
		ax.Color = pal.Text
		ax.Tick.Color = pal.Text
	}
	p.Legend.TextStyle.Font = font.From(cjk, 8)
	p.Legend.TextStyle.Color = pal.Text
	p.BackgroundColor = pal.Background
	return p, nil
}

// newCanvas is an image of size s filled with its background.
func newCanvas(s Size) *vgimg.Canvas {
	return vgimg.NewWith(vgimg.UseWH(s.Width, s.Height), vgimg.UseDPI(int(s.DPI)), vgimg.UseBackgroundColor(s.Colours.or().Background))
}

func render(p *plot.Plot, s Size) ([]byte, error) {
	c := newCanvas(s)
	p.Draw(draw.New(c))
	return encode(c)
}

func encode(c *vgimg.Canvas) ([]byte, error) {
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	return buf.Bytes(), nil
}

// Colours of the rating bands, best first, and of a veto.
var (
	bandColours = []color.RGBA{{46, 139, 87, 255}, {52, 120, 198, 255}, {222, 160, 40, 255}, {200, 50, 50, 255}}
	vetoColour  = color.RGBA{150, 0, 0, 255}
	// vetoOnDark is a veto on a dark background, where dark red drowned in
	// the 不合格 band's shading (contrast 1.5:1; this light red: 5.1:1),
	// edged in the text colour.
	vetoOnDark = color.RGBA{255, 110, 110, 255}
	barColour  = color.RGBA{52, 120, 198, 255}
	lineColour = color.RGBA{200, 60, 40, 255}
)

// vetoOn is the colour of a veto's bar or point on pal's background.
func vetoOn(pal Palette) color.RGBA {
	if pal.dark() {
		return vetoOnDark
	}
	return vetoColour
}

// bandColour gives a band's colour by its place among the bands (best first).
func bandColour(bands []inspect.Band, name string) color.RGBA {
	sorted := sortedBands(bands)
	for i, b := range sorted {
		if b.Name == name {
			if len(sorted) <= len(bandColours) {
				// The lowest band is always red, the best always green.
				if i == len(sorted)-1 {
					return bandColours[len(bandColours)-1]
				}
				return bandColours[i]
			}
			return bandColours[min(i, len(bandColours)-1)]
		}
	}
	return barColour
}

func sortedBands(bands []inspect.Band) []inspect.Band {
	out := append([]inspect.Band(nil), bands...)
	sort.Slice(out, func(i, j int) bool { return out[i].Min > out[j].Min })
	return out
}

// light is a band's shading: its colour, 18 % of it over white (print),
// or 30 % of it over a dark background.
func light(c color.RGBA, pal Palette) color.RGBA {
	if pal.dark() {
		bg := color.RGBAModel.Convert(pal.or().Background).(color.RGBA)
		mix := func(v, b uint8) uint8 { return uint8(int(b) + (int(v)-int(b))*30/100) }
		return color.RGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 255}
	}
	mix := func(v uint8) uint8 { return uint8(255 - (255-int(v))*18/100) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 255}
}

func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// stripes shades the rating bands of a score axis (x when horizontal).
type stripes struct {
	bands      []inspect.Band
	full       float64
	horizontal bool
	colours    Palette
	name       func(string) string // a band's name as written (nil: as the template has it)
}

func (s stripes) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sorted := sortedBands(s.bands)
	hi := s.full
	for _, b := range sorted {
		lo := b.Min
		if lo >= hi {
			continue
		}
		var pts []vg.Point
		if s.horizontal {
			pts = []vg.Point{{X: tx(lo), Y: c.Min.Y}, {X: tx(hi), Y: c.Min.Y}, {X: tx(hi), Y: c.Max.Y}, {X: tx(lo), Y: c.Max.Y}}
		} else {
			pts = []vg.Point{{X: c.Min.X, Y: ty(lo)}, {X: c.Max.X, Y: ty(lo)}, {X: c.Max.X, Y: ty(hi)}, {X: c.Min.X, Y: ty(hi)}}
		}
		c.FillPolygon(light(bandColour(s.bands, b.Name), s.colours), c.ClipPolygonXY(pts))
		// The band's name, small, at the far edge of its stripe.
		ink := bandColour(s.bands, b.Name)
		if s.colours.dark() { // half way to white: the red read 2.6:1 on its own shading, now 6:1
			ink = color.RGBA{uint8((int(ink.R) + 255) / 2), uint8((int(ink.G) + 255) / 2), uint8((int(ink.B) + 255) / 2), 255}
		}
		sty := draw.TextStyle{Color: ink, Font: font.From(cjk, 7), Handler: plot.DefaultTextHandler}
		name := b.Name
		if s.name != nil {
			name = s.name(name)
		}
		if s.horizontal {
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
			c.FillText(sty, vg.Point{X: (tx(lo) + tx(hi)) / 2, Y: c.Max.Y - vg.Points(1)}, name)
		} else {
			sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
			c.FillText(sty, vg.Point{X: c.Max.X - vg.Points(2), Y: (ty(lo) + ty(hi)) / 2}, name)
		}
		hi = lo
	}
}

// bars draws one bar per value, each in its own colour, with its label at
// the end.
type bars struct {
	values     []float64
	colours    []color.Color
	labels     []string
	horizontal bool
	width      vg.Length
	font       font.Font
	palette    Palette
	// outlined bars (the vetoes) are edged in the text colour on a dark
	// background, so that they stand out from the band they end in.
	outlined []bool
}

func (b bars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	sty := draw.TextStyle{Color: b.palette.or().Text, Font: font.From(cjk, 7), Handler: plot.DefaultTextHandler}
	for i, v := range b.values {
		var pts []vg.Point
		var at vg.Point
		if b.horizontal {
			y := ty(float64(i))
			pts = []vg.Point{{X: tx(0), Y: y - b.width/2}, {X: tx(v), Y: y - b.width/2}, {X: tx(v), Y: y + b.width/2}, {X: tx(0), Y: y + b.width/2}}
			at = vg.Point{X: tx(v) + vg.Points(2), Y: y}
			sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
		} else {
			x := tx(float64(i))
			pts = []vg.Point{{X: x - b.width/2, Y: ty(0)}, {X: x + b.width/2, Y: ty(0)}, {X: x + b.width/2, Y: ty(v)}, {X: x - b.width/2, Y: ty(v)}}
			at = vg.Point{X: x, Y: ty(v) + vg.Points(2)}
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
		}
		c.FillPolygon(b.colours[i], c.ClipPolygonXY(pts))
		if i < len(b.outlined) && b.outlined[i] && b.palette.dark() {
			edge := draw.LineStyle{Color: b.palette.or().Text, Width: vg.Points(0.8)}
			c.StrokeLines(edge, c.ClipLinesXY(append(pts, pts[0]))...)
		}
		if i < len(b.labels) && b.labels[i] != "" {
			label := sty
			// A label that would run past the plot goes inside its bar's
			// end, in white (QA #7: "94 否决（回访100）" was cut off).
			if b.horizontal && at.X+sty.Width(b.labels[i]) > c.Max.X && tx(v)-tx(0) > sty.Width(b.labels[i])+vg.Points(4) {
				label.XAlign, label.Color = draw.XRight, color.White
				if i < len(b.outlined) && b.outlined[i] && b.palette.dark() {
					label.Color = b.palette.or().Background // dark on the light red: 6.5:1, white 2.7:1
				}
				at.X = tx(v) - vg.Points(2)
			}
			c.FillText(label, at, b.labels[i])
		}
	}
}

func (b bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	hi := 0.0
	for _, v := range b.values {
		hi = math.Max(hi, v)
	}
	n := float64(len(b.values))
	if b.horizontal {
		return 0, hi, -0.5, n - 0.5
	}
	return -0.5, n - 0.5, 0, hi
}

// RankingLabels are the words of the ranking chart; Band names a rating
// band in the reader's language (nil: as the template names it).
type RankingLabels struct {
	Title, Score, Veto, Later string
	Band                      func(string) string
}

// DefaultRankingLabels are the 通报's.
var DefaultRankingLabels = RankingLabels{Title: "各单位得分排名", Score: "得分", Veto: "否决", Later: "回访"}

// Ranking draws the period's ranking as horizontal bars, best at the top,
// over the shaded rating bands; a unit rated by a 一票否决 is dark red and
// labelled so. Scores of templates with another full score are drawn as
// percentages of 100.
func Ranking(o *inspect.Overview, l RankingLabels, s Size) ([]byte, error) {
	p, err := newPlot(l.Title, s.Colours)
	if err != nil {
		return nil, err
	}
	n := len(o.Ranking)
	var bands []inspect.Band
	if len(o.Results) > 0 {
		bands = o.Results[0].Bands
	}
	b := bars{horizontal: true, width: barWidth(s.Height, n), palette: s.Colours}
	names := make([]string, n)
	for i := range o.Ranking {
		r := o.Ranking[n-1-i] // the first rank at the top
		v := r.Score
		if r.Full > 0 && r.Full != 100 {
			v = r.Score / r.Full * 100
		}
		label := num(r.Score)
		col := color.Color(bandColour(bands, r.Rating))
		if r.Veto {
			col = vetoOn(s.Colours)
			label += " " + l.Veto
		}
		b.outlined = append(b.outlined, r.Veto)
		if r.LaterScore != nil {
			label += "（" + l.Later + num(*r.LaterScore) + "）"
		}
		b.values = append(b.values, v)
		b.colours = append(b.colours, col)
		b.labels = append(b.labels, label)
		names[i] = fmt.Sprintf("%d %s", r.Rank, r.UnitName)
	}
	p.Add(stripes{bands: bands, full: 100, horizontal: true, colours: s.Colours, name: l.Band}, b)
	p.NominalY(names...)
	// A row's room above the first bar, where the bands' names are written.
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4+0.6
	p.X.Min, p.X.Max = 0, 112
	p.X.Label.Text = l.Score
	p.X.Tick.Marker = fixedTicks{0, 100, 20}
	return render(p, s)
}

func barWidth(h vg.Length, n int) vg.Length {
	if n == 0 {
		return vg.Points(10)
	}
	w := (h - vg.Points(60)) / vg.Length(n) * 0.7
	return max(vg.Points(3), min(w, vg.Points(16)))
}

// fixedTicks labels from lo to hi every step.
type fixedTicks struct{ lo, hi, step float64 }

func (t fixedTicks) Ticks(_, _ float64) []plot.Tick {
	var out []plot.Tick
	for v := t.lo; v <= t.hi+1e-9; v += t.step {
		out = append(out, plot.Tick{Value: v, Label: num(v)})
	}
	return out
}

// CategoryLabels are the words of the categories chart; Rest says under
// the axis how many categories and problems beyond MaxCategories are not
// drawn (nil: "另有N类共M处未列出").
type CategoryLabels struct {
	Title, Problems string
	Rest            func(categories, problems int) string
}

// DefaultCategoryLabels are the 通报's.
var DefaultCategoryLabels = CategoryLabels{Title: "问题分类（处）", Problems: "问题数"}

// MaxCategories is how many categories get a bar of their own; more would
// not be readable (QA #7: 26 labels over each other).
const MaxCategories = 12

// CategoriesHeight is the height a categories chart of n bars needs to
// keep its names apart, at least min.
func CategoriesHeight(n int, min vg.Length) vg.Length {
	return max(min, vg.Length(2.2+0.55*float64(minInt(n, MaxCategories)))*vg.Centimeter)
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// Categories draws the period's problems by category, most first, as
// horizontal bars labelled with the count; at most max categories (the rest
// summed as the last bar, named rest).
func Categories(o *inspect.Overview, l CategoryLabels, s Size) ([]byte, error) {
	p, err := newPlot(l.Title, s.Colours)
	if err != nil {
		return nil, err
	}
	type bar struct {
		name     string
		problems int
	}
	var cats []bar
	note := ""
	for i, c := range o.Categories {
		if i == MaxCategories {
			// The rest is said, not drawn: a summed bar would dwarf the
			// others and read as one category.
			rest := 0
			for _, r := range o.Categories[i:] {
				rest += r.Problems
			}
			note = fmt.Sprintf("另有%d类共%d处未列出", len(o.Categories)-i, rest)
			if l.Rest != nil {
				note = l.Rest(len(o.Categories)-i, rest)
			}
			break
		}
		cats = append(cats, bar{c.Category, c.Problems})
	}
	n := len(cats)
	b := bars{horizontal: true, width: barWidth(s.Height, n), palette: s.Colours}
	names := make([]string, n)
	hi := 1.0
	for i := range cats {
		c := cats[n-1-i]
		b.values = append(b.values, float64(c.problems))
		b.colours = append(b.colours, barColour)
		b.labels = append(b.labels, strconv.Itoa(c.problems))
		names[i] = c.name
		hi = math.Max(hi, float64(c.problems))
	}
	p.Add(b)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, hi*1.15
	p.X.Label.Text = l.Problems
	if note != "" {
		p.X.Label.Text += "（" + note + "）"
	}
	p.X.Tick.Marker = intTicks{}
	return render(p, s)
}

// intTicks puts ticks on whole numbers only.
type intTicks struct{}

func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	step := math.Max(1, math.Ceil((hi-lo)/6))
	var out []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
	}
	return out
}

// TrendLabels are the words of the trend chart.
type TrendLabels struct {
	Title, Average, Problems string
	Month                    func(time.Time) string
}

// DefaultTrendLabels are the 通报's.
var DefaultTrendLabels = TrendLabels{Title: "近12个月平均得分与问题数", Average: "平均得分", Problems: "问题数",
	Month: func(t time.Time) string { return strconv.Itoa(int(t.Month())) + "月" }}

// Trend draws the months' average score (a line; months without
// inspections left out) above their problem counts (bars), on one time axis.
func Trend(points []inspect.TrendPoint, l TrendLabels, s Size) ([]byte, error) {
	top, err := newPlot(l.Title, s.Colours)
	if err != nil {
		return nil, err
	}
	bottom, err := newPlot("", s.Colours)
	if err != nil {
		return nil, err
	}
	months := make([]string, len(points))
	var xy plotter.XYs
	b := bars{width: vg.Points(10), palette: s.Colours}
	hi := 1.0
	for i, pt := range points {
		months[i] = l.Month(pt.Month)
		if pt.Inspections > 0 {
			xy = append(xy, plotter.XY{X: float64(i), Y: pt.Average})
		}
		b.values = append(b.values, float64(pt.Problems))
		b.colours = append(b.colours, barColour)
		label := ""
		if pt.Problems > 0 {
			label = strconv.Itoa(pt.Problems)
		}
		b.labels = append(b.labels, label)
		hi = math.Max(hi, float64(pt.Problems))
	}
	if len(xy) > 0 {
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		line.Color, pts.Color = lineColour, lineColour
		line.Width = vg.Points(1.5)
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(2.5)
		top.Add(line, pts)
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: numLabels(xy)})
		if err == nil {
			for i := range labels.TextStyle {
				labels.TextStyle[i].Font = font.From(cjk, 7)
				labels.TextStyle[i].Color = s.Colours.or().Text
				labels.TextStyle[i].YAlign = draw.YBottom
				labels.TextStyle[i].XAlign = draw.XCenter
			}
			labels.Offset = vg.Point{Y: vg.Points(3)}
			top.Add(labels)
		}
	}
	top.NominalX(months...)
	top.X.Min, top.X.Max = -0.5, float64(len(points))-0.5
	top.Y.Min, top.Y.Max = 0, 105
	lo := 100.0
	for _, p := range xy {
		lo = math.Min(lo, p.Y)
	}
	top.Y.Min = math.Max(0, math.Floor(lo/10)*10-10)
	top.Y.Label.Text = l.Average
	bottom.Add(b)
	bottom.NominalX(months...)
	bottom.X.Min, bottom.X.Max = -0.5, float64(len(points))-0.5
	bottom.Y.Min, bottom.Y.Max = 0, hi*1.25
	bottom.Y.Label.Text = l.Problems
	bottom.Y.Tick.Marker = intTicks{}

	c := newCanvas(s)
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 2, Cols: 1, PadY: vg.Points(4), PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(6)}
	canvases := plot.Align([][]*plot.Plot{{top}, {bottom}}, tiles, dc)
	top.Draw(canvases[0][0])
	bottom.Draw(canvases[1][0])
	return encode(c)
}

func numLabels(xy plotter.XYs) []string {
	out := make([]string, len(xy))
	for i, p := range xy {
		out[i] = num(p.Y)
	}
	return out
}

// UnitLabels are the words of a unit's chart; Band as in RankingLabels.
type UnitLabels struct {
	Title, Score string
	Band         func(string) string
}

// UnitScores draws one unit's scores over time over its rating bands, a
// 一票否决 as a dark red point.
func UnitScores(points []inspect.ScorePoint, l UnitLabels, s Size) ([]byte, error) {
	p, err := newPlot(l.Title, s.Colours)
	if err != nil {
		return nil, err
	}
	var bands []inspect.Band
	full := 100.0
	if len(points) > 0 {
		bands = points[len(points)-1].Bands
		if f := points[len(points)-1].Full; f > 0 {
			full = f
		}
	}
	p.Add(stripes{bands: bands, full: full, colours: s.Colours, name: l.Band})
	var xy, veto plotter.XYs
	for _, pt := range points {
		v := plotter.XY{X: float64(pt.ObservedAt.Unix()), Y: pt.Score}
		xy = append(xy, v)
		if pt.Veto {
			veto = append(veto, v)
		}
	}
	if len(xy) > 0 {
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("chart: %w", err)
		}
		line.Color, pts.Color = barColour, barColour
		line.Width = vg.Points(1.5)
		pts.Shape = draw.CircleGlyph{}
		pts.Radius = vg.Points(3)
		p.Add(line, pts)
		if len(veto) > 0 {
			vp, err := plotter.NewScatter(veto)
			if err != nil {
				return nil, fmt.Errorf("chart: %w", err)
			}
			vp.Color, vp.Shape, vp.Radius = vetoOn(s.Colours), draw.CircleGlyph{}, vg.Points(4)
			p.Add(vp)
		}
	}
	p.Y.Min, p.Y.Max = 0, full*1.05
	p.Y.Label.Text = l.Score
	p.Y.Tick.Marker = fixedTicks{0, full, full / 5}
	if len(xy) > 0 {
		lo, hi := xy[0].X, xy[len(xy)-1].X
		pad := math.Max(86400*3, (hi-lo)*0.06)
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	p.X.Tick.Marker = plot.TimeTicks{Format: "2006-01-02", Time: func(t float64) time.Time {
		return time.Unix(int64(t), 0).In(timeZone(points))
	}}
	return render(p, s)
}

func timeZone(points []inspect.ScorePoint) *time.Location {
	if len(points) > 0 {
		return points[0].ObservedAt.Location()
	}
	return time.UTC
}
