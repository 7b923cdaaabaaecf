package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AuditEntry is one change: who, when, what, old → new. Hash covers every
// other field and the previous entry's hash, so removing or editing an entry
// breaks the chain.
type AuditEntry struct {
	Seq    uint64          `json:"seq"`
	At     time.Time       `json:"at"`
	Who    string          `json:"who"`
	Action string          `json:"action"` // e.g. "answer.set", "inspection.complete"
	Object string          `json:"object"` // e.g. "inspection/MC-…/SP-01"
	Old    json.RawMessage `json:"old,omitempty"`
	New    json.RawMessage `json:"new,omitempty"`
	Prev   string          `json:"prev"`
	Hash   string          `json:"hash"`
}

func (e *AuditEntry) computeHash() string {
	c := *e
	c.Hash = ""
	b, _ := json.Marshal(&c)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// appendAudit adds an entry inside the caller's transaction.
func (s *Store) appendAudit(tx *bolt.Tx, who, action, object string, old, new any) error {
	b := tx.Bucket(bucketAudit)
	prev := ""
	if k, v := b.Cursor().Last(); k != nil {
		var last AuditEntry
		if err := json.Unmarshal(v, &last); err != nil {
			return fmt.Errorf("audit log tail: %w", err)
		}
		prev = last.Hash
	}
	e := AuditEntry{Seq: nextSeq(tx, "audit"), At: s.Now().UTC(), Who: who, Action: action, Object: object, Prev: prev}
	e.Old = rawJSON(old)
	e.New = rawJSON(new)
	e.Hash = e.computeHash()
	v, err := json.Marshal(&e)
	if err != nil {
		return err
	}
	return b.Put(u64(e.Seq), v)
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
			if err := json.Unmarshal(v, &e); err != nil {
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
			if err := json.Unmarshal(v, &e); err != nil {
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
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			if e.Seq != want {
				return fmt.Errorf("audit log: entry %d missing (found %d)", want, e.Seq)
			}
			if e.Prev != prev {
				return fmt.Errorf("audit log: entry %d does not follow entry %d", e.Seq, e.Seq-1)
			}
			if e.computeHash() != e.Hash {
				return fmt.Errorf("audit log: entry %d was altered", e.Seq)
			}
			prev = e.Hash
			want++
			entries++
			return nil
		})
	})
	return entries, err
}
