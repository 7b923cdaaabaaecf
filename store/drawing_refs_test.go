package store

import (
	"encoding/hex"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// storedDrawingNames lists drawings/ and, per drawing, the records naming
// it in drawing_refs/.
func storedDrawingNames(t *testing.T, s *Store) (names []string, refs map[string][]string) {
	t.Helper()
	refs = map[string][]string{}
	err := s.view(func(tx *bolt.Tx) error {
		_ = tx.Bucket(bucketDrawings).ForEach(func(k, _ []byte) error { names = append(names, string(k)); return nil })
		return tx.Bucket(bucketDrawingRefs).ForEach(func(k, _ []byte) error {
			h := hex.EncodeToString(k[:32])
			refs[h] = append(refs[h], string(k[32:]))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	return names, refs
}

// A signature drawn again, a 签收 cleared or a draft deleted takes its old
// drawing with it, unless another record still names that drawing.
func TestDrawingRemovedWithLastReference(t *testing.T) {
	s := mustOpenAt(t, filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	u, tpl := seed(t, s)
	a := newInspection(t, s, u, tpl, t0)
	b := newInspection(t, s, u, tpl, t0.Add(1))
	p1, p2, p3 := pngBytes(t, 30, 10), pngBytes(t, 31, 10), pngBytes(t, 32, 10)
	sign := func(id string, png []byte) *inspect.Inspection {
		t.Helper()
		in, err := s.SetSignature("王督查", id, inspect.DrawnSignature{Inspector: "王督查", PNG: png})
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	want := func(n int, named map[string][]string) {
		t.Helper()
		names, refs := storedDrawingNames(t, s)
		if len(names) != n {
			t.Fatalf("%d drawings stored, want %d (refs %v)", len(names), n, refs)
		}
		for _, h := range names {
			if len(refs[h]) == 0 {
				t.Errorf("drawing %s is stored but no record names it", h)
			}
		}
		for h, ids := range named {
			sort.Strings(ids)
			got := refs[h]
			sort.Strings(got)
			if !reflect.DeepEqual(got, ids) {
				t.Errorf("drawing %s named by %v, want %v", h, got, ids)
			}
		}
	}
	h1 := drawingHash(sign(a.ID, p1).Signatures[0].PNG)
	want(1, map[string][]string{h1: {a.ID}})
	h2 := drawingHash(sign(a.ID, p2).Signatures[0].PNG) // drawn again: p1 goes
	want(1, map[string][]string{h2: {a.ID}})
	sign(b.ID, p2) // the same drawing in another record
	want(1, map[string][]string{h2: {a.ID, b.ID}})
	h3 := drawingHash(sign(a.ID, p3).Signatures[0].PNG) // b still names p2
	want(2, map[string][]string{h2: {b.ID}, h3: {a.ID}})
	// Saving an answer, completing: the drawings stay as they are.
	if _, err := s.SaveAnswer("王督查", a.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultPass}); err != nil {
		t.Fatal(err)
	}
	want(2, map[string][]string{h2: {b.ID}, h3: {a.ID}})

	// A 明查 draft's 签收, cleared; another one, then the draft deleted.
	open, err := inspect.NewInspection("", *u, tpl, inspect.ModeOpen, []string{"王督查"}, t0, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateInspection("王督查", open); err != nil {
		t.Fatal(err)
	}
	r, err := s.SetReceipt("王督查", open.ID, inspect.Receipt{Name: "张三", PNG: pngBytes(t, 40, 10)})
	if err != nil {
		t.Fatal(err)
	}
	want(3, map[string][]string{drawingHash(r.Receipt.PNG): {open.ID}})
	if _, err := s.ClearReceipt("王督查", open.ID); err != nil {
		t.Fatal(err)
	}
	want(2, nil)
	if _, err := s.SetReceipt("王督查", open.ID, inspect.Receipt{Name: "张三", PNG: pngBytes(t, 41, 10)}); err != nil {
		t.Fatal(err)
	}
	sign(open.ID, p3) // names a's drawing too
	want(3, map[string][]string{h3: {a.ID, open.ID}})
	if err := s.DeleteDraft("王督查", open.ID); err != nil {
		t.Fatal(err)
	}
	want(2, map[string][]string{h2: {b.ID}, h3: {a.ID}})

	// Every record still loads with its drawings; the chain verifies.
	for _, id := range []string{a.ID, b.ID} {
		in, err := s.Inspection(id)
		if err != nil || len(in.Signatures) != 1 || len(in.Signatures[0].PNG) == 0 {
			t.Fatalf("%s: %+v %v", id, in, err)
		}
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}
