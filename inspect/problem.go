package inspect

import (
	"strings"
	"time"
)

// ProblemState is where a problem's 整改 stands: open → rectified → verified.
type ProblemState string

const (
	ProblemOpen      ProblemState = "open"      // 待整改
	ProblemRectified ProblemState = "rectified" // 已整改, awaiting 回访
	ProblemVerified  ProblemState = "verified"  // 回访确认
)

// DefaultDeadlineDays is the usual 整改 period in working days.
const DefaultDeadlineDays = 15

// Problem (问题) is a failed item or a free finding, with its 整改.
type Problem struct {
	ID           string       `json:"id"` // inspection id + "/" + item code or finding id
	InspectionID string       `json:"inspection_id"`
	UnitID       string       `json:"unit_id"`
	ItemCode     string       `json:"item,omitempty"`
	FindingID    string       `json:"finding,omitempty"`
	Category     string       `json:"category,omitempty"`
	Description  string       `json:"description"`
	Responsible  string       `json:"responsible,omitempty"`
	Deadline     time.Time    `json:"deadline"`
	State        ProblemState `json:"state"`
	Repeat       bool         `json:"repeat,omitempty"` // 重复问题
	// RepeatOf names the most recent earlier problem it repeats (one id;
	// that problem's own link gives the history; records written before
	// this rule may list several). RepeatCount is how many earlier
	// occurrences the chain holds: 1 for the first repeat.
	RepeatOf    []string  `json:"repeat_of,omitempty"`
	RepeatCount int       `json:"repeat_count,omitempty"`
	FoundAt     time.Time `json:"found_at"`
	RectifiedAt time.Time `json:"rectified_at,omitzero"`
	VerifiedAt  time.Time `json:"verified_at,omitzero"`
	Note        string    `json:"note,omitempty"`
}

// Resolved reports whether the problem is closed by a 回访.
func (p *Problem) Resolved() bool { return p.State == ProblemVerified }

// Overdue reports whether the deadline passed without rectification.
func (p *Problem) Overdue(now time.Time) bool {
	return p.State == ProblemOpen && !p.Deadline.IsZero() && now.After(p.Deadline)
}

// Rectify records the unit's report that the problem is fixed.
func (p *Problem) Rectify(now time.Time, note string) error {
	if p.State != ProblemOpen {
		return Errorf(ECodeForbidden, "problem.rectify_not_open", map[string]any{"State": string(p.State)},
			"problem %s is %s; only an open problem can be marked rectified", p.ID, p.State)
	}
	p.State, p.RectifiedAt = ProblemRectified, now
	if note != "" {
		p.Note = note
	}
	return nil
}

// Verify closes a rectified problem after a 回访 confirmed the fix.
func (p *Problem) Verify(now time.Time, note string) error {
	if p.State != ProblemRectified {
		return Errorf(ECodeForbidden, "problem.verify_not_rectified", map[string]any{"State": string(p.State)},
			"problem %s is %s; only a rectified problem can be verified", p.ID, p.State)
	}
	p.State, p.VerifiedAt = ProblemVerified, now
	if note != "" {
		p.Note = note
	}
	return nil
}

// Reopen sends a rectified problem back to open when the 回访 found it unfixed.
func (p *Problem) Reopen(now time.Time, note string) error {
	if p.State != ProblemRectified {
		return Errorf(ECodeForbidden, "problem.reopen_not_rectified", map[string]any{"State": string(p.State)},
			"problem %s is %s; only a rectified problem can be reopened", p.ID, p.State)
	}
	p.State, p.RectifiedAt = ProblemOpen, time.Time{}
	if note != "" {
		p.Note = note
	}
	return nil
}

// Holidays are extra non-working dates (法定节假日), as "2006-01-02"; and
// make-up working weekend days (调休) in Workdays.
type Holidays struct {
	Off      map[string]bool
	Workdays map[string]bool
}

// IsWorkingDay reports whether the date on which d falls in Zone is a
// working day.
func (h Holidays) IsWorkingDay(d time.Time) bool {
	d = d.In(Zone)
	key := d.Format("2006-01-02")
	if h.Workdays[key] {
		return true
	}
	if h.Off[key] {
		return false
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the end (in Zone) of the n-th working day after
// the date of from in Zone.
func AddWorkingDays(from time.Time, n int, h Holidays) time.Time {
	d := Day(from)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if h.IsWorkingDay(d) {
			n--
		}
	}
	return EndOfDay(d)
}

// DeriveProblems lists the problems of the current answers and findings.
// Responsible person, deadline, state and note are kept from prev for a
// problem that was already listed, so edits made in review survive.
func (in *Inspection) DeriveProblems(now time.Time, deadlineDays int, hol Holidays, prev []Problem) []Problem {
	if deadlineDays <= 0 {
		deadlineDays = DefaultDeadlineDays
	}
	old := map[string]Problem{}
	for _, p := range prev {
		old[p.ID] = p
	}
	deadline := AddWorkingDays(in.ObservedAt, deadlineDays, hol)
	var out []Problem
	add := func(p Problem) {
		if o, ok := old[p.ID]; ok {
			p.Responsible, p.Deadline, p.State, p.Note = o.Responsible, o.Deadline, o.State, o.Note
			p.RectifiedAt, p.VerifiedAt = o.RectifiedAt, o.VerifiedAt
		}
		out = append(out, p)
	}
	for _, it := range in.Template.Items() {
		a := in.Answers[it.Code]
		o := Evaluate(it, a)
		if !o.Failed {
			continue
		}
		desc := it.ProblemWording()
		if a != nil && strings.TrimSpace(a.Note) != "" {
			desc += "：" + strings.TrimSpace(a.Note)
		}
		add(Problem{
			ID: in.ID + "/" + it.Code, InspectionID: in.ID, UnitID: in.UnitID, ItemCode: it.Code,
			Category: it.Category, Description: desc, Deadline: deadline, State: ProblemOpen, FoundAt: in.ObservedAt,
		})
	}
	for _, f := range in.Findings {
		add(Problem{
			ID: in.ID + "/" + f.ID, InspectionID: in.ID, UnitID: in.UnitID, FindingID: f.ID,
			Category: f.Category, Description: f.Text, Deadline: deadline, State: ProblemOpen, FoundAt: in.ObservedAt,
		})
	}
	return out
}

// ProblemCount is len(in.DeriveProblems(…)) without building the list
// (the draft's autosave stores only the count in its summary): one per
// failed item and one per finding.
func (in *Inspection) ProblemCount() int {
	n := len(in.Findings)
	for si := range in.Template.Sections {
		items := in.Template.Sections[si].Items
		for ii := range items {
			if Evaluate(&items[ii], in.Answers[items[ii].Code]).Failed {
				n++
			}
		}
	}
	return n
}

// MarkRepeats flags 重复问题: a problem on the same unit and the same item
// or the same problem category as an earlier problem that is still
// unresolved or was itself a repeat. It links to the most recent such
// problem only, with the count of the chain, so a record stays the same
// size however long a unit's history (the earlier links give the rest).
func MarkRepeats(problems []Problem, earlier []Problem) {
	for i := range problems {
		p := &problems[i]
		p.Repeat, p.RepeatOf, p.RepeatCount = false, nil, 0
		var last *Problem
		for k := range earlier {
			e := &earlier[k]
			if e.UnitID != p.UnitID || e.InspectionID == p.InspectionID || !e.FoundAt.Before(p.FoundAt) {
				continue
			}
			same := (p.ItemCode != "" && e.ItemCode == p.ItemCode) ||
				(p.Category != "" && e.Category == p.Category)
			if !same || (e.Resolved() && !e.Repeat) {
				continue
			}
			if last == nil || e.FoundAt.After(last.FoundAt) || (e.FoundAt.Equal(last.FoundAt) && e.ID > last.ID) {
				last = e
			}
		}
		if last == nil {
			continue
		}
		p.Repeat, p.RepeatOf = true, []string{last.ID}
		p.RepeatCount = 1
		if last.Repeat {
			p.RepeatCount = max(last.RepeatCount, len(last.RepeatOf), 1) + 1
		}
	}
}

// AssignProblem sets the responsible person and the 整改 deadline of one of
// a completed inspection's problems, as the review screen edits them. Once
// signed, the inspection's problems are fixed; 整改 follow-up is the
// 效能办's and is recorded outside the signed record.
func (in *Inspection) AssignProblem(id, responsible string, deadline time.Time, now time.Time) error {
	if in.Status != StatusCompleted {
		if in.Status == StatusSigned {
			return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
				"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
		}
		return Errorf(ECodeForbidden, "problem.assign_draft", nil,
			"problems are assigned after the inspection is completed")
	}
	for i := range in.Problems {
		if in.Problems[i].ID != id {
			continue
		}
		if !deadline.IsZero() && deadline.Before(in.ObservedAt) {
			return Errorf(ECodeInvalid, "problem.deadline_before_visit", map[string]any{"ID": id},
				"the deadline of %s is before the inspection", id)
		}
		in.Problems[i].Responsible = strings.TrimSpace(responsible)
		if !deadline.IsZero() {
			in.Problems[i].Deadline = deadline
		}
		in.UpdatedAt = now
		return nil
	}
	return Errorf(ECodeNotFound, "problem.not_found", map[string]any{"ID": id}, "problem %s is not in inspection %s", id, in.ID)
}
