package report

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strconv"
)

// recompress rewrites gofpdf's output with every Flate stream compressed at
// zlib.BestCompression: gofpdf always uses BestSpeed, which leaves the font
// subset, the embedded data and the page contents about a fifth larger than
// needed. It relies on the simple file gofpdf writes (one classic xref
// table, direct /Length values) and returns the input unchanged when the
// file is not of that form. Only the rendering is touched; nothing signed
// or untrusted passes through here.
func recompress(pdf []byte) []byte {
	out, err := recompressPDF(pdf)
	if err != nil {
		return pdf
	}
	return out
}

var (
	startxrefRE = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
	lengthRE    = regexp.MustCompile(`/Length\s+(\d+)([\s/>])`)
	length1RE   = regexp.MustCompile(`/Length1\s+(\d+)([\s/>])`)
)

type pdfObject struct {
	num int
	off int
}

func recompressPDF(pdf []byte) ([]byte, error) {
	m := startxrefRE.FindSubmatch(pdf)
	if m == nil {
		return nil, fmt.Errorf("no startxref")
	}
	xrefAt, err := strconv.Atoi(string(m[1]))
	if err != nil || xrefAt <= 0 || xrefAt >= len(pdf) {
		return nil, fmt.Errorf("bad startxref")
	}
	objs, trailerAt, err := parseXref(pdf, xrefAt)
	if err != nil {
		return nil, err
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].off < objs[j].off })
	var buf bytes.Buffer
	buf.Grow(len(pdf))
	buf.Write(pdf[:objs[0].off])
	newOff := make(map[int]int, len(objs))
	for i, o := range objs {
		end := xrefAt
		if i+1 < len(objs) {
			end = objs[i+1].off
		}
		if o.off >= end {
			return nil, fmt.Errorf("object %d overlaps the next", o.num)
		}
		newOff[o.num] = buf.Len()
		buf.Write(trimWidths(recompressObject(pdf[o.off:end])))
	}
	// The same xref table with the new offsets, then the trailer as it was.
	xref := buf.Len()
	size := 0
	for n := range newOff {
		size = max(size, n+1)
	}
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", size)
	for n := 1; n < size; n++ {
		off, ok := newOff[n]
		if !ok {
			return nil, fmt.Errorf("object %d missing from the xref", n)
		}
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	trailer := pdf[trailerAt:]
	cut := bytes.LastIndex(trailer, []byte("startxref"))
	buf.Write(trailer[:cut])
	fmt.Fprintf(&buf, "startxref\n%d\n%%%%EOF\n", xref)
	return buf.Bytes(), nil
}

// parseXref reads a single-section xref table "xref\n0 N\n" as gofpdf
// writes it and returns the objects in use and where the trailer starts.
func parseXref(pdf []byte, at int) ([]pdfObject, int, error) {
	rest := pdf[at:]
	if !bytes.HasPrefix(rest, []byte("xref\n0 ")) {
		return nil, 0, fmt.Errorf("xref is not a plain table")
	}
	rest = rest[len("xref\n0 "):]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return nil, 0, fmt.Errorf("short xref")
	}
	n, err := strconv.Atoi(string(bytes.TrimSpace(rest[:nl])))
	if err != nil || n < 2 {
		return nil, 0, fmt.Errorf("bad xref size")
	}
	rest = rest[nl+1:]
	if len(rest) < 20*n {
		return nil, 0, fmt.Errorf("short xref")
	}
	objs := make([]pdfObject, 0, n-1)
	for i := 1; i < n; i++ {
		e := rest[20*i : 20*i+20]
		if e[17] != 'n' {
			return nil, 0, fmt.Errorf("free object %d", i)
		}
		off, err := strconv.Atoi(string(e[:10]))
		if err != nil || off <= 0 || off >= at {
			return nil, 0, fmt.Errorf("bad offset of object %d", i)
		}
		if !bytes.HasPrefix(pdf[off:], []byte(strconv.Itoa(i)+" 0 obj")) {
			return nil, 0, fmt.Errorf("object %d is not where the xref says", i)
		}
		objs = append(objs, pdfObject{num: i, off: off})
	}
	trailerAt := at + len("xref\n0 ") + nl + 1 + 20*n
	if !bytes.HasPrefix(pdf[trailerAt:], []byte("trailer")) {
		return nil, 0, fmt.Errorf("no trailer after the xref")
	}
	return objs, trailerAt, nil
}

// trimWidths drops from a CID font's /W array the entries "c1 c2 1000"
// that repeat the default width /DW 1000: gofpdf lists every Chinese
// character used, about 8 KB of a report that says nothing.
func trimWidths(obj []byte) []byte {
	if !bytes.Contains(obj, []byte("/CIDFontType2")) || !bytes.Contains(obj, []byte("/DW 1000\n")) || bytes.Contains(obj, []byte("stream\n")) {
		return obj
	}
	start := bytes.Index(obj, []byte("/W ["))
	if start < 0 {
		return obj
	}
	start += len("/W [")
	end := -1
	depth := 0
	for i := start; i < len(obj); i++ {
		if obj[i] == '[' {
			depth++
		} else if obj[i] == ']' {
			if depth == 0 {
				end = i
				break
			}
			depth--
		}
	}
	if end < 0 {
		return obj
	}
	tokens := bytes.Fields(bytes.ReplaceAll(bytes.ReplaceAll(obj[start:end], []byte("["), []byte(" [ ")), []byte("]"), []byte(" ] ")))
	var kept [][]byte
	for i := 0; i < len(tokens); {
		// c [ w … ]  or  c1 c2 w
		if i+1 < len(tokens) && bytes.Equal(tokens[i+1], []byte("[")) {
			j := i + 2
			for j < len(tokens) && !bytes.Equal(tokens[j], []byte("]")) {
				j++
			}
			if j == len(tokens) {
				return obj
			}
			kept = append(kept, tokens[i:j+1]...)
			i = j + 1
			continue
		}
		if i+2 >= len(tokens) {
			return obj
		}
		for _, t := range tokens[i : i+3] {
			if _, err := strconv.Atoi(string(t)); err != nil {
				return obj
			}
		}
		if !bytes.Equal(tokens[i+2], []byte("1000")) {
			kept = append(kept, tokens[i:i+3]...)
		}
		i += 3
	}
	var out bytes.Buffer
	out.Write(obj[:start])
	out.WriteByte(' ')
	out.Write(bytes.Join(kept, []byte(" ")))
	out.WriteByte(' ')
	out.Write(obj[end:])
	return out.Bytes()
}

// recompressObject recompresses the stream of one "N 0 obj … endobj" when it
// is Flate-encoded, with a direct length, and gets smaller.
func recompressObject(obj []byte) []byte {
	s := bytes.Index(obj, []byte("stream\n"))
	if s < 0 {
		return obj
	}
	dict := obj[:s]
	if !bytes.Contains(dict, []byte("/FlateDecode")) {
		return obj
	}
	lm := lengthRE.FindSubmatchIndex(dict)
	if lm == nil || bytes.Count(dict, []byte("/Length ")) != 1 {
		return obj
	}
	n, err := strconv.Atoi(string(dict[lm[2]:lm[3]]))
	data := s + len("stream\n")
	if err != nil || data+n > len(obj) || !bytes.HasPrefix(bytes.TrimLeft(obj[data+n:], "\r\n"), []byte("endstream")) {
		return obj
	}
	zr, err := zlib.NewReader(bytes.NewReader(obj[data : data+n]))
	if err != nil {
		return obj
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		return obj
	}
	length1 := length1RE.FindSubmatchIndex(dict)
	if length1 != nil {
		// The embedded TrueType subset: a CIDFontType2 maps CIDs to glyphs
		// through /CIDToGIDMap, so its cmap table is dead weight (PDF 32000
		// 9.9: "not needed"), 2–3 KB of every report.
		if slim, ok := dropTables(plain, "cmap"); ok {
			plain = slim
		} else {
			length1 = nil
		}
	}
	var z bytes.Buffer
	// BestCompression pays off on the font and the data; on the long zero
	// runs of a CIDToGIDMap it costs 50 ms for nothing.
	level := zlib.BestCompression
	if len(plain) > 64<<10 && length1 == nil && !bytes.Contains(dict, []byte("/EmbeddedFile")) {
		level = zlib.DefaultCompression
	}
	zw, _ := zlib.NewWriterLevel(&z, level)
	_, _ = zw.Write(plain)
	_ = zw.Close()
	if z.Len() >= n {
		return obj
	}
	var d []byte
	d = append(d, dict[:lm[2]]...)
	d = append(d, strconv.Itoa(z.Len())...)
	d = append(d, dict[lm[3]:]...)
	if length1 != nil {
		if m := length1RE.FindSubmatchIndex(d); m != nil {
			d = append(append(append([]byte(nil), d[:m[2]]...), strconv.Itoa(len(plain))...), d[m[3]:]...)
		}
	}
	var out bytes.Buffer
	out.Grow(len(obj))
	out.Write(d)
	out.WriteString("stream\n")
	out.Write(z.Bytes())
	out.Write(obj[data+n:])
	return out.Bytes()
}

// dropTables rebuilds a TrueType font without the named tables, with the
// directory, alignment and head.checkSumAdjustment as the format wants.
func dropTables(ttf []byte, drop ...string) ([]byte, bool) {
	if len(ttf) < 12 {
		return nil, false
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, false
	}
	type table struct {
		tag  string
		sum  uint32
		data []byte
	}
	var keep []table
	dropped := false
	for i := range n {
		r := ttf[12+16*i:]
		tag := string(r[:4])
		off, length := int(binary.BigEndian.Uint32(r[8:])), int(binary.BigEndian.Uint32(r[12:]))
		if off < 0 || length < 0 || off+length > len(ttf) {
			return nil, false
		}
		if slices.Contains(drop, tag) {
			dropped = true
			continue
		}
		keep = append(keep, table{tag, binary.BigEndian.Uint32(r[4:]), ttf[off : off+length]})
	}
	if !dropped {
		return nil, false
	}
	nt := len(keep)
	entrySelector := bits.Len(uint(nt)) - 1
	searchRange := (1 << entrySelector) * 16
	out := make([]byte, 12+16*nt, len(ttf))
	copy(out, ttf[:4])
	binary.BigEndian.PutUint16(out[4:], uint16(nt))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(nt*16-searchRange))
	headAt := -1
	for i, t := range keep {
		r := out[12+16*i:]
		copy(r[:4], t.tag)
		binary.BigEndian.PutUint32(r[4:], t.sum)
		binary.BigEndian.PutUint32(r[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(r[12:], uint32(len(t.data)))
		if t.tag == "head" && len(t.data) >= 12 {
			headAt = len(out)
		}
		out = append(out, t.data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0)
		var sum uint32
		for i := 0; i+4 <= len(out); i += 4 {
			sum += binary.BigEndian.Uint32(out[i:])
		}
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-sum)
	}
	return out, true
}
