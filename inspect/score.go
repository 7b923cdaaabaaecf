package inspect

import "math"

// Outcome is what one answer means for the score.
type Outcome struct {
	Answered   bool
	NA         bool
	Failed     bool    // the item is a problem
	Violations int     // count and attendance items
	Deduction  float64 // points taken off
	Veto       bool    // 一票否决 triggered
	// How the deduction came about, as data for each face to word in its
	// own language: per-violation points and cap, whether the cap bit, and
	// the chosen label of a choice item.
	PerViolation float64
	Cap          float64
	Capped       bool
	Choice       string
}

// Evaluate scores one answer against its item. A nil answer is unanswered.
func Evaluate(it *Item, a *Answer) Outcome {
	if a == nil {
		return Outcome{}
	}
	if a.Result == ResultNA {
		return Outcome{Answered: true, NA: true}
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
		o.Violations = a.Unexcused()
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
		o.Choice = a.Choice
		// A choice's deduction and whether it is a problem are two things:
		// 一般 may deduct half a point and still be no 整改 problem; only
		// `fails` makes it one (and only a failing choice can veto).
		for _, c := range it.Choices {
			if c.Label == a.Choice {
				o.Failed = c.Fails
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
		return o
	}
	if !o.Failed {
		return o
	}
	switch it.Rule.Type {
	case RuleFixed:
		o.Deduction = it.Rule.Deduction
	case RuleVeto:
		o.Deduction = it.Rule.Deduction
		o.Veto = true
	case RulePerViolation:
		raw := float64(o.Violations) * it.Rule.Deduction
		o.Deduction = math.Min(raw, it.Rule.Cap)
		o.PerViolation, o.Cap, o.Capped = it.Rule.Deduction, it.Rule.Cap, raw > it.Rule.Cap
	}
	return o
}

// Deduction is one line of the score's explanation. It carries the facts
// (violations, points per violation, cap, veto, chosen label), not a
// sentence: the window and the report word them in their own language.
type Deduction struct {
	ItemCode     string  `json:"item,omitempty"`
	FindingID    string  `json:"finding,omitempty"`
	Text         string  `json:"text"`
	Points       float64 `json:"points"`
	Veto         bool    `json:"veto,omitempty"`
	Violations   int     `json:"violations,omitempty"`    // per-violation items
	PerViolation float64 `json:"per_violation,omitempty"` // points per violation
	Cap          float64 `json:"cap,omitempty"`
	Capped       bool    `json:"capped,omitempty"` // the cap took points back
	Choice       string  `json:"choice,omitempty"` // choice items: the chosen label
}

// Score is the result of an inspection.
type Score struct {
	Full       float64     `json:"full"`
	Base       float64     `json:"base"`               // the full score after N/A proration (基数)
	Prorated   bool        `json:"prorated,omitempty"` // N/A items left the base and the score was scaled back
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
			d := Deduction{ItemCode: it.Code, Text: it.Text, Points: o.Deduction, Veto: o.Veto, Choice: o.Choice}
			if o.PerViolation > 0 {
				d.Violations, d.PerViolation, d.Cap, d.Capped = o.Violations, o.PerViolation, o.Cap, o.Capped
			}
			s.Deductions = append(s.Deductions, d)
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
		s.Prorated = true
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
