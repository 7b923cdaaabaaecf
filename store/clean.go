package store

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
)

// A clean close leaves <db>.closed naming the file's size, mtime and ctime.
// An open that finds it matching skips the full consistency check, which
// reads the whole file (10.5 s for a 656 MB database on a cold disk); after
// a crash, or if anything touched the file since (ctime cannot be set back
// by a user), the marker is missing or stale and the file is checked
// before use. Open removes the marker, so a crash never leaves one behind.
type cleanMarker struct {
	Size  int64 `json:"size"`
	Mtime int64 `json:"mtime_ns"`
	Ctime int64 `json:"ctime_ns"`
}

func markerPath(path string) string { return path + ".closed" }

func fileStamp(path string) (cleanMarker, error) {
	info, err := os.Stat(path)
	if err != nil {
		return cleanMarker{}, err
	}
	return cleanMarker{Size: info.Size(), Mtime: info.ModTime().UnixNano(), Ctime: changeTime(path, info)}, nil
}

// closedCleanly reports whether the marker matches the file as it is now.
func closedCleanly(path string) bool {
	b, err := os.ReadFile(markerPath(path))
	if err != nil {
		return false
	}
	var want cleanMarker
	if json.Unmarshal(b, &want) != nil {
		return false
	}
	got, err := fileStamp(path)
	return err == nil && got == want && got.Ctime != 0
}

func writeCleanMarker(path string) error {
	m, err := fileStamp(path)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(m)
	// Written directly, not via rename: the marker must not change the
	// folder's files the stamp describes, and a torn marker only costs a
	// full check. Synced through the writing handle (Windows cannot flush
	// a read-only one).
	f, err := os.OpenFile(markerPath(path), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func removeCleanMarker(path string) error {
	err := os.Remove(markerPath(path))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}
