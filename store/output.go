package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"mingcha/inspect"
)

// What a command writes where the user points it (a PDF, a spreadsheet, a
// template, a key) must never land on what Mingcha holds. RefuseOutput
// names the refusal; WriteOutput writes through a temp file in the target
// folder and replaces an existing file only when told.

// ErrProtectedOutput: the output path is the database, one of its backups,
// a file in its photo or report store, a key file or a control file.
var ErrProtectedOutput = errors.New("output path is protected")

// ErrOutputExists: the output file exists and replacing it was not asked for.
var ErrOutputExists = errors.New("output file exists")

// OutputError is a refused output path. What says which of Mingcha's files
// it would have destroyed: database, backup, photos, reports, key, control,
// folder, exists.
type OutputError struct {
	Path string
	What string
	err  *inspect.Error
}

func (e *OutputError) Error() string { return e.err.Message }

// Unwrap gives the sentinel (errors.Is) and the localisable domain error.
func (e *OutputError) Unwrap() []error {
	if e.What == "exists" {
		return []error{ErrOutputExists, e.err}
	}
	return []error{ErrProtectedOutput, e.err}
}

var outputMessages = map[string]string{
	"database": "%s is a Mingcha database; choose another file name",
	"backup":   "%s is a backup of the database; choose another place",
	"photos":   "%s is in the database's photo store; choose another place",
	"reports":  "%s is in the database's store of imported reports; choose another place",
	"key":      "%s is a key file; choose another file name",
	"control":  "%s is one of the database's own files; choose another file name",
	"folder":   "%s is a folder; name a file",
	"exists":   "%s exists; add --force to replace it",
	"nofolder": "%s: that folder does not exist; choose a folder that does",
}

func outputError(path, what string) *OutputError {
	return &OutputError{Path: path, What: what, err: inspect.Errorf(inspect.ECodeForbidden, "store.output_"+what,
		map[string]any{"Path": path}, outputMessages[what], path)}
}

// RefuseOutput refuses an output path that is the open database, a backup,
// a file of the photo or report store, an existing key file, another
// database or a control file of the database folder, however the path is
// spelled (relative, through a symlink, with ..).
func (s *Store) RefuseOutput(path string) error { return RefuseOutput(s.path, path) }

// RefuseOutput is (*Store).RefuseOutput for the database at dbPath, open or
// not (ca issue, templates export).
func RefuseOutput(dbPath, path string) error { return refuseOutput(dbPath, path, false) }

// RefuseKeyOutput is RefuseOutput for a command that writes a key file: an
// existing key is not refused here (WriteOutput still asks for force).
func RefuseKeyOutput(dbPath, path string) error { return refuseOutput(dbPath, path, true) }

func refuseOutput(dbPath, path string, keyOK bool) error {
	if strings.TrimSpace(path) == "" {
		return outputError(path, "folder")
	}
	if info, err := os.Stat(path); err == nil {
		switch {
		case info.IsDir():
			return outputError(path, "folder")
		case sameFileAs(info, dbPath):
			return outputError(path, "database")
		case isBoltFile(path):
			return outputError(path, "database")
		case isCompressed(path) && backupName.MatchString(filepath.Base(path)):
			return outputError(path, "backup")
		case !keyOK && isKeyFile(path):
			return outputError(path, "key")
		}
	}
	parent, ok := physicalDir(path)
	if !ok {
		return nil // the folder does not exist: the write fails on its own
	}
	stores := []struct{ dir, what string }{
		{BackupDir(dbPath), "backup"}, {legacyBackupDir(dbPath), "backup"},
		{dbPath + ".photos", "photos"}, {dbPath + ".reports", "reports"},
		{DraftDir(dbPath), "control"},
	}
	for _, st := range stores {
		info, err := os.Stat(st.dir)
		if err != nil {
			continue
		}
		for d := parent; ; {
			if di, err := os.Stat(d); err == nil && os.SameFile(di, info) {
				return outputError(path, st.what)
			}
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	// The database folder's own files, existing or not yet.
	if pi, err := os.Stat(parent); err == nil {
		if di, err := os.Stat(filepath.Dir(dbPath)); err == nil && os.SameFile(pi, di) {
			name, base := filepath.Base(path), filepath.Base(dbPath)
			switch {
			case sameName(name, base):
				return outputError(path, "database")
			case strings.HasPrefix(name, "."):
				return outputError(path, "control") // temp files of atomic writes
			case len(name) > len(base) && sameName(name[:len(base)], base) && controlSuffix(name[len(base):]):
				return outputError(path, "control")
			}
		}
	}
	return nil
}

// DraftDir is the folder beside the database at dbPath where the window
// keeps the text typed but not yet saved (desk's drafts).
func DraftDir(dbPath string) string { return dbPath + ".drafts" }

// physicalDir is the folder path would be created in, with symlinks and
// ".." resolved as the system resolves them (not lexically).
func physicalDir(path string) (string, bool) {
	abs := path
	if !filepath.IsAbs(abs) {
		wd, err := os.Getwd()
		if err != nil {
			return "", false
		}
		abs = wd + string(filepath.Separator) + path
	}
	i := strings.LastIndexAny(abs, `/`+string(filepath.Separator))
	dir := abs[:i+1]
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", false
	}
	return real, true
}

// controlSuffix: what Mingcha appends to a database's name for its own
// files (clean marker, kept file after a restore, stores).
func controlSuffix(rest string) bool {
	for _, s := range []string{".closed", ".replaced-", ".backups", ".photos", ".reports", ".drafts", ".tmp", "-lock"} {
		if strings.HasPrefix(strings.ToLower(rest), s) {
			return true
		}
	}
	return false
}

// sameName compares file names as the system does.
func sameName(a, b string) bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func sameFileAs(info os.FileInfo, path string) bool {
	other, err := os.Stat(path)
	return err == nil && os.SameFile(info, other)
}

// isBoltFile reports whether the file is a bbolt database (its meta page).
func isBoltFile(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	return hasMagic(f, 0)
}

// isKeyFile reports whether the file is a PKCS#12 key (by name or by its
// first bytes: a DER SEQUENCE holding version 3).
func isKeyFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".p12", ".pfx":
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 8)
	n, _ := io.ReadFull(f, b)
	b = b[:n]
	return (len(b) >= 7 && b[0] == 0x30 && b[1] == 0x82 && bytes.Equal(b[4:7], []byte{0x02, 0x01, 0x03})) ||
		(len(b) >= 6 && b[0] == 0x30 && b[1] == 0x81 && bytes.Equal(b[3:6], []byte{0x02, 0x01, 0x03}))
}

// WriteOutput writes data to path through a temp file in the same folder
// (fsync, rename, folder fsync). An existing file is replaced only with
// force; without it the new file is linked into place, which fails if a
// file appeared meanwhile.
func WriteOutput(path string, data []byte, force bool) error {
	// A folder that is not there: said as such, not as the temp file's
	// "no such file or directory".
	if info, err := os.Stat(filepath.Dir(path)); errors.Is(err, fs.ErrNotExist) || (err == nil && !info.IsDir()) {
		return outputError(path, "nofolder")
	}
	if info, err := os.Stat(path); err == nil {
		if info.IsDir() {
			return outputError(path, "folder")
		}
		if !force {
			return outputError(path, "exists")
		}
	}
	if force {
		return WriteFileAtomic(path, data)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return outputError(path, "exists")
		}
		// A file system without hard links (FAT on a USB stick): rename,
		// after the check above.
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return syncDir(dir)
}

// WriteOutput is RefuseOutput then WriteOutput.
func (s *Store) WriteOutput(path string, data []byte, force bool) error {
	if err := s.RefuseOutput(path); err != nil {
		return err
	}
	return WriteOutput(path, data, force)
}
