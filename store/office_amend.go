package store

import (
	"bytes"
	"errors"
	"sort"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// Amendments: an imported amendment replaces the report it corrects. Which
// report replaces which is inspect.Supersede's decision and the 整改 that
// moves with it inspect.CarryOver's; this file loads a family of reports
// linked by amendments and stores what those rules decided.

// amendmentFamily loads the stored reports linked to id by amendments, in
// either direction and through amendments of the same report (imported or
// not).
func amendmentFamily(tx *bolt.Tx, id string) (map[string]*OfficeReport, error) {
	family := map[string]*OfficeReport{}
	seen := map[string]bool{}
	queue := []string{id}
	idx := tx.Bucket(bucketIdxOfficeAmends)
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		r, err := getOfficeReport(tx, x)
		switch {
		case err == nil:
			family[x] = r
			queue = append(queue, r.Amends)
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
		prefix := []byte(x + "\x00")
		c := idx.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			queue = append(queue, string(k[len(prefix):]))
		}
	}
	return family, nil
}

// supersedeFamily applies inspect.Supersede to the family of the report
// being imported (id, stored already) and carries 整改 over to the
// amendments that replace reports. It returns the report that replaces id
// ("" when it is current) and the report id newly replaced ("" if none).
// The imported report's own change is in its import audit entry; every
// other report's is an office.supersede entry.
func (s *Store) supersedeFamily(tx *bolt.Tx, who, id string) (by, replaced string, err error) {
	family, err := amendmentFamily(tx, id)
	if err != nil {
		return "", "", err
	}
	if len(family) < 2 {
		return "", "", nil
	}
	ids := make([]string, 0, len(family))
	versions := make([]inspect.Version, 0, len(family))
	for rid, r := range family {
		ids = append(ids, rid)
		versions = append(versions, inspect.Version{ReportID: rid, Amends: r.Amends, SigningTime: r.SigningTime})
	}
	sort.Strings(ids)
	sups := inspect.Supersede(versions)
	newBy := map[string]string{}
	for _, sp := range sups {
		newBy[sp.Report] = sp.By
	}
	for _, rid := range ids {
		r := family[rid]
		if r.SupersededBy == newBy[rid] {
			continue
		}
		old := r.SupersededBy
		r.SupersededBy = newBy[rid]
		if err := putOfficeReport(tx, r); err != nil {
			return "", "", err
		}
		if r.SupersededBy == id && (replaced == "" || rid == family[id].Amends) {
			replaced = rid
		}
		if rid == id {
			continue
		}
		if err := s.appendAudit(tx, who, "office.supersede", "report/"+rid,
			map[string]any{"superseded_by": old}, map[string]any{"superseded_by": r.SupersededBy}); err != nil {
			return "", "", err
		}
	}

	problems := map[string][]inspect.Problem{}
	rects := map[string]inspect.Rectification{}
	for _, rid := range ids {
		problems[rid] = family[rid].Problems
		for _, p := range family[rid].Problems {
			rc, err := loadRectification(tx, p.ID)
			if err != nil {
				return "", "", err
			}
			if rc != nil {
				rects[p.ID] = *rc
			}
		}
	}
	rb := tx.Bucket(bucketRectifications)
	for _, rc := range inspect.CarryOver(sups, problems, rects) {
		if err := putJSON(rb, rc.ProblemID, &rc); err != nil {
			return "", "", err
		}
	}
	return newBy[id], replaced, nil
}
