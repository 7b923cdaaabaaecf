package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/assets"
	"mingcha/inspect"
)

// The answers stored from each answer's JSON are json.Marshal's bytes.
func TestEncodeAnswersIsMarshal(t *testing.T) {
	n := 3.5
	answers := map[string]*inspect.Answer{
		"B2":  {ItemCode: "B2", Result: inspect.ResultFail, Note: `<"引号"> & \ 反斜杠`, Photos: []string{"ab"}, AnsweredAt: t0},
		"A10": {ItemCode: "A10", Number: &n, AnsweredAt: t0.Add(time.Hour), AnsweredBy: "王"},
		"A2":  {ItemCode: "A2", Counted: true, Absent: []inspect.AbsentPerson{{Name: "李四", Reason: inspect.AbsenceLeave, OnRoster: true}}},
		"Z":   nil,
		"<&>": {ItemCode: "<&>"},
	}
	for _, m := range []map[string]*inspect.Answer{answers, {}, nil} {
		raw := answersJSON(m)
		want, _ := json.Marshal(m)
		if m == nil {
			want = []byte("{}") // putAnswers stores a nil map as {}
		}
		if got := encodeAnswers(raw); string(got) != string(want) {
			t.Errorf("encodeAnswers:\n got %s\nwant %s", got, want)
		}
	}
}

// An audit entry marshalled once with its hash spliced in is json.Marshal's
// and verifies.
func TestAuditSealedIsMarshal(t *testing.T) {
	e := AuditEntry{Seq: 7, At: t0, Who: "王<督查>", Action: "answer.set", Object: "inspection/MC-1/A2",
		Old: json.RawMessage(`{"item":"A2"}`), New: json.RawMessage(`{"item":"A2","note":"&"}`), Prev: "ff"}
	got, err := e.sealed()
	if err != nil {
		t.Fatal(err)
	}
	if e.Hash != e.computeHash() {
		t.Fatal("sealed hash differs from computeHash")
	}
	want, _ := json.Marshal(&e)
	if string(got) != string(want) {
		t.Fatalf("sealed:\n got %s\nwant %s", got, want)
	}
}

// The autosave's cached inspection never hides a change made another way:
// each of them is seen by the next save and kept by it.
func TestEditCacheSeesEveryOtherWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	save := func(s *Store, code, note string) *inspect.Inspection {
		t.Helper()
		got, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: code, Result: inspect.ResultFail, Note: note})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	check := func(s *Store, want map[string]string) {
		t.Helper()
		got, err := s.Inspection(in.ID)
		if err != nil {
			t.Fatal(err)
		}
		notes := map[string]string{}
		for k, a := range got.Answers {
			notes[k] = a.Note
		}
		if !reflect.DeepEqual(notes, want) {
			t.Fatalf("answers %v, want %v", notes, want)
		}
	}
	cached := func() bool {
		var hit bool
		_ = s.view(func(tx *bolt.Tx) error { hit = s.cachedEdit(tx, in.ID) != nil; return nil })
		return hit
	}
	if !cached() {
		t.Fatal("a new inspection is not cached for its first answer")
	}
	save(s, "A2", "一")
	if !cached() {
		t.Fatal("the saved inspection is not cached for the next save")
	}

	// A batch (another Store value on the same file) changes the answer.
	if err := s.Batch(func(b *Store) error {
		_, err := b.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "批"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if cached() {
		t.Fatal("the cache matched after another store's write")
	}
	save(s, "A3", "二")
	check(s, map[string]string{"A2": "批", "A3": "二"})

	// A write straight into the bucket (a migration, an import would).
	if err := s.update(func(tx *bolt.Tx) error {
		m, err := loadAnswers(tx, in.ID)
		if err != nil {
			return err
		}
		m["A2"].Note = "直写"
		return putAnswers(tx, in.ID, m)
	}); err != nil {
		t.Fatal(err)
	}
	save(s, "A3", "三")
	check(s, map[string]string{"A2": "直写", "A3": "三"})

	// A failed edit rolls back: what it had cached is not used.
	errBoom := errors.New("boom")
	if _, err := s.updateInspectionCodes("王督查", in.ID, "answer.set", []string{"A2"}, func(tx *bolt.Tx, x *inspect.Inspection) error {
		if err := x.SetAnswer(inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "回滚"}, t0); err != nil {
			return err
		}
		return errBoom
	}); !errors.Is(err, errBoom) {
		t.Fatal(err)
	}
	if err := s.update(func(tx *bolt.Tx) error {
		x, err := s.loadEdit(tx, in.ID)
		if err != nil {
			return err
		}
		// A whole edit whose commit fails: its entry is published inside
		// the transaction, then the transaction is rolled back.
		c := cloneInspection(x.in)
		c.Answers["A2"] = &inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "未提交"}
		raw := answersJSON(c.Answers)
		if err := putAnswersJSON(tx, in.ID, raw); err != nil {
			return err
		}
		s.remember(tx, c, x.snap, x.header, raw)
		return errBoom
	}); !errors.Is(err, errBoom) {
		t.Fatal(err)
	}
	save(s, "A3", "四")
	check(s, map[string]string{"A2": "直写", "A3": "四"})

	// Another status through the full path, then back to draft.
	if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A1", Counted: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultPass}); err == nil {
		t.Fatal("a completed inspection took an answer")
	}
	if _, err := s.ReopenInspection("王督查", in.ID); err != nil {
		t.Fatal(err)
	}
	save(s, "A2", "五")
	check(s, map[string]string{"A1": "", "A2": "五", "A3": "四"})

	// What a caller does to a result does not reach the store.
	got := save(s, "A3", "六")
	got.Answers["A3"].Note = "改了结果"
	got.Answers["A2"] = &inspect.Answer{ItemCode: "A2", Note: "加的"}
	got.Unit.Staff[0].Name = "改名"
	got.Inspectors[0] = "别人"
	got.UpdatedAt = t0.Add(-time.Hour)
	s.Now = func() time.Time { return t0.Add(time.Minute) }
	save(s, "A3", "七")
	x, _ := s.Inspection(in.ID)
	if x.Answers["A2"].Note != "五" || x.Unit.Staff[0].Name != "张三" || x.Inspectors[0] != "王督查" || !x.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("a caller's change reached the store: %+v %v %v %v", x.Answers["A2"], x.Unit.Staff, x.Inspectors, x.UpdatedAt)
	}

	// A reopened file, and the same file restored from a backup made
	// before the last saves: each shows what it holds.
	bk, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	save(s, "A3", "八")
	s.Close()
	if _, err := Restore(path, bk); err != nil {
		t.Fatal(err)
	}
	s = mustOpenAt(t, path, Options{NoBackup: true})
	check(s, map[string]string{"A1": "", "A2": "五", "A3": "七"})
	save(s, "A2", "九")
	check(s, map[string]string{"A1": "", "A2": "九", "A3": "七"})
	if n, err := s.VerifyAudit(); err != nil || n == 0 {
		t.Fatal(n, err)
	}
}

// Saves of one inspection from several goroutines, with readers beside
// them, lose nothing (run with -race).
func TestEditCacheConcurrentSavesAndReads(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	u, _ := seed(t, s)
	a := newInspection(t, s, u, tpl, t0)
	b := newInspection(t, s, u, tpl, t0.Add(time.Hour))
	items := tpl.Items()
	const writers, each = 4, 10
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// Alternate between two inspections, so the cache turns over.
				id := a.ID
				if i%2 == 1 {
					id = b.ID
				}
				code := items[w*each+i].Code
				if _, err := s.SaveAnswer("w", id, inspect.Answer{ItemCode: code, Result: inspect.ResultNA, Note: fmt.Sprint(w, i)}); err != nil {
					t.Error(err)
					return
				}
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				x, err := s.Inspection(a.ID)
				if err != nil {
					t.Error(err)
					return
				}
				for _, an := range x.Answers {
					_ = an.Note
				}
			}
		}()
	}
	wg.Wait()
	for _, id := range []string{a.ID, b.ID} {
		x, err := s.Inspection(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Answers) != writers*each/2 {
			t.Errorf("%s has %d answers, want %d", id, len(x.Answers), writers*each/2)
		}
	}
	if n, err := s.VerifyAudit(); err != nil || n < writers*each {
		t.Fatal(n, err)
	}
}

// An entry published by a write transaction that then fails is dropped:
// the transaction that takes the failed one's id next, and the autosave
// right after it, which skips the comparison, must not see what was never
// stored.
func TestEditCacheFailedTransactionForgets(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "一"}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := s.update(func(tx *bolt.Tx) error {
		base, err := s.loadEdit(tx, in.ID)
		if err != nil {
			return err
		}
		fake := cloneInspection(base.in)
		fake.Answers["A2"].Note = "未存"
		answers := map[string]json.RawMessage{}
		for c, j := range base.answers {
			answers[c] = j
		}
		answers["A2"] = rawJSON(fake.Answers["A2"])
		s.rememberSaved(tx, base, fake, answers)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("the failing transaction: %v", err)
	}
	if s.lastEdit.Load() != nil {
		t.Fatal("the failed transaction's entry was kept")
	}
	if err := s.PutUnit("admin", u); err != nil { // commits with the failed transaction's id
		t.Fatal(err)
	}
	got, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A3", Counted: true, Expected: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers["A2"].Note != "一" {
		t.Fatalf("the autosave built on the failed transaction's entry: A2 %q", got.Answers["A2"].Note)
	}
	// The next autosave takes the fast path; what it builds on is the file's.
	if c := s.lastEdit.Load(); c == nil || c.txid == 0 {
		t.Fatal("an autosave published no entry for the next one")
	}
	if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "二"}); err != nil {
		t.Fatal(err)
	}
	s.forget()
	again, err := s.Inspection(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Answers["A2"].Note != "二" || again.Answers["A3"] == nil || !again.Answers["A3"].Counted {
		t.Fatalf("stored: %+v", again.Answers)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}
