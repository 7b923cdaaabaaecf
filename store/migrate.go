package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// migration moves the schema from version-1 to version. Migrations run in
// order, each in its own transaction, after a backup of the file.
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
}

// SchemaVersion is the version this build writes.
var SchemaVersion = migrations[len(migrations)-1].version

func migrateBaseBuckets(tx *bolt.Tx) error {
	for _, b := range [][]byte{bucketMeta, bucketSettings, bucketUnits, bucketTemplates, bucketSnapshots,
		bucketInspections, bucketAnswers, bucketPhotos, bucketAudit} {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}

// migrateObservedIndex builds the summary index the home list pages
// through, so listing never decodes whole inspections.
func migrateObservedIndex(tx *bolt.Tx) error {
	_ = tx.DeleteBucket(bucketIdxObserved)
	idx, err := tx.CreateBucket(bucketIdxObserved)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketInspections).ForEach(func(k, _ []byte) error {
		in, err := loadInspection(tx, string(k))
		if err != nil {
			return fmt.Errorf("inspection %s: %w", k, err)
		}
		sum := summarize(in)
		return putSummary(idx, &sum)
	})
}

// migrateUnitProblems fills the per-unit problem index from the
// completed and signed inspections.
func migrateUnitProblems(tx *bolt.Tx) error {
	_ = tx.DeleteBucket(bucketUnitProblems)
	if _, err := tx.CreateBucket(bucketUnitProblems); err != nil {
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

// migrate runs every migration newer than the file's schema version. A file
// written by a newer Mingcha is refused rather than misread.
func (s *Store) migrate() error {
	return s.migrateTo(SchemaVersion)
}

func (s *Store) migrateTo(target int) error {
	var current int
	if err := s.view(func(tx *bolt.Tx) error { current = schemaVersion(tx); return nil }); err != nil {
		return err
	}
	if current > SchemaVersion {
		return fmt.Errorf("database %s has schema %d, newer than this Mingcha understands (%d): update Mingcha", s.path, current, SchemaVersion)
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

// migrateOffice adds the buckets of the office side (store/office.go). They
// start empty: nothing before schema 3 held imported reports.
func migrateOffice(tx *bolt.Tx) error {
	for _, b := range officeBuckets {
		if _, err := tx.CreateBucketIfNotExists(b); err != nil {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	return nil
}
