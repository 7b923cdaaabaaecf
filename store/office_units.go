package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// The office roster: matching a report's unit to it and bulk roster imports.

// unitMatch maps a report's unit to the office roster: by id when the
// inspector used the office's roster, else by department and name.
type unitMatch struct {
	ids    map[string]bool
	byName map[string]string
}

func (s *Store) unitMatcher() (*unitMatch, error) {
	units, err := s.Units()
	if err != nil {
		return nil, err
	}
	m := &unitMatch{ids: map[string]bool{}, byName: map[string]string{}}
	for _, u := range units {
		m.ids[u.ID] = true
		m.byName[inspect.UnitKey(u.Department, u.Name)] = u.ID
	}
	return m, nil
}

func (m *unitMatch) resolve(u inspect.Unit) string {
	if u.ID != "" && m.ids[u.ID] {
		return u.ID
	}
	key := inspect.UnitKey(u.Department, u.Name)
	if id, ok := m.byName[key]; ok {
		return id
	}
	// Not on the roster: the name, not the inspector's local id, so that
	// two inspectors' reports of the same unit meet.
	return key
}

// ImportUnits stores a roster in one transaction: a unit with a known id,
// or else the same department and name as a stored unit, updates it; any
// other is created. Every unit is validated first; one invalid unit stores
// nothing.
func (s *Store) ImportUnits(who string, units []inspect.Unit) (created, updated int, err error) {
	for i := range units {
		if err := units[i].Validate(); err != nil {
			return 0, 0, fmt.Errorf("unit %d (%s): %w", i+1, units[i].Name, err)
		}
	}
	existing, err := s.unitMatcher()
	if err != nil {
		return 0, 0, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		created, updated = 0, 0
		b := tx.Bucket(bucketUnits)
		for i := range units {
			u := units[i]
			switch {
			case u.ID != "" && existing.ids[u.ID]:
			case u.ID == "":
				if id, ok := existing.byName[inspect.UnitKey(u.Department, u.Name)]; ok {
					u.ID = id
				}
			}
			if u.ID == "" {
				var b [6]byte
				_, _ = rand.Read(b[:])
				u.ID = "U-" + hex.EncodeToString(b[:])
			}
			old := b.Get([]byte(u.ID))
			nv, err := json.Marshal(&u)
			if err != nil {
				return err
			}
			if bytes.Equal(old, nv) {
				continue
			}
			if old == nil {
				created++
			} else {
				updated++
			}
			old = append([]byte(nil), old...)
			if err := b.Put([]byte(u.ID), nv); err != nil {
				return err
			}
			if err := s.appendAudit(tx, who, "unit.import", "unit/"+u.ID, rawJSON(old), nv); err != nil {
				return err
			}
			existing.ids[u.ID] = true
			existing.byName[inspect.UnitKey(u.Department, u.Name)] = u.ID
			units[i].ID = u.ID
		}
		return nil
	})
	return created, updated, err
}
