package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// where is what the buckets hold for inspection id: its answers in
// answers/ and in drafts/, its summary in idx_observed/ and in drafts/.
type where struct{ ans, draftAns, idx, draftSum []byte }

func storedWhere(t *testing.T, s *Store, in *inspect.Inspection) where {
	t.Helper()
	var w where
	_ = s.view(func(tx *bolt.Tx) error {
		w.ans = bytes.Clone(tx.Bucket(bucketAnswers).Get([]byte(in.ID)))
		w.idx = bytes.Clone(tx.Bucket(bucketIdxObserved).Get(summaryKey(in.ObservedAt, in.ID)))
		d := tx.Bucket(bucketDrafts)
		w.draftAns = bytes.Clone(d.Get(draftAnswersKey(in.ID)))
		w.draftSum = bytes.Clone(d.Get(draftSummaryKey(in.ID)))
		return nil
	})
	return w
}

// listed is the home list's summary of id (ok false: not listed).
func listed(t *testing.T, s *Store, id string) (Summary, bool) {
	t.Helper()
	p, err := s.ListInspections(Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range p.Items {
		if x.ID == id {
			return x, true
		}
	}
	return Summary{}, false
}

// A draft's autosave writes its answers and summary to drafts/ (answers/
// then has none for it, idx_observed/ keeps the value of the draft's last
// other write), and everything reads them from there; any other write
// moves them back, compressed; deleting the draft removes them.
func TestAutosaveKeepsDraftApart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	created := storedWhere(t, s, in)
	if created.ans == nil || created.idx == nil || created.draftAns != nil || created.draftSum != nil {
		t.Fatalf("a new draft: %+v", created)
	}
	at := t0.Add(2 * time.Hour)
	s.Now = func() time.Time { return at }
	if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"}); err != nil {
		t.Fatal(err)
	}
	w := storedWhere(t, s, in)
	if w.ans != nil || w.draftAns == nil || w.draftSum == nil {
		t.Fatalf("after an autosave: answers/ %d B, drafts/ %d + %d B", len(w.ans), len(w.draftAns), len(w.draftSum))
	}
	if !bytes.Equal(w.idx, created.idx) {
		t.Error("the autosave rewrote idx_observed/")
	}
	check := func(when string, answered int) {
		t.Helper()
		got, err := s.Inspection(in.ID)
		if err != nil || got.Answers["A2"] == nil || got.Answers["A2"].Note != "无桌牌" || len(got.Answers) != answered {
			t.Fatalf("%s: inspection %+v %v", when, got, err)
		}
		if !got.UpdatedAt.Equal(at) {
			t.Errorf("%s: updated %v, want %v", when, got.UpdatedAt, at)
		}
		sum, ok := listed(t, s, in.ID)
		if !ok || sum.Answered != answered || sum.Problems != 1 || !sum.UpdatedAt.Equal(at) {
			t.Errorf("%s: home list %+v", when, sum)
		}
	}
	check("after the autosave", 1)

	// A signature drawn is another write: both values go back.
	at = at.Add(time.Minute)
	if _, err := s.SetSignature("王督查", in.ID, inspect.DrawnSignature{Inspector: "王督查", PNG: pngBytes(t, 30, 10)}); err != nil {
		t.Fatal(err)
	}
	w = storedWhere(t, s, in)
	if w.draftAns != nil || w.draftSum != nil || !isPacked(w.ans) || !isPacked(w.idx) {
		t.Fatalf("after a signature: answers/ packed %v, idx packed %v, drafts/ %d + %d B", isPacked(w.ans), isPacked(w.idx), len(w.draftAns), len(w.draftSum))
	}
	check("after the signature", 1)

	// The next autosave moves them again; a reopened file reads them.
	at = at.Add(time.Minute)
	if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: "A1", Result: inspect.ResultPass}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = mustOpenAt(t, path, Options{NoBackup: true})
	defer s.Close()
	s.Now = func() time.Time { return at }
	if w = storedWhere(t, s, in); w.ans != nil || w.draftAns == nil {
		t.Fatal("the second autosave did not write drafts/")
	}
	check("reopened", 2)

	// Completed: nothing of it is left in drafts/.
	items := tpl.Items()
	for _, it := range items[2:] {
		if _, err := s.SaveAnswer("王督查", in.ID, inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}); err != nil {
			t.Fatal(err)
		}
	}
	done, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{})
	if err != nil {
		t.Fatal(err)
	}
	if w = storedWhere(t, s, in); w.draftAns != nil || w.draftSum != nil || w.ans == nil {
		t.Fatalf("completed: %+v", w)
	}
	if sum, ok := listed(t, s, in.ID); !ok || sum.Status != inspect.StatusCompleted || sum.Answered != len(items) || len(done.Answers) != len(items) {
		t.Errorf("completed: home list %+v", sum)
	}

	// A deleted draft leaves nothing behind.
	other := newInspection(t, s, u, tpl, t0.Add(time.Hour))
	if _, err := s.SaveAnswer("王督查", other.ID, inspect.Answer{ItemCode: "A1", Result: inspect.ResultPass}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDraft("王督查", other.ID); err != nil {
		t.Fatal(err)
	}
	if w = storedWhere(t, s, other); w.ans != nil || w.draftAns != nil || w.draftSum != nil || w.idx != nil {
		t.Errorf("deleted: %+v", w)
	}
	if _, ok := listed(t, s, other.ID); ok {
		t.Error("a deleted draft is still listed")
	}
	if _, err := s.Inspection(other.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted draft: %v", err)
	}
	if n, err := s.VerifyAudit(); err != nil || n < 6 {
		t.Fatalf("audit: %d %v", n, err)
	}
}

// A photo two drafts attached stays while the other still has it, though
// that draft's answers are in drafts/.
func TestPhotoInAutosavedDraftStays(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	defer s.Close()
	u, tpl := seed(t, s)
	a := newInspection(t, s, u, tpl, t0)
	b := newInspection(t, s, u, tpl, t0.Add(time.Hour))
	ph, err := s.AddPhoto("王督查", pngBytes(t, 20, 10), "p.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []*inspect.Inspection{a, b} {
		if _, err := s.AttachPhoto("王督查", in.ID, "A2", ph.Hash); err != nil {
			t.Fatal(err)
		}
		if w := storedWhere(t, s, in); w.draftAns == nil {
			t.Fatalf("%s: the photo's autosave did not write drafts/", in.ID)
		}
	}
	if _, err := s.RemovePhoto("王督查", a.ID, "A2", ph.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Photo(ph.Hash); err != nil {
		t.Fatalf("the photo went while draft %s still has it: %v", b.ID, err)
	}
	if _, err := os.Stat(s.PhotoPath(ph.Hash)); err != nil {
		t.Fatalf("the photo's file went: %v", err)
	}
	if _, err := s.RemovePhoto("王督查", b.ID, "A2", ph.Hash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Photo(ph.Hash); !errors.Is(err, ErrNotFound) {
		t.Errorf("the photo no answer names stays: %v", err)
	}
}
