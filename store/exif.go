package store

import (
	"encoding/binary"
	"strings"
	"time"
)

// exifTakenAt reads when a JPEG was taken: the Exif DateTimeOriginal
// (0x9003, in the Exif sub-IFD) with its OffsetTimeOriginal (0x9011) when
// the camera wrote one, else IFD0's DateTime (0x0132). A time without an
// offset is the camera's local time, read in loc. Zero when there is none.
func exifTakenAt(data []byte, loc *time.Location) time.Time {
	t := exifTIFF(data)
	if t == nil {
		return time.Time{}
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return time.Time{}
	}
	ifd0 := int(bo.Uint32(t[4:]))
	tags0 := readIFD(t, bo, ifd0)
	var original, offset string
	if sub, ok := tags0[0x8769]; ok {
		subTags := readIFD(t, bo, int(sub.value))
		original = asciiTag(t, bo, subTags[0x9003])
		offset = asciiTag(t, bo, subTags[0x9011])
	}
	if original == "" {
		original = asciiTag(t, bo, tags0[0x0132])
	}
	return parseExifTime(original, offset, loc)
}

func parseExifTime(s, offset string, loc *time.Location) time.Time {
	s = strings.TrimSpace(strings.TrimRight(s, "\x00"))
	if len(s) < 19 || strings.HasPrefix(s, "0000") {
		return time.Time{}
	}
	if off := strings.TrimSpace(strings.TrimRight(offset, "\x00")); len(off) == 6 {
		if at, err := time.Parse("2006:01:02 15:04:05-07:00", s[:19]+off); err == nil {
			return at
		}
	}
	at, err := time.ParseInLocation("2006:01:02 15:04:05", s[:19], loc)
	if err != nil {
		return time.Time{}
	}
	return at
}

// exifTIFF finds the TIFF block of a JPEG's APP1 Exif segment.
func exifTIFF(data []byte) []byte {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil
	}
	i := 2
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		if marker == 0xDA || marker == 0xD9 {
			return nil
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if size < 2 || i+2+size > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return seg[6:]
		}
		i += 2 + size
	}
	return nil
}

type ifdEntry struct {
	typ   uint16
	count uint32
	value uint32 // the value itself when it fits 4 bytes, else its offset
}

// readIFD reads one IFD's entries, by tag; an IFD out of bounds is empty.
func readIFD(t []byte, bo binary.ByteOrder, off int) map[uint16]ifdEntry {
	out := map[uint16]ifdEntry{}
	if off < 8 || off+2 > len(t) {
		return out
	}
	n := int(bo.Uint16(t[off:]))
	for k := 0; k < n && k < 512; k++ {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		out[bo.Uint16(t[e:])] = ifdEntry{typ: bo.Uint16(t[e+2:]), count: bo.Uint32(t[e+4:]), value: bo.Uint32(t[e+8:])}
	}
	return out
}

// asciiTag is the text of an ASCII entry ("" when absent or out of bounds).
func asciiTag(t []byte, bo binary.ByteOrder, e ifdEntry) string {
	if e.typ != 2 || e.count == 0 || e.count > 64 {
		return ""
	}
	n := int(e.count)
	if n <= 4 {
		var b [4]byte
		bo.PutUint32(b[:], e.value)
		return string(b[:n])
	}
	off := int(e.value)
	if off < 0 || off+n > len(t) {
		return ""
	}
	return string(t[off : off+n])
}

// PhotoTakenAt is when photo hash was taken by its EXIF (zero when unknown);
// the report prints it in the photo's caption.
func (s *Store) PhotoTakenAt(hash string) time.Time {
	m, err := s.Photo(hash)
	if err != nil {
		return time.Time{}
	}
	return m.TakenAt
}
