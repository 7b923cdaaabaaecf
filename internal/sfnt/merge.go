package sfnt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
)

// Has reports whether the font maps c to a glyph.
func (f *Font) Has(c rune) bool {
	g, ok := f.cmap[c]
	return ok && int(g) < f.numGlyphs
}

// Chars lists the characters the font maps, in code point order.
func (f *Font) Chars() []rune {
	out := make([]rune, 0, len(f.cmap))
	for c := range f.cmap {
		if f.Has(c) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// NumGlyphs is the number of glyphs (maxp.numGlyphs).
func (f *Font) NumGlyphs() int { return f.numGlyphs }

// Advance is the advance width of c's glyph in font units, 0 without one.
func (f *Font) Advance(c rune) int {
	if !f.Has(c) {
		return 0
	}
	return int(f.advance[f.cmap[c]])
}

// UnitsPerEm is the font's design grid (head.unitsPerEm).
func (f *Font) UnitsPerEm() int { return int(binary.BigEndian.Uint16(f.tables["head"][18:])) }

// Merge returns a font with every character of primary, drawn with the
// primary's glyphs, and every character it lacks taken from the fallbacks,
// first fallback first. Only glyphs some character reaches are kept (a
// large primary has many unmapped alternates, and 65,535 glyphs is the
// format's limit), so the layout tables keyed by glyph id (GSUB, GPOS,
// GDEF, kern, vertical metrics) are dropped. The primary's glyphs keep their
// hinting; a fallback glyph is scaled to the primary's units per em and
// loses its instructions (they call its own font's programs).
func Merge(primary *Font, fallbacks ...*Font) ([]byte, error) {
	var glyphs [][]byte
	var advance []uint16
	var lsb []int16
	cmap := map[rune]uint16{}
	upm := float64(primary.UnitsPerEm())
	maxp := clone(primary.tables["maxp"])
	for k, src := range append([]*Font{primary}, fallbacks...) {
		scale := upm / float64(src.UnitsPerEm())
		added := map[uint16]uint16{} // source glyph id -> merged id
		open := map[uint16]bool{}    // composites being added, to refuse cycles
		var add func(g uint16) (uint16, error)
		add = func(g uint16) (uint16, error) {
			if id, ok := added[g]; ok {
				return id, nil
			}
			if open[g] {
				return 0, fmt.Errorf("glyph %d is its own component", g)
			}
			open[g] = true
			defer delete(open, g)
			if len(glyphs) >= 0xFFFF {
				return 0, errors.New("merged font would exceed 65,535 glyphs")
			}
			data := src.glyphs[g]
			ids, at := components(data)
			remap := make([]uint16, len(ids))
			for i, id := range ids {
				if int(id) >= src.numGlyphs {
					return 0, fmt.Errorf("glyph %d refers to missing glyph %d", g, id)
				}
				nid, err := add(id)
				if err != nil {
					return 0, err
				}
				remap[i] = nid
			}
			if k == 0 {
				if len(ids) > 0 { // simple glyphs are copied once, below
					data = clone(data)
					for i := range ids {
						binary.BigEndian.PutUint16(data[at[i]:], remap[i])
					}
				}
			} else {
				var err error
				if data, err = scaleGlyph(data, scale, remap); err != nil {
					return 0, fmt.Errorf("glyph %d: %w", g, err)
				}
			}
			id := uint16(len(glyphs))
			added[g] = id
			glyphs = append(glyphs, data)
			advance = append(advance, uint16(math.Round(float64(src.advance[g])*scale)))
			lsb = append(lsb, int16(math.Round(float64(src.lsb[g])*scale)))
			return id, nil
		}
		if k == 0 {
			if _, err := add(0); err != nil { // .notdef stays glyph 0
				return nil, err
			}
		}
		for _, c := range src.Chars() {
			if _, ok := cmap[c]; ok {
				continue
			}
			id, err := add(src.cmap[c])
			if err != nil {
				return nil, err
			}
			cmap[c] = id
		}
		// maxp version 1.0 outline limits (points, contours, components)
		// must hold for every glyph; the hinting limits are the primary's.
		if fm := src.tables["maxp"]; k > 0 && len(maxp) >= 32 && len(fm) >= 32 {
			for _, off := range []int{6, 8, 10, 12, 28, 30} {
				binary.BigEndian.PutUint16(maxp[off:], max(binary.BigEndian.Uint16(maxp[off:]), binary.BigEndian.Uint16(fm[off:])))
			}
		}
	}

	size := 0
	for _, g := range glyphs {
		size += (len(g) + 3) &^ 3
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 0, 4*(len(glyphs)+1))
	hmtx := make([]byte, 0, 4*len(glyphs))
	for i, g := range glyphs {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		glyf = append(glyf, g...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, advance[i])
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(lsb[i]))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
	n := len(glyphs)
	tables := map[string][]byte{}
	for _, tag := range []string{"name", "OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if t, ok := primary.tables[tag]; ok {
			tables[tag] = t
		}
	}
	head := clone(primary.tables["head"])
	binary.BigEndian.PutUint16(head[50:], 1)
	hhea := clone(primary.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	tables["head"], tables["hhea"], tables["maxp"] = head, hhea, maxp
	tables["glyf"], tables["loca"], tables["hmtx"] = glyf, loca, hmtx
	tables["cmap"] = buildCmap(cmap)
	if post := clone(primary.tables["post"]); len(post) >= 32 {
		post = post[:32]
		binary.BigEndian.PutUint32(post, 0x00030000)
		tables["post"] = post
	}
	return assemble(tables), nil
}

// Simple glyph flags (glyf table).
const (
	onCurve     = 0x01
	xShort      = 0x02
	yShort      = 0x04
	repeatFlag  = 0x08
	xSame       = 0x10
	ySame       = 0x20
	argsAreXY   = 0x0002
	haveInstr   = 0x0100
	flagOverlap = 0x40
)

// scaleGlyph rewrites a glyph's outline at scale, without instructions,
// with composite component ids replaced by remap (in order).
func scaleGlyph(g []byte, scale float64, remap []uint16) ([]byte, error) {
	if len(g) == 0 {
		return nil, nil
	}
	if len(g) < 10 {
		return nil, errors.New("glyph header too short")
	}
	sc := func(v int16) int16 { return int16(math.Round(float64(v) * scale)) }
	out := make([]byte, 10, len(g)+64)
	copy(out, g[:2])
	for i := 2; i < 10; i += 2 {
		binary.BigEndian.PutUint16(out[i:], uint16(sc(int16(binary.BigEndian.Uint16(g[i:])))))
	}
	contours := int(int16(binary.BigEndian.Uint16(g)))
	if contours < 0 {
		p, k := 10, 0
		for {
			if p+4 > len(g) {
				return nil, errors.New("composite glyph truncated")
			}
			flags := binary.BigEndian.Uint16(g[p:])
			p += 4
			var a1, a2 int
			if flags&argsAreWords != 0 {
				if p+4 > len(g) {
					return nil, errors.New("composite glyph truncated")
				}
				a1, a2 = int(int16(binary.BigEndian.Uint16(g[p:]))), int(int16(binary.BigEndian.Uint16(g[p+2:])))
				p += 4
			} else {
				if p+2 > len(g) {
					return nil, errors.New("composite glyph truncated")
				}
				if flags&argsAreXY != 0 {
					a1, a2 = int(int8(g[p])), int(int8(g[p+1]))
				} else {
					a1, a2 = int(g[p]), int(g[p+1])
				}
				p += 2
			}
			if flags&argsAreXY != 0 {
				a1, a2 = int(sc(int16(a1))), int(sc(int16(a2)))
			}
			tlen := 0
			switch {
			case flags&haveScale != 0:
				tlen = 2
			case flags&haveXYScale != 0:
				tlen = 4
			case flags&haveTwoByTwo != 0:
				tlen = 8
			}
			if p+tlen > len(g) || k >= len(remap) {
				return nil, errors.New("composite glyph truncated")
			}
			nf := flags&^haveInstr | argsAreWords
			out = binary.BigEndian.AppendUint16(out, nf)
			out = binary.BigEndian.AppendUint16(out, remap[k])
			out = binary.BigEndian.AppendUint16(out, uint16(int16(a1)))
			out = binary.BigEndian.AppendUint16(out, uint16(int16(a2)))
			out = append(out, g[p:p+tlen]...)
			p += tlen
			k++
			if flags&moreComponents == 0 {
				return out, nil
			}
		}
	}
	p := 10
	if p+2*contours+2 > len(g) {
		return nil, errors.New("simple glyph truncated")
	}
	ends := g[p : p+2*contours]
	points := 0
	if contours > 0 {
		points = int(binary.BigEndian.Uint16(ends[2*(contours-1):])) + 1
	}
	p += 2 * contours
	p += 2 + int(binary.BigEndian.Uint16(g[p:]))
	flags := make([]byte, 0, points)
	for len(flags) < points {
		if p >= len(g) {
			return nil, errors.New("simple glyph flags truncated")
		}
		f := g[p]
		p++
		flags = append(flags, f)
		if f&repeatFlag != 0 {
			if p >= len(g) {
				return nil, errors.New("simple glyph flags truncated")
			}
			for r := int(g[p]); r > 0 && len(flags) < points; r-- {
				flags = append(flags, f)
			}
			p++
		}
	}
	coords := func(short, same byte) ([]int, error) {
		vals := make([]int, points)
		v := 0
		for i, f := range flags {
			switch {
			case f&short != 0:
				if p >= len(g) {
					return nil, errors.New("coordinates truncated")
				}
				d := int(g[p])
				p++
				if f&same == 0 {
					d = -d
				}
				v += d
			case f&same == 0:
				if p+2 > len(g) {
					return nil, errors.New("coordinates truncated")
				}
				v += int(int16(binary.BigEndian.Uint16(g[p:])))
				p += 2
			}
			vals[i] = v
		}
		return vals, nil
	}
	xs, err := coords(xShort, xSame)
	if err != nil {
		return nil, err
	}
	ys, err := coords(yShort, ySame)
	if err != nil {
		return nil, err
	}
	out = append(out, ends...)
	out = append(out, 0, 0) // no instructions
	for _, f := range flags {
		out = append(out, f&(onCurve|flagOverlap))
	}
	for _, vals := range [][]int{xs, ys} {
		prev := 0
		for _, v := range vals {
			s := int(math.Round(float64(v) * scale))
			out = binary.BigEndian.AppendUint16(out, uint16(int16(s-prev)))
			prev = s
		}
	}
	return out, nil
}

// Bytes is the face as a standalone TrueType file (a face of a collection
// taken out of it): its tables as they are, checksums recomputed.
func (f *Font) Bytes() []byte { return assemble(f.tables) }

// Name is the face's name record id (1 family, 4 full name, 6 PostScript
// name) from the Windows Unicode records: the English one ("" when none)
// and the simplified Chinese one ("" when none); a Macintosh Roman record
// stands in for a missing English one.
func (f *Font) Name(id uint16) (english, chinese string) {
	t := f.tables["name"]
	if len(t) < 6 {
		return "", ""
	}
	count, strs := int(binary.BigEndian.Uint16(t[2:])), int(binary.BigEndian.Uint16(t[4:]))
	var mac string
	for i := 0; i < count && 6+12*i+12 <= len(t); i++ {
		r := t[6+12*i:]
		platform, encoding, language := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[2:]), binary.BigEndian.Uint16(r[4:])
		if binary.BigEndian.Uint16(r[6:]) != id {
			continue
		}
		n, off := int(binary.BigEndian.Uint16(r[8:])), strs+int(binary.BigEndian.Uint16(r[10:]))
		if off+n > len(t) {
			continue
		}
		raw := t[off : off+n]
		switch {
		case platform == 3 && (encoding == 1 || encoding == 10):
			u := make([]rune, 0, n/2)
			for j := 0; j+1 < len(raw); j += 2 {
				u = append(u, rune(binary.BigEndian.Uint16(raw[j:])))
			}
			s := string(utf16Decode(u))
			switch {
			case language == 0x0804 && chinese == "":
				chinese = s
			case language == 0x0409 && english == "":
				english = s
			}
		case platform == 1 && encoding == 0 && language == 0 && mac == "":
			mac = string(raw)
		}
	}
	if english == "" {
		english = mac
	}
	return english, chinese
}

// utf16Decode joins surrogate pairs.
func utf16Decode(u []rune) []rune {
	out := u[:0:0]
	for i := 0; i < len(u); i++ {
		if u[i] >= 0xD800 && u[i] < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000 {
			out = append(out, 0x10000+(u[i]-0xD800)<<10+(u[i+1]-0xDC00))
			i++
			continue
		}
		out = append(out, u[i])
	}
	return out
}

// Faces is the number of faces in file: n of a collection, 1 otherwise.
func Faces(file []byte) int {
	if len(file) >= 12 && string(file[:4]) == "ttcf" {
		return int(binary.BigEndian.Uint32(file[8:]))
	}
	return 1
}
