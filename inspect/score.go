package inspect

import (
	"fmt"
	"math"
)

// Outcome is what one answer means for the score.
type Outcome struct {
	Answered   bool
	NA         bool
	Failed     bool    // the item is a problem
	Violations int     // count and attendance items
	Deduction  float64 // points taken off
	Veto       bool    // 一票否决 triggered
	Reason     string  // short English reason, e.g. "3 × 2 = 6, capped at 5"
}

// Evaluate scores one answer against its item. A nil answer is unanswered.
func Evaluate(it *Item, a *Answer) Outcome {
	if a == nil {
		return Outcome{}
	}
	if a.Result == ResultNA {
		return Outcome{Answered: true, NA: true, Reason: "not applicable"}
	}
	var o Outcome
	switch it.Kind {
	case KindCheck:
		if a.Result == ResultNone {
			return Outcome{}
		}
		o.Answered = true
		o.Failed = a.Result == ResultFail
		if o.Failed {
			o.Violations = 1
		}
	case KindCount:
		if !a.Counted && a.Count == 0 && a.Result == ResultNone {
			return Outcome{}
		}
		o.Answered = true
		o.Violations = a.Count
		o.Failed = a.Count > 0
	case KindAttendance:
		if !a.Counted && a.Expected == 0 && len(a.Absent) == 0 && a.Result == ResultNone {
			return Outcome{}
		}
		o.Answered = true
		for _, p := range a.Absent {
			if !p.Reason.Excused() {
				o.Violations++
			}
		}
		o.Failed = o.Violations > 0
	case KindNumber:
		if a.Number == nil {
			return Outcome{}
		}
		o.Answered = true
		v := *a.Number
		o.Failed = (it.FailAbove != nil && v > *it.FailAbove) || (it.FailBelow != nil && v < *it.FailBelow)
		if o.Failed {
			o.Violations = 1
		}
	case KindText:
		o.Answered = a.Text != "" || a.Result == ResultPass
		return o
	case KindChoice:
		if a.Choice == "" {
			return Outcome{}
		}
		o.Answered = true
		for _, c := range it.Choices {
			if c.Label == a.Choice {
				o.Failed = c.Fails || c.Deduction > 0
				if o.Failed {
					o.Violations = 1
				}
				if it.Rule.Type != RuleNone {
					o.Deduction = c.Deduction
				}
			}
		}
		if o.Failed && it.Rule.Type == RuleVeto {
			o.Veto = true
		}
		if o.Deduction > 0 {
			o.Reason = fmt.Sprintf("%s: -%s", a.Choice, fmtPts(o.Deduction))
		}
		return o
	}
	if !o.Failed {
		return o
	}
	switch it.Rule.Type {
	case RuleFixed:
		o.Deduction = it.Rule.Deduction
		o.Reason = fmt.Sprintf("-%s", fmtPts(o.Deduction))
	case RuleVeto:
		o.Deduction = it.Rule.Deduction
		o.Veto = true
		o.Reason = "veto"
	case RulePerViolation:
		raw := float64(o.Violations) * it.Rule.Deduction
		o.Deduction = math.Min(raw, it.Rule.Cap)
		if raw > it.Rule.Cap {
			o.Reason = fmt.Sprintf("%d × %s = %s, capped at %s", o.Violations, fmtPts(it.Rule.Deduction), fmtPts(raw), fmtPts(it.Rule.Cap))
		} else {
			o.Reason = fmt.Sprintf("%d × %s", o.Violations, fmtPts(it.Rule.Deduction))
		}
	}
	return o
}

func fmtPts(f float64) string {
	return fmt.Sprintf("%g", math.Round(f*100)/100)
}

// Deduction is one line of the score's explanation.
type Deduction struct {
	ItemCode  string  `json:"item,omitempty"`
	FindingID string  `json:"finding,omitempty"`
	Text      string  `json:"text"`
	Points    float64 `json:"points"`
	Veto      bool    `json:"veto,omitempty"`
	Reason    string  `json:"reason,omitempty"`
}

// Score is the result of an inspection.
type Score struct {
	Full       float64     `json:"full"`
	Base       float64     `json:"base"` // the full score after N/A proration
	Deducted   float64     `json:"deducted"`
	Value      float64     `json:"value"` // on the Full scale, clamped at 0, 2 decimals
	Rating     string      `json:"rating"`
	Veto       bool        `json:"veto,omitempty"`
	Answered   int         `json:"answered"`
	Total      int         `json:"total"`
	Deductions []Deduction `json:"deductions,omitempty"`
}

// Score computes full score minus deductions, clamped at 0; with NAProrate
// the points of N/A items leave the base and the result is scaled back to
// the full score; a veto forces the lowest band.
func (in *Inspection) Score() Score {
	t := &in.Template
	s := Score{Full: t.FullScore}
	naPoints := 0.0
	for _, it := range t.Items() {
		s.Total++
		o := Evaluate(it, in.Answers[it.Code])
		if o.Answered {
			s.Answered++
		}
		if o.NA {
			naPoints += it.MaxDeduction()
		}
		if o.Deduction > 0 || o.Veto {
			s.Deducted += o.Deduction
			s.Deductions = append(s.Deductions, Deduction{ItemCode: it.Code, Text: it.Text, Points: o.Deduction, Veto: o.Veto, Reason: o.Reason})
		}
		if o.Veto {
			s.Veto = true
		}
	}
	for _, f := range in.Findings {
		if f.Deduction > 0 {
			s.Deducted += f.Deduction
			s.Deductions = append(s.Deductions, Deduction{FindingID: f.ID, Text: f.Text, Points: f.Deduction})
		}
	}
	s.Base = t.FullScore
	value := t.FullScore - s.Deducted
	if t.NAPolicy == NAProrate && naPoints > 0 {
		s.Base = t.FullScore - naPoints
		if s.Base <= 0 {
			value = t.FullScore // everything N/A: nothing was found wanting
		} else {
			value = t.FullScore * (s.Base - s.Deducted) / s.Base
		}
	}
	value = math.Max(0, math.Min(t.FullScore, value))
	s.Value = math.Round(value*100) / 100
	s.Rating = t.Rating(s.Value)
	if s.Veto {
		s.Rating = t.LowestBand()
	}
	return s
}
