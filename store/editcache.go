package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// editCache is the inspection the last edit of this store wrote (or the
// last one it loaded), decoded, with the stored values it was decoded from:
// the record, the answers and the home list's summary. An autosave is one
// answer changed in an inspection of tens; without it every save decoded
// the whole record and answers and encoded every answer again.
//
// It needs no invalidation: an entry is used only when the three values
// stored now are byte for byte the ones it holds, and everything else an
// inspection is made of (template, unit copy, drawings) is stored under
// its content's hash, which the record names. So a write by any other path,
// a rolled-back transaction, a restore or another file simply miss. An
// entry never changes once published; readers and the writer take copies.
//
// The write transaction right after the one that published the entry
// skips the comparison (txid): no commit came between them, so the file
// holds what the entry was made from. That is the autosave's case, and
// the comparison's three lookups were 15–20 µs of an autosave's CPU. A
// transaction that fails drops the entry (update), so that a later
// transaction reusing its id cannot match.
type editCache struct {
	id            string
	txid          int    // the write transaction that published it; 0: always compare
	rec, ans, sum []byte // the stored values, copied out of the file
	in            *inspect.Inspection
	snap          string // the template snapshot's hash
	// header is headerJSON of the inspection with UpdatedAt zero: a draft's
	// autosave compares it, as the time of the change is all it may change.
	header json.RawMessage
	// answers holds each answer's JSON (rawJSON), to store the answers
	// again with only the changed one encoded.
	answers map[string]json.RawMessage
}

// cachedEdit returns the store's entry for id if it matches what tx holds.
func (s *Store) cachedEdit(tx *bolt.Tx, id string) *editCache {
	c := s.lastEdit.Load()
	if c == nil || c.id != id {
		return nil
	}
	if c.txid != 0 && tx.Writable() && tx.ID() == c.txid+1 {
		return c
	}
	key := []byte(id)
	if !bytes.Equal(tx.Bucket(bucketInspections).Get(key), c.rec) {
		return nil
	}
	if v := storedAnswers(tx, id); v == nil || !bytes.Equal(v, c.ans) {
		return nil // nil: a schema-4 file's bucket of answers, read the old way
	}
	if !bytes.Equal(storedSummary(tx, c.in.ObservedAt, id), c.sum) {
		return nil
	}
	return c
}

// loadEdit is the inspection id as tx holds it, from the cache when it
// matches, else loaded; the result is shared and must not change.
func (s *Store) loadEdit(tx *bolt.Tx, id string) (*editCache, error) {
	if c := s.cachedEdit(tx, id); c != nil {
		return c, nil
	}
	in, snap, err := loadInspectionSnap(tx, id)
	if err != nil {
		return nil, err
	}
	return &editCache{id: id, in: in, snap: snap, header: timelessHeader(in), answers: answersJSON(in.Answers)}, nil
}

// answersJSON is each answer's JSON.
func answersJSON(m map[string]*inspect.Answer) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, a := range m {
		out[k] = rawJSON(a)
	}
	return out
}

// remember publishes in (which the caller gives up) as the store's entry,
// with the values tx now holds for it.
func (s *Store) remember(tx *bolt.Tx, in *inspect.Inspection, snap string, header json.RawMessage, answers map[string]json.RawMessage) {
	key := []byte(in.ID)
	rec := tx.Bucket(bucketInspections).Get(key)
	ans := storedAnswers(tx, in.ID)
	if rec == nil || ans == nil {
		s.lastEdit.Store(nil)
		return
	}
	c := &editCache{
		id: in.ID, txid: s.publisher(tx), in: in, snap: snap, header: header, answers: answers,
		rec: bytes.Clone(rec), ans: bytes.Clone(ans),
		sum: bytes.Clone(storedSummary(tx, in.ObservedAt, in.ID)),
	}
	s.lastEdit.Store(c)
}

// rememberSaved publishes in after a draft's autosave, which wrote its
// answers and summary but not its record: base's record and header stay.
func (s *Store) rememberSaved(tx *bolt.Tx, base *editCache, in *inspect.Inspection, answers map[string]json.RawMessage) {
	ans := storedAnswers(tx, in.ID)
	if base.rec == nil || ans == nil {
		s.remember(tx, in, base.snap, base.header, answers)
		return
	}
	s.lastEdit.Store(&editCache{
		id: in.ID, txid: s.publisher(tx), in: in, snap: base.snap, header: base.header, answers: answers,
		rec: base.rec, ans: bytes.Clone(ans),
		sum: bytes.Clone(storedSummary(tx, in.ObservedAt, in.ID)),
	})
}

// sameButAnswers reports whether in differs from old in nothing but its
// answers and UpdatedAt, so that its timelessHeader is old's. Deep
// equality is the cheap test (slices the clone shares compare by pointer);
// false only means the caller compares the headers' JSON.
func sameButAnswers(old, in *inspect.Inspection) bool {
	a, b := *old, *in
	a.Answers, b.Answers = nil, nil
	a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}
	return reflect.DeepEqual(&a, &b)
}

// publisher is the txid an entry made in tx gets: tx's id, or 0 inside a
// Batch (whose transaction's id every edit of the batch shares).
func (s *Store) publisher(tx *bolt.Tx) int {
	if s.batch != nil || !tx.Writable() {
		return 0
	}
	return tx.ID()
}

// forget drops the entry (Close, a failed write transaction).
func (s *Store) forget() { s.lastEdit.Store(nil) }

// timelessHeader is headerJSON with UpdatedAt zero.
func timelessHeader(in *inspect.Inspection) json.RawMessage {
	c := *in
	c.UpdatedAt = time.Time{}
	return headerJSON(&c)
}

// encodeAnswers is json.Marshal of the answers map, from each answer's
// JSON: keys sorted, a nil answer as null, byte for byte the same.
func encodeAnswers(answers map[string]json.RawMessage) []byte {
	keys := make([]string, 0, len(answers))
	n := 2
	for k, v := range answers {
		keys = append(keys, k)
		n += len(k) + len(v) + 8
	}
	sort.Strings(keys)
	out := make([]byte, 0, n)
	out = append(out, '{')
	for i, k := range keys {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendJSONKey(out, k)
		out = append(out, ':')
		if v := answers[k]; v != nil {
			out = append(out, v...)
		} else {
			out = append(out, "null"...)
		}
	}
	return append(out, '}')
}

// appendJSONKey appends json.Marshal(k): item codes are plain ASCII, which
// it quotes as they are; anything else goes through json.Marshal (its
// HTML, control and UTF-8 escapes).
func appendJSONKey(out []byte, k string) []byte {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			kb, _ := json.Marshal(k)
			return append(out, kb...)
		}
	}
	out = append(out, '"')
	out = append(out, k...)
	return append(out, '"')
}

// putAnswersJSON stores the answers from each answer's JSON.
func putAnswersJSON(tx *bolt.Tx, id string, answers map[string]json.RawMessage) error {
	return putAnswersPacked(tx, id, answers, pack)
}

// putAnswersPacked is putAnswersJSON with the given compression (packLit
// for a draft's autosave).
func putAnswersPacked(tx *bolt.Tx, id string, answers map[string]json.RawMessage, pk func([]byte) []byte) error {
	if err := settleDraft(tx, id); err != nil {
		return err
	}
	b := tx.Bucket(bucketAnswers)
	b.FillPercent = appendFill
	return b.Put([]byte(id), pk(encodeAnswers(answers)))
}
