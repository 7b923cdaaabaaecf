// Package sfnt reads TrueType fonts and writes new ones from them: a subset
// that holds only the glyphs of a character set (tools/subsetfont), and a
// face merged from a primary font and fallbacks for what it lacks (the text
// face of the window and the reports). Only glyf-outline fonts are handled;
// the standard library is the only dependency.
package sfnt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
)

// font is the part of a TrueType font a subset needs: its tables by tag,
// the character map, and per glyph its outline bytes and metrics.
type Font struct {
	tables    map[string][]byte
	cmap      map[rune]uint16
	glyphs    [][]byte // glyf data per glyph id (empty for no outline)
	advance   []uint16
	lsb       []int16
	numGlyphs int
}

// Parse reads face index of a .ttf or .ttc file.
func Parse(file []byte, index int) (*Font, error) {
	off := uint32(0)
	if len(file) >= 12 && string(file[:4]) == "ttcf" {
		n := int(binary.BigEndian.Uint32(file[8:]))
		if index < 0 || index >= n || 12+4*n > len(file) {
			return nil, fmt.Errorf("face %d out of range: the collection has %d", index, n)
		}
		off = binary.BigEndian.Uint32(file[12+4*index:])
	} else if index != 0 {
		return nil, fmt.Errorf("face %d requested, but the file is a single font", index)
	}
	if int(off)+12 > len(file) {
		return nil, errors.New("truncated offset table")
	}
	switch v := binary.BigEndian.Uint32(file[off:]); v {
	case 0x00010000, 0x74727565:
	case 0x4F54544F:
		return nil, errors.New("CFF outlines (OTTO): a TrueType (glyf) font is required")
	default:
		return nil, fmt.Errorf("unknown sfnt version %#08x", v)
	}
	num := int(binary.BigEndian.Uint16(file[off+4:]))
	f := &Font{tables: map[string][]byte{}}
	for i := 0; i < num; i++ {
		rec := int(off) + 12 + 16*i
		if rec+16 > len(file) {
			return nil, errors.New("truncated table directory")
		}
		tag := string(file[rec : rec+4])
		start := binary.BigEndian.Uint32(file[rec+8:])
		length := binary.BigEndian.Uint32(file[rec+12:])
		if uint64(start)+uint64(length) > uint64(len(file)) {
			return nil, fmt.Errorf("table %q runs past the end of the file", tag)
		}
		f.tables[tag] = file[start : start+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if f.tables[tag] == nil {
			return nil, fmt.Errorf("no %q table (a TrueType font with glyf outlines is required)", tag)
		}
	}
	if err := f.parseGlyphs(); err != nil {
		return nil, err
	}
	cmap, err := parseCmap(f.tables["cmap"])
	if err != nil {
		return nil, err
	}
	f.cmap = cmap
	return f, nil
}

func (f *Font) parseGlyphs() error {
	head, maxp, hhea, hmtx := f.tables["head"], f.tables["maxp"], f.tables["hhea"], f.tables["hmtx"]
	if len(head) < 54 || len(maxp) < 6 || len(hhea) < 36 {
		return errors.New("head, maxp or hhea table too short")
	}
	f.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	loca, glyf := f.tables["loca"], f.tables["glyf"]
	offset := func(i int) int {
		if long {
			return int(binary.BigEndian.Uint32(loca[4*i:]))
		}
		return 2 * int(binary.BigEndian.Uint16(loca[2*i:]))
	}
	need := 2 * (f.numGlyphs + 1)
	if long {
		need *= 2
	}
	if len(loca) < need {
		return errors.New("loca table too short")
	}
	f.glyphs = make([][]byte, f.numGlyphs)
	for i := range f.glyphs {
		a, b := offset(i), offset(i+1)
		if a > b || b > len(glyf) {
			return fmt.Errorf("glyph %d: bad loca offsets %d..%d", i, a, b)
		}
		f.glyphs[i] = glyf[a:b]
	}
	nh := int(binary.BigEndian.Uint16(hhea[34:]))
	if nh == 0 || len(hmtx) < 4*nh+2*(f.numGlyphs-nh) {
		return errors.New("hmtx table too short")
	}
	f.advance = make([]uint16, f.numGlyphs)
	f.lsb = make([]int16, f.numGlyphs)
	for i := 0; i < f.numGlyphs; i++ {
		if i < nh {
			f.advance[i] = binary.BigEndian.Uint16(hmtx[4*i:])
			f.lsb[i] = int16(binary.BigEndian.Uint16(hmtx[4*i+2:]))
		} else {
			f.advance[i] = binary.BigEndian.Uint16(hmtx[4*(nh-1):])
			f.lsb[i] = int16(binary.BigEndian.Uint16(hmtx[4*nh+2*(i-nh):]))
		}
	}
	return nil
}

// parseCmap reads the Unicode subtables: format 12 (all planes) where
// present, format 4 (BMP) otherwise and in addition.
func parseCmap(t []byte) (map[rune]uint16, error) {
	if len(t) < 4 {
		return nil, errors.New("cmap table too short")
	}
	out := map[rune]uint16{}
	n := int(binary.BigEndian.Uint16(t[2:]))
	found := false
	for i := 0; i < n; i++ {
		if 4+8*i+8 > len(t) {
			return nil, errors.New("cmap: truncated encoding records")
		}
		rec := t[4+8*i:]
		platform, encoding := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		unicode := platform == 0 || platform == 3 && (encoding == 1 || encoding == 10)
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if !unicode || off+2 > len(t) {
			continue
		}
		sub := t[off:]
		var err error
		switch binary.BigEndian.Uint16(sub) {
		case 4:
			err = readFormat4(sub, out)
		case 12:
			err = readFormat12(sub, out)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
	}
	if !found {
		return nil, errors.New("no Unicode cmap (format 4 or 12)")
	}
	return out, nil
}

func readFormat4(s []byte, out map[rune]uint16) error {
	if len(s) < 14 {
		return errors.New("cmap format 4 too short")
	}
	segs := int(binary.BigEndian.Uint16(s[6:])) / 2
	if len(s) < 16+8*segs {
		return errors.New("cmap format 4 truncated")
	}
	ends, starts := s[14:], s[16+2*segs:]
	deltas, ranges := s[16+4*segs:], s[16+6*segs:]
	for i := 0; i < segs; i++ {
		end := int(binary.BigEndian.Uint16(ends[2*i:]))
		start := int(binary.BigEndian.Uint16(starts[2*i:]))
		delta := int(binary.BigEndian.Uint16(deltas[2*i:]))
		ro := int(binary.BigEndian.Uint16(ranges[2*i:]))
		for c := start; c <= end && c != 0xFFFF; c++ {
			var g int
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else {
				at := 16 + 6*segs + 2*i + ro + 2*(c-start)
				if at+2 > len(s) {
					continue
				}
				g = int(binary.BigEndian.Uint16(s[at:]))
				if g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g != 0 {
				if _, ok := out[rune(c)]; !ok {
					out[rune(c)] = uint16(g)
				}
			}
		}
	}
	return nil
}

func readFormat12(s []byte, out map[rune]uint16) error {
	if len(s) < 16 {
		return errors.New("cmap format 12 too short")
	}
	n := int(binary.BigEndian.Uint32(s[12:]))
	if len(s) < 16+12*n {
		return errors.New("cmap format 12 truncated")
	}
	for i := 0; i < n; i++ {
		g := s[16+12*i:]
		start, end := binary.BigEndian.Uint32(g), binary.BigEndian.Uint32(g[4:])
		gid := binary.BigEndian.Uint32(g[8:])
		if end > 0x10FFFF || start > end {
			continue
		}
		for c := start; c <= end; c++ {
			if id := gid + (c - start); id != 0 && id < 0x10000 {
				out[rune(c)] = uint16(id)
			}
		}
	}
	return nil
}

// Composite glyph flags (glyf table).
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	compositeHeader = 10
)

// components lists the glyph ids a composite glyph refers to and the byte
// offsets where each id sits, so that they can be renumbered.
func components(g []byte) (ids []uint16, at []int) {
	if len(g) < compositeHeader || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil, nil
	}
	p := compositeHeader
	for {
		if p+4 > len(g) {
			return ids, at
		}
		flags := binary.BigEndian.Uint16(g[p:])
		ids = append(ids, binary.BigEndian.Uint16(g[p+2:]))
		at = append(at, p+2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return ids, at
		}
	}
}

// Subset builds a TrueType font holding .notdef and the glyphs of chars
// (with the components of composite glyphs). Characters the font lacks
// are returned in missing. Glyphs keep their original order, so the same
// input always gives the same bytes.
func (f *Font) Subset(chars []rune) (out []byte, missing []rune, err error) {
	keep := map[uint16]bool{0: true}
	cmap := map[rune]uint16{}
	var walk func(g uint16)
	walk = func(g uint16) {
		if int(g) >= f.numGlyphs || keep[g] && g != 0 {
			return
		}
		keep[g] = true
		ids, _ := components(f.glyphs[g])
		for _, id := range ids {
			walk(id)
		}
	}
	for _, c := range chars {
		g, ok := f.cmap[c]
		if !ok || int(g) >= f.numGlyphs {
			missing = append(missing, c)
			continue
		}
		cmap[c] = g
		walk(g)
	}
	old := make([]int, 0, len(keep))
	for g := range keep {
		old = append(old, int(g))
	}
	sort.Ints(old)
	newID := make(map[uint16]uint16, len(old))
	for i, g := range old {
		newID[uint16(g)] = uint16(i)
	}

	var glyf, loca, hmtx []byte
	for _, g := range old {
		loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))
		data := append([]byte(nil), f.glyphs[g]...)
		ids, at := components(data)
		for k, id := range ids {
			binary.BigEndian.PutUint16(data[at[k]:], newID[id])
		}
		glyf = append(glyf, data...)
		for len(glyf)%4 != 0 {
			glyf = append(glyf, 0)
		}
		hmtx = binary.BigEndian.AppendUint16(hmtx, f.advance[g])
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(f.lsb[g]))
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(len(glyf)))

	n := len(old)
	head := clone(f.tables["head"])
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	hhea := clone(f.tables["hhea"])
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))
	maxp := clone(f.tables["maxp"])
	binary.BigEndian.PutUint16(maxp[4:], uint16(n))
	post := clone(f.tables["post"])
	if len(post) >= 32 {
		// Format 3: no glyph names (they would name the old glyph ids).
		post = post[:32]
		binary.BigEndian.PutUint32(post, 0x00030000)
	}
	mapped := map[rune]uint16{}
	for c, g := range cmap {
		mapped[c] = newID[g]
	}
	tables := map[string][]byte{
		"head": head, "hhea": hhea, "maxp": maxp, "post": post,
		"glyf": glyf, "loca": loca, "hmtx": hmtx, "cmap": buildCmap(mapped),
	}
	// Tables that do not depend on glyph ids are copied; everything keyed
	// by glyph id (kern, GSUB, GPOS, vmtx, bitmaps, hdmx) is dropped.
	for _, tag := range []string{"name", "OS/2", "cvt ", "fpgm", "prep", "gasp"} {
		if t, ok := f.tables[tag]; ok {
			tables[tag] = t
		}
	}
	if os2 := tables["OS/2"]; len(os2) >= 68 && len(mapped) > 0 {
		os2 = clone(os2)
		first, last := rune(0x10FFFF), rune(0)
		for c := range mapped {
			first, last = min(first, c), max(last, c)
		}
		binary.BigEndian.PutUint16(os2[64:], uint16(min(first, 0xFFFF)))
		binary.BigEndian.PutUint16(os2[66:], uint16(min(last, 0xFFFF)))
		tables["OS/2"] = os2
	}
	return assemble(tables), missing, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// buildCmap writes a cmap with a format 4 subtable for the BMP (3,1) and,
// when a character lies beyond it, a format 12 subtable (3,10) for all.
func buildCmap(m map[rune]uint16) []byte {
	chars := make([]rune, 0, len(m))
	for c := range m {
		chars = append(chars, c)
	}
	sort.Slice(chars, func(i, j int) bool { return chars[i] < chars[j] })

	// Format 4: one segment per run of consecutive code points whose
	// glyph ids are consecutive too (idDelta), plus the final 0xFFFF.
	type seg struct{ start, end rune }
	var segs []seg
	for _, c := range chars {
		if c >= 0xFFFF {
			break
		}
		if k := len(segs) - 1; k >= 0 && segs[k].end == c-1 && m[c] == m[segs[k].end]+1 {
			segs[k].end = c
			continue
		}
		segs = append(segs, seg{c, c})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF})
	sc := len(segs)
	sr, es := 1, 0
	for sr*2 <= sc {
		sr *= 2
		es++
	}
	sr *= 2
	f4 := make([]byte, 16+8*sc)
	binary.BigEndian.PutUint16(f4[0:], 4)
	binary.BigEndian.PutUint16(f4[2:], uint16(len(f4)))
	binary.BigEndian.PutUint16(f4[6:], uint16(2*sc))
	binary.BigEndian.PutUint16(f4[8:], uint16(sr))
	binary.BigEndian.PutUint16(f4[10:], uint16(es))
	binary.BigEndian.PutUint16(f4[12:], uint16(2*sc-sr))
	for i, s := range segs {
		binary.BigEndian.PutUint16(f4[14+2*i:], uint16(s.end))
		binary.BigEndian.PutUint16(f4[16+2*sc+2*i:], uint16(s.start))
		delta := uint16(1)
		if s.start != 0xFFFF {
			delta = m[s.start] - uint16(s.start)
		}
		binary.BigEndian.PutUint16(f4[16+4*sc+2*i:], delta)
		// idRangeOffset stays 0
	}

	wide := len(chars) > 0 && chars[len(chars)-1] > 0xFFFF
	var f12 []byte
	if wide {
		type group struct {
			start, end rune
			gid        uint16
		}
		var groups []group
		for _, c := range chars {
			if k := len(groups) - 1; k >= 0 && groups[k].end == c-1 && m[c] == groups[k].gid+uint16(c-groups[k].start) {
				groups[k].end = c
				continue
			}
			groups = append(groups, group{c, c, m[c]})
		}
		f12 = make([]byte, 16+12*len(groups))
		binary.BigEndian.PutUint16(f12[0:], 12)
		binary.BigEndian.PutUint32(f12[4:], uint32(len(f12)))
		binary.BigEndian.PutUint32(f12[12:], uint32(len(groups)))
		for i, g := range groups {
			binary.BigEndian.PutUint32(f12[16+12*i:], uint32(g.start))
			binary.BigEndian.PutUint32(f12[20+12*i:], uint32(g.end))
			binary.BigEndian.PutUint32(f12[24+12*i:], uint32(g.gid))
		}
	}
	records := 1
	if wide {
		records = 2
	}
	hdr := 4 + 8*records
	out := make([]byte, hdr, hdr+len(f4)+len(f12))
	binary.BigEndian.PutUint16(out[2:], uint16(records))
	binary.BigEndian.PutUint16(out[4:], 3)
	binary.BigEndian.PutUint16(out[6:], 1)
	binary.BigEndian.PutUint32(out[8:], uint32(hdr))
	if wide {
		binary.BigEndian.PutUint16(out[12:], 3)
		binary.BigEndian.PutUint16(out[14:], 10)
		binary.BigEndian.PutUint32(out[16:], uint32(hdr+len(f4)))
	}
	out = append(out, f4...)
	return append(out, f12...)
}

// assemble writes the sfnt: table records sorted by tag, each table on a
// 4-byte boundary, checksums and head.checkSumAdjustment set.
func assemble(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	sr *= 16
	size := 12 + 16*n
	for _, t := range tables {
		size += (len(t) + 3) &^ 3
	}
	out := make([]byte, 12+16*n, size)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-sr))
	headAt := 0
	for i, tag := range tags {
		data := tables[tag]
		if tag == "head" {
			data = clone(data)
			binary.BigEndian.PutUint32(data[8:], 0)
			headAt = len(out)
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
