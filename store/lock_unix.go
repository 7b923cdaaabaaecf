//go:build unix

package store

import (
	"os"
	"syscall"
)

// lockFile takes the exclusive lock bbolt takes on an open database (flock
// on the whole file), without waiting: it fails while another process
// holds the file.
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
