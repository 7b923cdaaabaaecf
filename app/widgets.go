package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// SignaturePad is a surface to sign on with a mouse, touchpad or finger.
// Strokes are kept as points in the pad's coordinates and drawn as lines;
// PNG renders them at twice the pad's size for the report.
type SignaturePad struct {
	widget.BaseWidget

	strokes  [][]fyne.Position
	drawing  bool
	OnChange func()
}

// NewSignaturePad returns an empty pad.
func NewSignaturePad() *SignaturePad {
	p := &SignaturePad{}
	p.ExtendBaseWidget(p)
	return p
}

// MinSize is large enough to sign a Chinese name comfortably.
func (p *SignaturePad) MinSize() fyne.Size { return fyne.NewSize(360, 140) }

// Empty reports whether nothing is drawn.
func (p *SignaturePad) Empty() bool { return len(p.strokes) == 0 }

// Clear removes every stroke.
func (p *SignaturePad) Clear() {
	p.strokes = nil
	p.Refresh()
	p.changed()
}

// Undo removes the last stroke.
func (p *SignaturePad) Undo() {
	if len(p.strokes) > 0 {
		p.strokes = p.strokes[:len(p.strokes)-1]
		p.Refresh()
		p.changed()
	}
}

func (p *SignaturePad) changed() {
	if p.OnChange != nil {
		p.OnChange()
	}
}

// Dragged extends the current stroke (starting one if needed).
func (p *SignaturePad) Dragged(e *fyne.DragEvent) {
	if !p.drawing {
		start := p.clamp(fyne.NewPos(e.Position.X-e.Dragged.DX, e.Position.Y-e.Dragged.DY))
		p.strokes = append(p.strokes, []fyne.Position{start})
		p.drawing = true
	}
	last := len(p.strokes) - 1
	p.strokes[last] = append(p.strokes[last], p.clamp(e.Position))
	p.Refresh()
}

// clamp keeps a point on the pad: a stroke that leaves it runs along its edge.
func (p *SignaturePad) clamp(pos fyne.Position) fyne.Position {
	size := p.Size()
	pos.X = max(0, min(pos.X, size.Width))
	pos.Y = max(0, min(pos.Y, size.Height))
	return pos
}

// DragEnd finishes the stroke.
func (p *SignaturePad) DragEnd() {
	p.drawing = false
	p.changed()
}

// Tapped draws a dot (a 点 stroke of a character).
func (p *SignaturePad) Tapped(e *fyne.PointEvent) {
	p.strokes = append(p.strokes, []fyne.Position{e.Position, e.Position.AddXY(1, 1)})
	p.Refresh()
	p.changed()
}

// MouseDown starts a new stroke even if the last drag did not end cleanly.
func (p *SignaturePad) MouseDown(*desktop.MouseEvent) { p.drawing = false }

// MouseUp ends the stroke.
func (p *SignaturePad) MouseUp(*desktop.MouseEvent) { p.drawing = false }

// PNG renders the strokes, black on transparent, at twice the pad's size.
func (p *SignaturePad) PNG() ([]byte, error) {
	size := p.Size()
	if size.Width < 1 || size.Height < 1 {
		size = p.MinSize()
	}
	const scale = 2
	img := image.NewNRGBA(image.Rect(0, 0, int(size.Width*scale), int(size.Height*scale)))
	ink := color.NRGBA{A: 255}
	for _, s := range p.strokes {
		for i := 1; i < len(s); i++ {
			drawLine(img, s[i-1].X*scale, s[i-1].Y*scale, s[i].X*scale, s[i].Y*scale, 2.5, ink)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawLine stamps discs of radius r along the segment.
func drawLine(img *image.NRGBA, x0, y0, x1, y1, r float32, c color.NRGBA) {
	dx, dy := x1-x0, y1-y0
	steps := int(max(abs32(dx), abs32(dy))) + 1
	for i := 0; i <= steps; i++ {
		t := float32(i) / float32(steps)
		cx, cy := x0+dx*t, y0+dy*t
		for y := int(cy - r); y <= int(cy+r); y++ {
			for x := int(cx - r); x <= int(cx+r); x++ {
				fx, fy := float32(x)-cx, float32(y)-cy
				if fx*fx+fy*fy <= r*r && image.Pt(x, y).In(img.Rect) {
					img.SetNRGBA(x, y, c)
				}
			}
		}
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// CreateRenderer draws a light writing area, a baseline and the strokes.
func (p *SignaturePad) CreateRenderer() fyne.WidgetRenderer {
	r := &padRenderer{pad: p, bg: canvas.NewRectangle(color.White), base: canvas.NewLine(color.Gray{Y: 0xbb})}
	r.bg.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	r.bg.StrokeWidth = 1
	r.bg.CornerRadius = theme.InputRadiusSize()
	return r
}

type padRenderer struct {
	pad   *SignaturePad
	bg    *canvas.Rectangle
	base  *canvas.Line
	lines []fyne.CanvasObject
}

func (r *padRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.base.Position1 = fyne.NewPos(16, size.Height*0.75)
	r.base.Position2 = fyne.NewPos(size.Width-16, size.Height*0.75)
}

func (r *padRenderer) MinSize() fyne.Size { return r.pad.MinSize() }

func (r *padRenderer) Refresh() {
	r.lines = r.lines[:0]
	for _, s := range r.pad.strokes {
		for i := 1; i < len(s); i++ {
			l := canvas.NewLine(color.Black)
			l.StrokeWidth = 2.5
			l.Position1, l.Position2 = s[i-1], s[i]
			r.lines = append(r.lines, l)
		}
	}
	r.Layout(r.pad.Size())
	canvas.Refresh(r.pad)
}

func (r *padRenderer) Objects() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{r.bg, r.base}, r.lines...)
}

func (r *padRenderer) Destroy() {}
