package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mingcha/inspect"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A full backup to a folder the user picks (a USB drive): the database as
// a checked, compacted, compressed backup, and the evidence that lives
// beside it — original photos and imported report PDFs — copied
// incrementally. Those files are content-addressed (named by their
// SHA-256), so a file already in the folder is never copied again, and
// every copied file is read back and checked against its name. The folder
// holds:
//
//	<dir>/mingcha-backup.json      manifest: database name, newest backup, when
//	<dir>/database/<backup>.db.zst  the database backups (the newest few)
//	<dir>/photos/<aa>/<sha256>      original photos
//	<dir>/reports/<aa>/<sha256>.pdf imported reports
//
// The manifest is written last (temp file, fsync, rename): a backup cut
// short by a crash or a pulled drive leaves the previous manifest and
// only complete, verified files.

const folderManifest = "mingcha-backup.json"

// folderKeep is how many database backups a backup folder keeps.
const folderKeep = 3

// FolderManifest describes a backup folder.
type FolderManifest struct {
	Database string    `json:"database"` // the database file's name
	Backup   string    `json:"backup"`   // database/<name>, the newest backup
	SHA256   string    `json:"sha256"`   // of that backup file
	At       time.Time `json:"at"`
	Photos   int       `json:"photos"`
	Reports  int       `json:"reports"`
}

// FolderBackupResult is what a backup to a folder did.
type FolderBackupResult struct {
	Manifest      FolderManifest
	PhotosCopied  int
	ReportsCopied int
	Bytes         int64 // bytes copied
}

// FolderError is a backup to a folder (or a restore from one) that failed
// at one of its parts, with the cause: a full or read-only drive, a file
// that reads back wrong. msg says it in the user's language.
type FolderError struct {
	Dir     string
	Part    string // PartFolder, PartPhotos, PartReports, PartDatabase
	Restore bool   // restoring from Dir, not backing up to it
	Err     error
}

// The parts of a folder backup.
const (
	PartFolder   = "folder"
	PartPhotos   = "photos"
	PartReports  = "reports"
	PartDatabase = "database"
)

func (e *FolderError) Error() string {
	if e.Restore {
		return fmt.Sprintf("restore from %s: %s: %v", e.Dir, e.Part, e.Err)
	}
	return fmt.Sprintf("backup to %s: %s: %v", e.Dir, e.Part, e.Err)
}

func (e *FolderError) Unwrap() error { return e.Err }

// BackupToFolder writes a full backup into dir (created if missing).
func (s *Store) BackupToFolder(dir string) (FolderBackupResult, error) {
	var res FolderBackupResult
	if err := s.RefuseOutput(filepath.Join(dir, folderManifest)); err != nil {
		return res, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "database"), 0o700); err != nil {
		return res, &FolderError{Dir: dir, Part: PartFolder, Err: err}
	}
	var err error
	if res.Manifest.Photos, res.PhotosCopied, err = copyStore(s.photoDir, filepath.Join(dir, "photos"), &res.Bytes); err != nil {
		return res, &FolderError{Dir: dir, Part: PartPhotos, Err: err}
	}
	if res.Manifest.Reports, res.ReportsCopied, err = copyStore(s.ReportDir(), filepath.Join(dir, "reports"), &res.Bytes); err != nil {
		return res, &FolderError{Dir: dir, Part: PartReports, Err: err}
	}
	// The database: a fresh checked, compressed backup in its own folder,
	// copied to the drive and verified there.
	bk, err := s.backupNow("folder")
	if err != nil {
		return res, err
	}
	name := filepath.Base(bk)
	dst := filepath.Join(dir, "database", name)
	sum, n, err := copyVerified(bk, dst, "")
	if err != nil {
		return res, &FolderError{Dir: dir, Part: PartDatabase, Err: err}
	}
	res.Bytes += n
	res.Manifest.Database, res.Manifest.Backup, res.Manifest.SHA256, res.Manifest.At =
		filepath.Base(s.path), "database/"+name, sum, time.Now().UTC()
	data, _ := json.MarshalIndent(&res.Manifest, "", "  ")
	if err := WriteFileAtomic(filepath.Join(dir, folderManifest), data); err != nil {
		return res, &FolderError{Dir: dir, Part: PartFolder, Err: err}
	}
	// Older database backups beyond the newest few go.
	if entries, err := os.ReadDir(filepath.Join(dir, "database")); err == nil {
		var names []string
		for _, e := range entries {
			if backupName.MatchString(e.Name()) {
				names = append(names, e.Name())
			}
		}
		for i := 0; i+folderKeep < len(names); i++ { // ReadDir sorts by name: oldest first
			_ = os.Remove(filepath.Join(dir, "database", names[i]))
		}
	}
	return res, nil
}

// copyStore copies the content-addressed files of src that dst lacks,
// each verified by its hash; it returns how many files src holds and how
// many were copied.
func copyStore(src, dst string, bytes *int64) (total, copied int, err error) {
	dirs := map[string]bool{}
	err = filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) && p == src {
			return filepath.SkipAll
		}
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil // temp files of writes in progress
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		want := contentHash(d.Name())
		if want == "" {
			return nil // not a content-addressed file (a derived copy)
		}
		total++
		to := filepath.Join(dst, rel)
		if info, err := os.Stat(to); err == nil {
			if fi, err := d.Info(); err == nil && fi.Size() == info.Size() {
				return nil
			}
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o700); err != nil {
			return err
		}
		_, n, err := copyVerifiedNoDirSync(p, to, want)
		if err != nil {
			return err
		}
		*bytes += n
		copied++
		dirs[filepath.Dir(to)] = true
		return nil
	})
	for d := range dirs {
		if err == nil {
			err = syncDir(d)
		}
	}
	if err == nil && copied > 0 {
		err = syncDir(dst)
	}
	return total, copied, err
}

// contentHash is the SHA-256 a content-addressed file's name gives
// (<hex> or <hex>.pdf), "" for another name.
func contentHash(name string) string {
	h := strings.TrimSuffix(name, ".pdf")
	if len(h) != 64 {
		return ""
	}
	if _, err := hex.DecodeString(h); err != nil {
		return ""
	}
	return h
}

func copyVerified(src, dst, want string) (string, int64, error) {
	sum, n, err := copyVerifiedNoDirSync(src, dst, want)
	if err != nil {
		return "", 0, err
	}
	return sum, n, syncDir(filepath.Dir(dst))
}

// copyVerifiedNoDirSync copies src to dst (temp file, fsync, rename), then
// reads dst back: its SHA-256 must equal want (or, when want is "", the
// source's).
func copyVerifiedNoDirSync(src, dst, want string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	h := sha256.New()
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return "", 0, err
	}
	tmp := f.Name()
	n, err := io.Copy(io.MultiWriter(f, h), in)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	srcSum := hex.EncodeToString(h.Sum(nil))
	if want == "" {
		want = srcSum
	}
	if srcSum != want {
		os.Remove(tmp)
		return "", 0, inspect.Errorf(inspect.ECodeInvalid, "backup.original_damaged", map[string]any{"Path": src},
			"%s does not match its hash (%s…): the original is damaged", src, want[:12])
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return "", 0, err
	}
	got, err := fileSHA256(dst)
	if err != nil {
		return "", 0, err
	}
	if got != want {
		os.Remove(dst)
		return "", 0, inspect.Errorf(inspect.ECodeInvalid, "backup.reads_back_wrong", map[string]any{"Path": dst},
			"%s reads back wrong (the drive may be failing)", dst)
	}
	return got, n, nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadFolderManifest reads the manifest of a backup folder.
func ReadFolderManifest(dir string) (FolderManifest, error) {
	var m FolderManifest
	data, err := os.ReadFile(filepath.Join(dir, folderManifest))
	if err != nil {
		return m, inspect.Errorf(inspect.ECodeNotFound, "backup.not_folder", map[string]any{"Dir": dir},
			"%s is not a Mingcha backup folder (%v)", dir, err)
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Backup == "" || strings.Contains(m.Backup, "..") {
		return m, inspect.Errorf(inspect.ECodeInvalid, "backup.manifest_damaged", map[string]any{"Dir": dir},
			"%s: the backup manifest is damaged", dir)
	}
	return m, nil
}

// RestoreFromFolder brings a full backup back to the database at path (a
// new laptop, or a lost one): photos and reports first, each checked
// against its hash, then the database from its checked backup (the file
// it replaces is kept, as Restore keeps it). It returns the kept file.
func RestoreFromFolder(path, dir string) (string, error) {
	m, err := ReadFolderManifest(dir)
	if err != nil {
		return "", err
	}
	bk := filepath.Join(dir, filepath.FromSlash(m.Backup))
	if got, err := fileSHA256(bk); err != nil || got != m.SHA256 {
		if err == nil {
			err = errors.New("it does not match the manifest's hash")
		}
		return "", &FolderError{Dir: dir, Part: PartDatabase, Restore: true, Err: fmt.Errorf("%s: %w", bk, err)}
	}
	var n int64
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	if _, _, err := copyStore(filepath.Join(dir, "photos"), path+".photos", &n); err != nil {
		return "", &FolderError{Dir: dir, Part: PartPhotos, Restore: true, Err: err}
	}
	if _, _, err := copyStore(filepath.Join(dir, "reports"), path+".reports", &n); err != nil {
		return "", &FolderError{Dir: dir, Part: PartReports, Restore: true, Err: err}
	}
	return Restore(path, bk)
}
