package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BackupDir is where the automatic backups of the database at path live.
func BackupDir(path string) string { return filepath.Join(filepath.Dir(path), "backups") }

// Backup checks the database and, only if it is sound, writes a copy to
// the backup folder (temp file, fsync, rename) and keeps the newest
// KeepBackups. A damaged file is never backed up over good backups.
func (s *Store) Backup() (string, error) { return s.backupNow("auto") }

func (s *Store) backupNow(reason string) (string, error) {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create backup folder %s: %w", dir, err)
	}
	base := strings.TrimSuffix(filepath.Base(s.path), filepath.Ext(s.path))
	// Wall-clock time, not s.Now: names must be unique and sort by age.
	name := fmt.Sprintf("%s-%s-%s.db", base, time.Now().UTC().Format("20060102T150405.000000000"), reason)
	dst := filepath.Join(dir, name)
	// Copy a consistent snapshot (a read transaction: writers go on), then
	// check the copy through its own handle, so neither blocks autosaves nor
	// races bbolt's freelist. A bad copy means a bad file: confirmed on the
	// live file under the write lock, it is reported and never rotated in.
	tmp := filepath.Join(dir, ".tmp-"+name)
	err := s.view(func(tx *bolt.Tx) error {
		return writeFileAtomic(tmp, func(f *os.File) error {
			_, err := tx.WriteTo(f)
			return err
		})
	})
	if err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("backup to %s: %w", dst, err)
	}
	if cerr := CheckFile(tmp); cerr != nil {
		_ = os.Remove(tmp)
		if err := s.Check(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("backup to %s: the copy failed its check: %w", dst, cerr)
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Remove(tmp)
		return "", fmt.Errorf("backup to %s: %w", dst, err)
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	keep := s.opts.KeepBackups
	if keep <= 0 {
		keep = 10
	}
	list, _ := ListBackups(s.path)
	for i := keep; i < len(list); i++ {
		_ = os.Remove(list[i].Path)
	}
	return dst, nil
}

// afterEdit counts edits and starts a background backup every BackupEvery.
func (s *Store) afterEdit() {
	if s.opts.NoBackup || s.opts.BackupEvery < 0 {
		return
	}
	s.mu.Lock()
	s.edits++
	start := s.edits%s.opts.BackupEvery == 0 && !s.backingUp
	if start {
		s.backingUp = true
		s.backupWG.Add(1)
	}
	s.mu.Unlock()
	if start {
		go func() {
			defer s.backupWG.Done()
			_, _ = s.backupNow("auto")
			s.mu.Lock()
			s.backingUp = false
			s.mu.Unlock()
		}()
	}
}

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path    string
	Size    int64
	ModTime time.Time
}

// ListBackups returns the backups of the database at path, newest first.
func ListBackups(path string) ([]BackupInfo, error) {
	dir := BackupDir(path)
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []BackupInfo
	for _, e := range entries {
		n := e.Name()
		if !strings.HasPrefix(n, base+"-") || !strings.HasSuffix(n, ".db") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, n), Size: info.Size(), ModTime: info.ModTime()})
	}
	// Names carry a UTC timestamp, so name order is time order.
	sort.Slice(out, func(i, j int) bool { return filepath.Base(out[i].Path) > filepath.Base(out[j].Path) })
	return out, nil
}

// NewestGoodBackup returns the newest backup that passes the consistency check.
func NewestGoodBackup(path string) (string, error) {
	list, err := ListBackups(path)
	if err != nil {
		return "", err
	}
	for _, b := range list {
		if CheckFile(b.Path) == nil {
			return b.Path, nil
		}
	}
	return "", nil
}

// CheckFile opens a database file read-only and runs the consistency check.
func CheckFile(path string) (err error) {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	if err := precheckFile(path); err != nil {
		return err
	}
	var db *bolt.DB
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("bbolt: %v", r)
			}
		}()
		db, err = bolt.Open(path, 0o400, &bolt.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	}()
	if err != nil {
		return err
	}
	defer db.Close()
	return checkDB(db, false)
}

// Restore replaces the database at path with a backup. The backup must pass
// its check, no other process may hold the database, and the replaced file
// is kept beside it as <name>.replaced-<time>.
func Restore(path, backup string) (string, error) {
	if err := CheckFile(backup); err != nil {
		return "", fmt.Errorf("backup %s is not usable: %w", backup, err)
	}
	var kept string
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			return "", fmt.Errorf("%s: %w", path, ErrInUse)
		}
		defer f.Close() // releases the lock after the swap
		kept = fmt.Sprintf("%s.replaced-%s", path, time.Now().UTC().Format("20060102T150405"))
		if err := copyFile(path, kept); err != nil {
			return "", fmt.Errorf("keep the current file: %w", err)
		}
	}
	src, err := os.Open(backup)
	if err != nil {
		return "", err
	}
	defer src.Close()
	err = writeFileAtomic(path, func(f *os.File) error {
		_, err := f.ReadFrom(src)
		return err
	})
	return kept, err
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	return writeFileAtomic(to, func(f *os.File) error {
		_, err := f.ReadFrom(src)
		return err
	})
}

// writeFileAtomic writes through a temp file in the same folder, fsyncs it,
// renames it over path and fsyncs the folder, so a crash leaves either the
// old file or the whole new one.
func writeFileAtomic(path string, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteFileAtomic is writeFileAtomic for callers outside the package
// (exported PDFs, spreadsheets).
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}
