package store

import (
	"encoding/json"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// 整改: the office's actions on a problem and the 回访 replay, both kept
// in rectifications/ beside the immutable reports.

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

// applyFollowUps replays the unit's current reports as 回访 of the problems
// found before each (inspect.ReplayFollowUps) and records what changed,
// with an audit entry each. It returns the number of changes.
func (s *Store) applyFollowUps(tx *bolt.Tx, who, unitID string) (int, error) {
	reps, err := unitReports(tx, unitID)
	if err != nil || len(reps) < 2 {
		return 0, err
	}
	visits := make([]inspect.Visit, len(reps))
	rects := map[string]inspect.Rectification{}
	for i, r := range reps {
		visits[i].Problems = r.Problems
		if i > 0 { // the first report follows up nothing
			if visits[i].Inspection, err = loadOfficeInspection(tx, r.ReportID); err != nil {
				return 0, err
			}
		}
		for _, p := range r.Problems {
			rc, err := loadRectification(tx, p.ID)
			if err != nil {
				return 0, err
			}
			if rc != nil {
				rects[p.ID] = *rc
			}
		}
	}
	changes := inspect.ReplayFollowUps(unitID, visits, rects, s.Now())
	for _, c := range changes {
		rec := inspect.RectificationOf(&c.Problem, c.FollowUp, who, s.Now().UTC())
		if err := putJSON(tx.Bucket(bucketRectifications), rec.ProblemID, &rec); err != nil {
			return 0, err
		}
		if err := s.appendAudit(tx, who, "problem.follow_up", "problem/"+rec.ProblemID,
			map[string]any{"state": c.OldState}, map[string]any{"state": rec.State, "follow_up": rec.FollowUp}); err != nil {
			return 0, err
		}
	}
	return len(changes), nil
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

// ChangeProblem applies an office action (rectify, verify-fix, reopen) to
// a problem of a current report, by the domain's rules, with its audit
// entry, in one transaction.
func (s *Store) ChangeProblem(who, problemID string, a inspect.Action, note string) (*inspect.Problem, error) {
	var out inspect.Problem
	err := s.update(func(tx *bolt.Tx) error {
		p, _, err := actionableProblem(tx, problemID)
		if err != nil {
			return err
		}
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

// actionableProblem is problem problemID of a current report, with the
// office's 整改 record applied to it, and that record (nil if none): what
// an office action (rectify, verify, reopen, 延期) starts from. A problem of
// a report its amendment replaced is refused: act on the amendment's.
func actionableProblem(tx *bolt.Tx, problemID string) (inspect.Problem, *inspect.Rectification, error) {
	rep, p, err := findProblem(tx, problemID)
	if err != nil {
		return p, nil, err
	}
	if rep.SupersededBy != "" {
		return p, nil, inspect.Errorf(inspect.ECodeConflict, "office.problem_superseded",
			map[string]any{"ID": problemID, "By": rep.SupersededBy},
			"report %s was replaced by its amendment %s; change that report's problem instead", rep.ReportID, rep.SupersededBy)
	}
	old, err := loadRectification(tx, p.ID)
	if err != nil {
		return p, nil, err
	}
	old.Apply(&p)
	return p, old, nil
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
