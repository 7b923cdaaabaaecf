package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// 抽签 records.

// SaveDraw records a 抽签 with its seed and candidates, and writes it to
// the audit log.
func (s *Store) SaveDraw(who string, d *inspect.Draw) error {
	return s.update(func(tx *bolt.Tx) error {
		d.Seq = nextSeq(tx, "draw")
		if d.By == "" {
			d.By = who
		}
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketDraws).Put(u64(d.Seq), v); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "office.draw", fmt.Sprintf("draw/%d", d.Seq), nil, json.RawMessage(v))
	})
}

// Draws lists the recorded draws, oldest first.
func (s *Store) Draws() ([]inspect.Draw, error) {
	var out []inspect.Draw
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDraws).ForEach(func(k, v []byte) error {
			var d inspect.Draw
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("draw %x: %w", k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}
