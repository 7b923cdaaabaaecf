package store

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes the exclusive lock bbolt takes on an open database (on
// Windows the one byte at offset 2^64-1, see bbolt's bolt_windows.go),
// without waiting: it fails while another process holds the file.
func lockFile(f *os.File) error {
	const m1 = 1<<32 - 1
	return windows.LockFileEx(windows.Handle(f.Fd()),
		windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0,
		&windows.Overlapped{Offset: m1, OffsetHigh: m1})
}
