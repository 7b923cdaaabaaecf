package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
)

// Stored values are JSON, written compressed since schema 5: a value whose
// first byte is formatZstd holds one zstd frame of the JSON. JSON never
// starts with that byte, so a value written before (or a small one left
// plain) reads as it always did. Most values are a few hundred bytes, which
// zstd alone barely shrinks; the frame names dictionary 1, which holds the
// field names and enumerated words every record repeats (never user data),
// so the dictionary is part of the file format: it is frozen, and a
// changed one gets a new id, with every old one kept for reading.
const formatZstd = 0x01

// A draft's autosave (schema 8) stores its answers and their audit entries
// as one S2 block (klauspost/compress/s2: LZ77 without entropy coding,
// made for speed): formatS2 on its own, formatS2Dict1 against dictionary
// 1. Neither byte starts JSON either. Completing the draft stores both
// again with pack (zstd), so that only the drafts being walked hold them.
// zstd without entropy coding, which schema 7 used for the same values
// and which still reads, cost an autosave 27 µs for the audit entry and 20
// µs for the answers when the save ran between two disk waits, as an
// autosave does (pprof of BenchmarkAutosavePaired; 14 and 6 µs in a loop
// of saves without them): most of it resets the encoder's tables, which
// S2 does not have.
const (
	formatS2      = 0x02
	formatS2Dict1 = 0x03
)

// migrateS2 changes nothing: every value of schema 7 reads as it did. The
// version tells a build of schema 7, which cannot read S2 blocks, that the
// file is newer than it.
func migrateS2(*bolt.Tx) error { return nil }

// unpackMax bounds what a stored value may claim to unpack to (zstd's
// decoder has the same bound), so that a damaged value is an error, not a
// huge allocation.
const unpackMax = 64 << 20

// packMin: values shorter than this stay plain (the frame costs ~8 bytes).
const packMin = 48

// packNoDict: longer values are compressed without the dictionary (an
// inspection's answers, ~5 KB, still gain 16% from it).
const packNoDict = 16 << 10

// zstdDict1 is dictionary 1, frozen with schema 5.
const zstdDict1 = `{"item":"","result":"pass","answered_at":"","answered_by":""}` +
	`{"item":"","result":"fail","note":"","photos":[""],"answered_at":"","answered_by":""}` +
	`{"item":"","result":"na","answered_at":"","answered_by":""}` +
	`{"item":"","counted":true,"count":1,"expected":2,"absent":[{"name":"","post":"","reason":"","on_roster":true}],"off_roster":[],"times":[],"number":0,"text":"","choice":"","answered_at":"","answered_by":""}` +
	`{"id":"","unit_id":"","unit":{},"template":{"id":"","version":0,"title":"","full_score":0,"bands":null,"sections":null},"mode":"covert","inspectors":[""],"observed_at":"","place":"","answers":null,` +
	`"findings":[{"id":"","text":"","category":"","deduction":1,"photos":[]}],` +
	`"problems":[{"id":"","inspection_id":"","unit_id":"","item":"","finding":"","category":"","description":"","responsible":"","deadline":"T23:59:59+08:00","state":"open","repeat":true,"repeat_of":[""],"repeat_count":1,"found_at":"","rectified_at":"","verified_at":"","note":""}],` +
	`"signatures":[{"inspector":"","png":null,"signed_at":""}],"status":"signed","amends":"","created_at":"","updated_at":"","completed_at":"","signed_at":"","ended_at":"",` +
	`"receipt":{"name":"","post":"","png":null,"objection":true,"text":"","signed_at":""},"unsigned":[],"template_snapshot":"","unit_snapshot":"","signature_drawings":[""],"receipt_drawing":""}` +
	`{"id":"","name":"","department":"","kind":"window","address":"","staff":[{"name":"","post":"","window":""}]}` +
	`{"id":"","unit_id":"","unit_name":"","department":"","unit_kind":"office","mode":"open","status":"completed","template_title":"","template_key":"@1","inspectors":[""],"observed_at":"","updated_at":"","score":100,"rating":"","veto":true,"answered":0,"total":0,"problems":0,"amends":""}` +
	`{"seq":0,"at":"","who":"","action":"answer.set","object":"inspection/MC-/","form":"diff","old":{"status":"draft","updated_at":""},"new":{"completed_at":"","ended_at":"","problems":[],"status":"completed","updated_at":""},"prev":"","hash":""}` +
	`"action":"inspection.create","action":"inspection.complete","action":"inspection.sign","action":"signature.set","action":"receipt.set","action":"answer.clear","action":"problem.assign","action":"unit.put","action":"photo.add"` +
	`T00:00:00Z","T00:00:00+08:00","2026-01-01T`

var (
	// The fastest level: on values of a few hundred bytes it compresses
	// within 7% of the better ones at a third of their time, most of which
	// is resetting the encoder's tables for each value.
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(1<<17),
		zstd.WithEncoderDictRaw(1, []byte(zstdDict1)))
	// Values of tens of kilobytes (a template in an audit entry) repeat
	// enough of themselves: no dictionary, whose loading is most of a
	// frame's time.
	zstdEncoderNoDict, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(1<<17))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(unpackMax),
		zstd.WithDecoderDictRaw(1, []byte(zstdDict1)))
	// s2Dict1 is dictionary 1 for S2, its first repeat offset fixed (at
	// the audit entry's start) rather than searched for, so that the
	// format does not depend on the library's search.
	s2Dict1 = s2.MakeDictManual([]byte(zstdDict1), uint16(strings.Index(zstdDict1, `{"seq":`)))
)

// pack is how a JSON value is stored.
func pack(v []byte) []byte {
	if len(v) < packMin {
		return v
	}
	out := make([]byte, 1, len(v)/2+16)
	out[0] = formatZstd
	if len(v) > packNoDict {
		out = zstdEncoderNoDict.EncodeAll(v, out)
	} else {
		out = zstdEncoder.EncodeAll(v, out)
	}
	if len(out) >= len(v) {
		return v
	}
	return out
}

// packLit is how a draft's autosave stores its answers: one S2 block
// (formatS2); its values read back like pack's.
func packLit(v []byte) []byte {
	if len(v) < packMin {
		return v
	}
	return packS2(v, formatS2, s2.Encode)
}

// packDictLit is how a draft's autosave stores its audit entries: one S2
// block against dictionary 1 (formatS2Dict1); its values read back like
// pack's.
func packDictLit(v []byte) []byte {
	if len(v) < packMin || len(v) > packNoDict {
		return pack(v)
	}
	return packS2(v, formatS2Dict1, s2Dict1.Encode)
}

// packS2 is v as format and one S2 block of enc, or v when that is no
// shorter.
func packS2(v []byte, format byte, enc func(dst, src []byte) []byte) []byte {
	n := s2.MaxEncodedLen(len(v))
	if n < 0 {
		return pack(v)
	}
	out := make([]byte, 1+n)
	out[0] = format
	n = len(enc(out[1:], v))
	if 1+n >= len(v) {
		return v
	}
	return out[:1+n]
}

// unpack returns a stored value's JSON. Its result may share memory with
// v, which dies with the transaction: copy what outlives it.
func unpack(v []byte) ([]byte, error) {
	if !isPacked(v) {
		return v, nil
	}
	if v[0] != formatZstd {
		n, err := s2.DecodedLen(v[1:])
		if err == nil && n > unpackMax {
			err = fmt.Errorf("%d bytes", n)
		}
		var out []byte
		if err == nil && v[0] == formatS2 {
			out, err = s2.Decode(make([]byte, n), v[1:])
		} else if err == nil {
			out, err = s2Dict1.Decode(make([]byte, n), v[1:])
		}
		if err != nil {
			return nil, fmt.Errorf("compressed value: %w", err)
		}
		return out, nil
	}
	out, err := zstdDecoder.DecodeAll(v[1:], nil)
	if err != nil {
		return nil, fmt.Errorf("compressed value: %w", err)
	}
	return out, nil
}

// isPacked reports whether a stored value is compressed.
func isPacked(v []byte) bool {
	return len(v) > 0 && (v[0] == formatZstd || v[0] == formatS2 || v[0] == formatS2Dict1)
}

// getJSON decodes a stored value into x.
func getJSON(v []byte, x any) error {
	j, err := unpack(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(j, x)
}

// putPacked stores v's JSON, compressed.
func putPacked(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, pack(data))
}

// containsJSON reports whether the stored value's JSON contains sub.
func containsJSON(v, sub []byte) bool {
	j, err := unpack(v)
	return err == nil && bytes.Contains(j, sub)
}
