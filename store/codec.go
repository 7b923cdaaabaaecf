package store

import (
	"bytes"
	"encoding/json"
	"fmt"

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
	// The draft's autosave stores its answers with this one: no entropy
	// coding and no dictionary (the answers repeat their own field names),
	// as entropy tables and copying the dictionary's match table were most
	// of compressing a draft's answers. All 42 answers of the combined
	// template: 17 µs and 539 bytes, against pack's 34 µs and 474 bytes;
	// completing the draft stores them again with pack.
	zstdEncoderLit, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(1<<17),
		zstd.WithNoEntropyCompression(true))
	// The draft's autosave stores its audit entry with this one: the
	// dictionary without entropy coding (Huffman tables were most of
	// compressing an entry of ~500 bytes: 25 → 11 µs, 199 → 224 bytes);
	// completing the draft stores its entries again with pack
	// (repackDraftAudit).
	zstdEncoderDictLit, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true), zstd.WithWindowSize(1<<17),
		zstd.WithEncoderDictRaw(1, []byte(zstdDict1)), zstd.WithNoEntropyCompression(true))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(64<<20),
		zstd.WithDecoderDictRaw(1, []byte(zstdDict1)))
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

// packLit is pack without entropy coding or dictionary (zstdEncoderLit),
// for the draft's autosave; its values read back like pack's.
func packLit(v []byte) []byte {
	if len(v) < packMin {
		return v
	}
	return packWith(zstdEncoderLit, v)
}

// packWith is v in one frame of enc, or v when that is no shorter.
func packWith(enc *zstd.Encoder, v []byte) []byte {
	out := make([]byte, 1, len(v)/2+16)
	out[0] = formatZstd
	out = enc.EncodeAll(v, out)
	if len(out) >= len(v) {
		return v
	}
	return out
}

// packDictLit is pack without entropy coding (zstdEncoderDictLit), for
// the audit entries of a draft's autosave; its values read back like
// pack's.
func packDictLit(v []byte) []byte {
	if len(v) < packMin || len(v) > packNoDict {
		return pack(v)
	}
	return packWith(zstdEncoderDictLit, v)
}

// unpack returns a stored value's JSON. Its result may share memory with
// v, which dies with the transaction: copy what outlives it.
func unpack(v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != formatZstd {
		return v, nil
	}
	out, err := zstdDecoder.DecodeAll(v[1:], nil)
	if err != nil {
		return nil, fmt.Errorf("compressed value: %w", err)
	}
	return out, nil
}

// isPacked reports whether a stored value is compressed.
func isPacked(v []byte) bool { return len(v) > 0 && v[0] == formatZstd }

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
