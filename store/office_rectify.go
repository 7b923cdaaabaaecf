package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

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
	// A 回访's change is the work of its inspectors, not of whoever
	// imported the report (QA: every automatic verification said "cli");
	// the importer is kept in the audit entry.
	seenBy := map[string]string{}
	for i, r := range reps {
		if in := visits[i].Inspection; in != nil && len(in.Inspectors) > 0 {
			seenBy[r.ReportID] = "回访 " + r.ReportID + "（" + strings.Join(in.Inspectors, "、") + "）"
		}
	}
	changes := inspect.ReplayFollowUps(unitID, visits, rects, s.Now())
	for _, c := range changes {
		by := seenBy[c.FollowUp]
		if by == "" {
			by = "回访 " + c.FollowUp
		}
		rec := inspect.RectificationOf(&c.Problem, c.FollowUp, by, s.Now().UTC())
		if err := putJSON(tx.Bucket(bucketRectifications), rec.ProblemID, &rec); err != nil {
			return 0, err
		}
		if err := s.appendAudit(tx, by, "problem.follow_up", "problem/"+rec.ProblemID,
			map[string]any{"state": c.OldState}, map[string]any{"state": rec.State, "follow_up": rec.FollowUp, "imported_by": who}); err != nil {
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
	ps, err := s.ChangeProblems(who, []string{problemID}, a, note)
	if err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// ChangeProblems applies one office action to several problems (one
// unit's, at once) in one transaction: all change or, at the first that
// refuses, none.
func (s *Store) ChangeProblems(who string, problemIDs []string, a inspect.Action, note string) ([]inspect.Problem, error) {
	var out []inspect.Problem
	err := s.update(func(tx *bolt.Tx) error {
		out = out[:0]
		for _, id := range problemIDs {
			p, err := s.changeProblem(tx, who, id, a, note)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) changeProblem(tx *bolt.Tx, who, problemID string, a inspect.Action, note string) (inspect.Problem, error) {
	p, _, err := actionableProblem(tx, problemID)
	if err != nil {
		return p, err
	}
	before := p.State
	if err := p.Do(a, s.Now().UTC(), note); err != nil {
		return p, err
	}
	rec := inspect.RectificationOf(&p, "", who, s.Now().UTC())
	if err := putJSON(tx.Bucket(bucketRectifications), p.ID, &rec); err != nil {
		return p, err
	}
	return p, s.appendAudit(tx, who, "problem."+string(a), "problem/"+p.ID,
		map[string]any{"state": before}, map[string]any{"state": p.State, "note": note})
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

// bucketReplies: problem id → the 整改报告 received for it (RecordReply;
// made on first use, so older databases need no migration).
var bucketReplies = []byte("replies")

// ReplyFile is a file attached to a 整改报告, kept once under its SHA-256
// in <db>.reports/replies/ (so folder backups and the output guard cover it).
type ReplyFile struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// ReplyAttachment is a file handed in with a 整改报告.
type ReplyAttachment struct {
	Name string
	Data []byte
}

// Reply is a 整改报告 the office received from a unit.
type Reply struct {
	ReceivedAt time.Time   `json:"received_at"`
	From       string      `json:"from"` // who sent it (person, post)
	Text       string      `json:"text,omitempty"`
	Files      []ReplyFile `json:"files,omitempty"`
	Problems   []string    `json:"problems"` // every problem it answers
	RecordedAt time.Time   `json:"recorded_at"`
	RecordedBy string      `json:"recorded_by,omitempty"`
}

// ReplyPath is where the reply attachment with the given SHA-256 is kept.
func (s *Store) ReplyPath(sha string) string {
	if len(sha) < 2 {
		return filepath.Join(s.ReportDir(), "replies", sha)
	}
	return filepath.Join(s.ReportDir(), "replies", sha[:2], sha)
}

// RecordReply records a 整改报告: its files are kept under their hash first
// (a failed transaction leaves only unreferenced files), then in one
// transaction every problem it answers moves open → rectified with the
// reply as its note, the reply is kept with each, and an audit entry names
// them. A problem not open refuses the whole reply.
func (s *Store) RecordReply(who string, r Reply, files []ReplyAttachment) (Reply, error) {
	if len(r.Problems) == 0 {
		return r, inspect.Errorf(inspect.ECodeInvalid, "office.reply_no_problem", nil, "a 整改报告 answers at least one problem")
	}
	if strings.TrimSpace(r.From) == "" {
		return r, inspect.Errorf(inspect.ECodeInvalid, "office.reply_no_sender", nil, "a 整改报告 needs who sent it")
	}
	r.Files = nil
	for _, f := range files {
		sum := sha256.Sum256(f.Data)
		h := hex.EncodeToString(sum[:])
		path := s.ReplyPath(h)
		if info, err := os.Stat(path); err != nil || info.Size() != int64(len(f.Data)) {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				return r, fmt.Errorf("reply folder: %w", err)
			}
			if err := writeFileAtomic(path, func(fl *os.File) error { _, err := fl.Write(f.Data); return err }); err != nil {
				return r, fmt.Errorf("keep reply file %s: %w", f.Name, err)
			}
		}
		r.Files = append(r.Files, ReplyFile{Name: filepath.Base(f.Name), SHA256: h, Size: int64(len(f.Data))})
	}
	r.RecordedAt, r.RecordedBy = s.Now().UTC(), who
	r.Text, r.From = strings.TrimSpace(r.Text), strings.TrimSpace(r.From)
	note := "整改报告（" + r.ReceivedAt.In(inspect.Zone).Format(time.DateOnly) + "，" + r.From + "）"
	if r.Text != "" {
		note += "：" + r.Text
	}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketReplies)
		if err != nil {
			return err
		}
		for _, id := range r.Problems {
			p, old, err := actionableProblem(tx, id)
			if err != nil {
				return err
			}
			if err := p.Do(inspect.ActionRectify, r.RecordedAt, note); err != nil {
				return err
			}
			rec := inspect.RectificationOf(&p, "", who, r.RecordedAt)
			if old != nil {
				rec.FollowUp = old.FollowUp
			}
			if err := putJSON(tx.Bucket(bucketRectifications), p.ID, &rec); err != nil {
				return err
			}
			var list []Reply
			if v := b.Get([]byte(id)); v != nil {
				if err := json.Unmarshal(v, &list); err != nil {
					return fmt.Errorf("replies of %s: %w", id, err)
				}
			}
			if err := putJSON(b, id, append(list, r)); err != nil {
				return err
			}
			// One entry per problem, as a rectify: its timeline shows the reply.
			if err := s.appendAudit(tx, who, "problem."+string(inspect.ActionRectify), "problem/"+id,
				map[string]any{"state": inspect.ProblemOpen}, map[string]any{"state": p.State, "note": note,
					"reply": map[string]any{"from": r.From, "received_at": r.ReceivedAt, "files": r.Files}}); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// Replies lists the 整改报告 received for a problem, oldest first.
func (s *Store) Replies(problemID string) ([]Reply, error) {
	var list []Reply
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReplies)
		if b == nil {
			return nil
		}
		if v := b.Get([]byte(problemID)); v != nil {
			return json.Unmarshal(v, &list)
		}
		return nil
	})
	return list, err
}
