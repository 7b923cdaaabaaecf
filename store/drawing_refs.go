package store

import (
	"bytes"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// A drawing in drawings/ lives as long as a record names it (since schema
// 6): a signature drawn again, or a draft deleted, takes its old drawing
// with it when no other record names that one too, in the same
// transaction.
//
//	drawing_refs/<sha256 of PNG, 32 bytes><inspection id> -> empty
//
// The keys say which records name a drawing: adding and removing one is
// idempotent, so the index never drifts the way a count could. It is
// derived from the records (rebuildDrawingRefs), which also removes the
// drawings no record named before it existed.
var bucketDrawingRefs = []byte("drawing_refs")

// storedDrawings names the drawings of a stored record value (nil: none).
func storedDrawings(v []byte) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	var r struct {
		SignatureDrawings []string `json:"signature_drawings"`
		ReceiptDrawing    string   `json:"receipt_drawing"`
	}
	if err := getJSON(v, &r); err != nil {
		return nil, err
	}
	return append(r.SignatureDrawings, r.ReceiptDrawing), nil
}

// recordDrawings names the drawings of a record about to be stored.
func recordDrawings(r *record) []string {
	return append(append([]string(nil), r.SignatureDrawings...), r.ReceiptDrawing)
}

func drawingRefPrefix(hash string) []byte {
	b, err := hex.DecodeString(hash)
	if err != nil || len(b) != 32 {
		return nil // not a name putDrawing gives: no reference kept
	}
	return b
}

// syncDrawingRefs records that inspection id now names the drawings in
// now instead of those in before ("" entries ignored), and removes every
// drawing it let go of that no other record names.
func syncDrawingRefs(tx *bolt.Tx, id string, before, now []string) error {
	refs := tx.Bucket(bucketDrawingRefs)
	if refs == nil {
		return nil // before migration 6
	}
	has := func(list []string, h string) bool {
		for _, x := range list {
			if x == h {
				return true
			}
		}
		return false
	}
	for _, h := range now {
		if p := drawingRefPrefix(h); p != nil && !has(before, h) {
			if err := refs.Put(append(p, id...), nil); err != nil {
				return err
			}
		}
	}
	for _, h := range before {
		p := drawingRefPrefix(h)
		if p == nil || has(now, h) {
			continue
		}
		if err := refs.Delete(append(bytes.Clone(p), id...)); err != nil {
			return err
		}
		if k, _ := refs.Cursor().Seek(p); k != nil && bytes.HasPrefix(k, p) {
			continue // another record names it
		}
		if err := tx.Bucket(bucketDrawings).Delete([]byte(h)); err != nil {
			return err
		}
	}
	return nil
}

// rebuildDrawingRefs fills drawing_refs/ from the records and removes the
// drawings none of them names (left by signatures drawn again before
// schema 6).
func rebuildDrawingRefs(tx *bolt.Tx) error {
	refs := tx.Bucket(bucketDrawingRefs)
	named := map[string]bool{}
	err := tx.Bucket(bucketInspections).ForEach(func(k, v []byte) error {
		hs, err := storedDrawings(v)
		if err != nil {
			return fmt.Errorf("inspection %s: %w", k, err)
		}
		for _, h := range hs {
			if p := drawingRefPrefix(h); p != nil {
				named[h] = true
				if err := refs.Put(append(p, k...), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	d := tx.Bucket(bucketDrawings)
	if d == nil {
		return nil
	}
	var orphans [][]byte
	_ = d.ForEach(func(k, _ []byte) error {
		if !named[string(k)] {
			orphans = append(orphans, bytes.Clone(k))
		}
		return nil
	})
	for _, k := range orphans {
		if err := d.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
