package store

import (
	"bytes"
	"context"
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

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// Importing signed reports: files are verified (by the caller's
// ReportVerifier) on several cores and stored one transaction each.

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
	units, err := s.roster()
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

	// Verified reports are stored in batches: one transaction and one sync
	// of each folder per batch, each report still whole or not at all. No
	// automatic backup runs inside the import (one may follow it).
	s.beginImport()
	defer s.endImport()
	type pending struct {
		r ImportResult
		p *preparedImport // nil: r is final
	}
	var queue []pending
	queued, queuedBytes := 0, 0
	emitted := 0
	flush := func() error {
		var batch []*preparedImport
		for _, q := range queue {
			if q.p != nil {
				batch = append(batch, q.p)
			}
		}
		if len(batch) > 0 {
			if err := s.storeBatch(who, batch); err != nil {
				return err
			}
		}
		for _, q := range queue {
			r := q.r
			if q.p != nil {
				r = q.p.res
			}
			emitted++
			tally(&sum, r)
			if progress != nil {
				progress(ImportProgress{Done: emitted, Total: len(files), Last: r})
			}
		}
		queue, queued, queuedBytes = queue[:0], 0, 0
		return nil
	}
	for i, p := range files {
		// Store what is queued whenever the next file is not verified yet:
		// batches form only while verification is ahead, and a slow file
		// never holds back the ones before it.
		var v verified
		select {
		case v = <-results[i]:
		default:
			if err := flush(); err != nil {
				return sum, err
			}
			v = <-results[i]
		}
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
			prep, pr, err := s.prepareImport(p, v.data, v.rep, units)
			if err != nil {
				return sum, fmt.Errorf("import %s: %w", p, err)
			}
			if prep != nil {
				queue = append(queue, pending{p: prep})
				queued++
				queuedBytes += len(v.data)
				if queued >= importBatchFiles || queuedBytes >= importBatchBytes {
					if err := flush(); err != nil {
						return sum, err
					}
				}
				continue
			}
			r = pr
		}
		queue = append(queue, pending{r: r})
		// A cancelled import stores what it has at once.
		if ctx.Err() != nil {
			if err := flush(); err != nil {
				return sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	return sum, nil
}

// Reports stored per transaction in an import, and the bytes they may hold
// in memory meanwhile.
const (
	importBatchFiles = 16
	importBatchBytes = 64 << 20
)

// storeBatch writes the batch's PDFs and stores the reports in one
// transaction. If that transaction fails, each report is tried alone, so
// the failure is the one report's and the others are kept.
func (s *Store) storeBatch(who string, batch []*preparedImport) error {
	initial := make([]ImportResult, len(batch))
	for i, p := range batch {
		initial[i] = p.res
	}
	err := s.keepReportFiles(batch)
	if err == nil {
		err = s.update(func(tx *bolt.Tx) error { return s.applyImports(tx, who, batch) })
		s.dropUnacceptedFiles(batch, err != nil)
		if err == nil {
			return nil
		}
	}
	for i, p := range batch {
		p.res = initial[i]
		one := []*preparedImport{p}
		if err := s.keepReportFiles(one); err != nil {
			return fmt.Errorf("import %s: %w", p.name, err)
		}
		err := s.update(func(tx *bolt.Tx) error { return s.applyImports(tx, who, one) })
		s.dropUnacceptedFiles(one, err != nil)
		if err != nil {
			return fmt.Errorf("import %s: %w", p.name, err)
		}
	}
	return nil
}

func tally(sum *ImportSummary, r ImportResult) {
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
	units, err := s.roster()
	if err != nil {
		return ImportResult{}, err
	}
	return s.importReport(who, name, data, rep, units)
}

func (s *Store) prepareImport(name string, data []byte, rep *inspect.SignedReport, units *inspect.Roster) (*preparedImport, ImportResult, error) {
	res := ImportResult{Path: name, Outcome: ImportRejected}
	in := rep.Inspection
	if in == nil || strings.TrimSpace(in.ID) == "" {
		res.reject(rejection("import.no_id", nil, "the report carries no inspection id"))
		return nil, res, nil
	}
	res.ReportID, res.Unit, res.Signer, res.Trust = in.ID, in.Unit.Name, rep.Signer, rep.Trust
	for _, f := range []string{in.ID, in.Amends, in.UnitID, in.Unit.ID, in.Unit.Name, in.Unit.Department} {
		if !plainText(f) {
			res.reject(rejection("import.bad_text", nil, "the report's id or unit contains control characters or is too long"))
			return nil, res, nil
		}
	}
	if in.Status == inspect.StatusDraft {
		res.reject(rejection("import.draft", map[string]any{"Report": in.ID}, "report %s is a draft, not a completed inspection", in.ID))
		return nil, res, nil
	}
	if reason := s.templateMismatch(in); reason != nil {
		res.reject(reason)
		return nil, res, nil
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])

	result := inspect.ResultOf(in)
	result.UnitID = units.Resolve(in.Unit)
	for i := range result.Problems {
		result.Problems[i].UnitID = result.UnitID
	}
	res.Score = result.Score
	canon, err := canonicalInspection(in)
	if err != nil {
		return nil, res, err
	}
	return &preparedImport{name: name, data: data, rep: rep, in: in, sha: sha, canon: canon, result: result, res: res}, res, nil
}

// preparedImport is a verified report ready to store: its file name, bytes,
// hash, canonical record and result.
type preparedImport struct {
	name    string
	data    []byte
	rep     *inspect.SignedReport
	in      *inspect.Inspection
	sha     string
	canon   []byte
	result  inspect.ReportResult
	res     ImportResult
	created bool // this import wrote the PDF file
}

// importReport stores one verified report in its own transaction.
func (s *Store) importReport(who, name string, data []byte, rep *inspect.SignedReport, units *inspect.Roster) (ImportResult, error) {
	p, res, err := s.prepareImport(name, data, rep, units)
	if p == nil || err != nil {
		return res, err
	}
	batch := []*preparedImport{p}
	if err := s.keepReportFiles(batch); err != nil {
		return p.res, err
	}
	err = s.update(func(tx *bolt.Tx) error { return s.applyImports(tx, who, batch) })
	s.dropUnacceptedFiles(batch, err != nil)
	return p.res, err
}

// applyImports stores a batch of prepared reports in one transaction; each
// report is stored whole or not at all: a refusal (a duplicate, a taken
// id) is decided before it writes anything.
func (s *Store) applyImports(tx *bolt.Tx, who string, batch []*preparedImport) error {
	for _, p := range batch {
		if err := s.applyImport(tx, who, p); err != nil && !errors.Is(err, errRollback) {
			return err
		}
	}
	return nil
}

// dropUnacceptedFiles removes the PDF files this import wrote for reports
// it did not accept (or all of them, when the transaction failed).
func (s *Store) dropUnacceptedFiles(batch []*preparedImport, failed bool) {
	for _, p := range batch {
		if p.created && (failed || p.res.Outcome != ImportAccepted) {
			_ = os.Remove(s.ReportPath(p.sha))
			p.created = false
		}
	}
}

func (s *Store) applyImport(tx *bolt.Tx, who string, p *preparedImport) error {
	name, data, rep, in, sha, canon, result, res := p.name, p.data, p.rep, p.in, p.sha, p.canon, p.result, &p.res
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
		if reason := pagesMismatch(&prev, rep); reason != nil {
			res.reject(reason)
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
		Signers: rep.Signers, PagesSHA256: rep.PagesSHA256,
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
	// Which report of the family counts is the domain's rule; the
	// family is stored (this report included) before it is decided.
	by, replaced, err := s.supersedeFamily(tx, who, in.ID)
	if err != nil {
		return err
	}
	rec.SupersededBy, res.Supersedes, res.SupersededBy = by, replaced, by
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

// keepReportFiles writes each report's PDF under its hash unless it is
// there (temp file, fsync, rename), then syncs each folder it wrote in
// once: a batch costs one fsync per new file and one per folder, not two
// per file. p.created tells whether this import wrote the file.
func (s *Store) keepReportFiles(batch []*preparedImport) error {
	dirs := map[string]bool{}
	for _, p := range batch {
		path := s.ReportPath(p.sha)
		if info, err := os.Stat(path); err == nil && info.Size() == int64(len(p.data)) {
			continue
		}
		dir := filepath.Dir(path)
		if _, err := os.Stat(dir); err != nil {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return fmt.Errorf("report folder: %w", err)
			}
			dirs[filepath.Dir(dir)] = true // the new folder's own entry
		}
		if err := writeFileNoDirSync(path, p.data); err != nil {
			return fmt.Errorf("keep report file: %w", err)
		}
		p.created = true
		dirs[dir] = true
	}
	for d := range dirs {
		if err := syncDir(d); err != nil {
			return fmt.Errorf("keep report files: %w", err)
		}
	}
	return nil
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
