//go:build !linux

package store

import (
	"os"
	"time"
)

// datasync is what bbolt calls after a commit here (FlushFileBuffers on
// Windows).
func datasync(f *os.File) error { return f.Sync() }

// cpuTime is not measured here (0: the benchmarks leave the figure out).
func cpuTime() time.Duration { return 0 }
