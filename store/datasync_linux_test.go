package store

import (
	"os"
	"syscall"
	"time"
)

// datasync is what bbolt calls after a commit on Linux.
func datasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
