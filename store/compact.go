package store

import (
	"fmt"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// FreeBytes is the space inside the file that holds no data (free pages):
// what a compaction would give back.
func (s *Store) FreeBytes() int64 {
	var free int64
	_ = s.view(func(tx *bolt.Tx) error {
		st := s.db.Stats()
		free = int64(st.FreePageN+st.PendingPageN) * int64(tx.DB().Info().PageSize)
		return nil
	})
	return free
}

// CompactWorthIt is the free space from which Settings offers a compaction
// (a variable for the tests of that offer).
var CompactWorthIt int64 = 64 << 20

// Compact rewrites the database at path into a fresh file without free
// pages (bbolt.Compact), after a backup: the copy is written and fsynced
// beside the database, checked, and renamed over it under the file lock,
// so a crash at any moment leaves the old file or the whole new one. No
// other process may hold the database. It returns the sizes before and
// after.
func Compact(path string) (before, after int64, err error) {
	s, err := Open(path, Options{NoBackup: true})
	if err != nil {
		return 0, 0, err
	}
	// Copies left by a compaction that was killed: we hold the lock now.
	if old, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")); len(old) > 0 {
		for _, o := range old {
			_ = os.Remove(o)
		}
	}
	if _, err := s.backupNow("pre-compact"); err != nil {
		s.Close()
		return 0, 0, err
	}
	info, _ := os.Stat(path)
	before = info.Size()
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".compact-*")
	if err != nil {
		s.Close()
		return 0, 0, err
	}
	tmpPath := tmp.Name()
	tmp.Close()
	defer os.Remove(tmpPath) // gone once renamed
	dst, err := bolt.Open(tmpPath, 0o600, &bolt.Options{NoSync: true})
	if err == nil {
		err = safeCompact(dst, s.db)
		if err == nil {
			err = dst.Sync()
		}
		if cerr := closeTrimmed(dst, tmpPath); err == nil {
			err = cerr
		}
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return before, 0, fmt.Errorf("compact %s: %w", path, err)
	}
	if err := fsyncFile(tmpPath); err != nil {
		return before, 0, err
	}
	if err := CheckFile(tmpPath); err != nil {
		return before, 0, fmt.Errorf("compact %s: the copy failed its check: %w", path, err)
	}
	// Nobody may hold the file now: take the lock bbolt itself takes to
	// prove it, then let go before the swap, as Restore does — Windows
	// cannot rename over an open file, and a window that opens the file
	// in between has the old, whole database either way.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return before, 0, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return before, 0, fmt.Errorf("%s: %w", path, ErrInUse)
	}
	f.Close()
	if err := os.Rename(tmpPath, path); err != nil {
		return before, 0, err
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return before, 0, err
	}
	_ = removeCleanMarker(path)
	info, err = os.Stat(path)
	if err != nil {
		return before, 0, err
	}
	return before, info.Size(), nil
}

func fsyncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// closeTrimmed closes a database just written by bbolt.Compact and cuts
// the file to its pages: bbolt sizes a growing file in powers of two, so a
// compacted copy would otherwise keep up to half its size unused.
func closeTrimmed(db *bolt.DB, path string) error {
	var size int64
	_ = db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	if err := db.Close(); err != nil {
		return err
	}
	if info, err := os.Stat(path); err == nil && size > 0 && info.Size() > size {
		return os.Truncate(path, size)
	}
	return nil
}
