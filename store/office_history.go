package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// A unit's history on one screen: every imported report of the unit, every
// problem found there with its 整改 state, and the 整改 timeline, built
// from the reports and the audit log (which already records every change
// of a problem's state, by whom and when).

// OfficeUnit is a unit the imported reports name, for choosing a history.
type OfficeUnit struct {
	UnitID     string           `json:"unit_id"`
	UnitName   string           `json:"unit_name"`
	Department string           `json:"department,omitempty"`
	Kind       inspect.UnitKind `json:"kind,omitempty"`
	Reports    int              `json:"reports"`  // current (not superseded) reports
	Last       time.Time        `json:"last"`     // the latest observed
	Problems   int              `json:"problems"` // of the current reports
	Open       int              `json:"open"`     // of them not yet rectified
}

// OfficeUnits lists the units of the imported reports, by department and name.
func (s *Store) OfficeUnits() ([]OfficeUnit, error) {
	reps, err := s.OfficeReports(inspect.Filter{}, false)
	if err != nil {
		return nil, err
	}
	byID := map[string]*OfficeUnit{}
	var out []*OfficeUnit
	for i := range reps {
		r := &reps[i]
		u := byID[r.UnitID]
		if u == nil {
			u = &OfficeUnit{UnitID: r.UnitID}
			byID[r.UnitID] = u
			out = append(out, u)
		}
		// The latest report names the unit as it is called now.
		u.UnitName, u.Department, u.Kind, u.Last = r.UnitName, r.Department, r.UnitKind, r.ObservedAt
		u.Reports++
		for _, p := range r.Problems {
			u.Problems++
			if p.State == inspect.ProblemOpen {
				u.Open++
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Department != out[j].Department {
			return out[i].Department < out[j].Department
		}
		return out[i].UnitName < out[j].UnitName
	})
	list := make([]OfficeUnit, len(out))
	for i, u := range out {
		list[i] = *u
	}
	return list, nil
}

// HistoryEventKind names what happened in a unit's 整改 timeline.
type HistoryEventKind string

const (
	EventInspected  HistoryEventKind = "inspected"  // a report of the unit (its problems found then)
	EventSuperseded HistoryEventKind = "superseded" // a report replaced by its amendment
	EventRectified  HistoryEventKind = "rectified"  // the unit reported a problem fixed
	EventReplied    HistoryEventKind = "reply"      // a 整改报告 received: the problem moved to rectified
	EventVerified   HistoryEventKind = "verified"   // the office confirmed a fix
	EventReopened   HistoryEventKind = "reopened"   // a reported fix sent back
	EventFollowUp   HistoryEventKind = "follow_up"  // a 回访 closed or reopened a problem
)

// HistoryEvent is one line of a unit's timeline.
type HistoryEvent struct {
	At        time.Time            `json:"at"`
	Kind      HistoryEventKind     `json:"kind"`
	ReportID  string               `json:"report_id,omitempty"`
	ProblemID string               `json:"problem_id,omitempty"`
	Problem   string               `json:"problem,omitempty"` // its description
	State     inspect.ProblemState `json:"state,omitempty"`   // the problem's state after the event
	Note      string               `json:"note,omitempty"`
	Who       string               `json:"who,omitempty"`
	Score     float64              `json:"score,omitempty"`
	Rating    string               `json:"rating,omitempty"`
	Problems  int                  `json:"problems,omitempty"` // found by an inspection
	By        string               `json:"by,omitempty"`       // the amendment or the 回访 report
	// Reply is the 整改报告 of an EventReplied: when it was received, who
	// sent it, its text and its files (name, SHA-256, size; ReplyPath).
	Reply *Reply `json:"reply,omitempty"`
}

// UnitHistory is everything the office knows about one unit.
type UnitHistory struct {
	OfficeUnit
	Reports  []OfficeReport  `json:"reports"`  // superseded ones included, oldest first
	Problems []OfficeProblem `json:"problems"` // of the current reports, as OfficeProblems orders them
	Timeline []HistoryEvent  `json:"timeline"` // oldest first
}

// FindOfficeUnit finds a unit of the imported reports by id, or by name
// (also "department name"); ErrNotFound when none matches.
func (s *Store) FindOfficeUnit(key string) (*OfficeUnit, error) {
	units, err := s.OfficeUnits()
	if err != nil {
		return nil, err
	}
	key = strings.TrimSpace(key)
	for _, u := range units {
		if u.UnitID == key {
			return &u, nil
		}
	}
	for _, u := range units {
		if u.UnitName == key || strings.TrimSpace(u.Department+" "+u.UnitName) == key {
			return &u, nil
		}
	}
	return nil, fmt.Errorf("unit %q: %w", key, ErrNotFound)
}

// UnitHistory gathers the history of a unit, named by id or name (as
// FindOfficeUnit); now decides what is overdue.
func (s *Store) UnitHistory(key string, now time.Time) (*UnitHistory, error) {
	reps, err := s.reportsOfUnit(key)
	if err != nil {
		return nil, err
	}
	if len(reps) == 0 {
		u, err := s.FindOfficeUnit(key)
		if err != nil {
			return nil, err
		}
		if reps, err = s.reportsOfUnit(u.UnitID); err != nil {
			return nil, err
		}
	}
	h := &UnitHistory{Reports: reps}
	observed := map[string]time.Time{}
	described := map[string]string{}
	for _, r := range reps {
		observed[r.ReportID] = r.ObservedAt
		for _, p := range r.Problems {
			described[p.ID] = p.Description
		}
		ev := HistoryEvent{
			At: r.ObservedAt, Kind: EventInspected, ReportID: r.ReportID, Score: r.Score, Rating: r.Rating,
			Problems: len(r.Problems), Who: strings.Join(r.Inspectors, "、"),
		}
		if r.SupersededBy != "" {
			ev.Kind, ev.By = EventSuperseded, r.SupersededBy
			h.Timeline = append(h.Timeline, ev)
			continue
		}
		h.Timeline = append(h.Timeline, ev)
		// The latest current report names the unit as it is called now.
		h.UnitID, h.UnitName, h.Department, h.Kind, h.Last = r.UnitID, r.UnitName, r.Department, r.UnitKind, r.ObservedAt
		h.OfficeUnit.Reports++
		for _, p := range r.Problems {
			h.OfficeUnit.Problems++
			if p.State == inspect.ProblemOpen {
				h.Open++
			}
		}
	}
	if h.Problems, err = s.OfficeProblems(inspect.ProblemFilter{UnitID: h.UnitID}, now); err != nil {
		return nil, err
	}
	events, err := s.problemEvents(described, observed)
	if err != nil {
		return nil, err
	}
	h.Timeline = append(h.Timeline, events...)
	sort.SliceStable(h.Timeline, func(i, j int) bool { return h.Timeline[i].At.Before(h.Timeline[j].At) })
	return h, nil
}

// reportsOfUnit lists every imported report of a unit id (superseded ones
// included) with the 整改 states applied, oldest first.
func (s *Store) reportsOfUnit(unitID string) ([]OfficeReport, error) {
	var out []OfficeReport
	err := s.view(func(tx *bolt.Tx) error {
		prefix := []byte(unitID + "\x00")
		c := tx.Bucket(bucketIdxOfficeUnit).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			r, err := getOfficeReport(tx, string(k[len(prefix):]))
			if err != nil {
				return err
			}
			for i := range r.Problems {
				rect, err := loadRectification(tx, r.Problems[i].ID)
				if err != nil {
					return err
				}
				rect.Apply(&r.Problems[i])
			}
			out = append(out, *r)
		}
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].before(&out[j]) })
	return out, err
}

// problemEvents reads the audit log's changes of the given problems. A
// 回访 is dated by the report that found the problem fixed or not.
func (s *Store) problemEvents(problems map[string]string, observed map[string]time.Time) ([]HistoryEvent, error) {
	var out []HistoryEvent
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var e AuditEntry
			if err := getJSON(v, &e); err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			id, ok := strings.CutPrefix(e.Object, "problem/")
			if !ok {
				return nil
			}
			desc, ok := problems[id]
			if !ok {
				return nil
			}
			var after struct {
				State    inspect.ProblemState `json:"state"`
				Note     string               `json:"note"`
				FollowUp string               `json:"follow_up"`
				Reply    *struct {
					From       string      `json:"from"`
					ReceivedAt time.Time   `json:"received_at"`
					Files      []ReplyFile `json:"files"`
				} `json:"reply"`
			}
			_ = json.Unmarshal(e.New, &after)
			ev := HistoryEvent{At: e.At, ProblemID: id, Problem: desc, State: after.State, Note: after.Note, Who: e.Who}
			switch e.Action {
			case "problem." + string(inspect.ActionRectify):
				ev.Kind = EventRectified
				if after.Reply != nil {
					ev.Kind = EventReplied
					ev.Reply = replyOf(tx, id, after.Reply.From, after.Reply.ReceivedAt, after.Reply.Files)
				}
			case "problem." + string(inspect.ActionVerify):
				ev.Kind = EventVerified
			case "problem." + string(inspect.ActionReopen):
				ev.Kind = EventReopened
			case "problem.follow_up":
				ev.Kind, ev.By = EventFollowUp, after.FollowUp
				if at, ok := observed[after.FollowUp]; ok {
					ev.At = at
				}
			default:
				return nil
			}
			out = append(out, ev)
			return nil
		})
	})
	return out, err
}

// replyOf is the 整改报告 of problem id received at from from, as kept with
// the problem (its text included); what the audit entry says when it is
// not found there.
func replyOf(tx *bolt.Tx, id, from string, received time.Time, files []ReplyFile) *Reply {
	if b := tx.Bucket(bucketReplies); b != nil {
		var list []Reply
		if v := b.Get([]byte(id)); v != nil && json.Unmarshal(v, &list) == nil {
			for i := range list {
				if list[i].From == from && list[i].ReceivedAt.Equal(received) {
					return &list[i]
				}
			}
		}
	}
	return &Reply{From: from, ReceivedAt: received, Files: files, Problems: []string{id}}
}
