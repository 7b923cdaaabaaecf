// Command makeicon draws the application icon, assets/icon.png: a deep red
// rounded square with a white magnifying glass (察, to inspect) and a gold
// tick in its lens.
//
//	go run ./tools/makeicon -o assets/icon.png
//
// Shapes are signed distance functions, so edges are anti-aliased without a
// rasteriser library, and the output is the same byte for byte on every run.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
)

const size = 256

// rgb is a straight (not premultiplied) colour with components in 0..1.
type rgb struct{ r, g, b float64 }

var (
	redTop    = rgb{0.80, 0.15, 0.15} // #CC2626
	redBottom = rgb{0.55, 0.04, 0.06} // #8C0A0F
	white     = rgb{1, 1, 1}
	gold      = rgb{1.00, 0.80, 0.26} // #FFCC42
)

func main() {
	out := flag.String("o", "assets/icon.png", "PNG file to write")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "makeicon:", err)
		os.Exit(1)
	}
}

func write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, draw()); err != nil {
		f.Close()
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

func draw() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			// Sample at the pixel centre.
			px, py := float64(x)+0.5, float64(y)+0.5
			var c rgb
			var a float64

			// Background: rounded square, 8 px margin, 52 px corner
			// radius, with a gentle top-to-bottom gradient.
			bg := coverage(roundedRect(px, py, 128, 128, 120, 120, 52))
			t := (py - 8) / 240
			c, a = over(c, a, mix(redTop, redBottom, clamp01(t)), bg)

			// Lens ring and handle, white.
			ring := math.Abs(circle(px, py, 110, 110, 58)) - 10
			handle := capsule(px, py, 153, 153, 198, 198, 14)
			c, a = over(c, a, white, bg*coverage(math.Min(ring, handle)))

			// Gold tick inside the lens.
			tick := math.Min(
				capsule(px, py, 86, 112, 103, 129, 8),
				capsule(px, py, 103, 129, 136, 94, 8),
			)
			c, a = over(c, a, gold, bg*coverage(tick))

			i := img.PixOffset(x, y)
			img.Pix[i+0] = to8(c.r)
			img.Pix[i+1] = to8(c.g)
			img.Pix[i+2] = to8(c.b)
			img.Pix[i+3] = to8(a)
		}
	}
	return img
}

// coverage turns a signed distance (negative inside, in pixels) into the
// fraction of a pixel covered, a one-pixel linear ramp across the edge.
func coverage(d float64) float64 { return clamp01(0.5 - d) }

// over composites colour src with opacity alpha over (dst, dstA).
func over(dst rgb, dstA float64, src rgb, alpha float64) (rgb, float64) {
	outA := alpha + dstA*(1-alpha)
	if outA == 0 {
		return rgb{}, 0
	}
	f := func(s, d float64) float64 { return (s*alpha + d*dstA*(1-alpha)) / outA }
	return rgb{f(src.r, dst.r), f(src.g, dst.g), f(src.b, dst.b)}, outA
}

func mix(a, b rgb, t float64) rgb {
	return rgb{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t}
}

// roundedRect is the signed distance to a rectangle centred at (cx, cy)
// with half-sizes hw, hh and corner radius r.
func roundedRect(x, y, cx, cy, hw, hh, r float64) float64 {
	qx := math.Abs(x-cx) - hw + r
	qy := math.Abs(y-cy) - hh + r
	outside := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	inside := math.Min(math.Max(qx, qy), 0)
	return outside + inside - r
}

func circle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

// capsule is the signed distance to the segment (ax, ay)–(bx, by) thickened
// to radius r: a stroke with round caps.
func capsule(x, y, ax, ay, bx, by, r float64) float64 {
	px, py := x-ax, y-ay
	dx, dy := bx-ax, by-ay
	h := clamp01((px*dx + py*dy) / (dx*dx + dy*dy))
	return math.Hypot(px-dx*h, py-dy*h) - r
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }

func to8(v float64) uint8 { return uint8(math.Round(clamp01(v) * 255)) }
