package inspect

import (
	"errors"
	"os"
	"strings"
	"testing"
)

func TestTemplateValidationNamesPlace(t *testing.T) {
	base, err := os.ReadFile("testdata/small.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to, wantPlace string
	}{
		{"negative deduction", `"deduction": 20}`, `"deduction": -20}`, "sections[0] (A).items[1] (A2).rule.deduction"},
		{"cap missing", `"deduction": 2, "cap": 10}`, `"deduction": 2}`, "sections[0] (A).items[0] (A1).rule.cap"},
		{"bad kind", `"kind": "check", "category": "桌牌"`, `"kind": "tick", "category": "桌牌"`, "sections[0] (A).items[1] (A2).kind"},
		{"duplicate code", `"code": "B5"`, `"code": "A1"`, "sections[1] (B).items[4] (A1).code"},
		{"per_violation on check", `"kind": "check", "category": "一次性告知",
         "rule": {"type": "fixed", "deduction": 10}`, `"kind": "check", "category": "一次性告知",
         "rule": {"type": "per_violation", "deduction": 10, "cap": 10}`, "sections[1] (B).items[4] (B5).rule.type"},
		{"number without threshold", `"unit": "分钟", "fail_above": 20,`, `"unit": "分钟",`, "sections[1] (B).items[1] (B2).fail_above"},
		{"empty text", `"text": "服务态度"`, `"text": " "`, "sections[1] (B).items[2] (B3).text"},
		{"bad evidence", `"evidence": "required_on_fail"`, `"evidence": "always"`, "sections[0] (A).items[0] (A1).evidence"},
		{"no zero band", `{"name": "不合格", "min": 0}`, `{"name": "不合格", "min": 10}`, "bands"},
		{"bad version", `"version": 1`, `"version": 0`, "version"},
		{"cap on fixed", `"deduction": 20}`, `"deduction": 20, "cap": 30}`, "sections[0] (A).items[1] (A2).rule.cap"},
		{"deduction on none", `"kind": "text", "optional": true, "rule": {"type": "none"}`, `"kind": "text", "optional": true, "rule": {"type": "none", "deduction": 2}`, "sections[1] (B).items[3] (B4).rule.deduction"},
		{"fail_below on check", `"kind": "check", "category": "桌牌",`, `"kind": "check", "category": "桌牌", "fail_below": 1,`, "sections[0] (A).items[1] (A2).fail_below"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := string(base)
			if !strings.Contains(s, c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			_, err := ParseTemplate([]byte(strings.Replace(s, c.from, c.to, 1)))
			var ve ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("want ValidationErrors, got %v", err)
			}
			for _, e := range ve {
				if e.Params["Place"] == c.wantPlace {
					return
				}
			}
			t.Fatalf("no error at %s: %v", c.wantPlace, err)
		})
	}
}

func TestTemplateJSONErrors(t *testing.T) {
	cases := map[string]string{
		"syntax":         "{\n  \"id\": \"x\",\n  \"version\": 1,,\n}",
		"unknown field":  `{"id": "x", "colour": "red"}`,
		"wrong type":     "{\n\"id\": \"x\",\n\"version\": \"one\"}",
		"trailing":       `{"id":"x"} {}`,
		"trailing brace": `{"id":"x"}}`,
		"empty":          ``,
	}
	for name, in := range cases {
		_, err := ParseTemplate([]byte(in))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if ErrorCode(err) != ECodeInvalid {
			t.Errorf("%s: code %q (%v)", name, ErrorCode(err), err)
		}
	}
	_, err := ParseTemplate([]byte("{\n\"id\": \"x\",\n\"version\": \"one\"}"))
	if !strings.Contains(err.Error(), "line 3") {
		t.Errorf("wrong-type error lacks line: %v", err)
	}
	// Cut short (a copy that stopped half way): said so, with where it ends.
	var e *Error
	_, err = ParseTemplate([]byte("{\n\"id\": \"x\",\n\"version\": 1"))
	if !errors.As(err, &e) || e.Key != "template.json_truncated" || e.Params["Line"] != 3 || !strings.Contains(err.Error(), "incomplete") {
		t.Errorf("truncated file: %#v", err)
	}
	_, err = ParseTemplate([]byte("{\n\"id\": \"x\",\n  \"colour\": 1}"))
	if !strings.Contains(err.Error(), `"colour" at line 3, column 3`) {
		t.Errorf("unknown-field error lacks place: %v", err)
	}
}

func TestTemplateHelpers(t *testing.T) {
	tpl := mustTemplate(t)
	if tpl.Key() != "small@1" || len(tpl.Items()) != 8 {
		t.Fatal(tpl.Key(), len(tpl.Items()))
	}
	total := 0.0
	for _, it := range tpl.Items() {
		total += it.MaxDeduction()
	}
	if total != 100 {
		t.Fatalf("max deductions sum %v", total)
	}
	for score, want := range map[float64]string{100: "优秀", 90: "优秀", 89.99: "良好", 60: "合格", 59.5: "不合格", 0: "不合格"} {
		if got := tpl.Rating(score); got != want {
			t.Errorf("Rating(%v) = %s, want %s", score, got, want)
		}
	}
	if tpl.LowestBand() != "不合格" {
		t.Fatal(tpl.LowestBand())
	}
}

func FuzzParseTemplate(f *testing.F) {
	if seed, err := os.ReadFile("testdata/small.json"); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{"id":"a","version":1,"title":"t","full_score":100,"bands":[{"name":"x","min":0}],"sections":[{"code":"s","title":"s","items":[{"code":"i","text":"t","kind":"check","rule":{"type":"fixed","deduction":1}}]}]}`))
	f.Add([]byte(`{"sections":[{"items":[{"kind":"choice","choices":[{}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := ParseTemplate(data)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		// A valid template must score an empty inspection without panicking,
		// and the score must stay within [0, full].
		in, err := NewInspection("f", Unit{Name: "u", Kind: UnitOffice}, tpl, ModeOpen, []string{"a"}, t0, t0)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range tpl.Items() {
			_ = in.SetAnswer(Answer{ItemCode: it.Code, Result: ResultFail, Count: 3, Number: num(1e6), Choice: lastChoice(it)}, t0)
		}
		s := in.Score()
		if s.Value < 0 || s.Value > tpl.FullScore || s.Rating == "" {
			t.Fatalf("score %+v out of range", s)
		}
	})
}

func lastChoice(it *Item) string {
	if len(it.Choices) == 0 {
		return ""
	}
	return it.Choices[len(it.Choices)-1].Label
}
