package store

import (
	"encoding/json"
	"strings"
	"testing"

	"mingcha/inspect"
)

// A database written before audit entries recorded changes (two full
// copies per entry) goes on with diff entries after the old ones: the
// chain verifies across both forms and the file passes check.
func TestAuditOldAndNewFormsVerify(t *testing.T) {
	s, path := openFixture(t, "schema3.db")
	old, err := s.Audit(0, 0)
	if err != nil || len(old) == 0 {
		t.Fatalf("fixture audit: %d %v", len(old), err)
	}
	for _, e := range old {
		if e.Form != "" {
			t.Fatalf("fixture entry %d has form %q", e.Seq, e.Form)
		}
	}
	p, _ := s.ListInspections(Query{Statuses: []inspect.Status{inspect.StatusCompleted}})
	id := p.Items[0].ID
	in, _ := s.Inspection(id)
	for _, who := range in.Inspectors {
		if _, err := s.SetSignature(who, id, inspect.DrawnSignature{Inspector: who, PNG: pngBytes(t, 8, 4)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SignInspection("w", id); err != nil {
		t.Fatal(err)
	}
	entries, err := s.AuditFor("inspection/" + id)
	if err != nil {
		t.Fatal(err)
	}
	sign := entries[len(entries)-1]
	if sign.Action != "inspection.sign" || sign.Form != "diff" {
		t.Fatalf("last entry: %+v", sign)
	}
	var n map[string]json.RawMessage
	if err := json.Unmarshal(sign.New, &n); err != nil {
		t.Fatal(err)
	}
	if string(n["status"]) != `"signed"` || n["problems"] != nil || n["unit"] != nil {
		t.Fatalf("sign entry records more than the change: %s", sign.New)
	}
	if len(sign.Old)+len(sign.New) > 400 {
		t.Errorf("sign entry %d+%d bytes", len(sign.Old), len(sign.New))
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := CheckFile(path); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpenAt(t, path, Options{NoBackup: true, ReadOnly: true})
	defer s2.Close()
	if _, err := s2.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

func TestJSONDiff(t *testing.T) {
	o, n, ok := jsonDiff([]byte(`{"a":1,"b":[{"id":"x","v":1},{"id":"y","v":2}],"c":"same","d":true}`),
		[]byte(`{"a":2,"b":[{"id":"x","v":1},{"id":"y","v":3},{"id":"z","v":0}],"c":"same","e":null}`))
	if !ok {
		t.Fatal("not diffed")
	}
	if string(o) != `{"a":1,"b":[{"id":"y","v":2}],"d":true}` || string(n) != `{"a":2,"b":[{"id":"y","v":3},{"id":"z","v":0}],"e":null}` {
		t.Fatalf("old %s new %s", o, n)
	}
	if _, _, ok := jsonDiff([]byte(`[1]`), []byte(`{}`)); ok || strings.Contains("", "x") {
		t.Fatal("a list diffed as an object")
	}
}
