package inspect

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Mode is how the unit was inspected.
type Mode string

const (
	ModeOpen   Mode = "open"   // 明查: announced, the unit knows
	ModeCovert Mode = "covert" // 暗访: unannounced, often as an ordinary citizen
)

// Status is where an inspection is in its life: draft → completed → signed.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusCompleted Status = "completed"
	StatusSigned    Status = "signed"
)

// Statuses in display order.
var Statuses = []Status{StatusDraft, StatusCompleted, StatusSigned}

// Result is the answer to a check item (and the derived outcome of others).
type Result string

const (
	ResultNone Result = ""
	ResultPass Result = "pass" // 合格
	ResultFail Result = "fail" // 不合格
	ResultNA   Result = "na"   // 不适用
)

// AbsentPerson is someone not at their post during an attendance check.
type AbsentPerson struct {
	Name     string        `json:"name"`
	Post     string        `json:"post,omitempty"`
	Reason   AbsenceReason `json:"reason"`
	OnRoster bool          `json:"on_roster"` // false: a person the roster did not list
}

// Answer is what an inspector recorded for one item.
type Answer struct {
	ItemCode   string         `json:"item"`
	Result     Result         `json:"result,omitempty"` // check items; "na" for any kind
	Count      int            `json:"count,omitempty"`  // count items: violations
	Number     *float64       `json:"number,omitempty"` // number items
	Text       string         `json:"text,omitempty"`   // text items
	Choice     string         `json:"choice,omitempty"` // choice items: the chosen label
	Expected   int            `json:"expected,omitempty"`
	Absent     []AbsentPerson `json:"absent,omitempty"`     // attendance items
	OffRoster  []StaffMember  `json:"off_roster,omitempty"` // attendance: people not on the roster found at their post (名册外在岗)
	Counted    bool           `json:"counted,omitempty"`    // count/attendance: recorded, even when 0
	Times      []TimeMark     `json:"times,omitempty"`      // timed items: the stopwatch's marks
	Note       string         `json:"note,omitempty"`
	Photos     []string       `json:"photos,omitempty"` // SHA-256 hex of the original files
	AnsweredAt time.Time      `json:"answered_at"`
	AnsweredBy string         `json:"answered_by,omitempty"`
}

// Present is 实到 for an attendance item: the roster's people at their post
// and the people not on the roster found at theirs.
func (a *Answer) Present() int {
	n := a.Expected - len(a.onRosterAbsent())
	if n < 0 {
		n = 0
	}
	return n + len(a.OffRoster)
}

// Due is 应到 for an attendance item: the roster (Expected) and everyone
// found who is not on it, present or absent.
func (a *Answer) Due() int {
	n := a.Expected + len(a.OffRoster)
	for _, p := range a.Absent {
		if !p.OnRoster {
			n++
		}
	}
	return n
}

// Unexcused counts the absent people without an accepted reason: each is
// one violation of an attendance item.
func (a *Answer) Unexcused() int {
	n := 0
	for _, p := range a.Absent {
		if !p.Reason.Excused() {
			n++
		}
	}
	return n
}

func (a *Answer) onRosterAbsent() []AbsentPerson {
	var out []AbsentPerson
	for _, p := range a.Absent {
		if p.OnRoster {
			out = append(out, p)
		}
	}
	return out
}

// Finding is a free observation not tied to a checklist item (自由发现).
type Finding struct {
	ID        string   `json:"id"`
	Text      string   `json:"text"`
	Category  string   `json:"category,omitempty"`
	Deduction float64  `json:"deduction,omitempty"`
	Photos    []string `json:"photos,omitempty"`
}

// DrawnSignature is an inspector's hand-drawn signature (PNG bytes).
type DrawnSignature struct {
	Inspector string    `json:"inspector"`
	PNG       []byte    `json:"png"`
	SignedAt  time.Time `json:"signed_at"`
}

// Inspection is one visit to one unit with one template.
type Inspection struct {
	ID          string             `json:"id"`
	UnitID      string             `json:"unit_id"`
	Unit        Unit               `json:"unit"` // snapshot at creation
	Template    Template           `json:"template"`
	Mode        Mode               `json:"mode"`
	Inspectors  []string           `json:"inspectors"`
	ObservedAt  time.Time          `json:"observed_at"`
	Place       string             `json:"place,omitempty"`
	Answers     map[string]*Answer `json:"answers"`
	Findings    []Finding          `json:"findings,omitempty"`
	Problems    []Problem          `json:"problems,omitempty"` // fixed at completion
	Signatures  []DrawnSignature   `json:"signatures,omitempty"`
	Status      Status             `json:"status"`
	Amends      string             `json:"amends,omitempty"` // id of the signed inspection this corrects
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
	CompletedAt time.Time          `json:"completed_at,omitzero"`
	SignedAt    time.Time          `json:"signed_at,omitzero"`
	// EndedAt is when the visit ended: set at the first completion and kept
	// through a reopen, so a later correction does not move it.
	EndedAt time.Time `json:"ended_at,omitzero"`
	// Receipt is the unit representative's 签收 of a 明查.
	Receipt *Receipt `json:"receipt,omitempty"`
	// Unsigned names the inspectors who drew their signature but had no key
	// on the laptop that exported the report (未数字签名): they co-sign the
	// PDF later with their own.
	Unsigned []string `json:"unsigned,omitempty"`
}

// Label is the mode's name in reports, 通报 and spreadsheets: 明查 or 暗访
// (the window shows it through its translations instead).
func (m Mode) Label() string {
	switch m {
	case ModeCovert:
		return "暗访"
	case ModeOpen:
		return "明查"
	}
	return string(m)
}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == ModeOpen || m == ModeCovert }

// NewInspection starts a draft with a snapshot of the unit and template.
func NewInspection(id string, u Unit, t *Template, mode Mode, inspectors []string, observedAt, now time.Time) (*Inspection, error) {
	var errs ValidationErrors
	if !mode.Valid() {
		errs = append(errs, Errorf(ECodeInvalid, "inspection.bad_mode", map[string]any{"Value": string(mode)},
			"mode %q is not open or covert", mode))
	}
	clean := make([]string, 0, len(inspectors))
	for _, n := range inspectors {
		if n = strings.TrimSpace(n); n != "" {
			clean = append(clean, n)
		}
	}
	if len(clean) == 0 {
		errs = append(errs, Errorf(ECodeInvalid, "inspection.no_inspectors", nil, "at least one inspector is required"))
	}
	if strings.TrimSpace(u.Name) == "" {
		errs = append(errs, Errorf(ECodeInvalid, "inspection.no_unit", nil, "a unit is required"))
	}
	if t == nil {
		errs = append(errs, Errorf(ECodeInvalid, "inspection.no_template", nil, "a template is required"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if observedAt.IsZero() {
		observedAt = now
	}
	return &Inspection{
		ID: id, UnitID: u.ID, Unit: u, Template: t.Clone(), Mode: mode, Inspectors: clean,
		ObservedAt: observedAt, Answers: map[string]*Answer{}, Status: StatusDraft,
		CreatedAt: now, UpdatedAt: now,
	}, nil
}

// CanEdit reports whether answers may change: only drafts are editable.
func (in *Inspection) CanEdit() error {
	switch in.Status {
	case StatusDraft:
		return nil
	case StatusSigned:
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	default:
		return Errorf(ECodeForbidden, "inspection.completed_readonly", nil,
			"inspection %s is completed; reopen it as a draft to change it", in.ID)
	}
}

// SetAnswer records or replaces the answer to one item after checking that
// it fits the item's kind. It is the one door every edit goes through.
func (in *Inspection) SetAnswer(a Answer, now time.Time) error {
	if err := in.CanEdit(); err != nil {
		return err
	}
	it, ok := in.Template.Item(a.ItemCode)
	if !ok {
		return Errorf(ECodeNotFound, "inspection.no_item", map[string]any{"Item": a.ItemCode},
			"item %s is not in template %s", a.ItemCode, in.Template.Key())
	}
	if err := checkAnswer(it, &a); err != nil {
		return err
	}
	if a.AnsweredAt.IsZero() {
		a.AnsweredAt = now
	}
	if in.Answers == nil {
		in.Answers = map[string]*Answer{}
	}
	in.Answers[a.ItemCode] = &a
	in.UpdatedAt = now
	return nil
}

// AttachPhoto adds photo hash to the answer of item code (an answer with
// only the photo when there is none yet), through SetAnswer's checks, on
// the inspection as it is now: a photo that took long to store cannot
// bring back an older answer. One already attached changes nothing.
func (in *Inspection) AttachPhoto(code, hash, who string, now time.Time) error {
	if err := in.CanEdit(); err != nil {
		return err
	}
	a := Answer{ItemCode: code, AnsweredBy: who}
	if old := in.Answers[code]; old != nil {
		a = *old
		if slices.Contains(old.Photos, hash) {
			return nil
		}
		a.Photos = append([]string(nil), old.Photos...)
	}
	a.Photos = append(a.Photos, hash)
	a.AnsweredAt = time.Time{}
	return in.SetAnswer(a, now)
}

// ClearAnswer removes an item's answer (undo).
func (in *Inspection) ClearAnswer(code string, now time.Time) error {
	if err := in.CanEdit(); err != nil {
		return err
	}
	delete(in.Answers, code)
	in.UpdatedAt = now
	return nil
}

func checkAnswer(it *Item, a *Answer) error {
	bad := func(key, msg string) error {
		return Errorf(ECodeInvalid, key, map[string]any{"Item": it.Code}, "item %s: %s", it.Code, msg)
	}
	switch a.Result {
	case ResultNone, ResultPass, ResultFail, ResultNA:
	default:
		return bad("answer.bad_result", fmt.Sprintf("result %q is not pass, fail or na", a.Result))
	}
	if a.Count < 0 || a.Count > 10000 {
		return bad("answer.bad_count", "count must be between 0 and 10000")
	}
	if a.Expected < 0 || a.Expected > 10000 {
		return bad("answer.bad_expected", "expected attendance must be between 0 and 10000")
	}
	if a.Number != nil && (math.IsNaN(*a.Number) || math.IsInf(*a.Number, 0)) {
		return bad("answer.bad_number", "the number is not finite")
	}
	for i, p := range a.OffRoster {
		if strings.TrimSpace(p.Name) == "" {
			return Errorf(ECodeInvalid, "answer.absent_name", map[string]any{"Item": it.Code, "Row": i + 1},
				"item %s: person %d not on the roster has no name", it.Code, i+1)
		}
	}
	if err := checkTimes(it, a); err != nil {
		return err
	}
	for i, p := range a.Absent {
		if strings.TrimSpace(p.Name) == "" {
			return Errorf(ECodeInvalid, "answer.absent_name", map[string]any{"Item": it.Code, "Row": i + 1},
				"item %s: absent person %d has no name", it.Code, i+1)
		}
		valid := false
		for _, r := range AbsenceReasons {
			if p.Reason == r {
				valid = true
			}
		}
		if !valid {
			return Errorf(ECodeInvalid, "answer.absent_reason", map[string]any{"Item": it.Code, "Name": p.Name},
				"item %s: %s has no valid absence reason", it.Code, p.Name)
		}
	}
	if it.Kind == KindChoice && a.Choice != "" {
		found := false
		for _, c := range it.Choices {
			if c.Label == a.Choice {
				found = true
			}
		}
		if !found {
			return bad("answer.bad_choice", fmt.Sprintf("%q is not a choice of this item", a.Choice))
		}
	}
	if it.Kind == KindAttendance && a.Result != ResultNA && len(a.onRosterAbsent()) > a.Expected {
		return bad("answer.absent_exceeds", "more people absent than expected")
	}
	return nil
}

// Transition errors: every forbidden move is refused with a clear message.

// Complete moves a draft to completed after checking that every required
// item is answered and every required photo is present. It fixes the
// problem list; earlier lists problems of the unit's earlier inspections for
// 重复问题 detection; deadlineDays is the default 整改 period in working days.
func (in *Inspection) Complete(now time.Time, earlier []Problem, deadlineDays int, hol Holidays) error {
	switch in.Status {
	case StatusCompleted:
		return Errorf(ECodeForbidden, "transition.already_completed", nil, "inspection %s is already completed", in.ID)
	case StatusSigned:
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	}
	if blockers := in.Blockers(); len(blockers) > 0 {
		errs := make(ValidationErrors, len(blockers))
		for i, b := range blockers {
			errs[i] = b.Err()
		}
		return errs
	}
	in.Problems = in.DeriveProblems(now, deadlineDays, hol, in.Problems)
	MarkRepeats(in.Problems, earlier)
	in.Status = StatusCompleted
	in.CompletedAt = now
	if in.EndedAt.IsZero() {
		in.EndedAt = now
	}
	in.UpdatedAt = now
	return nil
}

// Reopen returns a completed inspection to draft.
func (in *Inspection) Reopen(now time.Time) error {
	switch in.Status {
	case StatusDraft:
		return Errorf(ECodeForbidden, "transition.already_draft", nil, "inspection %s is already a draft", in.ID)
	case StatusSigned:
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	}
	in.Status = StatusDraft
	in.CompletedAt = time.Time{}
	in.UpdatedAt = now
	return nil
}

// Sign locks a completed inspection. Every inspector must have drawn a
// signature.
func (in *Inspection) Sign(now time.Time) error {
	switch in.Status {
	case StatusDraft:
		return Errorf(ECodeForbidden, "transition.sign_draft", nil,
			"inspection %s is a draft; complete it before signing", in.ID)
	case StatusSigned:
		return Errorf(ECodeForbidden, "transition.already_signed", nil, "inspection %s is already signed", in.ID)
	}
	for _, name := range in.Inspectors {
		if !in.hasSignature(name) {
			return Errorf(ECodeIncomplete, "transition.signature_missing", map[string]any{"Name": name},
				"inspector %s has not signed", name)
		}
	}
	in.Status = StatusSigned
	in.SignedAt = now
	in.UpdatedAt = now
	return nil
}

func (in *Inspection) hasSignature(name string) bool {
	for _, s := range in.Signatures {
		if s.Inspector == name && len(s.PNG) > 0 {
			return true
		}
	}
	return false
}

// SetSignature stores an inspector's drawn signature; allowed on drafts and
// completed inspections, never once signed.
func (in *Inspection) SetSignature(s DrawnSignature, now time.Time) error {
	if in.Status == StatusSigned {
		return Errorf(ECodeForbidden, "inspection.signed_immutable", nil,
			"inspection %s is signed and cannot be changed; create an amendment instead", in.ID)
	}
	known := false
	for _, n := range in.Inspectors {
		if n == s.Inspector {
			known = true
		}
	}
	if !known {
		return Errorf(ECodeInvalid, "inspection.unknown_inspector", map[string]any{"Name": s.Inspector},
			"%s is not an inspector of this inspection", s.Inspector)
	}
	if s.SignedAt.IsZero() {
		s.SignedAt = now
	}
	for i := range in.Signatures {
		if in.Signatures[i].Inspector == s.Inspector {
			in.Signatures[i] = s
			in.UpdatedAt = now
			return nil
		}
	}
	in.Signatures = append(in.Signatures, s)
	in.UpdatedAt = now
	return nil
}

// NewAmendment starts a draft that corrects a signed inspection; the
// original stays as it was.
func (in *Inspection) NewAmendment(id string, now time.Time) (*Inspection, error) {
	if in.Status != StatusSigned {
		return nil, Errorf(ECodeForbidden, "transition.amend_unsigned", nil,
			"only a signed inspection is amended; %s can still be edited", in.ID)
	}
	a := *in
	a.ID = id
	a.Amends = in.ID
	a.Status = StatusDraft
	a.Answers = make(map[string]*Answer, len(in.Answers))
	for k, v := range in.Answers {
		c := *v
		c.Photos = append([]string(nil), v.Photos...)
		c.Absent = append([]AbsentPerson(nil), v.Absent...)
		c.OffRoster = append([]StaffMember(nil), v.OffRoster...)
		c.Times = append([]TimeMark(nil), v.Times...)
		a.Answers[k] = &c
	}
	a.Findings = append([]Finding(nil), in.Findings...)
	a.Problems = append([]Problem(nil), in.Problems...)
	a.Signatures = nil
	a.Receipt = nil
	a.Unsigned = nil
	a.Inspectors = append([]string(nil), in.Inspectors...)
	a.CreatedAt, a.UpdatedAt = now, now
	a.CompletedAt, a.SignedAt = time.Time{}, time.Time{}
	return &a, nil
}

// Blocker is one thing that keeps an inspection from completion.
type Blocker struct {
	ItemCode string
	Kind     string // "unanswered" or "photo_missing"
	Text     string
}

// Err turns a blocker into a domain error.
func (b Blocker) Err() *Error {
	if b.Kind == "photo_missing" {
		return Errorf(ECodeIncomplete, "complete.photo_missing", map[string]any{"Item": b.ItemCode},
			"item %s failed and needs a photo", b.ItemCode)
	}
	return Errorf(ECodeIncomplete, "complete.unanswered", map[string]any{"Item": b.ItemCode},
		"item %s is not answered", b.ItemCode)
}

// Blockers lists, in template order, what keeps the inspection from being
// completed: unanswered required items and failed items without a required photo.
func (in *Inspection) Blockers() []Blocker {
	var out []Blocker
	for _, it := range in.Template.Items() {
		a := in.Answers[it.Code]
		o := Evaluate(it, a)
		if !o.Answered {
			if !it.Optional {
				out = append(out, Blocker{ItemCode: it.Code, Kind: "unanswered", Text: it.Text})
			}
			continue
		}
		if o.Failed && it.Evidence == EvidenceRequiredOnFail && len(a.Photos) == 0 {
			out = append(out, Blocker{ItemCode: it.Code, Kind: "photo_missing", Text: it.Text})
		}
	}
	return out
}

// Progress counts answered items.
func (in *Inspection) Progress() (answered, total int) {
	for _, it := range in.Template.Items() {
		total++
		if Evaluate(it, in.Answers[it.Code]).Answered {
			answered++
		}
	}
	return answered, total
}

// NextUnanswered returns the first unanswered item after index from; when
// nothing after it is open, the first unanswered one counting from the top
// (which may be from itself); -1 when every item is answered.
func (in *Inspection) NextUnanswered(from int) int {
	items := in.Template.Items()
	n := len(items)
	for k := 1; k <= n; k++ {
		i := (from + k) % n
		if i < 0 {
			i += n
		}
		if !Evaluate(items[i], in.Answers[items[i].Code]).Answered {
			return i
		}
	}
	return -1
}

// PhotoHashes lists every photo referenced by answers and findings, once.
func (in *Inspection) PhotoHashes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(hs []string) {
		for _, h := range hs {
			if !seen[h] {
				seen[h] = true
				out = append(out, h)
			}
		}
	}
	for _, it := range in.Template.Items() {
		if a := in.Answers[it.Code]; a != nil {
			add(a.Photos)
		}
	}
	for _, f := range in.Findings {
		add(f.Photos)
	}
	return out
}

// RemovePhoto takes photo hash off item code's answer (a wrongly attached
// photo); only a draft changes.
func (in *Inspection) RemovePhoto(code, hash string, now time.Time) error {
	return in.ReplacePhoto(code, hash, "", now)
}

// ReplacePhoto puts photo with in the place of photo hash on item code's
// answer (with "" it removes it); only a draft changes.
func (in *Inspection) ReplacePhoto(code, hash, with string, now time.Time) error {
	if err := in.CanEdit(); err != nil {
		return err
	}
	a := in.Answers[code]
	i := -1
	if a != nil {
		for k, h := range a.Photos {
			if h == hash {
				i = k
			}
		}
	}
	if i < 0 {
		return Errorf(ECodeNotFound, "photo.not_attached", map[string]any{"Item": code},
			"item %s has no such photo", code)
	}
	c := *a
	c.Photos = append([]string(nil), a.Photos...)
	switch {
	case with == "":
		c.Photos = append(c.Photos[:i], c.Photos[i+1:]...)
	case slicesContains(c.Photos, with):
		c.Photos = append(c.Photos[:i], c.Photos[i+1:]...) // already there: the old one just goes
	default:
		c.Photos[i] = with
	}
	in.Answers[code] = &c
	in.UpdatedAt = now
	return nil
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
