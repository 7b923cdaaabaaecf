package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"mingcha/inspect"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// migration moves the schema from version-1 to version. Migrations run in
// order, each in its own transaction, after a backup of the file.
//
// A migration works on stored bytes: it creates, copies or rewrites
// buckets and keys with its own frozen view of what the schema before it
// wrote, never through today's domain types or functions — those describe
// the newest schema and change with it, so a migration written against
// them would do something else, on older bytes, every time they changed.
// Derived data that today's code computes from the records (the home
// list's summaries, the per-unit problem index) is not a migration's to
// compute: the migration empties its bucket and marks it for a rebuild,
// and rebuildIndexes recomputes it with today's code once every migration
// has run and the records are in today's form. The mark is stored, so an
// open interrupted between the two rebuilds at the next open.
//
// Each migration has a test that opens a fixture file written by the schema
// before it (testdata/migrations/schemaN.db, with the program that wrote
// it beside it) with today's store.
type migration struct {
	version int
	name    string
	migrate func(tx *bolt.Tx) error
}

var migrations = []migration{
	{1, "base buckets", migrateBaseBuckets},
	{2, "index inspections by observed time", migrateObservedIndex},
	{3, "效能办: imported reports, 整改 states, draws", migrateOffice},
	{4, "index problems by unit", migrateUnitProblems},
	{5, "compressed values; units and drawings stored once; one answers value per inspection", migrateCompactValues},
	{6, "drawings removed with the last record that names them", migrateDrawingRefs},
	{7, "drafts' autosaves kept apart from the inspections' answers and summaries", migrateDrafts},
	{8, "drafts' autosaves stored as S2 blocks", migrateS2},
}

// SchemaVersion is the version this build writes.
var SchemaVersion = migrations[len(migrations)-1].version

func migrateBaseBuckets(tx *bolt.Tx) error {
	for _, name := range []string{"meta", "settings", "units", "templates", "snapshots", "inspections", "answers", "photos", "audit"} {
		b := []byte(name)
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}

// migrateObservedIndex adds the summary index the home list pages
// through, so listing never decodes whole inspections; rebuilt from the
// records by rebuildIndexes.
func migrateObservedIndex(tx *bolt.Tx) error {
	return markRebuild(tx, bucketIdxObserved)
}

// migrateDrawingRefs adds the index of which records name which drawing;
// rebuilt from the records by rebuildIndexes, which also removes the
// drawings no record names.
func migrateDrawingRefs(tx *bolt.Tx) error {
	return markRebuild(tx, bucketDrawingRefs)
}

// migrateUnitProblems adds the per-unit problem index of the completed and
// signed inspections; rebuilt from the records by rebuildIndexes.
func migrateUnitProblems(tx *bolt.Tx) error {
	return markRebuild(tx, bucketUnitProblems)
}

// migrateCompactValues rewrites the bytes schema 4 wrote (plain JSON) as
// schema 5 stores them: every inspection's answers (a bucket of one key per
// item) become one compressed JSON object by item code; an inspection
// record's unit moves to unit_snapshots/ and its drawn signatures and 签收
// (base64 in the record) to drawings/, named by SHA-256, and the record is
// compressed; audit entries are compressed as they are (their hashes cover
// the JSON, not the stored bytes, so the chain verifies as before). The
// summaries and the problem index are rebuilt by today's code.
func migrateCompactValues(tx *bolt.Tx) error {
	units, err := tx.CreateBucketIfNotExists([]byte("unit_snapshots"))
	if err != nil {
		return err
	}
	drawings, err := tx.CreateBucketIfNotExists([]byte("drawings"))
	if err != nil {
		return err
	}
	// Answers: collect, then rewrite (bbolt forbids changes while iterating).
	ab := tx.Bucket([]byte("answers"))
	var ids [][]byte
	_ = ab.ForEachBucket(func(k []byte) error { ids = append(ids, append([]byte(nil), k...)); return nil })
	for _, id := range ids {
		obj := []byte{'{'}
		err := ab.Bucket(id).ForEach(func(code, v []byte) error {
			if len(obj) > 1 {
				obj = append(obj, ',')
			}
			kj, _ := json.Marshal(string(code))
			obj = append(append(append(obj, kj...), ':'), v...)
			return nil
		})
		if err != nil {
			return err
		}
		obj = append(obj, '}')
		if err := ab.DeleteBucket(id); err != nil {
			return err
		}
		if err := ab.Put(id, pack(obj)); err != nil {
			return fmt.Errorf("answers of %s: %w", id, err)
		}
	}
	// Records.
	type kv struct{ k, v []byte }
	var recs []kv
	ib := tx.Bucket([]byte("inspections"))
	_ = ib.ForEach(func(k, v []byte) error {
		recs = append(recs, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		return nil
	})
	for _, r := range recs {
		v, err := compactRecord4(r.v, units, drawings)
		if err != nil {
			return fmt.Errorf("inspection %s: %w", r.k, err)
		}
		if err := ib.Put(r.k, v); err != nil {
			return err
		}
	}
	// Audit entries.
	recs = recs[:0]
	au := tx.Bucket([]byte("audit"))
	_ = au.ForEach(func(k, v []byte) error {
		if !isPacked(v) {
			recs = append(recs, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		}
		return nil
	})
	au.FillPercent = 1
	for _, r := range recs {
		if err := au.Put(r.k, pack(r.v)); err != nil {
			return err
		}
	}
	if err := markRebuild(tx, bucketIdxObserved); err != nil {
		return err
	}
	return markRebuild(tx, bucketUnitProblems)
}

// compactRecord4 is a schema-4 record's JSON as schema 5 stores it.
func compactRecord4(v []byte, units, drawings *bolt.Bucket) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, err
	}
	drawing := func(obj map[string]json.RawMessage) (string, error) {
		var b []byte
		if raw, ok := obj["png"]; ok {
			if err := json.Unmarshal(raw, &b); err != nil {
				return "", err
			}
		}
		obj["png"] = json.RawMessage("null")
		if len(b) == 0 {
			return "", nil
		}
		h := hexSum(b)
		if drawings.Get([]byte(h)) == nil {
			if err := drawings.Put([]byte(h), b); err != nil {
				return "", err
			}
		}
		return h, nil
	}
	put := func(key string, x any) {
		b, _ := json.Marshal(x)
		m[key] = b
	}
	if u, ok := m["unit"]; ok && len(u) > 2 {
		h := hexSum(u)
		if units.Get([]byte(h)) == nil {
			if err := units.Put([]byte(h), u); err != nil {
				return nil, err
			}
		}
		m["unit"] = json.RawMessage("{}")
		put("unit_snapshot", h)
	}
	if raw, ok := m["signatures"]; ok {
		var sigs []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &sigs); err != nil {
			return nil, err
		}
		if len(sigs) > 0 {
			hs := make([]string, len(sigs))
			for i := range sigs {
				h, err := drawing(sigs[i])
				if err != nil {
					return nil, err
				}
				hs[i] = h
			}
			put("signatures", sigs)
			put("signature_drawings", hs)
		}
	}
	if raw, ok := m["receipt"]; ok && string(raw) != "null" {
		var rc map[string]json.RawMessage
		if err := json.Unmarshal(raw, &rc); err != nil {
			return nil, err
		}
		h, err := drawing(rc)
		if err != nil {
			return nil, err
		}
		put("receipt", rc)
		if h != "" {
			put("receipt_drawing", h)
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	return pack(out), nil
}

// markRebuild empties a derived bucket and records that rebuildIndexes must
// fill it.
func markRebuild(tx *bolt.Tx, bucket []byte) error {
	if tx.Bucket(bucket) != nil {
		if err := tx.DeleteBucket(bucket); err != nil {
			return err
		}
	}
	if _, err := tx.CreateBucket(bucket); err != nil {
		return err
	}
	return tx.Bucket(bucketMeta).Put(rebuildKey(bucket), []byte{1})
}

func rebuildKey(bucket []byte) []byte { return append([]byte("rebuild_"), bucket...) }

// derivedIndexes are the buckets today's code computes from the records,
// with how.
var derivedIndexes = []struct {
	bucket  []byte
	rebuild func(tx *bolt.Tx) error
}{
	{bucketIdxObserved, rebuildObservedIndex},
	{bucketUnitProblems, rebuildUnitProblems},
	{bucketDrawingRefs, rebuildDrawingRefs},
}

// rebuildIndexes recomputes, in one transaction, every derived index a
// migration marked.
func (s *Store) rebuildIndexes() error {
	pending := false
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, d := range derivedIndexes {
			if m := tx.Bucket(bucketMeta); m != nil && m.Get(rebuildKey(d.bucket)) != nil {
				pending = true
			}
		}
		return nil
	})
	if err != nil || !pending {
		return err // nothing marked: no write, no fsync at every open
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for _, d := range derivedIndexes {
			if meta.Get(rebuildKey(d.bucket)) == nil {
				continue
			}
			if err := d.rebuild(tx); err != nil {
				return fmt.Errorf("rebuild %s: %w", d.bucket, err)
			}
			if err := meta.Delete(rebuildKey(d.bucket)); err != nil {
				return err
			}
		}
		return nil
	})
}

// rebuildObservedIndex fills the home list's summary index from the
// inspections, with today's summary.
func rebuildObservedIndex(tx *bolt.Tx) error {
	idx := tx.Bucket(bucketIdxObserved)
	return tx.Bucket(bucketInspections).ForEach(func(k, _ []byte) error {
		in, err := loadInspection(tx, string(k))
		if err != nil {
			return fmt.Errorf("inspection %s: %w", k, err)
		}
		sum := summarize(in)
		return putSummary(idx, &sum)
	})
}

// rebuildUnitProblems fills the per-unit problem index from the completed
// and signed inspections.
func rebuildUnitProblems(tx *bolt.Tx) error {
	// The repeat index derives from unit_problems: built again on use.
	if err := tx.DeleteBucket(bucketUnitLatest); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	return tx.Bucket(bucketInspections).ForEach(func(k, _ []byte) error {
		in, err := loadInspection(tx, string(k))
		if err != nil {
			return fmt.Errorf("inspection %s: %w", k, err)
		}
		return syncUnitProblems(tx, in, nil)
	})
}

func schemaVersion(tx *bolt.Tx) int {
	m := tx.Bucket(bucketMeta)
	if m == nil {
		return 0
	}
	v := m.Get(keySchemaVersion)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// migrate runs every migration newer than the file's schema version, then
// rebuilds the derived indexes they marked. A file written by a newer
// Mingcha is refused rather than misread.
func (s *Store) migrate() error {
	if err := s.migrateTo(SchemaVersion); err != nil {
		return err
	}
	return s.rebuildIndexes()
}

func (s *Store) migrateTo(target int) error {
	var current int
	if err := s.view(func(tx *bolt.Tx) error { current = schemaVersion(tx); return nil }); err != nil {
		return err
	}
	if current > SchemaVersion {
		return inspect.Errorf(inspect.ECodeUnsupported, "store.newer_schema", map[string]any{"Path": s.path},
			"database %s has schema %d, newer than this Mingcha understands (%d): update Mingcha", s.path, current, SchemaVersion)
	}
	initial := current
	for _, m := range migrations {
		if m.version <= current || m.version > target {
			continue
		}
		if initial > 0 && current == initial {
			if _, err := s.backupNow("pre-migration"); err != nil {
				return fmt.Errorf("backup before migration %d: %w", m.version, err)
			}
		}
		err := s.db.Update(func(tx *bolt.Tx) error {
			if _, err := tx.CreateBucketIfNotExists(bucketMeta); err != nil {
				return err
			}
			if err := m.migrate(tx); err != nil {
				return err
			}
			return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(uint64(m.version)))
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
		current = m.version
	}
	return nil
}

// migrateOffice adds the buckets of the office side (store/office*.go).
// They start empty: nothing before schema 3 held imported reports.
func migrateOffice(tx *bolt.Tx) error {
	for _, name := range []string{"office_reports", "office_inspections", "office_files", "idx_office_observed",
		"idx_office_unit", "idx_office_amends", "rectifications", "draws"} {
		b := []byte(name)
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}
