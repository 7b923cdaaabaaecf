package store

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// Queries of the office side: report lists, the overview of a period and
// the 整改 list.

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
