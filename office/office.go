// Package office holds the 效能办's use cases, once, for both faces (the
// window's 效能办 screen in app and "mingcha office …" in cmd/mingcha):
// the verifier with the office CA, importing signed reports, the overview
// of a period, the problems and their 整改 actions, a unit's history, the
// 通报, 抽签 and the results workbook.
//
// An Office takes what it works with explicitly: the store, the clock and
// the office key. It holds no state of its own, so a face that swaps the
// database makes a new one with On.
package office

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// Office is the 效能办's side of one open database.
type Office struct {
	Store *store.Store
	// Now is the clock: overdue problems, draws, dates of documents. Nil
	// means time.Now.
	Now func() time.Time
	// Keys says where the office key lives and what unlocks it.
	Keys Keys
}

// Keys are the office key's rules' inputs a face provides.
type Keys struct {
	// Path is the office key (.p12); "" means identity.p12 beside the
	// database.
	Path string
	// Passphrase, when not empty, opens the key when the request has none:
	// the value of MINGCHA_PASSPHRASE, read by the face.
	Passphrase string
}

// New is an Office over an open store, with the real clock.
func New(s *store.Store, keys Keys) *Office {
	return &Office{Store: s, Now: time.Now, Keys: keys}
}

// On is a copy of o over another store.
func (o *Office) On(s *store.Store) *Office {
	c := *o
	c.Store = s
	return &c
}

func (o *Office) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// ParseCA reads an office CA certificate (PEM); empty data is no CA.
func ParseCA(pemData []byte) (*x509.CertPool, error) {
	if len(bytes.TrimSpace(pemData)) == 0 {
		return nil, nil
	}
	pool, err := report.ParseCertPool(pemData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", lang.L("office CA"), err)
	}
	return pool, nil
}

// Verifier is the check every imported report passes: signature, nothing
// changed or appended, embedded data, and with caPEM the office CA.
func Verifier(caPEM []byte) (store.ReportVerifier, error) {
	roots, err := ParseCA(caPEM)
	if err != nil {
		return nil, err
	}
	return report.OfficeVerifier(roots), nil
}

// CA is the office CA stored in the database (office config --ca, or the
// window's settings); ok is false when none is set.
func (o *Office) CA() (pemData []byte, ok bool, err error) {
	var s string
	ok, err = o.Store.Setting(store.SettingOfficeCA, &s)
	if err != nil || !ok {
		return nil, ok, err
	}
	return []byte(s), true, nil
}

// SetCA stores the office CA: from then on imports accept only reports it
// vouches for.
func (o *Office) SetCA(who string, pemData []byte) error {
	if _, err := report.ParseCertPool(pemData); err != nil {
		return err
	}
	return o.Store.PutSetting(who, store.SettingOfficeCA, string(pemData))
}

// Holidays is the office's calendar of days off and make-up working days.
type Holidays struct {
	Off      []string `json:"off"`
	Workdays []string `json:"workdays"`
}

// DateError names a value of a calendar that is not a date like 2026-10-01.
type DateError struct{ Value string }

func (e *DateError) Error() string { return fmt.Sprintf("%q is not a date like 2026-10-01", e.Value) }

// SetHolidays checks every date and stores the calendar.
func (o *Office) SetHolidays(who string, cal Holidays) error {
	for _, d := range append(append([]string(nil), cal.Off...), cal.Workdays...) {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return &DateError{Value: d}
		}
	}
	return o.Store.PutSetting(who, store.SettingHolidays, cal)
}

// Verifier is the check with the office CA stored in the database (none
// set: any valid signature, the trust recorded with each report).
func (o *Office) Verifier() (store.ReportVerifier, error) {
	ca, _, err := o.CA()
	if err != nil {
		return nil, err
	}
	return Verifier(ca)
}

// Import verifies and imports signed reports (files, or folders searched
// for *.pdf) with verify (nil: o.Verifier()). progress sees every file as
// it is done; ctx cancels between files.
func (o *Office) Import(ctx context.Context, who string, paths []string, verify store.ReportVerifier, progress func(store.ImportProgress)) (store.ImportSummary, error) {
	if verify == nil {
		var err error
		if verify, err = o.Verifier(); err != nil {
			return store.ImportSummary{}, err
		}
	}
	return o.Store.ImportReports(ctx, who, paths, verify, progress)
}

// Overview ranks the units of the period of f and counts ratings, problems
// by category, 重复问题 and the inspectors' workload.
func (o *Office) Overview(f inspect.Filter) (*inspect.Overview, error) {
	return o.Store.Overview(f)
}

// Problems lists the 整改 of every imported problem that f selects, overdue
// counted at Now.
func (o *Office) Problems(f inspect.ProblemFilter) ([]store.OfficeProblem, error) {
	return o.Store.OfficeProblems(f, o.now())
}

// OverdueFilter is f restricted to open problems past their deadline now.
func (o *Office) OverdueFilter(f inspect.ProblemFilter) inspect.ProblemFilter {
	f.OverdueAt = o.now()
	return f
}

// Act records a 整改 step on a problem: rectified, verified (回访 done) or
// sent back.
func (o *Office) Act(who, problemID string, a inspect.Action, note string) (*inspect.Problem, error) {
	return o.Store.ChangeProblem(who, problemID, a, strings.TrimSpace(note))
}

// History is one unit's history (id or name): its reports, problems and
// the 整改 timeline.
func (o *Office) History(unit string) (*store.UnitHistory, error) {
	return o.Store.UnitHistory(unit, o.now())
}

// Draw is 抽签: n units drawn from those f selects, reproducible from seed
// ("" draws a fresh one), recorded in the audit log. Without a roster it
// draws from the units the imported reports name; skipRecent > 0 leaves
// out units inspected in the last skipRecent days.
func (o *Office) Draw(who string, f inspect.DrawFilter, n int, seed string, skipRecent int) (*inspect.Draw, error) {
	units, err := o.Store.Units()
	if err != nil {
		return nil, err
	}
	seen, err := o.Store.OfficeUnits()
	if err != nil {
		return nil, err
	}
	last := map[string]time.Time{}
	for _, u := range seen {
		last[u.UnitID] = u.Last
	}
	if len(units) == 0 {
		for _, u := range seen {
			units = append(units, inspect.Unit{ID: u.UnitID, Name: u.UnitName, Department: u.Department, Kind: u.Kind})
		}
	}
	units = inspect.ExcludeRecent(units, last, o.now(), skipRecent)
	seed = strings.TrimSpace(seed)
	if seed == "" {
		seed = inspect.NewSeed()
	}
	d, err := inspect.DrawUnits(units, f, n, seed, o.now())
	if err != nil {
		return nil, err
	}
	if err := o.Store.SaveDraw(who, d); err != nil {
		return nil, err
	}
	return d, nil
}

// TaskFormat is the format of a task list at path: "csv", "xlsx", or ""
// for neither.
func TaskFormat(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv"
	case ".xlsx":
		return "xlsx"
	}
	return ""
}

// CheckOutput refuses path as an output file before any work: the
// database, its backups, stores, a key or a control file never, another
// existing file only with force.
func (o *Office) CheckOutput(path string, force bool) error {
	if err := o.Store.RefuseOutput(path); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil && !force {
		return store.WriteOutput(path, nil, false) // names the existing file
	}
	return nil
}

// WriteTaskList writes the drawn units as a task list (.csv or .xlsx).
func (o *Office) WriteTaskList(d *inspect.Draw, path string, force bool) error {
	format := TaskFormat(path)
	if format == "" {
		return errors.New(lang.L("-o {{.File}}: the task list is written as .csv or .xlsx", map[string]any{"File": path}))
	}
	var buf bytes.Buffer
	if err := sheet.WriteTaskList(&buf, d, format); err != nil {
		return err
	}
	return o.writeFile(path, buf.Bytes(), force)
}

// ExportResults writes the results, problems, categories and workload of
// the period of f as an .xlsx workbook (over an existing file only with
// force); it returns the overview written.
func (o *Office) ExportResults(f inspect.Filter, path string, force bool) (*inspect.Overview, error) {
	if err := o.CheckOutput(path, force); err != nil {
		return nil, err
	}
	ov, err := o.Store.Overview(f)
	if err != nil {
		return nil, err
	}
	hol, err := o.Store.Holidays()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := sheet.WriteResults(&buf, ov, sheet.ResultsOptions{Now: o.now(), Holidays: hol}); err != nil {
		return nil, err
	}
	return ov, o.writeFile(path, buf.Bytes(), force)
}

// writeFile writes an output file durably, never over what Mingcha holds.
func (o *Office) writeFile(path string, data []byte, force bool) error {
	if err := o.Store.WriteOutput(path, data, force); err != nil {
		return fmt.Errorf("%s: %w", lang.L("write {{.Path}}", map[string]any{"Path": path}), err)
	}
	return nil
}
