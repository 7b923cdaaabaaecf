package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/klauspost/compress/zstd"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"mingcha/inspect"
)

// Backups of the database at P live in their own folder, P.backups, beside
// it (as P.photos and P.reports do): two databases in one folder never see
// each other's backups. A backup is the database compacted into a fresh
// file (bbolt.Compact: no free pages, no fragmentation) and compressed with
// zstd, named
//
//	<UTC time 20060102T150405.000000000>-<reason>-tx<bbolt txid>.db.zst
//
// The txid is the transaction the copy holds, so an open backs up only a
// file that changed since (its mtime is no guide: under Wine every open
// touches it). Backups of Mingcha before this layout (backups/<base>-<time>-
// <reason>.db, uncompressed, shared by every database of the folder) are
// moved into the database's own folder at open, by an exact name rule.

// BackupDir is the folder of the automatic backups of the database at path.
func BackupDir(path string) string { return path + ".backups" }

// legacyBackupDir is where backups lived before (shared by the folder).
func legacyBackupDir(path string) string { return filepath.Join(filepath.Dir(path), "backups") }

const backupTimeFormat = "20060102T150405.000000000"

var backupName = regexp.MustCompile(`^(\d{8}T\d{6}\.\d{9})-([a-z][a-z-]*?)(?:-tx(\d+))?\.db(\.zst)?$`)

// legacyBackupName matches an old backup of the database named base exactly:
// base, then the timestamp — so mingcha-demo's backups never match mingcha.
func legacyBackupName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `-(\d{8}T\d{6}\.\d{9})-([a-z][a-z-]*)\.db$`)
}

// zstdMagic starts every zstd frame.
var zstdMagic = []byte{0x28, 0xB5, 0x2F, 0xFD}

// Backup checks the database and, only if it is sound, writes a compacted,
// compressed copy to the backup folder, checks the written file and keeps
// the newest KeepBackups. A damaged file is never backed up over good
// backups.
func (s *Store) Backup() (string, error) { return s.backupNow("manual") }

func (s *Store) backupNow(reason string) (string, error) {
	dir := BackupDir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create backup folder %s: %w", dir, err)
	}
	var txid uint64
	if err := s.view(func(tx *bolt.Tx) error { txid = uint64(tx.ID()); return nil }); err != nil {
		return "", err
	}
	// Wall-clock time, not s.Now: names must be unique and sort by age.
	name := fmt.Sprintf("%s-%s-tx%d.db.zst", time.Now().UTC().Format(backupTimeFormat), reason, txid)
	dst := filepath.Join(dir, name)
	sum, err := s.compactTo(dir, func(compacted *os.File) error {
		return writeFileAtomicNoRename(filepath.Join(dir, ".tmp-"+name), dst, func(f *os.File) error {
			return compressTo(f, compacted)
		})
	})
	if err != nil {
		if err := s.Check(); err != nil { // a bad copy may mean a bad file
			return "", err
		}
		return "", fmt.Errorf("backup to %s: %w", dst, err)
	}
	// Read back what was written: it decompresses to the checked copy.
	if got, err := decompressedSum(dst); err != nil || got != sum {
		_ = os.Remove(dst)
		if err == nil {
			err = errors.New("the written file does not read back as the checked copy")
		}
		return "", fmt.Errorf("backup to %s: %w", dst, err)
	}
	s.rotateBackups()
	return dst, nil
}

// compactTo compacts the live database into a fresh temp file in dir
// (compactInto reads in one read transaction, inside which the copy's last
// commit runs: autosaves go on), checks the copy, and hands it to use; it
// returns the SHA-256 of the copy.
func (s *Store) compactTo(dir string, use func(f *os.File) error) (sum [32]byte, err error) {
	tmp, err := os.CreateTemp(dir, ".compact-*.db")
	if err != nil {
		return sum, err
	}
	tmpPath := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(tmpPath)
	dst, err := bolt.Open(tmpPath, 0o600, &bolt.Options{NoSync: true, NoFreelistSync: false})
	if err != nil {
		return sum, err
	}
	cerr := safeCompact(dst, s.db)
	if cerr == nil {
		cerr = checkDB(dst, false)
	}
	if err := closeTrimmed(dst, tmpPath); cerr == nil && err != nil {
		cerr = err
	}
	if cerr != nil {
		return sum, fmt.Errorf("the copy failed its check: %w", cerr)
	}
	f, err := os.Open(tmpPath)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return sum, err
	}
	return sum, use(f)
}

// safeCompact is bbolt.Compact (compactInto) with a fault on a damaged
// page turned into an error.
func safeCompact(dst, src *bolt.DB) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("bbolt: %v", r)
			}
		}()
		debug.SetPanicOnFault(true)
		done <- compactInto(dst, src, 64<<20)
	}()
	return <-done
}

// compactInto copies src into the empty dst as bbolt.Compact does (every
// bucket with its sequence, pages filled, a commit every txMaxSize bytes),
// with one difference: dst's last commit runs inside src's read
// transaction. bbolt.Compact commits it after that transaction has ended,
// while dst still holds keys and values in src's memory map, which a
// commit beside it (an autosave) may have rewritten or, growing the map,
// unmapped: a backup taken during autosaves could copy changed bytes, or
// fault (a nil-pointer fault in node.dereference, about one run in fifteen
// of TestCrashDuringFolderBackup before).
func compactInto(dst, src *bolt.DB, txMaxSize int64) error {
	return src.View(func(stx *bolt.Tx) error {
		tx, err := dst.Begin(true)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }() // after Commit: ErrTxClosed, ignored
		var size int64
		var walk func(from *bolt.Bucket, path [][]byte) error
		put := func(path [][]byte, k, v []byte, seq uint64) error {
			sz := int64(len(k) + len(v))
			if size+sz > txMaxSize && txMaxSize != 0 {
				if err := tx.Commit(); err != nil {
					return err
				}
				if tx, err = dst.Begin(true); err != nil {
					return err
				}
				size = 0
			}
			size += sz
			if len(path) == 0 {
				b, err := tx.CreateBucket(k)
				if err != nil {
					return err
				}
				return b.SetSequence(seq)
			}
			b := tx.Bucket(path[0])
			for _, name := range path[1:] {
				b = b.Bucket(name)
			}
			b.FillPercent = 1.0
			if v == nil {
				nb, err := b.CreateBucket(k)
				if err != nil {
					return err
				}
				return nb.SetSequence(seq)
			}
			return b.Put(k, v)
		}
		walk = func(from *bolt.Bucket, path [][]byte) error {
			return from.ForEach(func(k, v []byte) error {
				if v != nil {
					return put(path, k, v, 0)
				}
				child := from.Bucket(k)
				if err := put(path, k, nil, child.Sequence()); err != nil {
					return err
				}
				return walk(child, append(path[:len(path):len(path)], k))
			})
		}
		err = stx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if err := put(nil, name, nil, b.Sequence()); err != nil {
				return err
			}
			return walk(b, [][]byte{name})
		})
		if err != nil {
			return err
		}
		return tx.Commit()
	})
}

func compressTo(w io.Writer, r io.Reader) error {
	enc, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderCRC(true))
	if err != nil {
		return err
	}
	if _, err := io.Copy(enc, r); err != nil {
		_ = enc.Close()
		return err
	}
	return enc.Close()
}

func decompressedSum(path string) (sum [32]byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	dec, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return sum, err
	}
	defer dec.Close()
	h := sha256.New()
	if _, err := io.Copy(h, dec); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

func (s *Store) rotateBackups() {
	keep := s.opts.KeepBackups
	if keep <= 0 {
		keep = 10
	}
	list, _ := ListBackups(s.path)
	for i := keep; i < len(list); i++ {
		_ = os.Remove(list[i].Path)
	}
}

// afterEdit counts edits and starts a background backup every BackupEvery,
// never while an import runs (the import asks for one at its end).
func (s *Store) afterEdit() {
	if s.opts.NoBackup || s.opts.BackupEvery < 0 {
		return
	}
	s.mu.Lock()
	s.edits++
	due := s.edits >= s.opts.BackupEvery
	start := due && !s.backingUp && s.importing == 0
	if start {
		s.edits = 0
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

// beginImport holds automatic backups off until endImport.
func (s *Store) beginImport() {
	s.mu.Lock()
	s.importing++
	s.mu.Unlock()
}

// endImport lets backups run again, and starts the one the import's edits
// made due (at most one per import).
func (s *Store) endImport() {
	s.mu.Lock()
	s.importing--
	s.edits-- // afterEdit counts this call as an edit
	s.mu.Unlock()
	s.afterEdit()
}

// BackupInfo describes one backup file.
type BackupInfo struct {
	Path       string
	Size       int64
	ModTime    time.Time // when the backup was made (from its name)
	Reason     string    // open, auto, manual, pre-migration, pre-compact
	TxID       uint64    // the database transaction it holds; 0 if unknown (old backups)
	Compressed bool
}

// ListBackups returns the backups of the database at path, newest first:
// only this database's, never a neighbour's.
func ListBackups(path string) ([]BackupInfo, error) {
	dir := BackupDir(path)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []BackupInfo
	for _, e := range entries {
		m := backupName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		at, err := time.Parse(backupTimeFormat, m[1])
		if err != nil {
			continue
		}
		txid, _ := strconv.ParseUint(m[3], 10, 64)
		out = append(out, BackupInfo{Path: filepath.Join(dir, e.Name()), Size: info.Size(), ModTime: at,
			Reason: m[2], TxID: txid, Compressed: m[4] != ""})
	}
	// Names start with a UTC timestamp, so name order is time order.
	sort.Slice(out, func(i, j int) bool { return filepath.Base(out[i].Path) > filepath.Base(out[j].Path) })
	return out, nil
}

// migrateLegacyBackups moves the backups of this database out of the
// folder's shared backups/ into its own folder (exact name rule), so that
// restore and rotation never touch a neighbour's.
func migrateLegacyBackups(path string) error {
	old := legacyBackupDir(path)
	entries, err := os.ReadDir(old)
	if err != nil {
		return nil // none
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	rule := legacyBackupName(base)
	dir := BackupDir(path)
	moved := false
	for _, e := range entries {
		m := rule.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(old, e.Name()), filepath.Join(dir, m[1]+"-"+m[2]+".db")); err != nil {
			return fmt.Errorf("move backup %s: %w", e.Name(), err)
		}
		moved = true
	}
	if !moved {
		return nil
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	if err := syncDir(old); err != nil {
		return err
	}
	_ = os.Remove(old) // only if now empty
	return nil
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

// isCompressed reports whether the file starts with a zstd frame.
func isCompressed(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 4)
	n, _ := io.ReadFull(f, b)
	return n == 4 && bytes.Equal(b, zstdMagic)
}

// ErrNotDatabase: the file is not a Mingcha (bbolt) database at all.
var ErrNotDatabase = errors.New("not a Mingcha database")

// NotDatabaseError names a file that is not a database (a text file, a PDF
// given as --db). NewestBackup is a good backup of that path, if any.
type NotDatabaseError struct {
	Path         string
	NewestBackup string
}

func (e *NotDatabaseError) Error() string {
	msg := fmt.Sprintf("%s is not a Mingcha database", e.Path)
	if e.NewestBackup != "" {
		msg += fmt.Sprintf("; if it was one, restore the newest good backup with: mingcha restore --db %s %s", e.Path, e.NewestBackup)
	}
	return msg
}

func (e *NotDatabaseError) Unwrap() error { return ErrNotDatabase }

// CheckFile runs the consistency check on a database file or a backup
// (compressed or not), read-only. A file another Mingcha holds is
// ErrInUse, a file that is no database at all is a *NotDatabaseError.
func CheckFile(path string) (err error) {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	if isCompressed(path) {
		tmp, err := decompressToTemp(path, os.TempDir())
		if err != nil {
			return fmt.Errorf("backup %s: %w", path, err)
		}
		defer os.Remove(tmp)
		return CheckFile(tmp)
	}
	if err := precheckFile(path); errors.Is(err, ErrNotDatabase) {
		return &NotDatabaseError{Path: path}
	} else if err != nil {
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
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%s: %w", path, ErrInUse)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return checkDB(db, false)
}

// decompressToTemp writes the decompressed backup to a temp file in dir.
func decompressToTemp(path, dir string) (string, error) {
	src, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dec, err := zstd.NewReader(src, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return "", err
	}
	defer dec.Close()
	f, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(f, dec); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// Restore replaces the database at path with a backup (compressed or
// not). The backup must pass its check, no other process may hold the
// database, and the replaced file is kept beside it as
// <name>.replaced-<time>.
func Restore(path, backup string) (string, error) {
	// A backup kept in another database's backup folder belongs to that
	// database: restoring it here would replace this one with the other's
	// data (mingcha.db beside mingcha-demo.db). A backup elsewhere (a USB
	// drive, a copy) is the user's choice and is taken.
	if owner := filepath.Dir(backup); strings.HasSuffix(owner, ".backups") && !sameDir(owner, BackupDir(path)) {
		name := strings.TrimSuffix(filepath.Base(owner), ".backups")
		return "", inspect.Errorf(inspect.ECodeInvalid, "backup.foreign",
			map[string]any{"Backup": backup, "Owner": name, "DB": filepath.Base(path)},
			"%s is a backup of %s, not of %s", backup, name, filepath.Base(path))
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	// The backup is written (decompressed) to a temp file beside the
	// database, checked there, and renamed over it: a crash leaves the old
	// file or the whole restored one.
	src := backup
	if isCompressed(backup) {
		tmp, err := decompressToTemp(backup, dir)
		if err != nil {
			return "", unusableBackup(backup, err)
		}
		defer os.Remove(tmp)
		src = tmp
	}
	if err := CheckFile(src); err != nil {
		return "", unusableBackup(backup, err)
	}
	var kept string
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		if err := lockFile(f); err != nil {
			f.Close()
			return "", fmt.Errorf("%s: %w", path, ErrInUse)
		}
		kept = fmt.Sprintf("%s.replaced-%s", path, time.Now().UTC().Format("20060102T150405"))
		err := copyFile(path, kept)
		// Unlocked before the swap: Windows cannot rename over an open
		// file, and a process that opens it meanwhile has the old file
		// either way.
		f.Close()
		if err != nil {
			return "", fmt.Errorf("keep the current file: %w", err)
		}
	}
	if err := copyFile(src, path); err != nil {
		return kept, err
	}
	_ = removeCleanMarker(path) // the restored file gets its full check at open
	return kept, nil
}

// unusableBackup is why Restore refused backup: the drive's fault (a full
// disk while writing the copy, a file it cannot read) as that; anything
// else means the backup itself is damaged or not one, said in the user's
// language, the cause kept in the English message.
func unusableBackup(backup string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && !errors.Is(err, ErrNotDatabase) {
		return fmt.Errorf("backup %s is not usable: %w", backup, err)
	}
	return inspect.Errorf(inspect.ECodeInvalid, "backup.unusable", map[string]any{"Backup": backup},
		"backup %s is not usable (damaged, cut short or not a Mingcha backup: %v); the database was not replaced", backup, err)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	return writeFileAtomic(to, func(f *os.File) error {
		_, err := io.Copy(f, src)
		return err
	})
}

// writeFileAtomic writes through a temp file in the same folder, fsyncs it,
// renames it over path and fsyncs the folder, so a crash leaves either the
// old file or the whole new one.
func writeFileAtomic(path string, write func(f *os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	return replaceThrough(f, path, write, true)
}

// writeFileNoDirSync is writeFileAtomic without the folder's fsync: the
// caller syncs the folder once for many files.
func writeFileNoDirSync(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	return replaceThrough(f, path, func(f *os.File) error { _, err := f.Write(data); return err }, false)
}

// writeFileAtomicNoRename is writeFileAtomic with a named temp file.
func writeFileAtomicNoRename(tmp, path string, write func(f *os.File) error) error {
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	return replaceThrough(f, path, write, true)
}

// replaceThrough fills the new temp file f with write, fsyncs and closes
// it, renames it over path and, with syncFolder, fsyncs the folder; on
// failure the temp file is removed.
func replaceThrough(f *os.File, path string, write func(f *os.File) error, syncFolder bool) (err error) {
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
	if syncFolder {
		return syncDir(filepath.Dir(path))
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return syncOpenDir(d)
}

// WriteFileAtomic is writeFileAtomic for callers outside the package
// (exported PDFs, spreadsheets). It replaces an existing file; commands
// that write where the user pointed use WriteOutput.
func WriteFileAtomic(path string, data []byte) error {
	return writeFileAtomic(path, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// sameDir reports whether a and b name one folder, however spelled.
func sameDir(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA != nil || errB != nil {
		aa, _ := filepath.Abs(a)
		bb, _ := filepath.Abs(b)
		return aa == bb
	}
	return os.SameFile(ia, ib)
}
