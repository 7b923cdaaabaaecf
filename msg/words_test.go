package msg

import (
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"mingcha/store"
)

// TestOSFaultsInChinese: a file fault a user meets (a full disk, a missing
// folder, a locked database) reads as Chinese in the Chinese face, without
// the English context Go code wrapped around it; the English face keeps it.
func TestOSFaultsInChinese(t *testing.T) {
	full := fmt.Errorf("open %s: %w", "small/d2.db", &fs.PathError{Op: "open", Path: "small/d2.db", Err: syscall.ENOSPC})
	inUse := fmt.Errorf("%s: %w", "demo.db", store.ErrInUse)
	locale(t, "zh-Hans")
	for _, tt := range []struct {
		got, want string
	}{
		{Of(full), "small/d2.db：磁盘空间不足"},
		{Detailed(inUse), "数据库已被另一个明察窗口打开，请先关闭那个窗口。（demo.db）"},
		{Detailed(store.ErrInUse), "数据库已被另一个明察窗口打开，请先关闭那个窗口。"},
		{Detailed(fmt.Errorf("template %s version %d: %w", "nonexist", 2, store.ErrNotFound)), "找不到该记录。（检查表 nonexist）"},
		{Detailed(fmt.Errorf("inspection %s: %w", "MC-1", store.ErrNotFound)), "找不到该记录。（检查 MC-1）"},
	} {
		if tt.got != tt.want {
			t.Errorf("zh-Hans: %q, want %q", tt.got, tt.want)
		}
	}
	locale(t, "en")
	if got, want := Of(full), "open small/d2.db: small/d2.db: no space left on the disk"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := Detailed(inUse), "The database is already open in another Mingcha window. Close that window first. (demo.db: database in use by another Mingcha window)"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
}
