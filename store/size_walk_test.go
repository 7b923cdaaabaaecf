package store

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// bucketBytes is what one top-level bucket (nested buckets included) holds
// and what its pages take.
type bucketBytes struct {
	name               string
	keys               int
	keyBytes, valBytes int
	pages              int // leaf and branch pages (allocated bytes / page size)
	alloc, inuse       int // bytes of the pages, and of them in use
}

// sizeWalk sums, per top-level bucket, the keys and values stored and the
// pages bbolt gave them, and the file's free pages: where a file's bytes
// are.
func sizeWalk(tb testing.TB, s *Store) string {
	tb.Helper()
	var rows []bucketBytes
	var fileSize int64
	err := s.db.View(func(tx *bolt.Tx) error {
		fileSize = tx.Size()
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			r := bucketBytes{name: string(name)}
			var walk func(b *bolt.Bucket) error
			walk = func(b *bolt.Bucket) error {
				return b.ForEach(func(k, v []byte) error {
					r.keys++
					r.keyBytes += len(k)
					if v == nil {
						return walk(b.Bucket(k))
					}
					r.valBytes += len(v)
					return nil
				})
			}
			if err := walk(b); err != nil {
				return err
			}
			st := b.Stats()
			r.alloc = st.BranchAlloc + st.LeafAlloc
			r.inuse = st.BranchInuse + st.LeafInuse + st.InlineBucketInuse
			r.pages = r.alloc / s.db.Info().PageSize
			rows = append(rows, r)
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].alloc > rows[j].alloc })
	st := s.db.Stats()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-22s %8s %10s %10s %7s %10s %10s\n", "bucket", "keys", "key B", "value B", "pages", "alloc B", "in use B")
	var total bucketBytes
	for _, r := range rows {
		fmt.Fprintf(&sb, "%-22s %8d %10d %10d %7d %10d %10d\n", r.name, r.keys, r.keyBytes, r.valBytes, r.pages, r.alloc, r.inuse)
		total.keys += r.keys
		total.keyBytes += r.keyBytes
		total.valBytes += r.valBytes
		total.pages += r.pages
		total.alloc += r.alloc
		total.inuse += r.inuse
	}
	fmt.Fprintf(&sb, "%-22s %8d %10d %10d %7d %10d %10d\n", "total", total.keys, total.keyBytes, total.valBytes, total.pages, total.alloc, total.inuse)
	ps := s.db.Info().PageSize
	fmt.Fprintf(&sb, "file %d B = %d pages; free %d pages, pending %d, freelist %d B\n",
		fileSize, fileSize/int64(ps), st.FreePageN, st.PendingPageN, st.FreelistInuse)
	return sb.String()
}
