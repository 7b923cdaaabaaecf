// Package store keeps Mingcha's data in one bbolt file and its photo
// evidence in a content-addressed folder beside it.
//
// Bucket tree (names are the []byte constants below):
//
//	meta/
//	    schema_version     -> uint64 big-endian
//	    seq_<name>         -> uint64 big-endian counters
//	    rebuild_<bucket>   -> 1 while a migration's derived index awaits its rebuild
//	settings/
//	    <key>              -> JSON value
//	units/
//	    <unit id>          -> inspect.Unit JSON
//	templates/
//	    <template id>/     (one bucket per template)
//	        <version u32>  -> inspect.Template JSON (immutable once stored)
//	snapshots/
//	    <sha256 of JSON>   -> inspect.Template JSON, the exact version an inspection used
//	inspections/
//	    <inspection id>    -> record JSON: the inspection without answers, template,
//	                          unit and drawings (named by hash)
//	answers/
//	    <inspection id>    -> {item code: inspect.Answer} JSON (schema 4 and before:
//	                          a bucket of one key per item)
//	idx_observed/          (since schema 2)
//	    <observed_at i64><inspection id> -> Summary JSON, for the home list
//	unit_problems/         (since schema 4)
//	    <unit id>/         (one bucket per unit)
//	        <inspection id> -> []inspect.Problem JSON of a completed or signed inspection,
//	                          so 重复问题 detection reads one unit, not every inspection
//	unit_snapshots/        (since schema 5)
//	    <sha256 of JSON>   -> inspect.Unit JSON, the unit as inspections saw it
//	drawings/              (since schema 5)
//	    <sha256 of PNG>    -> a drawn signature's or 签收's PNG
//	drawing_refs/          (since schema 6)
//	    <sha256 of PNG, 32 bytes><inspection id> -> empty: the records naming a
//	                          drawing; the last one to let go removes it
//	drafts/                (since schema 7; drafts.go)
//	    <inspection id>/a  -> a draft's answers since its autosaves (none in answers/ then)
//	    <inspection id>/s  -> its summary since its autosaves (read before idx_observed/'s)
//	photos/
//	    <sha256 hex>       -> PhotoMeta JSON (the bytes live in <db>.photos/)
//	audit/
//	    <seq u64>          -> AuditEntry JSON, hash-chained, append-only
//	office_reports/        (since schema 3: reports the 效能办 imported)
//	    <report id>        -> OfficeReport JSON: the result, signer, file hash, superseded_by
//	office_inspections/    (since schema 3)
//	    <report id>        -> record JSON: the inspection as signed, answers inline
//	                          (template in snapshots/, the PDF in <db>.reports/)
//	office_files/          (since schema 3)
//	    <sha256 of PDF>    -> report id, so the same file imported twice is recognised
//	idx_office_observed/   (since schema 3)
//	    <observed_at i64><report id> -> empty
//	idx_office_unit/       (since schema 3)
//	    <unit id> 0x00 <report id>   -> empty
//	idx_office_amends/     (since schema 3)
//	    <amended id> 0x00 <amendment id> -> empty
//	rectifications/        (since schema 3)
//	    <problem id>       -> inspect.Rectification JSON: 整改 state, apart from the immutable report
//	draws/                 (since schema 3)
//	    <seq u64>          -> inspect.Draw JSON (抽签 with its seed)
//	notices/               (made by the first 整改通知书)
//	    <problem id>       -> []NoticeRef JSON: the notices that named the problem
//
// Since schema 5 the values of inspections/, answers/, idx_observed/,
// unit_problems/, unit_latest/ and audit/ are stored compressed (codec.go);
// a draft's autosave stores its summary in drafts/ plain and its answers
// there without entropy coding or dictionary, and any other write of the
// draft moves both back compressed.
//
// Every exported method that changes data runs in one bbolt Update: durable
// (fsynced) when it returns, with its audit entry in the same transaction.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

var (
	bucketMeta         = []byte("meta")
	bucketSettings     = []byte("settings")
	bucketUnits        = []byte("units")
	bucketTemplates    = []byte("templates")
	bucketSnapshots    = []byte("snapshots")
	bucketInspections  = []byte("inspections")
	bucketAnswers      = []byte("answers")
	bucketIdxObserved  = []byte("idx_observed")
	bucketUnitProblems = []byte("unit_problems")
	bucketPhotos       = []byte("photos")
	bucketAudit        = []byte("audit")

	keySchemaVersion = []byte("schema_version")
)

var errRollback = errors.New("rollback")

// Errors a caller tells apart with errors.Is / errors.As.
var (
	// ErrInUse: another Mingcha process holds the file.
	ErrInUse = errors.New("database in use by another Mingcha window")
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("not found")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("database closed")
)

// DamagedError reports a database file that failed its consistency check.
// NewestBackup is the newest backup that passed its own check ("" if none).
type DamagedError struct {
	Path         string
	Cause        error
	NewestBackup string
}

func (e *DamagedError) Error() string {
	msg := fmt.Sprintf("database %s is damaged (%v)", e.Path, e.Cause)
	if e.NewestBackup != "" {
		return msg + fmt.Sprintf("; restore the newest good backup with: mingcha restore --db %s %s", e.Path, e.NewestBackup)
	}
	return msg + "; no good backup was found"
}

func (e *DamagedError) Unwrap() error { return e.Cause }

// Options tune Open. The zero value is what the program uses.
type Options struct {
	Timeout     time.Duration    // wait for the file lock; default 500 ms
	BackupEvery int              // edits between automatic backups; default 200, <0 disables
	KeepBackups int              // backups kept; default 10
	ReadOnly    bool             // open for reading only (check, list)
	NoBackup    bool             // no automatic backups (tests, demo generation)
	Now         func() time.Time // clock; default time.Now
}

// Store is an open database.
type Store struct {
	db       *bolt.DB
	path     string
	opts     Options
	Now      func() time.Time
	photoDir string
	// newID makes an inspection id (NewID; a test gives ids that collide).
	newID func(time.Time) string

	mu      sync.Mutex
	edits   int
	damaged error
	// checkedAtOpen: the full check ran before Open returned (no clean
	// marker); otherwise it runs in the background.
	checkedAtOpen bool
	backupWG      sync.WaitGroup
	backingUp     bool
	importing     int // imports running: no automatic backup meanwhile
	// batch is the open transaction of Batch: every edit and read of the
	// batch's goroutine runs in it.
	batch *bolt.Tx
	// closed: Close has begun; every transaction after it is ErrClosed.
	closed atomic.Bool
	// stopping: Close was called; background work stops at its next step.
	stopping atomic.Bool
	// lastEdit: the inspection last written or loaded for an edit
	// (editcache.go).
	lastEdit atomic.Pointer[editCache]
}

// Batch runs fn with a store whose every edit and read runs in one
// transaction, committed (durably, once) when fn returns nil and rolled
// back entirely otherwise. It is for bulk work that is not an autosave —
// the demo generator — where one fsync per edit would dominate; an edit
// that fails inside fails the whole batch. b is for fn's goroutine only;
// s goes on serving others (a background backup reads the last commit).
func (s *Store) Batch(fn func(b *Store) error) error {
	return s.update(func(tx *bolt.Tx) error {
		opts := s.opts
		opts.NoBackup = true
		b := &Store{db: s.db, path: s.path, opts: opts, Now: s.Now, photoDir: s.photoDir, newID: s.newID, batch: tx}
		return fn(b)
	})
}

// Open opens (or creates) the database at path, runs pending migrations
// (backing the file up first) and checks the file. A second process gets
// ErrInUse within opts.Timeout; a damaged file gets a *DamagedError naming
// the newest good backup, never a panic.
func Open(path string, opts Options) (s *Store, err error) {
	if opts.Timeout == 0 {
		opts.Timeout = 500 * time.Millisecond
	}
	if opts.BackupEvery == 0 {
		opts.BackupEvery = 200
	}
	if opts.KeepBackups == 0 {
		opts.KeepBackups = 10
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if dir := filepath.Dir(path); !opts.ReadOnly {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data folder %s: %w", dir, err)
		}
	}
	if err := precheckFile(path); errors.Is(err, ErrNotDatabase) {
		good, _ := NewestGoodBackup(path)
		return nil, &NotDatabaseError{Path: path, NewestBackup: good}
	} else if err != nil {
		return nil, damaged(path, err)
	}
	// Check an existing file through a read-only handle first: a writable
	// open loads the freelist and can panic on a damaged one, and a panic
	// inside bolt.Open leaks its locked file descriptor.
	// After a clean close (marker matching the file) the full check is
	// left to the background, backups and "mingcha check".
	clean := closedCleanly(path)
	var dbSize int64
	if info, err := os.Stat(path); err == nil {
		dbSize = info.Size()
	}
	if dbSize > 0 && !clean {
		probe, err := openBolt(path, &bolt.Options{Timeout: opts.Timeout, ReadOnly: true})
		if err != nil {
			return nil, err
		}
		cerr := checkSize(probe, path)
		if cerr == nil {
			cerr = checkDB(probe, false)
		}
		_ = probe.Close()
		if cerr != nil {
			return nil, damaged(path, cerr)
		}
	}
	// Not NoFreelistSync: a file without a stored freelist makes bbolt
	// rebuild it in a goroutine of its own at open, where a damaged page
	// panics out of reach of any recover.
	db, err := openBolt(path, &bolt.Options{Timeout: opts.Timeout, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, err
	}
	// bbolt grows a file past 16 MB by 16 MB at a time (AllocSize): up to
	// 16 MB of never-used pages, two thousand inspections' worth.
	db.AllocSize = growStep
	s = &Store{db: db, path: path, opts: opts, Now: opts.Now, photoDir: path + ".photos", checkedAtOpen: !clean, newID: NewID}
	if !opts.ReadOnly {
		if err := removeCleanMarker(path); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if err := migrateLegacyBackups(path); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		if err := s.migrate(); err != nil {
			_ = db.Close()
			return nil, err
		}
		// Report-size copies a restore did not bring (a folder backup
		// holds originals only) or a crash lost: made in the background.
		s.backupWG.Add(1)
		go func() {
			defer s.backupWG.Done()
			s.deriveMissing()
		}()
		backup := !opts.NoBackup && s.changedSinceBackup()
		// The background check of a cleanly closed file is skipped for big
		// files: Close would wait for it (10 s for 656 MB on a cold disk);
		// their backups and "mingcha check" run it.
		bgCheck := clean && dbSize < backgroundCheckLimit
		if bgCheck || backup {
			// In the background, so the window opens at once; Close waits.
			// The check of a cleanly closed file runs here; a backup checks
			// the file itself before copying it.
			s.backingUp = true
			s.backupWG.Add(1)
			go func() {
				defer s.backupWG.Done()
				if backup {
					_, _ = s.backupNow("open")
				} else {
					_ = s.Check()
				}
				s.mu.Lock()
				s.backingUp = false
				s.mu.Unlock()
			}()
		}
	}
	return s, nil
}

// growStep is how much a large database file grows by at once; each growth
// costs one extra fsync, every thirty inspections or so.
const growStep = 256 << 10

// backgroundCheckLimit: files up to this size are checked in the
// background after a fast open (about a second of reading).
const backgroundCheckLimit = 128 << 20

// changedSinceBackup reports whether a transaction was committed since the
// newest backup (bbolt's txid, not the mtime: under Wine every open
// changes the mtime), so opening an unchanged database copies nothing.
func (s *Store) changedSinceBackup() bool {
	list, err := ListBackups(s.path)
	if err != nil || len(list) == 0 || list[0].TxID == 0 {
		return true
	}
	var txid uint64
	if err := s.view(func(tx *bolt.Tx) error { txid = uint64(tx.ID()); return nil }); err != nil {
		return true
	}
	return txid != list[0].TxID
}

// Damaged returns the damage found since Open (by a background check or a
// failed transaction), or nil. Writes are refused once it is set.
func (s *Store) Damaged() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.damaged == nil {
		return nil
	}
	return damaged(s.path, s.damaged)
}

// precheckFile refuses a file bbolt would map beyond its end (a truncated
// file): reading such pages raises SIGBUS, which no recover can catch.
func precheckFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // a missing file is created; bbolt reports permission problems itself
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return nil // bbolt initialises an empty file
	}
	ps0, pgid0, ok0 := readMeta(f, 0)
	if !ok0 {
		ps0 = 4096
	}
	_, pgid1, ok1 := readMeta(f, int64(ps0))
	if !ok0 && !ok1 {
		if !hasMagic(f, 0) && !hasMagic(f, int64(ps0)) && !hasPages(f) {
			return ErrNotDatabase
		}
		return errors.New("neither meta page is valid")
	}
	maxPgid := max(pgid0, pgid1)
	if need := int64(maxPgid) * int64(ps0); need > info.Size() {
		return fmt.Errorf("file is %d bytes but its pages reach %d: it was cut short", info.Size(), need)
	}
	return nil
}

// readMeta reads a bbolt meta page at off: a 16-byte page header, then
// magic u32, version u32, pageSize u32, flags u32, root bucket (16 bytes),
// freelist pgid u64, high-water pgid u64 (bbolt internal/common/meta.go).
func readMeta(f *os.File, off int64) (pageSize uint32, pgid uint64, ok bool) {
	b := make([]byte, 64)
	if _, err := f.ReadAt(b, off); err != nil {
		return 0, 0, false
	}
	if binary.LittleEndian.Uint32(b[16:]) != 0xED0CDAED {
		return 0, 0, false
	}
	pageSize = binary.LittleEndian.Uint32(b[24:])
	if pageSize < 512 || pageSize > 1<<16 {
		return 0, 0, false
	}
	return pageSize, binary.LittleEndian.Uint64(b[56:]), true
}

// hasMagic reports whether a bbolt meta page's magic stands at off (a
// damaged database keeps it; a text or PDF file has none).
func hasMagic(f *os.File, off int64) bool {
	b := make([]byte, 4)
	if _, err := f.ReadAt(b, off+16); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(b) == 0xED0CDAED
}

// hasPages reports whether page 2 or 3 carries its own id in its header,
// as every bbolt page does: a database whose meta pages were wiped is
// damaged, not "not a database".
func hasPages(f *os.File) bool {
	b := make([]byte, 8)
	for _, id := range []int64{2, 3} {
		if _, err := f.ReadAt(b, id*4096); err == nil && binary.LittleEndian.Uint64(b) == uint64(id) {
			return true
		}
	}
	return false
}

// openBolt opens the file, turning bbolt's errors and panics into ours.
func openBolt(path string, o *bolt.Options) (db *bolt.DB, err error) {
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = damaged(path, fmt.Errorf("bbolt: %v", r))
			}
		}()
		db, err = bolt.Open(path, 0o600, o)
	}()
	if err == nil {
		return db, nil
	}
	var de *DamagedError
	switch {
	case errors.As(err, &de):
		return nil, err
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%s: %w", path, ErrInUse)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, damaged(path, err)
	}
	return nil, fmt.Errorf("open %s: %w", path, err)
}

func checkSize(db *bolt.DB, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return db.View(func(tx *bolt.Tx) error {
		if tx.Size() > info.Size() {
			return fmt.Errorf("file is %d bytes but its pages reach %d", info.Size(), tx.Size())
		}
		return nil
	})
}

func damaged(path string, cause error) *DamagedError {
	good, _ := NewestGoodBackup(path)
	return &DamagedError{Path: path, Cause: cause, NewestBackup: good}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// PhotoDir is the folder of the original photo files.
func (s *Store) PhotoDir() string { return s.photoDir }

// Close waits for a running backup and closes the file. Whoever still
// holds the store afterwards (a goroutine that started before a restore
// swapped the database) gets ErrClosed.
func (s *Store) Close() error {
	s.stopping.Store(true)
	s.backupWG.Wait() // a running backup finishes first
	s.closed.Store(true)
	s.forget()
	if err := s.db.Close(); err != nil {
		return err
	}
	s.mu.Lock()
	dmg := s.damaged
	s.mu.Unlock()
	if s.opts.ReadOnly || dmg != nil {
		return nil
	}
	return writeCleanMarker(s.path)
}

// Check runs bbolt's consistency check. A fault in a damaged, mapped page
// becomes an error, not a crash.
func (s *Store) Check() error {
	// bbolt's check reads the live freelist: in a read transaction beside
	// a committing writer that is a concurrent map access, which kills the
	// process (seen in CI). A writable store checks under the write lock.
	err := checkDB(s.db, !s.opts.ReadOnly)
	if err != nil {
		s.mu.Lock()
		s.damaged = err
		s.mu.Unlock()
		return damaged(s.path, err)
	}
	return nil
}

// checkDB runs tx.Check. bbolt's check compares against the live freelist,
// so on a writable file it runs inside a write transaction (rolled back):
// a concurrent commit would otherwise be reported as "reachable freed".
func checkDB(db *bolt.DB, writable bool) (err error) {
	done := make(chan error, 1)
	go func() {
		debug.SetPanicOnFault(true)
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("consistency check crashed: %v", r)
			}
		}()
		run := db.View
		if writable {
			run = func(fn func(*bolt.Tx) error) error {
				err := db.Update(func(tx *bolt.Tx) error {
					if err := fn(tx); err != nil {
						return err
					}
					return errRollback
				})
				if errors.Is(err, errRollback) {
					return nil
				}
				return err
			}
		}
		done <- run(func(tx *bolt.Tx) error {
			var errs []error
			for e := range tx.Check() {
				errs = append(errs, e)
				if len(errs) >= 10 {
					break
				}
			}
			if len(errs) > 0 {
				return fmt.Errorf("%d consistency errors, first: %w", len(errs), errs[0])
			}
			return nil
		})
	}()
	return <-done
}

// update runs fn in one durable transaction. Panics from bbolt on a damaged
// page become errors, and a store found damaged refuses further writes.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	if s.closed.Load() {
		return ErrClosed
	}
	s.mu.Lock()
	dmg := s.damaged
	s.mu.Unlock()
	if dmg != nil {
		return damaged(s.path, dmg)
	}
	if s.batch != nil {
		return fn(s.batch)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			s.forget()
			s.mu.Lock()
			s.damaged = fmt.Errorf("bbolt: %v", r)
			s.mu.Unlock()
			err = damaged(s.path, fmt.Errorf("bbolt: %v", r))
		}
	}()
	if err = s.db.Update(fn); err != nil {
		// An edit cache entry fn published was not committed (editCache).
		s.forget()
		if errors.Is(err, bolt.ErrDatabaseNotOpen) {
			return ErrClosed
		}
		return err
	}
	s.afterEdit()
	return nil
}

// view runs fn in a read transaction, turning bbolt panics into errors.
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	if s.batch != nil {
		return fn(s.batch)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(s.path, fmt.Errorf("bbolt: %v", r))
		}
	}()
	if s.closed.Load() {
		return ErrClosed
	}
	if err := s.db.View(fn); err != nil {
		if errors.Is(err, bolt.ErrDatabaseNotOpen) {
			return ErrClosed
		}
		return err
	}
	return nil
}

func u64(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

// nextSeq returns the next value of a named counter.
func nextSeq(tx *bolt.Tx, name string) uint64 {
	m := tx.Bucket(bucketMeta)
	k := []byte("seq_" + name)
	var n uint64
	if v := m.Get(k); len(v) == 8 {
		n = binary.BigEndian.Uint64(v)
	}
	n++
	_ = m.Put(k, u64(n))
	return n
}
