package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// NoticeRef records that a 整改通知书 named a problem: its 文号, when and by
// whom it was issued, and the reply date it asked for. Kept per problem in
// bucket notices (a problem is named again by a later 催办 notice).
type NoticeRef struct {
	Number   string    `json:"number"`
	IssuedAt time.Time `json:"issued_at"`
	By       string    `json:"by"`
	ReplyBy  time.Time `json:"reply_by,omitzero"`
}

// RecordNotice records, in one transaction with its audit entry, that the
// 整改通知书 number named each of the problems.
func (s *Store) RecordNotice(who string, ref NoticeRef, problemIDs []string) error {
	if len(problemIDs) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		// Made on first use: databases from before 整改通知书 have no such
		// bucket, and an empty one needs no migration.
		b, err := tx.CreateBucketIfNotExists(bucketNotices)
		if err != nil {
			return err
		}
		for _, id := range problemIDs {
			if _, _, err := findProblem(tx, id); err != nil {
				return err
			}
			var list []NoticeRef
			if v := b.Get([]byte(id)); v != nil {
				if err := json.Unmarshal(v, &list); err != nil {
					return fmt.Errorf("notices of %s: %w", id, err)
				}
			}
			list = append(list, ref)
			if err := putJSON(b, id, list); err != nil {
				return err
			}
		}
		return s.appendAudit(tx, who, "notice.issue", "notice/"+ref.Number, nil,
			map[string]any{"number": ref.Number, "problems": problemIDs, "reply_by": ref.ReplyBy})
	})
}

// Notices lists the 整改通知书 that named a problem, oldest first.
func (s *Store) Notices(problemID string) ([]NoticeRef, error) {
	var list []NoticeRef
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketNotices)
		if b == nil {
			return nil
		}
		v := b.Get([]byte(problemID))
		if v == nil {
			return nil
		}
		return json.Unmarshal(v, &list)
	})
	return list, err
}

// ExtendDeadline grants a 延期 (inspect.Problem.Extend): the problem's new
// 整改 deadline is kept in its rectification record, the reason and the
// old deadline in the audit log, in one transaction.
func (s *Store) ExtendDeadline(who, problemID string, until time.Time, reason string) (*inspect.Problem, error) {
	ps, err := s.ExtendDeadlines(who, []string{problemID}, until, reason)
	if err != nil {
		var be *BatchError
		if errors.As(err, &be) {
			return nil, be.Err
		}
		return nil, err
	}
	return &ps[0], nil
}

// BatchError is the problem that refused a change of several: none of
// them was changed.
type BatchError struct {
	ID  string
	Err error
}

func (e *BatchError) Error() string { return e.ID + ": " + e.Err.Error() }
func (e *BatchError) Unwrap() error { return e.Err }

// ExtendDeadlines grants the same 延期 to several problems, all or none in
// one transaction, each audited on its own; the first problem that cannot
// be extended is a *BatchError and nothing is changed.
func (s *Store) ExtendDeadlines(who string, problemIDs []string, until time.Time, reason string) ([]inspect.Problem, error) {
	var out []inspect.Problem
	err := s.update(func(tx *bolt.Tx) error {
		out = out[:0]
		for _, id := range problemIDs {
			p, err := s.extendDeadline(tx, who, id, until, reason)
			if err != nil {
				return &BatchError{ID: id, Err: err}
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

func (s *Store) extendDeadline(tx *bolt.Tx, who, problemID string, until time.Time, reason string) (inspect.Problem, error) {
	p, old, err := actionableProblem(tx, problemID)
	if err != nil {
		return p, err
	}
	before := p.Deadline
	if err := p.Extend(until, reason); err != nil {
		return p, err
	}
	rec := inspect.RectificationOf(&p, "", who, s.Now().UTC())
	if old != nil {
		rec.FollowUp = old.FollowUp
	}
	if err := putJSON(tx.Bucket(bucketRectifications), p.ID, &rec); err != nil {
		return p, err
	}
	return p, s.appendAudit(tx, who, "problem.extend", "problem/"+p.ID,
		map[string]any{"deadline": before}, map[string]any{"deadline": p.Deadline, "reason": strings.TrimSpace(reason)})
}
