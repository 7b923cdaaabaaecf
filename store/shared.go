package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// What many records share is stored once, by content (since schema 5):
//
//	unit_snapshots/<sha256 of JSON> -> inspect.Unit JSON, the unit as an inspection saw it
//	drawings/<sha256 of PNG>        -> PNG bytes of a drawn signature or 签收
var (
	bucketUnitSnapshots = []byte("unit_snapshots")
	bucketDrawings      = []byte("drawings")
)

func hexSum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// unitSnapshotJSON is the unit's JSON and its hash.
func unitSnapshotJSON(u *inspect.Unit) ([]byte, string) {
	b, _ := json.Marshal(u)
	return b, hexSum(b)
}

// drawingHash names a drawing's bytes ("" for none).
func drawingHash(png []byte) string {
	if len(png) == 0 {
		return ""
	}
	return hexSum(png)
}

// storeDrawings stores the inspection's drawn signatures and 签收 once each
// and puts the stored bytes in their place: a drawing new to the file is
// re-encoded without loss first (compactPNG).
func storeDrawings(tx *bolt.Tx, in *inspect.Inspection) error {
	for i := range in.Signatures {
		c, err := putDrawing(tx, in.Signatures[i].PNG)
		if err != nil {
			return err
		}
		in.Signatures[i].PNG = c
	}
	if in.Receipt != nil && len(in.Receipt.PNG) > 0 {
		c, err := putDrawing(tx, in.Receipt.PNG)
		if err != nil {
			return err
		}
		r := *in.Receipt
		r.PNG = c
		in.Receipt = &r
	}
	return nil
}

// putDrawing returns the bytes stored for a drawing, storing them if new.
func putDrawing(tx *bolt.Tx, b []byte) ([]byte, error) {
	if len(b) == 0 {
		return b, nil
	}
	d := tx.Bucket(bucketDrawings)
	if d == nil {
		return b, nil // before migration 5
	}
	given := hexSum(b)
	if d.Get([]byte(given)) != nil {
		return b, nil
	}
	c, ok := compacted.get(given)
	if !ok {
		c = compactPNG(b)
		compacted.put(given, c)
	}
	h := []byte(hexSum(c))
	if d.Get(h) == nil {
		if err := d.Put(h, c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// storeShared moves the unit and the drawings out of the record r about to
// be written for in: the record names them by hash.
func storeShared(tx *bolt.Tx, in *inspect.Inspection, r *record) error {
	us := tx.Bucket(bucketUnitSnapshots)
	d := tx.Bucket(bucketDrawings)
	if us == nil || d == nil {
		return nil // before migration 5: inline, as that schema stored them
	}
	ub, uh := unitSnapshotJSON(&in.Unit)
	if us.Get([]byte(uh)) == nil {
		if err := us.Put([]byte(uh), ub); err != nil {
			return err
		}
	}
	r.UnitSnapshot, r.Unit = uh, inspect.Unit{}
	if len(in.Signatures) > 0 {
		r.Signatures = append([]inspect.DrawnSignature(nil), in.Signatures...)
		r.SignatureDrawings = make([]string, len(in.Signatures))
		for i := range r.Signatures {
			c, err := putDrawing(tx, r.Signatures[i].PNG)
			if err != nil {
				return err
			}
			r.SignatureDrawings[i] = drawingHash(c)
			r.Signatures[i].PNG = nil
		}
	}
	if in.Receipt != nil && len(in.Receipt.PNG) > 0 {
		c, err := putDrawing(tx, in.Receipt.PNG)
		if err != nil {
			return err
		}
		rc := *in.Receipt
		rc.PNG = nil
		r.Receipt, r.ReceiptDrawing = &rc, drawingHash(c)
	}
	return nil
}

// loadShared puts the unit and drawings a record names into in.
func loadShared(tx *bolt.Tx, r *record, in *inspect.Inspection) error {
	if r.UnitSnapshot != "" {
		v := tx.Bucket(bucketUnitSnapshots).Get([]byte(r.UnitSnapshot))
		if v == nil {
			return fmt.Errorf("unit snapshot %s missing", r.UnitSnapshot)
		}
		in.Unit = inspect.Unit{}
		if err := json.Unmarshal(v, &in.Unit); err != nil {
			return fmt.Errorf("unit snapshot %s: %w", r.UnitSnapshot, err)
		}
	}
	drawing := func(h string) ([]byte, error) {
		v := tx.Bucket(bucketDrawings).Get([]byte(h))
		if v == nil {
			return nil, fmt.Errorf("drawing %s missing", h)
		}
		return append([]byte(nil), v...), nil
	}
	for i, h := range r.SignatureDrawings {
		if h == "" || i >= len(in.Signatures) {
			continue
		}
		b, err := drawing(h)
		if err != nil {
			return err
		}
		in.Signatures[i].PNG = b
	}
	if r.ReceiptDrawing != "" && in.Receipt != nil {
		b, err := drawing(r.ReceiptDrawing)
		if err != nil {
			return err
		}
		in.Receipt.PNG = b
	}
	return nil
}

// compacted remembers the last drawings re-encoded, by the hash of the
// bytes given: a drawing handed in again (the demo's, a signature stored
// with each of several edits) is not decoded and encoded again.
var compacted = &drawingCache{m: map[string][]byte{}}

type drawingCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *drawingCache) get(h string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[h]
	return b, ok
}

func (c *drawingCache) put(h string, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 32 {
		clear(c.m)
	}
	c.m[h] = b
}

// compactPNG re-encodes a drawing of few colours (the signature pad draws
// black on transparent, as 32-bit pixels) as a paletted PNG, which is half
// the size or less. The pixels stay exactly the same; anything else (not a
// PNG, many colours, no gain) is kept as given.
func compactPNG(b []byte) []byte {
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width*cfg.Height > 4<<20 {
		return b
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return b
	}
	if _, ok := img.(*image.Paletted); ok {
		return b
	}
	bounds := img.Bounds()
	var pal color.Palette
	index := map[color.NRGBA]uint8{}
	out := image.NewPaletted(bounds, nil)
	add := func(c color.NRGBA) (uint8, bool) {
		i, ok := index[c]
		if !ok {
			if len(pal) == 256 {
				return 0, false
			}
			i = uint8(len(pal))
			index[c] = i
			pal = append(pal, c)
		}
		return i, true
	}
	if n, ok := img.(*image.NRGBA); ok { // what the pad writes: read the pixels directly
		var last color.NRGBA
		var li uint8
		have := false
		for p := 0; p+3 < len(n.Pix); p += 4 {
			c := color.NRGBA{n.Pix[p], n.Pix[p+1], n.Pix[p+2], n.Pix[p+3]}
			if !have || c != last {
				i, ok := add(c)
				if !ok {
					return b
				}
				last, li, have = c, i, true
			}
			out.Pix[p/4] = li
		}
	} else {
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			for x := bounds.Min.X; x < bounds.Max.X; x++ {
				i, ok := add(color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA))
				if !ok {
					return b
				}
				out.SetColorIndex(x, y, i)
			}
		}
	}
	out.Palette = pal
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, out); err != nil || buf.Len() >= len(b) {
		return b
	}
	return buf.Bytes()
}

// answers/<inspection id> holds the inspection's answers as one JSON
// object by item code, compressed (since schema 5; before, one key per
// answer in a bucket of the inspection's own, which took three pages).
func loadAnswers(tx *bolt.Tx, id string) (map[string]*inspect.Answer, error) {
	out := map[string]*inspect.Answer{}
	ab := tx.Bucket(bucketAnswers)
	v := storedAnswers(tx, id)
	if v == nil {
		// A file of schema 4 opened read-only (check, list) is not
		// migrated: its answers are a bucket of one key per item.
		if old := ab.Bucket([]byte(id)); old != nil {
			err := old.ForEach(func(k, v []byte) error {
				var a inspect.Answer
				if err := json.Unmarshal(v, &a); err != nil {
					return fmt.Errorf("inspection %s answer %s: %w", id, k, err)
				}
				out[string(k)] = &a
				return nil
			})
			return out, err
		}
		return out, nil
	}
	if err := getJSON(v, &out); err != nil {
		return nil, fmt.Errorf("inspection %s answers: %w", id, err)
	}
	return out, nil
}

func putAnswers(tx *bolt.Tx, id string, answers map[string]*inspect.Answer) error {
	return putAnswersJSON(tx, id, answersJSON(answers))
}
