package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// The 效能办 side of the store: signed reports imported from inspectors,
// their 整改 states, 抽签 records and bulk roster changes. Verifying a
// report is the report package's job; the store takes a ReportVerifier so
// that it stays free of PDF code. This file holds the office buckets and the
// stored report records; office_import.go imports, office_amend.go applies
// amendments, office_rectify.go keeps 整改 and 回访, office_overview.go
// answers the queries, office_units.go matches units to the roster and
// office_draws.go keeps 抽签. The rules themselves are inspect's
// (inspect/office_policy.go): the store loads, calls them and stores.

var (
	bucketOfficeReports     = []byte("office_reports")
	bucketOfficeInspections = []byte("office_inspections")
	bucketOfficeFiles       = []byte("office_files")
	bucketIdxOfficeObserved = []byte("idx_office_observed")
	bucketIdxOfficeUnit     = []byte("idx_office_unit")
	bucketIdxOfficeAmends   = []byte("idx_office_amends")
	bucketRectifications    = []byte("rectifications")
	bucketDraws             = []byte("draws")
	bucketNotices           = []byte("notices") // problem id → the 整改通知书 issued for it (rectify_docs.go; made on first use)

	officeBuckets = [][]byte{
		bucketOfficeReports, bucketOfficeInspections, bucketOfficeFiles,
		bucketIdxOfficeObserved, bucketIdxOfficeUnit, bucketIdxOfficeAmends, bucketRectifications, bucketDraws,
	}
)

// Setting keys of the office side.
const (
	// SettingOfficeCA holds the office CA certificate (PEM, as a JSON
	// string): imports accept only reports signed by certificates it issued.
	SettingOfficeCA = "office.ca_pem"
	// SettingHolidays holds {"off": [dates], "workdays": [dates]} for
	// working-day deadlines (法定节假日 and 调休).
	SettingHolidays = "office.holidays"
)

// MaxReportSize bounds one imported PDF.
const MaxReportSize = 256 << 20

// OfficeReport is an imported report as the office keeps it: the result
// the overview needs, who signed it and which file it came from.
type OfficeReport struct {
	inspect.ReportResult
	Status       inspect.Status `json:"status"`
	FileSHA256   string         `json:"file_sha256"`
	FileName     string         `json:"file_name"`
	FileSize     int            `json:"file_size"`
	Signer       string         `json:"signer"`
	SignerUnit   string         `json:"signer_unit,omitempty"`
	Trust        string         `json:"trust"`
	SigningTime  time.Time      `json:"signing_time,omitzero"`
	ImportedAt   time.Time      `json:"imported_at"`
	ImportedBy   string         `json:"imported_by,omitempty"`
	SupersededBy string         `json:"superseded_by,omitempty"` // the amendment that replaced it
	Signers      []string       `json:"signers,omitempty"`       // every signer, the certifier first
	PagesSHA256  string         `json:"pages_sha256,omitempty"`  // what the pages show (report.Verify)
}

// ReportDir is the folder of the imported PDF files, named by SHA-256.
func (s *Store) ReportDir() string { return s.path + ".reports" }

// ReportPath is where the PDF with the given SHA-256 is kept.
func (s *Store) ReportPath(sha string) string {
	if len(sha) < 2 {
		return filepath.Join(s.ReportDir(), sha+".pdf")
	}
	return filepath.Join(s.ReportDir(), sha[:2], sha+".pdf")
}

func putOfficeReport(tx *bolt.Tx, r *OfficeReport) error {
	return putJSON(tx.Bucket(bucketOfficeReports), r.ReportID, r)
}

func getOfficeReport(tx *bolt.Tx, id string) (*OfficeReport, error) {
	v := tx.Bucket(bucketOfficeReports).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("report %s: %w", id, ErrNotFound)
	}
	var r OfficeReport
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	return &r, nil
}

func unitIdxKey(unitID, reportID string) []byte {
	return []byte(unitID + "\x00" + reportID)
}

// unitReports lists the current (not superseded) reports of a unit, oldest first.
func unitReports(tx *bolt.Tx, unitID string) ([]*OfficeReport, error) {
	var out []*OfficeReport
	prefix := []byte(unitID + "\x00")
	c := tx.Bucket(bucketIdxOfficeUnit).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		r, err := getOfficeReport(tx, string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		if r.SupersededBy == "" {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].before(out[j]) })
	return out, nil
}

func loadOfficeInspection(tx *bolt.Tx, id string) (*inspect.Inspection, error) {
	v := tx.Bucket(bucketOfficeInspections).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("report %s: %w", id, ErrNotFound)
	}
	var r record
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	in := r.Inspection
	tpl, err := loadSnapshot(tx, r.TemplateSnapshot)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", id, err)
	}
	in.Template = *tpl
	if in.Answers == nil {
		in.Answers = map[string]*inspect.Answer{}
	}
	return &in, nil
}

// OfficeInspection loads an imported inspection as it was signed.
func (s *Store) OfficeInspection(id string) (*inspect.Inspection, error) {
	var in *inspect.Inspection
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		in, err = loadOfficeInspection(tx, id)
		return err
	})
	return in, err
}

// OfficeReport loads one imported report's record.
func (s *Store) OfficeReport(id string) (*OfficeReport, error) {
	var r *OfficeReport
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = getOfficeReport(tx, id)
		return err
	})
	return r, err
}

// before orders reports as every office list shows them: by observation
// time, then by report id.
func (r *OfficeReport) before(o *OfficeReport) bool {
	if !r.ObservedAt.Equal(o.ObservedAt) {
		return r.ObservedAt.Before(o.ObservedAt)
	}
	return r.ReportID < o.ReportID
}
