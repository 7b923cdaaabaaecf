package inspect

import (
	"errors"
	"testing"
)

func TestProblemWording(t *testing.T) {
	cases := []struct {
		item Item
		want string
	}{
		{Item{Text: "公示监督投诉电话，号码为现行有效号码", Problem: "未公示监督投诉电话或号码失效"}, "未公示监督投诉电话或号码失效"},
		// A template written before problem wordings: the standard without
		// the inspector's hint.
		{Item{Text: "在岗工作人员佩戴胸牌（工作牌）（记录未佩戴人数）"}, "在岗工作人员佩戴胸牌（工作牌）"},
		{Item{Text: "迟到、早退（记录人数）。"}, "迟到、早退"},
	}
	for _, c := range cases {
		if got := c.item.ProblemWording(); got != c.want {
			t.Errorf("ProblemWording(%q) = %q, want %q", c.item.Text, got, c.want)
		}
	}
}

func TestValidateProblemWording(t *testing.T) {
	above := 20.0
	base := func(it Item) *Template {
		if it.Code == "" {
			it.Code = "A-1"
		}
		if it.Text == "" {
			it.Text = "公示投诉电话"
		}
		if it.Kind == "" {
			it.Kind = KindCheck
		}
		if it.Rule.Type == "" {
			it.Rule = Rule{Type: RuleFixed, Deduction: 100}
		}
		return &Template{ID: "t", Version: 1, Title: "T", FullScore: 100, Bands: []Band{{Name: "合格", Min: 0}},
			Sections: []Section{{Code: "A", Title: "A", Items: []Item{it}}}}
	}
	cases := []struct {
		name string
		item Item
		key  string // "" = valid
	}{
		{"ok", Item{Problem: "未公示投诉电话"}, ""},
		{"none is allowed", Item{}, ""},
		{"text item", Item{Kind: KindText, Rule: Rule{Type: RuleNone}, Problem: "x"}, "template.problem_unexpected"},
		{"number without threshold", Item{Kind: KindNumber, Rule: Rule{Type: RuleNone}, Problem: "等候过长"}, "template.problem_unexpected"},
		{"number with threshold", Item{Kind: KindNumber, FailAbove: &above, Problem: "等候过长"}, ""},
		{"spaces", Item{Problem: " 未公示"}, "template.problem_spacing"},
		{"two lines", Item{Problem: "未公示\n电话"}, "template.problem_spacing"},
		{"too long", Item{}, "template.problem_too_long"},
		{"full stop", Item{Problem: "未公示投诉电话。"}, "template.problem_punct"},
		// A prohibition's standard already reads as its problem.
		{"same as text", Item{Problem: "公示投诉电话"}, ""},
	}
	for i := 0; i <= MaxProblemWording; i++ {
		cases[7].item.Problem += "未"
	}
	for _, c := range cases {
		err := base(c.item).Validate()
		if c.key == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var ve ValidationErrors
		if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Key != c.key {
			t.Errorf("%s: got %v, want one %s", c.name, err, c.key)
		}
	}
	// A failable item without wording is a warning, not an error: templates
	// written before the field still load.
	tpl := base(Item{})
	if w := tpl.Warnings(); len(w) != 1 {
		t.Errorf("warnings %q, want one about the missing problem wording", w)
	}
}
