package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestCleanCloseSkipsCheckAtOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{})
	seed(t, s)
	s.Close()
	if !closedCleanly(path) {
		t.Fatal("no clean marker after Close")
	}
	s2 := mustOpenAt(t, path, Options{})
	if s2.checkedAtOpen {
		t.Fatal("full check ran at open after a clean close")
	}
	if _, err := os.Stat(markerPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("marker left while the database is open")
	}
	s2.Close()

	// Touching the file after the close (even with its mtime put back)
	// makes the marker stale: the next open checks, and finds the damage.
	info, _ := os.Stat(path)
	data, _ := os.ReadFile(path)
	for i := 0; i < 2*4096; i++ {
		data[i] = 0
	}
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Chtimes(path, info.ModTime(), info.ModTime())
	if closedCleanly(path) {
		t.Fatal("marker still matches a rewritten file")
	}
	var de *DamagedError
	if _, err := Open(path, Options{}); !errors.As(err, &de) {
		t.Fatalf("damage after a clean close not reported: %v", err)
	}
}

func TestCrashLeavesNoMarker(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	seed(t, s)
	s.Close()
	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	// Simulate a crash: the process dies without Close (the handle is
	// dropped by closing the bolt file directly, no marker written).
	_ = s2.db.Close()
	if closedCleanly(path) {
		t.Fatal("marker present after a crash")
	}
	s3 := mustOpenAt(t, path, Options{NoBackup: true})
	if !s3.checkedAtOpen {
		t.Fatal("no full check after a crash")
	}
}

func TestBackupAtOpenOnlyWhenChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{})
	seed(t, s)
	s.Close()
	n := func() int { l, _ := ListBackups(path); return len(l) }
	// The first reopen backs up the edits of the first session, unless
	// its open-time backup (in the background, beside seed) already
	// holds them: either way the newest backup then holds the last
	// transaction, and the next two opens find nothing new.
	s = mustOpenAt(t, path, Options{})
	var txid uint64
	if err := s.view(func(tx *bolt.Tx) error { txid = uint64(tx.ID()); return nil }); err != nil {
		t.Fatal(err)
	}
	s.Close()
	l, _ := ListBackups(path)
	if len(l) == 0 || l[0].TxID != txid {
		t.Fatalf("after the first reopen the newest backup does not hold transaction %d: %+v", txid, l)
	}
	before := n()
	for i := 0; i < 2; i++ {
		s := mustOpenAt(t, path, Options{})
		s.Close()
	}
	if n() != before {
		t.Fatalf("backups: %d before, %d after two unchanged opens", before, n())
	}
}
