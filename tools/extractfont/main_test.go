package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// sfntTable is a parsed table record of an extracted font.
type sfntTable struct {
	tag              string
	sum, off, length uint32
}

// verifySFNT parses a standalone sfnt the way a font loader would and
// reports every broken invariant: directory fields, sorted tags, aligned
// tables packed inside the file, zero padding, every table checksum and
// head.checkSumAdjustment. It returns tag → table bytes.
func verifySFNT(font []byte) (map[string][]byte, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if len(font) < offsetTableSize {
		return nil, fmt.Errorf("font of %d bytes has no offset table", len(font))
	}
	switch v := binary.BigEndian.Uint32(font); v {
	case 0x00010000, 0x74727565, 0x4F54544F: // TrueType, 'true', 'OTTO'
	default:
		fail("sfnt version %#08x", v)
	}
	n := int(binary.BigEndian.Uint16(font[4:]))
	sr := int(binary.BigEndian.Uint16(font[6:]))
	es := int(binary.BigEndian.Uint16(font[8:]))
	rs := int(binary.BigEndian.Uint16(font[10:]))
	// searchRange = 16 × the largest power of two ≤ numTables.
	if p := 1 << es; p > n || 2*p <= n || sr != 16*p || rs != 16*n-sr {
		fail("numTables %d: searchRange %d, entrySelector %d, rangeShift %d are inconsistent", n, sr, es, rs)
	}
	dirEnd := offsetTableSize + n*tableRecordSize
	if dirEnd > len(font) {
		return nil, fmt.Errorf("directory of %d tables runs past the %d-byte font", n, len(font))
	}

	recs := make([]sfntTable, n)
	for i := range recs {
		r := font[offsetTableSize+i*tableRecordSize:]
		recs[i] = sfntTable{
			tag:    string(r[:4]),
			sum:    binary.BigEndian.Uint32(r[4:]),
			off:    binary.BigEndian.Uint32(r[8:]),
			length: binary.BigEndian.Uint32(r[12:]),
		}
	}

	tables := make(map[string][]byte, n)
	headAt := -1
	next := uint64(dirEnd) // the extractor packs tables in directory order
	for i, r := range recs {
		if i > 0 && recs[i-1].tag >= r.tag {
			fail("table records not sorted: %q before %q", recs[i-1].tag, r.tag)
		}
		if r.off%4 != 0 {
			fail("table %q at unaligned offset %d", r.tag, r.off)
		}
		if uint64(r.off) != next {
			fail("table %q at %d, want %d (gap or overlap)", r.tag, r.off, next)
		}
		end := uint64(r.off) + uint64(pad4(int(r.length)))
		if end > uint64(len(font)) {
			return nil, errors.Join(append(errs, fmt.Errorf("table %q (%d bytes at %d) runs past the %d-byte font", r.tag, r.length, r.off, len(font)))...)
		}
		for _, b := range font[uint64(r.off)+uint64(r.length) : end] {
			if b != 0 {
				fail("table %q: padding is not zero", r.tag)
				break
			}
		}
		padded := append([]byte(nil), font[r.off:end]...)
		if r.tag == "head" {
			if r.length < headAdjustmentOffset+4 {
				return nil, errors.Join(append(errs, fmt.Errorf("head table of %d bytes", r.length))...)
			}
			headAt = int(r.off)
			binary.BigEndian.PutUint32(padded[headAdjustmentOffset:], 0)
		}
		if got := checksum(padded); got != r.sum {
			fail("table %q: directory checksum %#08x, computed %#08x", r.tag, r.sum, got)
		}
		tables[r.tag] = font[r.off : uint64(r.off)+uint64(r.length)]
		next = end
	}
	if next != uint64(len(font)) {
		fail("%d trailing bytes after the last table", uint64(len(font))-next)
	}

	if headAt < 0 {
		return nil, errors.Join(append(errs, errors.New("no head table"))...)
	}
	adj := binary.BigEndian.Uint32(font[headAt+headAdjustmentOffset:])
	zeroed := append([]byte(nil), font...)
	binary.BigEndian.PutUint32(zeroed[headAt+headAdjustmentOffset:], 0)
	if want := uint32(checksumMagic) - checksum(zeroed); adj != want {
		fail("head.checkSumAdjustment %#08x, want %#08x", adj, want)
	}
	if got := checksum(font); got != checksumMagic {
		fail("whole-font checksum %#08x, want %#08x", got, uint32(checksumMagic))
	}
	return tables, errors.Join(errs...)
}

func mustVerifySFNT(t *testing.T, font []byte) map[string][]byte {
	t.Helper()
	tables, err := verifySFNT(font)
	if err != nil {
		t.Fatalf("extracted font does not verify:\n%v", err)
	}
	return tables
}

// synthFace is one face of a synthetic collection: tag → table bytes.
type synthFace map[string][]byte

// buildTTC writes a version 1 collection. Tables with identical bytes are
// stored once and shared between faces, as in real collections; data is
// deliberately left unaligned and records unsorted, so that the extractor
// has to realign and sort.
func buildTTC(faces []synthFace, order [][]string) []byte {
	var buf bytes.Buffer
	buf.WriteString("ttcf")
	binary.Write(&buf, binary.BigEndian, uint16(1))
	binary.Write(&buf, binary.BigEndian, uint16(0))
	binary.Write(&buf, binary.BigEndian, uint32(len(faces)))
	dirAt := buf.Len()
	buf.Write(make([]byte, 4*len(faces)))

	// Table data first, one odd byte ahead to unalign everything.
	buf.WriteByte(0xEE)
	stored := map[string]uint32{}
	for i := range faces {
		for _, tag := range order[i] {
			data := faces[i][tag]
			if _, ok := stored[string(data)]; ok {
				continue
			}
			stored[string(data)] = uint32(buf.Len())
			buf.Write(data)
		}
	}

	out := buf.Bytes()
	for i, f := range faces {
		at := uint32(len(out))
		binary.BigEndian.PutUint32(out[dirAt+4*i:], at)
		var dir bytes.Buffer
		binary.Write(&dir, binary.BigEndian, uint32(0x00010000))
		binary.Write(&dir, binary.BigEndian, uint16(len(f)))
		// Deliberately wrong search fields: the extractor recomputes them.
		dir.Write(make([]byte, 6))
		for _, tag := range order[i] {
			dir.WriteString(tag)
			binary.Write(&dir, binary.BigEndian, uint32(0xDEADBEEF)) // stale checksum
			binary.Write(&dir, binary.BigEndian, stored[string(f[tag])])
			binary.Write(&dir, binary.BigEndian, uint32(len(f[tag])))
		}
		out = append(out, dir.Bytes()...)
	}
	return out
}

func synthHead(marker byte) []byte {
	head := make([]byte, 54)
	binary.BigEndian.PutUint32(head[0:], 0x00010000)
	binary.BigEndian.PutUint32(head[headAdjustmentOffset:], 0x12345678) // stale adjustment
	binary.BigEndian.PutUint32(head[12:], 0x5F0F3CF5)                   // magicNumber
	head[53] = marker
	return head
}

func TestExtractFaceSynthetic(t *testing.T) {
	shared := []byte("glyph outlines, shared by both faces") // 36 bytes
	faces := []synthFace{
		{
			"head": synthHead(1),
			"glyf": shared,
			"cmap": []byte("cmap-0"),       // 6 bytes: needs padding
			"name": []byte("MicroHei\x00"), // 9 bytes
			"OS/2": []byte{1, 2, 3},
		},
		{
			"head": synthHead(2),
			"glyf": shared,
			"cmap": []byte("cmap-one"),
			"name": []byte("MicroHei Mono"),
		},
	}
	order := [][]string{
		{"name", "head", "glyf", "OS/2", "cmap"},
		{"glyf", "cmap", "head", "name"},
	}
	ttc := buildTTC(faces, order)

	for i, face := range faces {
		font, err := ExtractFace(ttc, i)
		if err != nil {
			t.Fatalf("face %d: %v", i, err)
		}
		tables := mustVerifySFNT(t, font)
		if len(tables) != len(face) {
			t.Errorf("face %d: %d tables, want %d", i, len(tables), len(face))
		}
		for tag, want := range face {
			got, ok := tables[tag]
			if !ok {
				t.Errorf("face %d: table %q missing", i, tag)
				continue
			}
			if tag == "head" {
				// Everything but checkSumAdjustment is copied unchanged.
				got = append([]byte(nil), got...)
				binary.BigEndian.PutUint32(got[headAdjustmentOffset:], 0x12345678)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("face %d: table %q = %q, want %q", i, tag, got, want)
			}
		}
	}

	// Extraction is a pure function of its input: the committed TTF is
	// reproducible.
	a, _ := ExtractFace(ttc, 0)
	b, _ := ExtractFace(ttc, 0)
	if !bytes.Equal(a, b) {
		t.Error("two extractions of the same face differ")
	}
}

// TestVerifySFNTDetectsDamage makes sure the checker above would notice
// the mistakes an extractor can make, so its passing means something.
func TestVerifySFNTDetectsDamage(t *testing.T) {
	ttc := buildTTC([]synthFace{{
		"head": synthHead(0),
		"glyf": []byte("outline"),
		"cmap": []byte("map"),
	}}, [][]string{{"head", "glyf", "cmap"}})
	font, err := ExtractFace(ttc, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifySFNT(font); err != nil {
		t.Fatalf("undamaged font: %v", err)
	}
	// Directory: cmap, glyf, head; data starts after 12+3*16 = 60 bytes.
	damage := []struct {
		name string
		edit func(b []byte)
	}{
		{"table byte", func(b []byte) { b[60+4] ^= 1 }},                                    // glyf data
		{"padding", func(b []byte) { b[60+3] = 1 }},                                        // after "map"
		{"table checksum", func(b []byte) { b[12+16+4] ^= 1 }},                             // glyf record
		{"checkSumAdjustment", func(b []byte) { b[60+4+8+headAdjustmentOffset] ^= 1 }},     // head
		{"searchRange", func(b []byte) { binary.BigEndian.PutUint16(b[6:], 48) }},          // offset table
		{"unsorted", func(b []byte) { copy(b[12:16], "zzzz") }},                            // cmap record
		{"misaligned offset", func(b []byte) { binary.BigEndian.PutUint32(b[12+8:], 61) }}, // cmap record
	}
	for _, d := range damage {
		t.Run(d.name, func(t *testing.T) {
			b := append([]byte(nil), font...)
			d.edit(b)
			if _, err := verifySFNT(b); err == nil {
				t.Error("damage not detected")
			}
		})
	}
}

func TestExtractFaceErrors(t *testing.T) {
	good := buildTTC([]synthFace{{"head": synthHead(0)}}, [][]string{{"head"}})
	noHead := buildTTC([]synthFace{{"glyf": []byte("x")}}, [][]string{{"glyf"}})
	truncated := append([]byte(nil), good...)
	// Make the last (head) record claim 1 MiB, more than the file holds.
	binary.BigEndian.PutUint32(truncated[len(truncated)-4:], 1<<20)

	tests := []struct {
		name  string
		ttc   []byte
		index int
	}{
		{"empty", nil, 0},
		{"plain ttf", []byte("\x00\x01\x00\x00\x00\x01\x00\x10\x00\x00\x00\x00"), 0},
		{"index past end", good, 1},
		{"negative index", good, -1},
		{"no head", noHead, 0},
		{"table past end", truncated, 0},
		{"too many fonts", []byte("ttcf\x00\x01\x00\x00\xff\xff\xff\xff"), 0},
		{"header only", good[:12], 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ExtractFace(tt.ttc, tt.index); err == nil {
				t.Error("no error")
			}
		})
	}
}

func TestRunWritesFile(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ttc")
	out := filepath.Join(dir, "out.ttf")
	ttc := buildTTC([]synthFace{{"head": synthHead(0), "glyf": []byte("abc")}}, [][]string{{"glyf", "head"}})
	if err := os.WriteFile(in, ttc, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(in, 0, out); err != nil {
		t.Fatal(err)
	}
	font, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	mustVerifySFNT(t, font)
	if err := run(in, 0, ""); err == nil {
		t.Error("run without -o succeeded")
	}
}

// TestExtractFaceWQY extracts the real WQY MicroHei face when Debian's
// fonts-wqy-microhei is installed, and checks that it matches the committed
// asset, so the asset stays reproducible.
func TestExtractFaceWQY(t *testing.T) {
	ttc, err := os.ReadFile(defaultTTC)
	if os.IsNotExist(err) {
		t.Skipf("%s not installed (Debian package fonts-wqy-microhei)", defaultTTC)
	}
	if err != nil {
		t.Fatal(err)
	}
	font, err := ExtractFace(ttc, 0)
	if err != nil {
		t.Fatal(err)
	}
	tables := mustVerifySFNT(t, font)
	for _, tag := range []string{"cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post"} {
		if _, ok := tables[tag]; !ok {
			t.Errorf("required TrueType table %q missing", tag)
		}
	}

	gz, err := os.ReadFile("../../assets/fonts/wqy-microhei.ttf.gz")
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(committed, font) {
		t.Error("assets/fonts/wqy-microhei.ttf.gz differs from a fresh extraction; rerun sh tools/subsetfont/bundled.sh")
	}
}

// FuzzExtractFace: whatever the input, ExtractFace returns an error or a
// font that parses cleanly; it never panics.
func FuzzExtractFace(f *testing.F) {
	f.Add(buildTTC([]synthFace{{"head": synthHead(0), "glyf": []byte("abc")}}, [][]string{{"glyf", "head"}}), 0)
	f.Add([]byte("ttcf\x00\x02\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), 0)
	f.Fuzz(func(t *testing.T, ttc []byte, index int) {
		font, err := ExtractFace(ttc, index)
		if err != nil {
			return
		}
		mustVerifySFNT(t, font)
	})
}
