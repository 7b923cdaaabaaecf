package store

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// compactInto copies every bucket (nested ones too, inline or not), its
// sequence and every key and value, across several of its own commits.
func TestCompactIntoCopiesEverything(t *testing.T) {
	dir := t.TempDir()
	src, err := bolt.Open(filepath.Join(dir, "src.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	err = src.Update(func(tx *bolt.Tx) error {
		a, _ := tx.CreateBucket([]byte("a"))
		_ = a.SetSequence(7)
		for i := 0; i < 3000; i++ {
			_ = a.Put([]byte(fmt.Sprintf("k%05d", i)), bytes.Repeat([]byte{byte(i)}, 1+i%300))
		}
		n, _ := a.CreateBucket([]byte("nested"))
		_ = n.SetSequence(3)
		_ = n.Put([]byte("x"), []byte("1"))
		deep, _ := n.CreateBucket([]byte("deep"))
		_ = deep.Put([]byte("y"), []byte(strings.Repeat("z", 5000)))
		_, _ = tx.CreateBucket([]byte("empty"))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := bolt.Open(filepath.Join(dir, "dst.db"), 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := compactInto(dst, src, 64<<10); err != nil {
		t.Fatal(err)
	}
	// 64 KB per commit: the copy took several (meta's txid counts them).
	if err := dst.View(func(tx *bolt.Tx) error {
		if tx.ID() < 4 {
			return fmt.Errorf("%d commits", tx.ID())
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dump := func(db *bolt.DB) string {
		var sb strings.Builder
		var walk func(b *bolt.Bucket, path string)
		walk = func(b *bolt.Bucket, path string) {
			fmt.Fprintf(&sb, "%s seq=%d\n", path, b.Sequence())
			_ = b.ForEach(func(k, v []byte) error {
				if v == nil {
					walk(b.Bucket(k), path+"/"+string(k))
				} else {
					fmt.Fprintf(&sb, "%s/%s=%x\n", path, k, v)
				}
				return nil
			})
		}
		_ = db.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(name []byte, b *bolt.Bucket) error { walk(b, string(name)); return nil })
		})
		return sb.String()
	}
	if got, want := dump(dst), dump(src); got != want {
		t.Fatalf("the copy differs (%d bytes against %d of dump)", len(got), len(want))
	}
	if err := checkDB(dst, false); err != nil {
		t.Fatal(err)
	}
}
