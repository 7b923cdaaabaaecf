package report

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"

	"github.com/digitorus/pdf"
)

// pagesDigest is the SHA-256 of what a reader sees: the bytes of every
// object reachable from the page tree (pages, content streams, fonts,
// images) of the report as rendered (revision 0), in file order. Two
// files with the same digest show the same pages; the office import uses
// it so that a report whose pages differ from an already-imported one with
// the same id and data is never taken for a harmless duplicate. Later
// revisions may not redefine these objects (checkRevisions), so revision
// 0's are the ones shown.
func pagesDigest(data []byte, base *pdf.Reader, baseEnd int64) (string, error) {
	sx, ok := startxrefOf(data[:baseEnd])
	if !ok || sx < 0 || sx >= baseEnd {
		return "", errors.New("no cross-reference table")
	}
	entries, _, ok := parseXrefSection(data[sx:baseEnd])
	if !ok {
		return "", errors.New("unreadable cross-reference table")
	}
	offset := map[uint32]int64{}
	var offs []int64
	for _, e := range entries {
		if e.offset <= 0 || e.offset >= sx {
			return "", errors.New("cross-reference entry outside the file")
		}
		offset[e.id] = e.offset
		offs = append(offs, e.offset)
	}
	sort.Slice(offs, func(i, j int) bool { return offs[i] < offs[j] })
	offs = append(offs, sx)

	seen := map[uint32]bool{}
	var walk func(v pdf.Value, parent uint32, depth int) error
	walk = func(v pdf.Value, parent uint32, depth int) error {
		if depth > 64 || len(seen) > maxObjects {
			return errors.New("page tree too deep or too large")
		}
		id := idOf(v)
		if id != parent {
			if seen[id] {
				return nil
			}
			if _, ok := offset[id]; !ok {
				return fmt.Errorf("page object %d (in %d) missing from the cross-reference table", id, parent)
			}
			seen[id] = true
			parent = id
		}
		switch v.Kind() {
		case pdf.Dict, pdf.Stream:
			for _, k := range v.Keys() {
				if err := walk(v.Key(k), parent, depth+1); err != nil {
					return err
				}
			}
		case pdf.Array:
			for i := range v.Len() {
				if err := walk(v.Index(i), parent, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	root := base.Trailer().Key("Root")
	if err := walk(root.Key("Pages"), idOf(root), 0); err != nil {
		return "", err
	}
	ids := make([]uint32, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return offset[ids[i]] < offset[ids[j]] })
	h := sha256.New()
	for _, id := range ids {
		off := offset[id]
		next := offs[sort.Search(len(offs), func(i int) bool { return offs[i] > off })]
		h.Write(data[off:next])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
