package store

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// The office roster: the unit a report is about (inspect.Roster decides),
// bulk roster imports, and re-resolving the units of reports imported
// before the roster named them.

// roster reads the office's units for matching reports to them.
func (s *Store) roster() (*inspect.Roster, error) {
	var r *inspect.Roster
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = rosterTx(tx)
		return err
	})
	return r, err
}

func rosterTx(tx *bolt.Tx) (*inspect.Roster, error) {
	var units []inspect.Unit
	err := tx.Bucket(bucketUnits).ForEach(func(k, v []byte) error {
		var u inspect.Unit
		if err := json.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("unit %s: %w", k, err)
		}
		units = append(units, u)
		return nil
	})
	return inspect.NewRoster(units), err
}

// reportedUnit is the unit as a stored report names it. Reports imported
// before the result kept the report's own unit id have it from the stored
// inspection.
func reportedUnit(tx *bolt.Tx, r *OfficeReport) (inspect.Unit, error) {
	u := inspect.Unit{ID: r.ReportedUnitID, Department: r.Department, Name: r.UnitName}
	if u.ID != "" {
		return u, nil
	}
	v := tx.Bucket(bucketOfficeInspections).Get([]byte(r.ReportID))
	if v == nil {
		return u, nil
	}
	var rec struct {
		Unit struct {
			ID string `json:"id"`
		} `json:"unit"`
	}
	if err := json.Unmarshal(v, &rec); err != nil {
		return u, fmt.Errorf("report %s: %w", r.ReportID, err)
	}
	u.ID = rec.Unit.ID
	return u, nil
}

// reresolveUnits gives the reports that matched no roster unit when they
// were imported — and those of the units left, the roster units just
// deleted — the unit they match now (inspect.Roster.Reresolve), so that
// reports imported before and after a roster meet on one unit, and replays
// the 回访 of every unit that received reports. Called in the transaction
// that changed the roster. It returns the number of reports moved.
func (s *Store) reresolveUnits(tx *bolt.Tx, who string, left ...string) (int, error) {
	idx := tx.Bucket(bucketIdxOfficeUnit)
	if idx == nil {
		return 0, nil // before migration 3
	}
	var placed []inspect.Placement
	prefixes := [][]byte{[]byte(inspect.UnitKeyPrefix())}
	for _, id := range left {
		prefixes = append(prefixes, []byte(id+"\x00"))
	}
	for _, prefix := range prefixes {
		c := idx.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			unitID, reportID, ok := bytes.Cut(k, []byte{0})
			if !ok {
				continue
			}
			r, err := getOfficeReport(tx, string(reportID))
			if err != nil {
				return 0, err
			}
			u, err := reportedUnit(tx, r)
			if err != nil {
				return 0, err
			}
			placed = append(placed, inspect.Placement{ReportID: r.ReportID, Unit: u, UnitID: string(unitID)})
		}
	}
	if len(placed) == 0 {
		return 0, nil
	}
	roster, err := rosterTx(tx)
	if err != nil {
		return 0, err
	}
	moves := roster.Reresolve(placed)
	targets := map[string]bool{}
	for _, m := range moves {
		r, err := getOfficeReport(tx, m.ReportID)
		if err != nil {
			return 0, err
		}
		r.UnitID = m.To
		for i := range r.Problems {
			r.Problems[i].UnitID = m.To
		}
		if err := putOfficeReport(tx, r); err != nil {
			return 0, err
		}
		if err := idx.Delete(unitIdxKey(m.From, m.ReportID)); err != nil {
			return 0, err
		}
		if err := idx.Put(unitIdxKey(m.To, m.ReportID), nil); err != nil {
			return 0, err
		}
		if err := s.appendAudit(tx, who, "office.unit_resolve", "report/"+m.ReportID,
			map[string]any{"unit_id": m.From}, map[string]any{"unit_id": m.To}); err != nil {
			return 0, err
		}
		targets[m.To] = true
	}
	units := make([]string, 0, len(targets))
	for u := range targets {
		units = append(units, u)
	}
	sort.Strings(units)
	for _, u := range units {
		if _, err := s.applyFollowUps(tx, who, u); err != nil {
			return 0, err
		}
	}
	return len(moves), nil
}

// ImportUnits stores a roster in one transaction: a unit with a known id,
// or else the same department and name as a stored unit, updates it; any
// other is created. Every unit is validated first; one invalid unit stores
// nothing. Reports imported before the roster named their unit join it in
// the same transaction.
func (s *Store) ImportUnits(who string, units []inspect.Unit) (created, updated int, err error) {
	for i := range units {
		if err := units[i].Validate(); err != nil {
			return 0, 0, fmt.Errorf("unit %d (%s): %w", i+1, units[i].Name, err)
		}
	}
	err = s.update(func(tx *bolt.Tx) error {
		created, updated = 0, 0
		existing, err := rosterTx(tx)
		if err != nil {
			return err
		}
		b := tx.Bucket(bucketUnits)
		for i := range units {
			u := units[i]
			u.ID = existing.RowID(u)
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
			existing.Add(u)
			units[i].ID = u.ID
		}
		_, err = s.reresolveUnits(tx, who)
		return err
	})
	return created, updated, err
}
