package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// The autosave of a draft writes the answer, its audit entry and the home
// list's summary, not the record; the time of the change still reads back
// from the inspection and the list, after a reopen too.
func TestAutosaveWritesAnswerAuditAndSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	rec := func() string {
		var v string
		_ = s.view(func(tx *bolt.Tx) error { v = string(tx.Bucket(bucketInspections).Get([]byte(in.ID))); return nil })
		return v
	}
	before := rec()
	at := t0.Add(2 * time.Hour)
	s.Now = func() time.Time { return at }
	if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"}); err != nil {
		t.Fatal(err)
	}
	if rec() != before {
		t.Error("the autosave rewrote the inspection record")
	}
	s.Close()
	s = mustOpenAt(t, path, Options{NoBackup: true})
	defer s.Close()
	got, err := s.Inspection(in.ID)
	if err != nil || !got.UpdatedAt.Equal(at) || got.Answers["A2"].Note != "无桌牌" {
		t.Fatalf("after the autosave: %v %v", got.UpdatedAt, err)
	}
	p, _ := s.ListInspections(Query{})
	if len(p.Items) != 1 || !p.Items[0].UpdatedAt.Equal(at) || p.Items[0].Answered != 1 || p.Items[0].Problems != 1 {
		t.Fatalf("home list: %+v", p.Items)
	}
}
