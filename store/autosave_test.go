package store

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/assets"
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

// A draft's autosave stores its answers with neither entropy coding nor
// dictionary and its summary plain; both read back, and completing the draft stores them
// again as every other write does (pack), so a finished inspection's
// values are what they were before the autosave was made cheaper.
func TestAutosaveValuesRepackedOnComplete(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	defer s.Close()
	u, _ := seed(t, s)
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	in := newInspection(t, s, u, tpl, t0)
	for i, it := range tpl.Items() {
		a := inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}
		switch it.Kind {
		case inspect.KindCheck:
			a.Result = inspect.ResultPass
			if i%5 == 0 {
				a.Note = "已公示，但位置较偏，群众不易看到"
			}
		case inspect.KindCount:
			a.Result, a.Counted = inspect.ResultNone, true
		}
		if _, err := s.SaveAnswer("王督查", in.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	// Another draft's autosave between: completing the first leaves its
	// entry as it is.
	other := newInspection(t, s, u, tpl, t0.Add(time.Hour))
	if _, err := s.SaveAnswer("王督查", other.ID, inspect.Answer{ItemCode: tpl.Items()[0].Code, Result: inspect.ResultNA}); err != nil {
		t.Fatal(err)
	}
	// auditFrames checks the stored frame of every answer entry under
	// prefix (want: packDictLit or pack) and counts them.
	auditFrames := func(prefix string, want func([]byte) []byte, what string) int {
		t.Helper()
		n := 0
		_ = s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
				j, err := unpack(v)
				if err != nil {
					t.Fatalf("audit %x: %v", k, err)
				}
				var e AuditEntry
				if err := json.Unmarshal(j, &e); err != nil || !strings.HasPrefix(e.Object, prefix) {
					return err
				}
				n++
				if !bytes.Equal(v, want(j)) || bytes.Equal(packDictLit(j), pack(j)) {
					t.Errorf("%s: entry %d (%s) is not the expected frame", what, e.Seq, e.Object)
				}
				return nil
			})
		})
		return n
	}
	if n := auditFrames("inspection/"+in.ID+"/", packDictLit, "draft"); n != len(tpl.Items()) {
		t.Errorf("%d answer entries of the draft, want %d", n, len(tpl.Items()))
	}
	stored := func() (ans, sum []byte) {
		_ = s.view(func(tx *bolt.Tx) error {
			ans = bytes.Clone(storedAnswers(tx, in.ID))
			sum = bytes.Clone(storedSummary(tx, in.ObservedAt, in.ID))
			return nil
		})
		return ans, sum
	}
	ans, sum := stored()
	aj, err := unpack(ans)
	if err != nil || !isPacked(ans) || !json.Valid(aj) {
		t.Fatalf("draft answers: packed %v, %v", isPacked(ans), err)
	}
	if !bytes.Equal(ans, packLit(aj)) || bytes.Equal(packLit(aj), pack(aj)) {
		t.Error("the draft's answers are not packLit's frame")
	}
	if isPacked(sum) || !json.Valid(sum) {
		t.Errorf("draft summary is not plain JSON: %q", sum)
	}
	if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	ans2, sum2 := stored()
	if !bytes.Equal(ans2, pack(aj)) {
		t.Error("completing the draft did not store its answers with pack")
	}
	sj, err := unpack(sum2)
	if err != nil || !isPacked(sum2) || !bytes.Equal(sum2, pack(sj)) {
		t.Errorf("completed summary not packed: %v", err)
	}
	got, err := s.Inspection(in.ID)
	if err != nil || len(got.Answers) != len(tpl.Items()) {
		t.Fatalf("after completing: %+v %v", got, err)
	}
	if n := auditFrames("inspection/"+in.ID+"/", pack, "completed"); n != len(tpl.Items()) {
		t.Errorf("%d answer entries after completing, want %d", n, len(tpl.Items()))
	}
	auditFrames("inspection/"+other.ID+"/", packDictLit, "the other draft")
	if n, err := s.VerifyAudit(); err != nil || n < 5 {
		t.Fatalf("audit: %d %v", n, err)
	}
}

// Every compressed value of a file written by an earlier version (the
// schema-5 fixture, written at fec8261) still decodes, and a packLit frame
// (and a packDictLit one) is one the same decoder reads: the stored format
// did not change.
func TestOlderFramesStillDecode(t *testing.T) {
	path := copyFixture(t, "schema5.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	packed := 0
	err = db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketInspections, bucketAnswers, bucketAudit, bucketIdxObserved} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				if !isPacked(v) {
					return nil
				}
				packed++
				j, err := unpack(v)
				if err != nil || !json.Valid(j) {
					t.Errorf("%s/%x: %v", name, k, err)
				}
				if lit, err := unpack(packLit(j)); err != nil || !bytes.Equal(lit, j) {
					t.Errorf("%s/%x: packLit does not read back: %v", name, k, err)
				}
				if dl, err := unpack(packDictLit(j)); err != nil || !bytes.Equal(dl, j) {
					t.Errorf("%s/%x: packDictLit does not read back: %v", name, k, err)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || packed < 20 {
		t.Fatalf("%d compressed values, %v", packed, err)
	}
}
