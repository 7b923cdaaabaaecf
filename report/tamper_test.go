package report

import (
	"encoding/json"
	"testing"

	"mingcha/inspect"
)

// doctoredReport renders in with a payload changed by edit and signs it
// with id: embedded data altered before signing, by a real key.
func doctoredReport(t testing.TB, in *inspect.Inspection, id *Identity, edit func(p *Payload)) []byte {
	t.Helper()
	c := *in
	c.Problems = append([]inspect.Problem(nil), in.Problems...)
	p := &Payload{Format: PayloadFormat, GeneratedAt: in.SignedAt, Inspection: &c, Score: in.Score()}
	edit(p)
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := renderWithPayload(in, raw)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := Sign(pdf, id, "", in.SignedAt)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// TestTamperRecomputed: payloads the public API cannot make (the tamper
// package's cases are in tamper_ext_test.go): what Verify recomputes from
// the answers and template is not taken from the payload.
func TestTamperRecomputed(t *testing.T) {
	in, _, _, id := signedFixture(t)
	cases := []struct {
		name string
		edit func(p *Payload)
		key  string
	}{
		{"problem no answer gives", func(p *Payload) {
			p.Inspection.Problems = append(p.Inspection.Problems, inspect.Problem{ID: in.ID + "/XX-99", InspectionID: in.ID, ItemCode: "XX-99", Description: "编造的问题"})
		}, "verify.problem_extra"},
		{"problem reworded", func(p *Payload) { p.Inspection.Problems[0].Description = "轻微问题" }, "verify.problem_changed"},
		{"problem listed twice", func(p *Payload) {
			p.Inspection.Problems = append(p.Inspection.Problems, p.Inspection.Problems[0])
		}, "verify.problems_repeated"},
		{"rating not the score's", func(p *Payload) { p.Score.Rating = "不合格" }, "verify.rating_recomputed"},
		{"veto not the answers'", func(p *Payload) { p.Score.Veto = true }, "verify.veto_recomputed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Verify(doctoredReport(t, in, id, c.edit), VerifyOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if v.Valid || v.ReasonKey != c.key {
				t.Fatalf("valid %v, reason %s (%s), want %s", v.Valid, v.ReasonKey, v.Reason, c.key)
			}
			checkReasonKey(t, v)
		})
	}
}
