package store

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// TestFolderBackupFaultsNamed: a backup folder whose database place is
// taken by a file fails as a *FolderError naming the part (what msg words for the
// user); a folder without a manifest is backup.not_folder; a database of a
// newer schema is store.newer_schema and stays as it was.
func TestFolderBackupFaultsNamed(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "usb")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "database"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = s.BackupToFolder(dir)
	var fe *FolderError
	if !errors.As(err, &fe) || fe.Part != PartFolder || fe.Dir != dir || fe.Restore {
		t.Fatalf("backup over a file named database: %#v", err)
	}

	var e *inspect.Error
	if _, err := RestoreFromFolder(filepath.Join(t.TempDir(), "m.db"), t.TempDir()); !errors.As(err, &e) || e.Key != "backup.not_folder" {
		t.Errorf("restore from an empty folder: %#v", err)
	}

	// A file a newer Mingcha wrote.
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, uint64(SchemaVersion+1))
		return tx.Bucket(bucketMeta).Put(keySchemaVersion, v)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{}); !errors.As(err, &e) || e.Key != "store.newer_schema" || e.Params["Path"] != path {
		t.Errorf("a newer schema: %#v", err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("opening a newer file changed it")
	}
}
