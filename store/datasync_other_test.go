//go:build !linux

package store

import "os"

// datasync is what bbolt calls after a commit here (FlushFileBuffers on
// Windows).
func datasync(f *os.File) error { return f.Sync() }
