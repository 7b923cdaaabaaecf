package inspect

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Problem wording: the sentence a published document (通报, 整改通知书)
// uses for a failed item. An item's Text is the standard ("公示监督投诉电话，
// 号码为现行有效号码"), which read as a problem says the opposite of what was
// found, and its Guidance is for the inspector only.

// MaxProblemWording bounds an item's problem wording, in characters: it is
// one clause of a sentence, not a paragraph.
const MaxProblemWording = 60

// CanFail reports whether the item can become a problem.
func (it *Item) CanFail() bool {
	switch it.Kind {
	case KindText:
		return false
	case KindNumber:
		return it.FailAbove != nil || it.FailBelow != nil
	case KindChoice:
		for _, c := range it.Choices {
			if c.Fails || c.Deduction > 0 {
				return true
			}
		}
		return false
	}
	return true
}

// recordNote is the inspector's hint some standards carry at their end,
// e.g. "（记录未佩戴人数）".
var recordNote = regexp.MustCompile(`（(记录|应到|逐人)[^（）]*）$`)

// ProblemWording is how a failure of the item reads in a published
// document: its problem wording, or for a template written before items had
// one, its text without the inspector's recording hint.
func (it *Item) ProblemWording() string {
	if w := strings.TrimSpace(it.Problem); w != "" {
		return w
	}
	t := strings.TrimSpace(it.Text)
	for {
		s := strings.TrimSpace(strings.TrimRight(recordNote.ReplaceAllString(t, ""), "。；;，,"))
		if s == t {
			return t
		}
		t = s
	}
}

func validateProblem(it *Item, ip string, add func(place, key, msg string, params map[string]any)) {
	w := it.Problem
	if w == "" {
		return
	}
	place := ip + ".problem"
	switch {
	case !it.CanFail():
		add(place, "template.problem_unexpected", "this item can never fail, so it has no problem wording", nil)
	case strings.TrimSpace(w) != w || strings.ContainsAny(w, "\r\n\t"):
		add(place, "template.problem_spacing", "must be one line without leading or trailing spaces", nil)
	case utf8.RuneCountInString(w) > MaxProblemWording:
		add(place, "template.problem_too_long", "must be at most 60 characters", map[string]any{"Max": MaxProblemWording})
	case strings.ContainsRune("。；;，,.、：:", lastRune(w)):
		add(place, "template.problem_punct", "must not end with punctuation: it is one clause of a sentence", nil)
	}
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}
