package store

import (
	"bytes"
	"encoding/json"
	"errors"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// Amendments: an imported amendment replaces the report it corrects.

// amendedBy finds a stored current report that amends id.
func amendedBy(tx *bolt.Tx, id string) (string, error) {
	prefix := []byte(id + "\x00")
	c := tx.Bucket(bucketIdxOfficeAmends).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := getOfficeReport(tx, string(k[len(prefix):]))
		if err != nil {
			return "", err
		}
		if r.SupersededBy == "" {
			return r.ReportID, nil
		}
	}
	return "", nil
}

// supersede lets the amendment rec replace the report it amends. When that
// report was already replaced by another amendment, the one signed later
// wins. It returns the id rec replaced ("" if none is stored yet).
func (s *Store) supersede(tx *bolt.Tx, who string, rec *OfficeReport) (string, error) {
	orig, err := getOfficeReport(tx, rec.Amends)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	target := orig
	if orig.SupersededBy != "" {
		rival, err := getOfficeReport(tx, orig.SupersededBy)
		if err != nil {
			return "", err
		}
		if rival.Amends != orig.ReportID {
			return "", nil // replaced in a chain already; rec itself is superseded
		}
		if rival.SigningTime.After(rec.SigningTime) {
			if rec.SupersededBy == "" {
				rec.SupersededBy = rival.ReportID
			}
			return "", nil
		}
		target = rival
	}
	target.SupersededBy = rec.ReportID
	if err := putOfficeReport(tx, target); err != nil {
		return "", err
	}
	// 整改 recorded against the replaced report carries over to the same
	// item or finding of the amendment.
	rb := tx.Bucket(bucketRectifications)
	for _, op := range target.Problems {
		v := rb.Get([]byte(op.ID))
		if v == nil {
			continue
		}
		var r inspect.Rectification
		if err := json.Unmarshal(v, &r); err != nil {
			return "", err
		}
		for _, np := range rec.Problems {
			if np.ItemCode == op.ItemCode && np.FindingID == op.FindingID && rb.Get([]byte(np.ID)) == nil {
				r.ProblemID = np.ID
				if err := putJSON(rb, np.ID, &r); err != nil {
					return "", err
				}
			}
		}
	}
	return target.ReportID, s.appendAudit(tx, who, "office.supersede", "report/"+target.ReportID, nil,
		map[string]any{"superseded_by": rec.ReportID})
}
