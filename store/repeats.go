package store

import (
	"errors"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"mingcha/inspect"
)

// unit_latest/<unit id>/ holds, for one unit, the most recent problem
// (by found time) of each item ("i:<code>") and each category
// ("c:<category>") among its completed and signed inspections, so that
// completing an inspection finds its 重复问题 with a few reads instead of
// decoding the unit's whole history. It is derived from unit_problems:
// built on first use, dropped whenever a change could make it stale
// (reopen, a changed problem list, a moved unit) and built again.
var bucketUnitLatest = []byte("unit_latest")

var keyLatestBuilt = []byte("built")

func latestKeys(p *inspect.Problem) [][]byte {
	var ks [][]byte
	if p.ItemCode != "" {
		ks = append(ks, []byte("i:"+p.ItemCode))
	}
	if p.Category != "" {
		ks = append(ks, []byte("c:"+p.Category))
	}
	return ks
}

func newerProblem(a, b *inspect.Problem) bool {
	return a.FoundAt.After(b.FoundAt) || (a.FoundAt.Equal(b.FoundAt) && a.ID > b.ID)
}

// dropLatest forgets a unit's index (it is built again when needed).
func dropLatest(tx *bolt.Tx, unitID string) error {
	root := tx.Bucket(bucketUnitLatest)
	if root == nil {
		return nil
	}
	if err := root.DeleteBucket([]byte(unitID)); err != nil && !errors.Is(err, berrors.ErrBucketNotFound) {
		return err
	}
	return nil
}

// noteLatest records problems just stored for a unit, if its index is built.
func noteLatest(tx *bolt.Tx, unitID string, ps []inspect.Problem) error {
	root := tx.Bucket(bucketUnitLatest)
	if root == nil {
		return nil
	}
	ub := root.Bucket([]byte(unitID))
	if ub == nil || ub.Get(keyLatestBuilt) == nil {
		return nil
	}
	return putLatest(ub, ps)
}

func putLatest(ub *bolt.Bucket, ps []inspect.Problem) error {
	for i := range ps {
		p := &ps[i]
		for _, k := range latestKeys(p) {
			if v := ub.Get(k); v != nil {
				var cur inspect.Problem
				if getJSON(v, &cur) == nil && cur.InspectionID != p.InspectionID && !newerProblem(p, &cur) {
					continue
				}
			}
			if err := putPacked(ub, k, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// repeatCandidates returns, for the inspection about to be completed, the
// most recent earlier problem of each of its template's items and
// categories; ok is false when the index cannot answer exactly (an entry
// of this inspection or the one it amends, one found later, one resolved
// and no repeat): then the caller reads the unit's whole history.
func repeatCandidates(tx *bolt.Tx, in *inspect.Inspection) (out []inspect.Problem, ok bool, err error) {
	root, err := tx.CreateBucketIfNotExists(bucketUnitLatest)
	if err != nil {
		return nil, false, err
	}
	ub := root.Bucket([]byte(in.UnitID))
	if ub == nil || ub.Get(keyLatestBuilt) == nil {
		all, err := unitProblemsTx(tx, in.UnitID)
		if err != nil {
			return nil, false, err
		}
		if ub, err = root.CreateBucketIfNotExists([]byte(in.UnitID)); err != nil {
			return nil, false, err
		}
		if err := putLatest(ub, all); err != nil {
			return nil, false, err
		}
		if err := ub.Put(keyLatestBuilt, []byte{1}); err != nil {
			return nil, false, err
		}
	}
	seen := map[string]bool{}
	var keys []string
	for _, it := range in.Template.Items() {
		keys = append(keys, "i:"+it.Code)
		if it.Category != "" {
			keys = append(keys, "c:"+it.Category)
		}
	}
	for _, f := range in.Findings {
		if f.Category != "" {
			keys = append(keys, "c:"+f.Category)
		}
	}
	for _, k := range keys {
		v := ub.Get([]byte(k))
		if v == nil {
			continue
		}
		var p inspect.Problem
		if err := getJSON(v, &p); err != nil {
			return nil, false, nil
		}
		if p.InspectionID == in.ID || (in.Amends != "" && p.InspectionID == in.Amends) ||
			!p.FoundAt.Before(in.ObservedAt) || (p.Resolved() && !p.Repeat) {
			return nil, false, nil
		}
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out, true, nil
}
