package store

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// PutUnit creates or updates a unit (assigning an id if it has none);
// imported reports of the unit that matched no roster unit join it.
func (s *Store) PutUnit(who string, u *inspect.Unit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.ID == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		u.ID = "U-" + hex.EncodeToString(b[:])
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnits)
		old := append([]byte(nil), b.Get([]byte(u.ID))...) // bbolt's slice dies with the Put
		nv, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if bytes.Equal(old, nv) {
			return nil
		}
		if err := b.Put([]byte(u.ID), nv); err != nil {
			return err
		}
		if err := s.appendAuditChange(tx, who, "unit.put", "unit/"+u.ID, old, nv); err != nil {
			return err
		}
		// Reports imported before the roster named this unit join it.
		_, err = s.reresolveUnits(tx, who)
		return err
	})
}

// Unit loads one unit.
func (s *Store) Unit(id string) (*inspect.Unit, error) {
	var u inspect.Unit
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketUnits).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("unit %s: %w", id, ErrNotFound)
		}
		return json.Unmarshal(v, &u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Units lists every unit, by department then name.
func (s *Store) Units() ([]inspect.Unit, error) {
	var out []inspect.Unit
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUnits).ForEach(func(k, v []byte) error {
			var u inspect.Unit
			if err := json.Unmarshal(v, &u); err != nil {
				return fmt.Errorf("unit %s: %w", k, err)
			}
			out = append(out, u)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Department != out[j].Department {
			return out[i].Department < out[j].Department
		}
		return out[i].Name < out[j].Name
	})
	return out, err
}

// DeleteUnit removes a unit that no inspection refers to; imported reports
// of it are matched again without it.
func (s *Store) DeleteUnit(who, id string) error {
	p, err := s.ListInspections(Query{UnitID: id, Limit: 1})
	if err != nil {
		return err
	}
	if p.Total > 0 {
		return inspect.Errorf(inspect.ECodeConflict, "store.unit_in_use", map[string]any{"Count": p.Total},
			"the unit has %d inspections and cannot be deleted", p.Total)
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUnits)
		old := b.Get([]byte(id))
		if old == nil {
			return fmt.Errorf("unit %s: %w", id, ErrNotFound)
		}
		old = append([]byte(nil), old...)
		if err := b.Delete([]byte(id)); err != nil {
			return err
		}
		if err := s.appendAudit(tx, who, "unit.delete", "unit/"+id, old, nil); err != nil {
			return err
		}
		// Imported reports of the unit go back to being known by their
		// name, where reports of it imported from now on go too.
		_, err := s.reresolveUnits(tx, who, id)
		return err
	})
}

func verKey(v int) []byte {
	b := make([]byte, 4)
	binary.BigEndian.PutUint32(b, uint32(v))
	return b
}

// PutTemplate stores a template version. A stored version is immutable:
// the same id and version with other content is refused (a change needs a
// new version); storing identical content again is a no-op.
func (s *Store) PutTemplate(who string, t *inspect.Template) error {
	if err := t.Validate(); err != nil {
		return err
	}
	nv, err := json.Marshal(t)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		tb, err := tx.Bucket(bucketTemplates).CreateBucketIfNotExists([]byte(t.ID))
		if err != nil {
			return err
		}
		if old := tb.Get(verKey(t.Version)); old != nil {
			if bytes.Equal(old, nv) {
				return nil
			}
			return inspect.Errorf(inspect.ECodeConflict, "store.template_version_exists",
				map[string]any{"ID": t.ID, "Version": t.Version},
				"template %s version %d already exists with other content; give the change a new version", t.ID, t.Version)
		}
		if err := tb.Put(verKey(t.Version), nv); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "template.put", "template/"+t.Key(), nil, map[string]any{"id": t.ID, "version": t.Version, "title": t.Title})
	})
}

// Template loads a template version; version 0 means the newest.
func (s *Store) Template(id string, version int) (*inspect.Template, error) {
	var t inspect.Template
	err := s.view(func(tx *bolt.Tx) error {
		tb := tx.Bucket(bucketTemplates).Bucket([]byte(id))
		if tb == nil {
			return fmt.Errorf("template %s: %w", id, ErrNotFound)
		}
		var v []byte
		if version == 0 {
			_, v = tb.Cursor().Last()
		} else {
			v = tb.Get(verKey(version))
		}
		if v == nil {
			return fmt.Errorf("template %s version %d: %w", id, version, ErrNotFound)
		}
		return json.Unmarshal(v, &t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// Templates lists the newest version of every template, by title.
func (s *Store) Templates() ([]inspect.Template, error) {
	var out []inspect.Template
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTemplates).ForEachBucket(func(k []byte) error {
			_, v := tx.Bucket(bucketTemplates).Bucket(k).Cursor().Last()
			if v == nil {
				return nil
			}
			var t inspect.Template
			if err := json.Unmarshal(v, &t); err != nil {
				return fmt.Errorf("template %s: %w", k, err)
			}
			out = append(out, t)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// TemplateVersions lists the stored versions of a template, oldest first.
func (s *Store) TemplateVersions(id string) ([]int, error) {
	var out []int
	err := s.view(func(tx *bolt.Tx) error {
		tb := tx.Bucket(bucketTemplates).Bucket([]byte(id))
		if tb == nil {
			return fmt.Errorf("template %s: %w", id, ErrNotFound)
		}
		return tb.ForEach(func(k, _ []byte) error {
			out = append(out, int(binary.BigEndian.Uint32(k)))
			return nil
		})
	})
	return out, err
}

// PutSetting stores a JSON setting (identity, last inspectors, …).
func (s *Store) PutSetting(who, key string, v any) error {
	nv, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		old := b.Get([]byte(key))
		if bytes.Equal(old, nv) {
			return nil
		}
		old = append([]byte(nil), old...)
		if err := b.Put([]byte(key), nv); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "setting.put", "setting/"+key, rawJSON(old), nv)
	})
}

// Setting reads a setting into v; found is false if it was never set.
func (s *Store) Setting(key string, v any) (found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings).Get([]byte(key))
		if b == nil {
			return nil
		}
		found = true
		return json.Unmarshal(b, v)
	})
	return found, err
}
