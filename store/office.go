package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// The 效能办 side of the store: signed reports imported from inspectors,
// their 整改 states, 抽签 records and bulk roster changes. Verifying a
// report is the report package's job; the store takes a ReportVerifier so
// that it stays free of PDF code.

var (
	bucketOfficeReports     = []byte("office_reports")
	bucketOfficeInspections = []byte("office_inspections")
	bucketOfficeFiles       = []byte("office_files")
	bucketIdxOfficeObserved = []byte("idx_office_observed")
	bucketIdxOfficeUnit     = []byte("idx_office_unit")
	bucketIdxOfficeAmends   = []byte("idx_office_amends")
	bucketRectifications    = []byte("rectifications")
	bucketDraws             = []byte("draws")

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
}

// ImportOutcome is what became of one file.
type ImportOutcome string

const (
	ImportAccepted  ImportOutcome = "accepted"  // stored
	ImportDuplicate ImportOutcome = "duplicate" // already there: nothing changed
	ImportRejected  ImportOutcome = "rejected"  // not stored, see Reason
	ImportSkipped   ImportOutcome = "skipped"   // not looked at: the import was cancelled
)

// ImportResult reports one file of an import.
type ImportResult struct {
	Path         string        `json:"path"`
	Outcome      ImportOutcome `json:"outcome"`
	Reason       string        `json:"reason,omitempty"`
	ReportID     string        `json:"report_id,omitempty"`
	Unit         string        `json:"unit,omitempty"`
	Score        float64       `json:"score,omitempty"`
	Signer       string        `json:"signer,omitempty"`
	Trust        string        `json:"trust,omitempty"`
	Supersedes   string        `json:"supersedes,omitempty"`    // the report this amendment replaced
	SupersededBy string        `json:"superseded_by,omitempty"` // stored, but an amendment already replaced it
	FollowUps    int           `json:"follow_ups,omitempty"`    // earlier problems a 回访 closed or reopened

	// ReasonKey names Reason in the translations, with ReasonParams for
	// its template; Reason is the English text. Empty when the reason has
	// no translation (an error from the file system).
	ReasonKey    string         `json:"reason_key,omitempty"`
	ReasonParams map[string]any `json:"reason_params,omitempty"`
}

// ImportSummary is the outcome of ImportReports.
type ImportSummary struct {
	Files      []ImportResult `json:"files"`
	Accepted   int            `json:"accepted"`
	Duplicates int            `json:"duplicates"`
	Rejected   int            `json:"rejected"`
	Skipped    int            `json:"skipped"`
	Cancelled  bool           `json:"cancelled"`
}

// ImportProgress is sent after each file.
type ImportProgress struct {
	Done, Total int
	Last        ImportResult
}

// ReportVerifier checks one PDF: a verified report, or the reason it is
// rejected (one English sentence as Message, with its translation Key and
// Params). cmd/mingcha builds it from report.Verify and the office CA.
type ReportVerifier func(data []byte) (*inspect.SignedReport, *inspect.Error)

// reject sets the result's reason from a rejection.
func (r *ImportResult) reject(e *inspect.Error) {
	r.Reason, r.ReasonKey, r.ReasonParams = e.Message, e.Key, e.Params
}

// rejection is a reason of the store's own, in the form of a verifier's.
func rejection(key string, params map[string]any, format string, args ...any) *inspect.Error {
	return inspect.Errorf(inspect.ECodeInvalid, key, params, format, args...)
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

// CollectPDFs expands paths: files as given, folders searched recursively
// for *.pdf (any case). The list is sorted and without repeats.
func CollectPDFs(paths []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			out = append(out, p)
		}
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".pdf") {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", p, err)
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// ImportReports verifies and stores the PDFs at paths (files or folders),
// each file in its own transaction: a file is stored whole or not at all,
// and a rejected file leaves nothing behind. Files are verified on several
// cores and stored in order. progress (may be nil) hears of every file.
// When ctx is cancelled the import stops between two files; the files not
// reached are reported as skipped.
func (s *Store) ImportReports(ctx context.Context, who string, paths []string, verify ReportVerifier, progress func(ImportProgress)) (ImportSummary, error) {
	var sum ImportSummary
	files, err := CollectPDFs(paths)
	if err != nil {
		return sum, err
	}
	if verify == nil {
		return sum, errors.New("import: no report verifier")
	}
	units, err := s.unitMatcher()
	if err != nil {
		return sum, err
	}
	type job struct {
		i    int
		path string
	}
	cancelled := rejection("import.cancelled", nil, "cancelled")
	type verified struct {
		data   []byte
		rep    *inspect.SignedReport
		reason *inspect.Error // nil: verified
		held   bool           // holds a place in the window
	}
	results := make([]chan verified, len(files))
	for i := range results {
		results[i] = make(chan verified, 1)
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // runs before wg.Wait: an error return stops the workers
	workers := min(runtime.GOMAXPROCS(0), 4, max(len(files), 1))
	// At most this many files are read ahead of the one being stored, so a
	// folder of large reports does not pile up in memory.
	window := make(chan struct{}, 2*workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if ctx.Err() != nil {
					results[j.i] <- verified{reason: cancelled, held: true}
					continue
				}
				data, err := readReport(j.path)
				if err != nil {
					results[j.i] <- verified{reason: &inspect.Error{Code: inspect.ECodeInvalid, Message: err.Error()}, held: true}
					continue
				}
				rep, reason := safeVerify(verify, data)
				results[j.i] <- verified{data: data, rep: rep, reason: reason, held: true}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i, p := range files {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				for k := i; k < len(files); k++ {
					results[k] <- verified{reason: cancelled}
				}
				return
			}
			select {
			case jobs <- job{i, p}:
			case <-ctx.Done():
				<-window
				for k := i; k < len(files); k++ {
					results[k] <- verified{reason: cancelled}
				}
				return
			}
		}
	}()

	for i, p := range files {
		v := <-results[i]
		if v.held {
			<-window
		}
		var r ImportResult
		switch {
		case ctx.Err() != nil:
			r = ImportResult{Path: p, Outcome: ImportSkipped}
			r.reject(rejection("import.cancelled", nil, "the import was cancelled before this file"))
			sum.Cancelled = true
		case v.reason != nil:
			r = ImportResult{Path: p, Outcome: ImportRejected}
			r.reject(v.reason)
		default:
			r, err = s.importReport(who, p, v.data, v.rep, units)
			if err != nil {
				return sum, fmt.Errorf("import %s: %w", p, err)
			}
		}
		switch r.Outcome {
		case ImportAccepted:
			sum.Accepted++
		case ImportDuplicate:
			sum.Duplicates++
		case ImportRejected:
			sum.Rejected++
		case ImportSkipped:
			sum.Skipped++
		}
		sum.Files = append(sum.Files, r)
		if progress != nil {
			progress(ImportProgress{Done: i + 1, Total: len(files), Last: r})
		}
	}
	return sum, nil
}

func readReport(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxReportSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxReportSize {
		return nil, fmt.Errorf("the file is larger than %d MB, not a report", MaxReportSize>>20)
	}
	return data, nil
}

// safeVerify keeps a panic in a verifier (a PDF library on hostile input)
// to the one file.
func safeVerify(verify ReportVerifier, data []byte) (rep *inspect.SignedReport, reason *inspect.Error) {
	defer func() {
		if p := recover(); p != nil {
			rep, reason = nil, rejection("import.unreadable", map[string]any{"Detail": fmt.Sprint(p)}, "the file cannot be read as a report (%v)", p)
		}
	}()
	rep, reason = verify(data)
	if reason == nil && (rep == nil || rep.Inspection == nil) {
		return nil, rejection("import.no_inspection", nil, "the report carries no inspection data")
	}
	return rep, reason
}

// ImportReport stores one verified report (see ImportReports for files).
// name is the file name shown in the audit log and lists.
func (s *Store) ImportReport(who, name string, data []byte, rep *inspect.SignedReport) (ImportResult, error) {
	units, err := s.unitMatcher()
	if err != nil {
		return ImportResult{}, err
	}
	return s.importReport(who, name, data, rep, units)
}

// unitMatch maps a report's unit to the office roster: by id when the
// inspector used the office's roster, else by department and name.
type unitMatch struct {
	ids    map[string]bool
	byName map[string]string
}

func (s *Store) unitMatcher() (*unitMatch, error) {
	units, err := s.Units()
	if err != nil {
		return nil, err
	}
	m := &unitMatch{ids: map[string]bool{}, byName: map[string]string{}}
	for _, u := range units {
		m.ids[u.ID] = true
		m.byName[inspect.UnitKey(u.Department, u.Name)] = u.ID
	}
	return m, nil
}

func (m *unitMatch) resolve(u inspect.Unit) string {
	if u.ID != "" && m.ids[u.ID] {
		return u.ID
	}
	key := inspect.UnitKey(u.Department, u.Name)
	if id, ok := m.byName[key]; ok {
		return id
	}
	// Not on the roster: the name, not the inspector's local id, so that
	// two inspectors' reports of the same unit meet.
	return key
}

func (s *Store) importReport(who, name string, data []byte, rep *inspect.SignedReport, units *unitMatch) (ImportResult, error) {
	res := ImportResult{Path: name, Outcome: ImportRejected}
	in := rep.Inspection
	if in == nil || strings.TrimSpace(in.ID) == "" {
		res.reject(rejection("import.no_id", nil, "the report carries no inspection id"))
		return res, nil
	}
	res.ReportID, res.Unit, res.Signer, res.Trust = in.ID, in.Unit.Name, rep.Signer, rep.Trust
	for _, f := range []string{in.ID, in.Amends, in.UnitID, in.Unit.ID, in.Unit.Name, in.Unit.Department} {
		if !plainText(f) {
			res.reject(rejection("import.bad_text", nil, "the report's id or unit contains control characters or is too long"))
			return res, nil
		}
	}
	if in.Status == inspect.StatusDraft {
		res.reject(rejection("import.draft", map[string]any{"Report": in.ID}, "report %s is a draft, not a completed inspection", in.ID))
		return res, nil
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])

	result := inspect.ResultOf(in)
	result.UnitID = units.resolve(in.Unit)
	for i := range result.Problems {
		result.Problems[i].UnitID = result.UnitID
	}
	res.Score = result.Score
	canon, err := canonicalInspection(in)
	if err != nil {
		return res, err
	}
	// The PDF is evidence, kept unchanged beside the database like the
	// photos; written first, so the record never names a missing file.
	created, err := s.keepReportFile(sha, data)
	if err != nil {
		return res, err
	}
	defer func() {
		if created && res.Outcome != ImportAccepted {
			_ = os.Remove(s.ReportPath(sha))
		}
	}()

	err = s.update(func(tx *bolt.Tx) error {
		if id := tx.Bucket(bucketOfficeFiles).Get([]byte(sha)); id != nil {
			res.Outcome = ImportDuplicate
			res.reject(rejection("import.same_file", map[string]any{"Report": string(id)}, "this file was already imported (report %s)", id))
			return errRollback
		}
		reports := tx.Bucket(bucketOfficeReports)
		if old := reports.Get([]byte(in.ID)); old != nil {
			var prev OfficeReport
			if err := json.Unmarshal(old, &prev); err != nil {
				return fmt.Errorf("report %s: %w", in.ID, err)
			}
			prevCanon, err := storedCanonical(tx, in.ID)
			if err != nil {
				return err
			}
			if !bytes.Equal(prevCanon, canon) {
				res.reject(rejection("import.id_taken", map[string]any{"Report": in.ID, "File": prev.FileName},
					"a different report with the same id %s was already imported from %s", in.ID, prev.FileName))
				return errRollback
			}
			// The same signed inspection exported again: a new file, the same report.
			res.Outcome = ImportDuplicate
			res.reject(rejection("import.duplicate", map[string]any{"Report": in.ID, "File": prev.FileName},
				"report %s was already imported from %s", in.ID, prev.FileName))
			return tx.Bucket(bucketOfficeFiles).Put([]byte(sha), []byte(in.ID))
		}

		rec := OfficeReport{
			ReportResult: result, Status: in.Status, FileSHA256: sha, FileName: filepath.Base(name),
			FileSize: len(data), Signer: rep.Signer, SignerUnit: rep.SignerUnit, Trust: rep.Trust,
			SigningTime: rep.SigningTime, ImportedAt: s.Now().UTC(), ImportedBy: who,
		}
		if by, err := amendedBy(tx, in.ID); err != nil {
			return err
		} else if by != "" {
			rec.SupersededBy, res.SupersededBy = by, by
		}
		if in.Amends != "" {
			replaced, err := s.supersede(tx, who, &rec)
			if err != nil {
				return err
			}
			res.Supersedes, res.SupersededBy = replaced, rec.SupersededBy
		}
		if err := putOfficeReport(tx, &rec); err != nil {
			return err
		}
		if err := putOfficeInspection(tx, in, canon); err != nil {
			return err
		}
		if err := tx.Bucket(bucketOfficeFiles).Put([]byte(sha), []byte(in.ID)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketIdxOfficeObserved).Put(summaryKey(rec.ObservedAt, in.ID), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketIdxOfficeUnit).Put(unitIdxKey(rec.UnitID, in.ID), nil); err != nil {
			return err
		}
		if in.Amends != "" {
			if err := tx.Bucket(bucketIdxOfficeAmends).Put(unitIdxKey(in.Amends, in.ID), nil); err != nil {
				return err
			}
		}
		if err := s.appendAudit(tx, who, "office.import", "report/"+in.ID, nil, map[string]any{
			"file": rec.FileName, "sha256": sha, "unit": rec.UnitName, "unit_id": rec.UnitID, "score": rec.Score,
			"signer": rec.Signer, "trust": rec.Trust, "amends": in.Amends, "superseded_by": rec.SupersededBy,
		}); err != nil {
			return err
		}
		if rec.SupersededBy == "" {
			n, err := s.applyFollowUps(tx, who, rec.UnitID)
			if err != nil {
				return err
			}
			res.FollowUps = n
		}
		res.Outcome, res.Reason, res.ReasonKey, res.ReasonParams = ImportAccepted, "", "", nil
		return nil
	})
	if errors.Is(err, errRollback) {
		err = nil
	}
	return res, err
}

// plainText bounds the strings that become keys: no control characters
// (the indexes separate parts with 0x00), at most 256 bytes.
func plainText(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// keepReportFile writes the PDF under its hash unless it is there; created
// tells whether this call wrote it.
func (s *Store) keepReportFile(sha string, data []byte) (created bool, err error) {
	p := s.ReportPath(sha)
	if info, err := os.Stat(p); err == nil && info.Size() == int64(len(data)) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return false, fmt.Errorf("report folder: %w", err)
	}
	if err := writeFileAtomic(p, func(f *os.File) error { _, err := f.Write(data); return err }); err != nil {
		return false, fmt.Errorf("keep report file: %w", err)
	}
	return true, nil
}

// canonicalInspection is the stored form of an imported inspection: the
// template apart (in snapshots/), the answers inline.
func canonicalInspection(in *inspect.Inspection) ([]byte, error) {
	_, hash, err := snapshotHash(&in.Template)
	if err != nil {
		return nil, err
	}
	r := record{Inspection: *in, TemplateSnapshot: hash}
	r.Template = inspect.Template{}
	return json.Marshal(&r)
}

// putOfficeInspection stores the canonical form and its template snapshot.
func putOfficeInspection(tx *bolt.Tx, in *inspect.Inspection, canon []byte) error {
	tb, hash, err := snapshotHash(&in.Template)
	if err != nil {
		return err
	}
	snaps := tx.Bucket(bucketSnapshots)
	if snaps.Get([]byte(hash)) == nil {
		if err := snaps.Put([]byte(hash), tb); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketOfficeInspections).Put([]byte(in.ID), canon)
}

func storedCanonical(tx *bolt.Tx, id string) ([]byte, error) {
	v := tx.Bucket(bucketOfficeInspections).Get([]byte(id))
	if v == nil {
		return nil, fmt.Errorf("report %s: stored inspection missing", id)
	}
	return append([]byte(nil), v...), nil
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

func loadRectification(tx *bolt.Tx, problemID string) (*inspect.Rectification, error) {
	v := tx.Bucket(bucketRectifications).Get([]byte(problemID))
	if v == nil {
		return nil, nil
	}
	var r inspect.Rectification
	if err := json.Unmarshal(v, &r); err != nil {
		return nil, fmt.Errorf("rectification %s: %w", problemID, err)
	}
	return &r, nil
}

// applyFollowUps replays the unit's reports in observed order, each as a
// 回访 of the problems found before it, and records what changed. Reports
// arrive in any order, so a late-imported first visit is checked against
// the 回访 already stored too. It returns the number of changes.
func (s *Store) applyFollowUps(tx *bolt.Tx, who, unitID string) (int, error) {
	reps, err := unitReports(tx, unitID)
	if err != nil || len(reps) < 2 {
		return 0, err
	}
	changed := 0
	var earlier []inspect.Problem
	for i, r := range reps {
		if i > 0 {
			in, err := loadOfficeInspection(tx, r.ReportID)
			if err != nil {
				return changed, err
			}
			in.UnitID = unitID
			for _, c := range inspect.FollowUp(earlier, in, s.Now()) {
				old, err := loadRectification(tx, c.Problem.ID)
				if err != nil {
					return changed, err
				}
				if old != nil && old.FollowUp == c.FollowUp && old.State == c.Problem.State {
					continue
				}
				rec := inspect.RectificationOf(&c.Problem, c.FollowUp, who, s.Now().UTC())
				if err := putJSON(tx.Bucket(bucketRectifications), rec.ProblemID, &rec); err != nil {
					return changed, err
				}
				if err := s.appendAudit(tx, who, "problem.follow_up", "problem/"+rec.ProblemID,
					map[string]any{"state": c.OldState}, map[string]any{"state": rec.State, "follow_up": rec.FollowUp}); err != nil {
					return changed, err
				}
				changed++
				for k := range earlier {
					if earlier[k].ID == c.Problem.ID {
						earlier[k] = c.Problem
					}
				}
			}
		}
		for _, p := range r.Problems {
			p.UnitID = unitID
			rect, err := loadRectification(tx, p.ID)
			if err != nil {
				return changed, err
			}
			rect.Apply(&p)
			earlier = append(earlier, p)
		}
	}
	return changed, nil
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

// OfficeReports lists the imported reports observed in f's period, oldest
// first, with their problems' 整改 states applied; superseded reports only
// when withSuperseded.
func (s *Store) OfficeReports(f inspect.Filter, withSuperseded bool) ([]OfficeReport, error) {
	var out []OfficeReport
	err := s.view(func(tx *bolt.Tx) error {
		rects, err := allRectifications(tx)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketOfficeReports).ForEach(func(k, v []byte) error {
			var r OfficeReport
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("report %s: %w", k, err)
			}
			if (r.SupersededBy != "" && !withSuperseded) || !f.Match(&r.ReportResult) {
				return nil
			}
			for i := range r.Problems {
				if rc, ok := rects[r.Problems[i].ID]; ok {
					rc.Apply(&r.Problems[i])
				}
			}
			out = append(out, r)
			return nil
		})
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].before(&out[j]) })
	return out, err
}

// before orders reports as every office list shows them: by observation
// time, then by report id.
func (r *OfficeReport) before(o *OfficeReport) bool {
	if !r.ObservedAt.Equal(o.ObservedAt) {
		return r.ObservedAt.Before(o.ObservedAt)
	}
	return r.ReportID < o.ReportID
}

func allRectifications(tx *bolt.Tx) (map[string]*inspect.Rectification, error) {
	out := map[string]*inspect.Rectification{}
	err := tx.Bucket(bucketRectifications).ForEach(func(k, v []byte) error {
		var r inspect.Rectification
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("rectification %s: %w", k, err)
		}
		out[string(k)] = &r
		return nil
	})
	return out, err
}

// OfficeResults lists the current results of every imported report (any
// period) with their 整改 states, for inspect.Summarize.
func (s *Store) OfficeResults() ([]inspect.ReportResult, error) {
	reps, err := s.OfficeReports(inspect.Filter{}, false)
	if err != nil {
		return nil, err
	}
	out := make([]inspect.ReportResult, len(reps))
	for i := range reps {
		out[i] = reps[i].ReportResult
	}
	return out, nil
}

// Overview summarises the period and filters of f, and when f names a
// period compares it with the period of the same length before it.
func (s *Store) Overview(f inspect.Filter) (*inspect.Overview, error) {
	all, err := s.OfficeResults()
	if err != nil {
		return nil, err
	}
	o := inspect.Summarize(all, f)
	if pf, pt := inspect.PreviousPeriod(f.From, f.To); !pf.IsZero() {
		prev := f
		prev.From, prev.To = pf, pt
		o.CompareWith(inspect.Summarize(all, prev))
	}
	return o, nil
}

// OfficeProblem is one problem in the office's 整改 list.
type OfficeProblem struct {
	inspect.Problem
	UnitName   string    `json:"unit_name"`
	Department string    `json:"department,omitempty"`
	ReportID   string    `json:"report_id"`
	ObservedAt time.Time `json:"observed_at"`
	Overdue    bool      `json:"overdue"`
	DaysLate   int       `json:"days_late,omitempty"` // working days past the deadline
	FollowUp   string    `json:"follow_up,omitempty"` // the 回访 that closed or reopened it
	People     []string  `json:"people,omitempty"`
}

// Holidays reads the working-day calendar (SettingHolidays).
func (s *Store) Holidays() (inspect.Holidays, error) {
	var cal struct {
		Off      []string `json:"off"`
		Workdays []string `json:"workdays"`
	}
	h := inspect.Holidays{Off: map[string]bool{}, Workdays: map[string]bool{}}
	if _, err := s.Setting(SettingHolidays, &cal); err != nil {
		return h, err
	}
	for _, d := range cal.Off {
		h.Off[d] = true
	}
	for _, d := range cal.Workdays {
		h.Workdays[d] = true
	}
	return h, nil
}

// OfficeProblems lists the problems of the current reports that match f,
// with 重复问题 judged across all reports, overdue ones first, then by
// deadline. now decides what is overdue.
func (s *Store) OfficeProblems(f inspect.ProblemFilter, now time.Time) ([]OfficeProblem, error) {
	hol, err := s.Holidays()
	if err != nil {
		return nil, err
	}
	var follow map[string]string
	err = s.view(func(tx *bolt.Tx) error {
		rects, err := allRectifications(tx)
		follow = map[string]string{}
		for id, r := range rects {
			follow[id] = r.FollowUp
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	all, err := s.OfficeResults()
	if err != nil {
		return nil, err
	}
	o := inspect.Summarize(all, inspect.Filter{})
	var out []OfficeProblem
	for _, r := range o.Results {
		for _, p := range r.Problems {
			if !f.Match(&p, r.Department) {
				continue
			}
			out = append(out, OfficeProblem{
				Problem: p, UnitName: r.UnitName, Department: r.Department,
				ReportID: r.ReportID, ObservedAt: r.ObservedAt, Overdue: p.Overdue(now),
				DaysLate: inspect.WorkingDaysLate(&p, now, hol), FollowUp: follow[p.ID], People: r.People[p.ID],
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// ChangeProblem applies an office action (rectify, verify-fix, reopen) to
// a problem of a current report, by the domain's rules, with its audit
// entry, in one transaction.
func (s *Store) ChangeProblem(who, problemID string, a inspect.Action, note string) (*inspect.Problem, error) {
	var out inspect.Problem
	err := s.update(func(tx *bolt.Tx) error {
		rep, p, err := findProblem(tx, problemID)
		if err != nil {
			return err
		}
		if rep.SupersededBy != "" {
			return inspect.Errorf(inspect.ECodeConflict, "office.problem_superseded",
				map[string]any{"ID": problemID, "By": rep.SupersededBy},
				"report %s was replaced by its amendment %s; change that report's problem instead", rep.ReportID, rep.SupersededBy)
		}
		old, err := loadRectification(tx, p.ID)
		if err != nil {
			return err
		}
		old.Apply(&p)
		before := p.State
		if err := p.Do(a, s.Now().UTC(), note); err != nil {
			return err
		}
		rec := inspect.RectificationOf(&p, "", who, s.Now().UTC())
		if err := putJSON(tx.Bucket(bucketRectifications), p.ID, &rec); err != nil {
			return err
		}
		out = p
		return s.appendAudit(tx, who, "problem."+string(a), "problem/"+p.ID,
			map[string]any{"state": before}, map[string]any{"state": p.State, "note": note})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// findProblem finds a problem by id in the imported reports. A problem id
// is "<report id>/<item code or finding id>".
func findProblem(tx *bolt.Tx, problemID string) (*OfficeReport, inspect.Problem, error) {
	notFound := inspect.Errorf(inspect.ECodeNotFound, "office.no_problem", map[string]any{"ID": problemID},
		"no imported report has problem %s", problemID)
	for i := 0; i < len(problemID); i++ {
		if problemID[i] != '/' {
			continue
		}
		rep, err := getOfficeReport(tx, problemID[:i])
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, inspect.Problem{}, err
		}
		for _, p := range rep.Problems {
			if p.ID == problemID {
				return rep, p, nil
			}
		}
	}
	return nil, inspect.Problem{}, notFound
}

// SaveDraw records a 抽签 with its seed and candidates, and writes it to
// the audit log.
func (s *Store) SaveDraw(who string, d *inspect.Draw) error {
	return s.update(func(tx *bolt.Tx) error {
		d.Seq = nextSeq(tx, "draw")
		if d.By == "" {
			d.By = who
		}
		v, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketDraws).Put(u64(d.Seq), v); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "office.draw", fmt.Sprintf("draw/%d", d.Seq), nil, json.RawMessage(v))
	})
}

// Draws lists the recorded draws, oldest first.
func (s *Store) Draws() ([]inspect.Draw, error) {
	var out []inspect.Draw
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDraws).ForEach(func(k, v []byte) error {
			var d inspect.Draw
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("draw %x: %w", k, err)
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// ImportUnits stores a roster in one transaction: a unit with a known id,
// or else the same department and name as a stored unit, updates it; any
// other is created. Every unit is validated first; one invalid unit stores
// nothing.
func (s *Store) ImportUnits(who string, units []inspect.Unit) (created, updated int, err error) {
	for i := range units {
		if err := units[i].Validate(); err != nil {
			return 0, 0, fmt.Errorf("unit %d (%s): %w", i+1, units[i].Name, err)
		}
	}
	existing, err := s.unitMatcher()
	if err != nil {
		return 0, 0, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		created, updated = 0, 0
		b := tx.Bucket(bucketUnits)
		for i := range units {
			u := units[i]
			switch {
			case u.ID != "" && existing.ids[u.ID]:
			case u.ID == "":
				if id, ok := existing.byName[inspect.UnitKey(u.Department, u.Name)]; ok {
					u.ID = id
				}
			}
			if u.ID == "" {
				var b [6]byte
				_, _ = rand.Read(b[:])
				u.ID = "U-" + hex.EncodeToString(b[:])
			}
			old := b.Get([]byte(u.ID))
			nv, err := json.Marshal(&u)
			if err != nil {
				return err
			}
			if bytes.Equal(old, nv) {
				continue
			}
			if old == nil {
				created++
			} else {
				updated++
			}
			old = append([]byte(nil), old...)
			if err := b.Put([]byte(u.ID), nv); err != nil {
				return err
			}
			if err := s.appendAudit(tx, who, "unit.import", "unit/"+u.ID, rawJSON(old), nv); err != nil {
				return err
			}
			existing.ids[u.ID] = true
			existing.byName[inspect.UnitKey(u.Department, u.Name)] = u.ID
			units[i].ID = u.ID
		}
		return nil
	})
	return created, updated, err
}
