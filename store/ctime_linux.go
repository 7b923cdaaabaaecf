package store

import (
	"os"
	"syscall"
	"time"
)

// changeTime is the inode's ctime in nanoseconds: every write, rename or
// attribute change moves it, and no user can set it back.
func changeTime(_ string, info os.FileInfo) int64 {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return 0
	}
	return time.Unix(int64(st.Ctim.Sec), int64(st.Ctim.Nsec)).UnixNano()
}
