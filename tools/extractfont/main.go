// Command extractfont writes one face of a TrueType Collection (.ttc) as a
// standalone TrueType font (.ttf).
//
// gofpdf and Fyne load single sfnt fonts only, and Debian ships WQY MicroHei
// as a collection. This tool makes assets/fonts/wqy-microhei.ttf.gz
// reproducible from the fonts-wqy-microhei package (tools/subsetfont/bundled.sh
// runs it and compresses the result):
//
//	go run ./tools/extractfont -o wqy-microhei.ttf
//
// The face's tables are copied byte for byte into a new sfnt with its own
// table directory, recalculated offsets, 4-byte padding, table checksums and
// head.checkSumAdjustment. Only the standard library is used.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
)

const defaultTTC = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

// checksumMagic is the value the whole font's checksum must reach once
// head.checkSumAdjustment is set (OpenType spec, 'head' table).
const checksumMagic = 0xB1B0AFBA

// headAdjustmentOffset is where checkSumAdjustment sits inside 'head'.
const headAdjustmentOffset = 8

const (
	offsetTableSize = 12 // sfntVersion, numTables, searchRange, entrySelector, rangeShift
	tableRecordSize = 16 // tag, checksum, offset, length
)

func main() {
	in := flag.String("in", defaultTTC, "TrueType Collection to read")
	index := flag.Int("index", 0, "index of the face to extract (0 is the first)")
	out := flag.String("o", "", "TrueType font to write (required)")
	flag.Parse()

	if err := run(*in, *index, *out); err != nil {
		fmt.Fprintln(os.Stderr, "extractfont:", err)
		os.Exit(1)
	}
}

func run(in string, index int, out string) error {
	if out == "" {
		return errors.New("missing -o: name the .ttf file to write")
	}
	ttc, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	ttf, err := ExtractFace(ttc, index)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if err := os.WriteFile(out, ttf, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: face %d of %s, %d bytes\n", out, index, in, len(ttf))
	return nil
}

// table is one sfnt table: its tag and its bytes (unpadded).
type table struct {
	tag  string
	data []byte
}

// ExtractFace returns face index of the TrueType Collection ttc as a
// standalone sfnt font.
func ExtractFace(ttc []byte, index int) ([]byte, error) {
	offsets, err := collectionOffsets(ttc)
	if err != nil {
		return nil, err
	}
	if index < 0 || index >= len(offsets) {
		return nil, fmt.Errorf("face %d out of range: the collection has %d", index, len(offsets))
	}
	version, tables, err := readOffsetTable(ttc, offsets[index])
	if err != nil {
		return nil, fmt.Errorf("face %d: %w", index, err)
	}
	return buildSFNT(version, tables)
}

// collectionOffsets parses the TTC header and returns the offset of each
// face's offset table. Versions 1 and 2 share this layout; version 2 only
// appends DSIG fields, which do not apply to a single extracted face.
func collectionOffsets(ttc []byte) ([]uint32, error) {
	if len(ttc) < 12 {
		return nil, errors.New("too short for a TrueType Collection header")
	}
	if string(ttc[:4]) != "ttcf" {
		return nil, fmt.Errorf("not a TrueType Collection (tag %q, want \"ttcf\")", ttc[:4])
	}
	major := binary.BigEndian.Uint16(ttc[4:])
	if major != 1 && major != 2 {
		return nil, fmt.Errorf("unsupported TTC version %d", major)
	}
	n := binary.BigEndian.Uint32(ttc[8:])
	if n == 0 {
		return nil, errors.New("collection holds no fonts")
	}
	if uint64(n)*4 > uint64(len(ttc)-12) {
		return nil, fmt.Errorf("header claims %d fonts, more than the file can hold", n)
	}
	offsets := make([]uint32, n)
	for i := range offsets {
		offsets[i] = binary.BigEndian.Uint32(ttc[12+4*i:])
	}
	return offsets, nil
}

// readOffsetTable reads the offset table at off and returns the sfnt version
// and every table it references. In a collection table offsets count from
// the start of the file.
func readOffsetTable(file []byte, off uint32) (uint32, []table, error) {
	if uint64(off)+offsetTableSize > uint64(len(file)) {
		return 0, nil, fmt.Errorf("offset table at %d lies beyond the end of the file", off)
	}
	head := file[off:]
	version := binary.BigEndian.Uint32(head)
	if version != 0x00010000 && version != 0x74727565 /* 'true' */ && version != 0x4F54544F /* 'OTTO' */ {
		return 0, nil, fmt.Errorf("unknown sfnt version %#08x", version)
	}
	numTables := int(binary.BigEndian.Uint16(head[4:]))
	if numTables == 0 {
		return 0, nil, errors.New("font has no tables")
	}
	if offsetTableSize+numTables*tableRecordSize > len(head) {
		return 0, nil, fmt.Errorf("table directory of %d tables runs past the end of the file", numTables)
	}
	tables := make([]table, numTables)
	seen := make(map[string]bool, numTables)
	for i := range tables {
		rec := head[offsetTableSize+i*tableRecordSize:]
		tag := string(rec[:4])
		start := binary.BigEndian.Uint32(rec[8:])
		length := binary.BigEndian.Uint32(rec[12:])
		if uint64(start)+uint64(length) > uint64(len(file)) {
			return 0, nil, fmt.Errorf("table %q (%d bytes at %d) runs past the end of the file", tag, length, start)
		}
		if seen[tag] {
			return 0, nil, fmt.Errorf("table %q listed twice", tag)
		}
		seen[tag] = true
		tables[i] = table{tag: tag, data: file[start : start+length]}
	}
	return version, tables, nil
}

// buildSFNT lays out a new font: the offset table, table records sorted by
// tag (the spec requires it for binary search), then each table's data on a
// 4-byte boundary, zero-padded.
func buildSFNT(version uint32, tables []table) ([]byte, error) {
	tables = append([]table(nil), tables...)
	sort.Slice(tables, func(i, j int) bool { return tables[i].tag < tables[j].tag })

	n := len(tables)
	size := offsetTableSize + n*tableRecordSize
	for _, t := range tables {
		size += pad4(len(t.data))
	}
	if uint64(size) > math.MaxUint32 {
		return nil, fmt.Errorf("font of %d bytes exceeds the sfnt 32-bit offsets", size)
	}
	out := make([]byte, size)

	searchRange, entrySelector := 1, 0
	for searchRange*2 <= n {
		searchRange *= 2
		entrySelector++
	}
	searchRange *= tableRecordSize
	binary.BigEndian.PutUint32(out[0:], version)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(n*tableRecordSize-searchRange))

	headAt := -1
	pos := offsetTableSize + n*tableRecordSize
	for i, t := range tables {
		copy(out[pos:], t.data)
		if t.tag == "head" {
			if len(t.data) < headAdjustmentOffset+4 {
				return nil, fmt.Errorf("head table too short (%d bytes)", len(t.data))
			}
			headAt = pos
			// The head checksum is taken with checkSumAdjustment zeroed.
			binary.BigEndian.PutUint32(out[pos+headAdjustmentOffset:], 0)
		}
		rec := out[offsetTableSize+i*tableRecordSize:]
		copy(rec[:4], t.tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(out[pos:pos+pad4(len(t.data))]))
		binary.BigEndian.PutUint32(rec[8:], uint32(pos))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t.data)))
		pos += pad4(len(t.data))
	}
	if headAt < 0 {
		return nil, errors.New("font has no head table")
	}
	binary.BigEndian.PutUint32(out[headAt+headAdjustmentOffset:], checksumMagic-checksum(out))
	return out, nil
}

// checksum sums b as big-endian uint32 words, the last one zero-padded.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

func pad4(n int) int { return (n + 3) &^ 3 }
