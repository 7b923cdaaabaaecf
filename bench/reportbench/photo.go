package main

import (
	"bufio"
	"image"
	"image/jpeg"
	"math"
	"math/rand"
	"os"
)

// photoW×photoH is a 12-megapixel phone camera frame.
const (
	photoW = 4000
	photoH = 3000
)

// shade is a rectangle's change of colour: mostly lighter or darker.
func shade(rng *rand.Rand) [3]float64 {
	l := rng.Float64()*100 - 50
	return [3]float64{l + rng.Float64()*20 - 10, l + rng.Float64()*20 - 10, l + rng.Float64()*20 - 10}
}

// writePhoto draws a stand-in for a phone photo: soft gradients, a few
// large shapes with edges, and sensor-like noise, so that it compresses
// like one (about 3–5 MB at quality 92) rather than like a flat test card.
func writePhoto(path string, seed int64) error {
	rng := rand.New(rand.NewSource(seed))
	img := image.NewRGBA(image.Rect(0, 0, photoW, photoH))
	// Low-frequency colour field from a few random waves.
	type wave struct{ fx, fy, ph, amp float64 }
	var waves [3][4]wave
	for c := range waves {
		for k := range waves[c] {
			waves[c][k] = wave{rng.Float64() * 2.5 / photoW, rng.Float64() * 2.5 / photoH, rng.Float64() * 2 * math.Pi, 6 + rng.Float64()*14}
		}
	}
	grey := 100 + rng.Float64()*60
	base := [3]float64{grey + rng.Float64()*30 - 15, grey + rng.Float64()*30 - 15, grey + rng.Float64()*30 - 15}
	// Rectangles like windows, counters and signs.
	type rect struct {
		r     image.Rectangle
		shade [3]float64
	}
	var rects []rect
	for k := 0; k < 14; k++ {
		x, y := rng.Intn(photoW), rng.Intn(photoH)
		rects = append(rects, rect{image.Rect(x, y, x+200+rng.Intn(1400), y+150+rng.Intn(900)),
			shade(rng)})
	}
	// sin(a·x + b·y + φ) = sin(a·x)·cos(b·y+φ) + cos(a·x)·sin(b·y+φ): tables
	// per column make the field cheap.
	var sx, cx [3][4][]float64
	for c := range waves {
		for k, w := range waves[c] {
			sx[c][k], cx[c][k] = make([]float64, photoW), make([]float64, photoW)
			for x := 0; x < photoW; x++ {
				sx[c][k][x], cx[c][k][x] = math.Sincos(2 * math.Pi * w.fx * float64(x))
			}
		}
	}
	row := make([]float64, 3*photoW)
	for y := 0; y < photoH; y++ {
		for c := 0; c < 3; c++ {
			var sy, cy [4]float64
			for k, w := range waves[c] {
				sy[k], cy[k] = math.Sincos(2*math.Pi*w.fy*float64(y) + w.ph)
				sy[k], cy[k] = sy[k]*w.amp, cy[k]*w.amp
			}
			for x := 0; x < photoW; x++ {
				v := base[c]
				for k := range 4 {
					v += sx[c][k][x]*cy[k] + cx[c][k][x]*sy[k]
				}
				row[3*x+c] = v
			}
		}
		for _, r := range rects {
			if y < r.r.Min.Y || y >= r.r.Max.Y {
				continue
			}
			for x := max(0, r.r.Min.X); x < min(photoW, r.r.Max.X); x++ {
				for c := 0; c < 3; c++ {
					row[3*x+c] += r.shade[c]
				}
			}
		}
		off := y * img.Stride
		for x := 0; x < photoW; x++ {
			n := rng.NormFloat64() * 8 // luminance noise, as from a phone sensor
			u := rng.Uint32()
			for c := 0; c < 3; c++ {
				v := row[3*x+c] + n + float64(int(u>>(8*c))&7) - 3.5
				img.Pix[off+4*x+c] = uint8(min(255, max(0, v)))
			}
			img.Pix[off+4*x+3] = 255
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := jpeg.Encode(w, img, &jpeg.Options{Quality: 92}); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
