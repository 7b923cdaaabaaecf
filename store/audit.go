package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// AuditEntry is one change: who, when, what, old → new. Hash covers every
// other field and the previous entry's hash, so removing or editing an entry
// breaks the chain.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"` // e.g. "answer.set", "inspection.complete"
	Object string    `json:"object"` // e.g. "inspection/MC-…/SP-01"
	// Form "diff": Old and New hold only what changed (the fields of the
	// record that differ; in a list of records with ids, the records that
	// differ). Entries written before (Form "") hold two full copies; both
	// forms hash and verify alike.
	Form string          `json:"form,omitempty"`
	Old  json.RawMessage `json:"old,omitempty"`
	New  json.RawMessage `json:"new,omitempty"`
	Prev string          `json:"prev"`
	Hash string          `json:"hash"`
}

func (e *AuditEntry) computeHash() string {
	c := *e
	c.Hash = ""
	b, _ := json.Marshal(&c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sealed sets e.Hash and returns e's JSON, marshalled once: the JSON with
// an empty hash, which the hash covers, ends in "hash":""}, and the hash
// (hex, nothing to escape) goes in there; the result is json.Marshal(e)'s.
func (e *AuditEntry) sealed() ([]byte, error) {
	e.Hash = ""
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	const tail = `"hash":""}`
	if !bytes.HasSuffix(b, []byte(tail)) {
		return nil, fmt.Errorf("audit entry: unexpected JSON %q", b[max(0, len(b)-len(tail)):])
	}
	sum := sha256.Sum256(b)
	e.Hash = hex.EncodeToString(sum[:])
	out := make([]byte, 0, len(b)+len(e.Hash))
	out = append(out, b[:len(b)-2]...)
	out = append(out, e.Hash...)
	return append(out, `"}`...), nil
}

// appendAudit adds an entry inside the caller's transaction.
func (s *Store) appendAudit(tx *bolt.Tx, who, action, object string, old, new any) error {
	return s.appendAuditForm(tx, who, action, object, "", old, new)
}

func (s *Store) appendAuditForm(tx *bolt.Tx, who, action, object, form string, old, new any) error {
	return s.appendAuditPacked(tx, who, action, object, form, old, new, pack)
}

// appendAuditPacked is appendAuditForm storing the entry with pk
// (packDictLit for a draft's autosave). The hash is the entry's JSON's,
// whatever its frame.
func (s *Store) appendAuditPacked(tx *bolt.Tx, who, action, object, form string, old, new any, pk func([]byte) []byte) error {
	b := tx.Bucket(bucketAudit)
	b.FillPercent = 1 // keys only ever grow: full pages, not bbolt's half-full splits
	prev := ""
	if k, v := b.Cursor().Last(); k != nil {
		var ok bool
		if prev, ok = auditTail.hashOf(v); !ok {
			var last AuditEntry
			if err := getJSON(v, &last); err != nil {
				return fmt.Errorf("audit log tail: %w", err)
			}
			prev = last.Hash
		}
	}
	e := AuditEntry{Seq: nextSeq(tx, "audit"), At: s.Now().UTC(), Who: who, Action: action, Object: object, Form: form, Prev: prev}
	e.Old = rawJSON(old)
	e.New = rawJSON(new)
	v, err := e.sealed()
	if err != nil {
		return err
	}
	stored := pk(v)
	if err := b.Put(u64(e.Seq), stored); err != nil {
		return err
	}
	auditTail.remember(stored, e.Hash)
	return nil
}

// repackDraftAudit stores again with pack the audit entries of draft id's
// answers its autosaves stored with packDictLit, when the draft is
// completed: the entries since its creation (from the log's end back to
// its inspection.create entry, or to the first entry older than created),
// so that a completed inspection's entries are byte for byte what pack
// stores. The entries' JSON, and so the chain, is unchanged.
func repackDraftAudit(tx *bolt.Tx, id string, created time.Time) error {
	b := tx.Bucket(bucketAudit)
	b.FillPercent = 1
	record, prefix := "inspection/"+id, "inspection/"+id+"/"
	var keys, vals [][]byte
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		j, err := unpack(v)
		if err != nil {
			return fmt.Errorf("audit entry %x: %w", k, err)
		}
		var e struct {
			At     time.Time `json:"at"`
			Action string    `json:"action"`
			Object string    `json:"object"`
		}
		if err := json.Unmarshal(j, &e); err != nil {
			return fmt.Errorf("audit entry %x: %w", k, err)
		}
		if (e.Object == record && e.Action == "inspection.create") || e.At.Before(created) {
			break
		}
		if !strings.HasPrefix(e.Object, prefix) {
			continue
		}
		if nv := pack(j); !bytes.Equal(nv, v) {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, nv)
		}
	}
	for i := range keys {
		if err := b.Put(keys[i], vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// auditTail is the last audit entry this process wrote, as stored, with its
// hash: the next entry needs the hash, and decoding the tail was a good
// part of an autosave's CPU. Stored bytes equal to these are this entry
// (they hold its hash), whatever file or transaction they come from, so a
// rolled-back transaction cannot mislead it.
var auditTail tailCache

type tailCache struct {
	mu     sync.Mutex
	stored []byte
	hash   string
}

func (c *tailCache) hashOf(v []byte) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stored == nil || !bytes.Equal(c.stored, v) {
		return "", false
	}
	return c.hash, true
}

func (c *tailCache) remember(stored []byte, hash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stored, c.hash = stored, hash
}

// appendAuditDiff records the change from old to new (JSON objects) as
// its changed fields only; nothing is written when nothing changed.
func (s *Store) appendAuditDiff(tx *bolt.Tx, who, action, object string, old, new json.RawMessage) error {
	o, n, ok := jsonDiff(old, new)
	if !ok {
		return s.appendAudit(tx, who, action, object, old, new)
	}
	return s.appendAuditForm(tx, who, action, object, "diff", o, n)
}

// appendAuditChange is appendAuditDiff for a record that may be new (old
// empty: the new record whole).
func (s *Store) appendAuditChange(tx *bolt.Tx, who, action, object string, old, new json.RawMessage) error {
	if len(old) == 0 {
		return s.appendAudit(tx, who, action, object, nil, new)
	}
	return s.appendAuditDiff(tx, who, action, object, old, new)
}

// jsonDiff returns the top-level fields of two JSON objects that differ,
// as two objects; a list of objects with an "id" field is narrowed to the
// objects that differ (added: only in new; removed: only in old). ok is
// false when either side is not an object.
func jsonDiff(old, new json.RawMessage) (o, n json.RawMessage, ok bool) {
	var om, nm map[string]json.RawMessage
	if json.Unmarshal(old, &om) != nil || json.Unmarshal(new, &nm) != nil || om == nil || nm == nil {
		return nil, nil, false
	}
	od, nd := map[string]json.RawMessage{}, map[string]json.RawMessage{}
	for k, ov := range om {
		nv, in := nm[k]
		switch {
		case !in:
			od[k] = ov
		case !bytes.Equal(ov, nv):
			if a, b, ok := listDiff(ov, nv); ok {
				od[k], nd[k] = a, b
			} else {
				od[k], nd[k] = ov, nv
			}
		}
	}
	for k, nv := range nm {
		if _, in := om[k]; !in {
			nd[k] = nv
		}
	}
	ob, _ := json.Marshal(od)
	nb, _ := json.Marshal(nd)
	return ob, nb, true
}

// listDiff narrows two JSON lists of objects with ids to the objects that
// differ.
func listDiff(old, new json.RawMessage) (o, n json.RawMessage, ok bool) {
	var ol, nl []json.RawMessage
	if json.Unmarshal(old, &ol) != nil || json.Unmarshal(new, &nl) != nil {
		return nil, nil, false
	}
	id := func(v json.RawMessage) (string, bool) {
		var x struct {
			ID *string `json:"id"`
		}
		if json.Unmarshal(v, &x) != nil || x.ID == nil {
			return "", false
		}
		return *x.ID, true
	}
	oi := map[string]json.RawMessage{}
	for _, v := range ol {
		k, ok := id(v)
		if !ok {
			return nil, nil, false
		}
		oi[k] = v
	}
	ni := map[string]json.RawMessage{}
	for _, v := range nl {
		k, ok := id(v)
		if !ok {
			return nil, nil, false
		}
		ni[k] = v
	}
	od, nd := []json.RawMessage{}, []json.RawMessage{}
	for _, v := range ol {
		k, _ := id(v)
		if nv, in := ni[k]; !in || !bytes.Equal(nv, v) {
			od = append(od, v)
		}
	}
	for _, v := range nl {
		k, _ := id(v)
		if ov, in := oi[k]; !in || !bytes.Equal(ov, v) {
			nd = append(nd, v)
		}
	}
	ob, _ := json.Marshal(od)
	nb, _ := json.Marshal(nd)
	return ob, nb, true
}

func rawJSON(v any) json.RawMessage {
	switch x := v.(type) {
	case nil:
		return nil
	case json.RawMessage:
		return x
	case []byte:
		if x == nil {
			return nil
		}
		return json.RawMessage(x)
	}
	b, err := json.Marshal(v)
	if err != nil || bytes.Equal(b, []byte("null")) {
		return nil
	}
	return b
}

// Audit returns up to limit entries with Seq > after, oldest first.
func (s *Store) Audit(after uint64, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Seek(u64(after + 1)); k != nil && (limit <= 0 || len(out) < limit); k, v = c.Next() {
			var e AuditEntry
			if err := getJSON(v, &e); err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// AuditFor returns the entries whose object starts with prefix, oldest first.
func (s *Store) AuditFor(prefix string) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e AuditEntry
			if err := getJSON(v, &e); err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			if len(e.Object) >= len(prefix) && e.Object[:len(prefix)] == prefix {
				out = append(out, e)
			}
			return nil
		})
	})
	return out, err
}

// VerifyAudit walks the chain and reports the first broken link.
func (s *Store) VerifyAudit() (entries int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		prev := ""
		var want uint64 = 1
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e AuditEntry
			if err := getJSON(v, &e); err != nil {
				seq := uint64(0)
				if len(k) == 8 {
					seq = binary.BigEndian.Uint64(k)
				}
				return inspect.Errorf(inspect.ECodeInvalid, "audit.unreadable", map[string]any{"Seq": seq},
					"audit log: entry %d cannot be read (%v)", seq, err)
			}
			if e.Seq != want {
				return inspect.Errorf(inspect.ECodeInvalid, "audit.missing", map[string]any{"Seq": want, "Found": e.Seq},
					"audit log: entry %d is missing (the next is %d)", want, e.Seq)
			}
			if e.Prev != prev {
				return inspect.Errorf(inspect.ECodeInvalid, "audit.unlinked", map[string]any{"Seq": e.Seq, "Prev": e.Seq - 1},
					"audit log: entry %d does not follow entry %d", e.Seq, e.Seq-1)
			}
			if e.computeHash() != e.Hash {
				return inspect.Errorf(inspect.ECodeInvalid, "audit.altered", map[string]any{"Seq": e.Seq},
					"audit log: entry %d was altered (it does not match its hash)", e.Seq)
			}
			prev = e.Hash
			want++
			entries++
			return nil
		})
	})
	return entries, err
}
