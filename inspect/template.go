package inspect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
)

// ItemKind is what an inspector records for an item.
type ItemKind string

const (
	KindCheck      ItemKind = "check"      // 合格 / 不合格 / 不适用
	KindCount      ItemKind = "count"      // number of violations, e.g. staff without 胸牌
	KindAttendance ItemKind = "attendance" // 应到 / 实到 and each absent person with a reason
	KindNumber     ItemKind = "number"     // a measured value, e.g. waiting time in minutes
	KindText       ItemKind = "text"       // free text, never scored
	KindChoice     ItemKind = "choice"     // one of several options, each with its deduction
)

// RuleType is how a failed item is scored.
type RuleType string

const (
	RuleNone         RuleType = "none"          // recorded only
	RuleFixed        RuleType = "fixed"         // deduct Deduction once when failed
	RulePerViolation RuleType = "per_violation" // deduct Deduction per violation, at most Cap
	RuleVeto         RuleType = "veto"          // 一票否决: rated 不合格 whatever the score (Deduction still deducted)
)

// EvidenceRule says when a photo is needed.
type EvidenceRule string

const (
	EvidenceNone           EvidenceRule = "none"
	EvidenceOptional       EvidenceRule = "optional"
	EvidenceRequiredOnFail EvidenceRule = "required_on_fail"
)

// NAPolicy says what 不适用 does to the full score.
type NAPolicy string

const (
	// NAIgnore: an N/A item simply deducts nothing; the score stays out of FullScore.
	NAIgnore NAPolicy = "ignore"
	// NAProrate: the points of N/A items leave the base and the score is
	// scaled back to FullScore (折算): score = Full × (base − deductions) / base.
	NAProrate NAPolicy = "prorate"
)

// AbsenceReason is why a person on the roster was not at their post.
type AbsenceReason string

const (
	AbsenceLeave   AbsenceReason = "leave"    // 请假
	AbsenceTrip    AbsenceReason = "trip"     // 出差
	AbsenceMeeting AbsenceReason = "meeting"  // 会议
	AbsenceOffPost AbsenceReason = "off_post" // 脱岗
	AbsenceUnknown AbsenceReason = "unknown"  // 不明
)

// AbsenceReasons in display order.
var AbsenceReasons = []AbsenceReason{AbsenceLeave, AbsenceTrip, AbsenceMeeting, AbsenceOffPost, AbsenceUnknown}

// Excused reports whether the absence is accounted for (not a violation).
func (r AbsenceReason) Excused() bool {
	return r == AbsenceLeave || r == AbsenceTrip || r == AbsenceMeeting
}

// Band is a rating band: a score at or above Min earns Name.
type Band struct {
	Name string  `json:"name"`
	Min  float64 `json:"min"`
}

// Rule is an item's scoring rule.
type Rule struct {
	Type      RuleType `json:"type"`
	Deduction float64  `json:"deduction,omitempty"`
	Cap       float64  `json:"cap,omitempty"`
}

// Choice is one option of a choice item.
type Choice struct {
	Label     string  `json:"label"`
	Deduction float64 `json:"deduction,omitempty"`
	Fails     bool    `json:"fails,omitempty"` // choosing it makes the item a problem
}

// Item is one line of a checklist.
type Item struct {
	Code     string `json:"code"`
	Text     string `json:"text"`
	Guidance string `json:"guidance"`
	// Problem is how a failure of the item reads in a 通报 or 整改通知书
	// (e.g. 未公示监督投诉电话或号码失效): Text is the standard and
	// Guidance is for the inspector; neither is published as the problem.
	Problem   string       `json:"problem,omitempty"`
	Kind      ItemKind     `json:"kind"`
	Category  string       `json:"category,omitempty"` // groups problems in the 通报, e.g. "胸牌"
	Severe    bool         `json:"severe,omitempty"`   // 五个严禁 kind: each finding is named in the 通报 (see IsSevere)
	Optional  bool         `json:"optional,omitempty"` // may stay unanswered at completion
	Rule      Rule         `json:"rule"`
	Evidence  EvidenceRule `json:"evidence,omitempty"`
	Choices   []Choice     `json:"choices,omitempty"`    // choice items
	Unit      string       `json:"unit,omitempty"`       // number items, e.g. "分钟"
	FailAbove *float64     `json:"fail_above,omitempty"` // number items: a value above fails
	FailBelow *float64     `json:"fail_below,omitempty"` // number items: a value below fails
	Timer     Timer        `json:"timer,omitempty"`      // a stopwatch in the walk: queue (number items) or calls
}

// Section groups items.
type Section struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Items []Item `json:"items"`
}

// Template is a checklist (检查表). It is data, edited and versioned by the
// 效能办; an inspection keeps a snapshot of the version it used.
type Template struct {
	ID          string    `json:"id"`
	Version     int       `json:"version"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	FullScore   float64   `json:"full_score"`
	NAPolicy    NAPolicy  `json:"na_policy,omitempty"`
	Bands       []Band    `json:"bands"`
	Sections    []Section `json:"sections"`
}

// MaxDeduction is the most an item can take off the score.
func (it *Item) MaxDeduction() float64 {
	switch it.Rule.Type {
	case RuleFixed, RuleVeto:
		if it.Kind == KindChoice {
			return maxChoiceDeduction(it.Choices)
		}
		return it.Rule.Deduction
	case RulePerViolation:
		return it.Rule.Cap
	}
	return 0
}

func maxChoiceDeduction(cs []Choice) float64 {
	m := 0.0
	for _, c := range cs {
		m = math.Max(m, c.Deduction)
	}
	return m
}

// Items returns every item in order.
func (t *Template) Items() []*Item {
	var out []*Item
	for si := range t.Sections {
		for ii := range t.Sections[si].Items {
			out = append(out, &t.Sections[si].Items[ii])
		}
	}
	return out
}

// Item finds an item by code.
func (t *Template) Item(code string) (*Item, bool) {
	for si := range t.Sections {
		for ii := range t.Sections[si].Items {
			if t.Sections[si].Items[ii].Code == code {
				return &t.Sections[si].Items[ii], true
			}
		}
	}
	return nil, false
}

// Key identifies one version of a template, e.g. "combined@3".
func (t *Template) Key() string { return fmt.Sprintf("%s@%d", t.ID, t.Version) }

// Clone returns a deep copy, used for the snapshot an inspection keeps.
func (t *Template) Clone() Template {
	b, _ := json.Marshal(t)
	var c Template
	_ = json.Unmarshal(b, &c)
	return c
}

// Rating returns the band name for a score.
func (t *Template) Rating(score float64) string {
	best := ""
	bestMin := math.Inf(-1)
	for _, b := range t.Bands {
		if score >= b.Min-1e-9 && b.Min > bestMin {
			best, bestMin = b.Name, b.Min
		}
	}
	return best
}

// LowestBand is the rating a veto forces (usually 不合格).
func (t *Template) LowestBand() string {
	name := ""
	low := math.Inf(1)
	for _, b := range t.Bands {
		if b.Min < low {
			name, low = b.Name, b.Min
		}
	}
	return name
}

// Warnings lists what is allowed but probably a mistake: deductions that do
// not add up to the full score.
func (t *Template) Warnings() []string {
	total := 0.0
	for _, it := range t.Items() {
		total += it.MaxDeduction()
	}
	var out []string
	if math.Abs(total-t.FullScore) > 1e-6 {
		out = append(out, fmt.Sprintf("the items can deduct %g points in all, not the full score %g", total, t.FullScore))
	}
	for _, it := range t.Items() {
		if it.CanFail() && strings.TrimSpace(it.Problem) == "" {
			out = append(out, fmt.Sprintf("item %s has no problem wording; the 通报 falls back to its text", it.Code))
		}
	}
	return out
}

// MaxTemplateSize bounds what ParseTemplate reads, so a hostile file cannot
// exhaust memory.
const MaxTemplateSize = 4 << 20

// ParseTemplate decodes a template file strictly (unknown fields are errors)
// and validates it. Every problem is reported, each naming its place.
func ParseTemplate(data []byte) (*Template, error) {
	if len(data) > MaxTemplateSize {
		return nil, Errorf(ECodeInvalid, "template.too_large", map[string]any{"Max": MaxTemplateSize},
			"template file is larger than %d bytes", MaxTemplateSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, jsonError(data, err)
	}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		line, col := lineCol(data, dec.InputOffset())
		return nil, Errorf(ECodeInvalid, "template.trailing_data", map[string]any{"Line": line, "Col": col},
			"template file has data after the JSON object at line %d, column %d", line, col)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

// jsonError turns a decoding error into a message with line and column.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	switch e := err.(type) {
	case *json.SyntaxError:
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
		line, col := lineCol(data, off)
		return Errorf(ECodeInvalid, "template.json_type", map[string]any{"Field": e.Field, "Line": line, "Col": col},
			"template JSON: field %q has the wrong type at line %d, column %d", e.Field, line, col)
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		field := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		line, col := 0, 0
		if i := bytes.Index(data, []byte(`"`+field+`"`)); i >= 0 {
			line, col = lineCol(data, int64(i))
		}
		return Errorf(ECodeInvalid, "template.unknown_field", map[string]any{"Field": field, "Line": line, "Col": col},
			"template JSON: unknown field %q at line %d, column %d", field, line, col)
	}
	if off >= 0 {
		line, col := lineCol(data, off)
		return Errorf(ECodeInvalid, "template.json_syntax", map[string]any{"Line": line, "Col": col, "Detail": err.Error()},
			"template JSON: %v at line %d, column %d", err, line, col)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		line, col := lineCol(data, int64(len(data)))
		return Errorf(ECodeInvalid, "template.json_truncated", map[string]any{"Line": line, "Col": col},
			"template JSON ends too early, at line %d, column %d: the file is incomplete", line, col)
	}
	return Errorf(ECodeInvalid, "template.json", map[string]any{"Detail": err.Error()}, "template JSON: %v", err)
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col := 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$`)

// Validate checks a template and returns ValidationErrors naming each fault.
func (t *Template) Validate() error {
	var errs ValidationErrors
	add := func(place, key, msg string, params map[string]any) {
		if params == nil {
			params = map[string]any{}
		}
		params["Place"] = place
		errs = append(errs, Errorf(ECodeInvalid, key, params, "%s: %s", place, msg))
	}
	if !codePattern.MatchString(t.ID) {
		add("id", "template.bad_id", "must be 1–32 letters, digits, '_', '-' or '.'", nil)
	}
	if t.Version < 1 {
		add("version", "template.bad_version", "must be 1 or more", nil)
	}
	if strings.TrimSpace(t.Title) == "" {
		add("title", "template.missing", "is required", nil)
	}
	if t.FullScore <= 0 || t.FullScore > 1000 || math.IsNaN(t.FullScore) {
		add("full_score", "template.bad_full_score", "must be above 0 and at most 1000", nil)
	}
	switch t.NAPolicy {
	case "", NAIgnore, NAProrate:
	default:
		add("na_policy", "template.bad_enum", fmt.Sprintf("must be %q or %q", NAIgnore, NAProrate), map[string]any{"Value": string(t.NAPolicy)})
	}
	if len(t.Bands) == 0 {
		add("bands", "template.missing", "at least one rating band is required", nil)
	}
	seenBand := map[string]bool{}
	for i, b := range t.Bands {
		place := fmt.Sprintf("bands[%d]", i)
		if strings.TrimSpace(b.Name) == "" {
			add(place+".name", "template.missing", "is required", nil)
		}
		if seenBand[b.Name] {
			add(place+".name", "template.duplicate", fmt.Sprintf("%q appears twice", b.Name), map[string]any{"Value": b.Name})
		}
		seenBand[b.Name] = true
		if b.Min < 0 || b.Min > t.FullScore || math.IsNaN(b.Min) {
			add(place+".min", "template.out_of_range", "must be between 0 and full_score", nil)
		}
	}
	if len(t.Bands) > 0 {
		hasZero := false
		for _, b := range t.Bands {
			if b.Min == 0 {
				hasZero = true
			}
		}
		if !hasZero {
			add("bands", "template.bands_no_floor", "one band must start at 0 so every score has a rating", nil)
		}
	}
	if len(t.Sections) == 0 {
		add("sections", "template.missing", "at least one section is required", nil)
	}
	seenCode := map[string]string{}
	seenSection := map[string]bool{}
	total := 0.0
	nItems := 0
	for si := range t.Sections {
		s := &t.Sections[si]
		sp := fmt.Sprintf("sections[%d]", si)
		if s.Code != "" {
			sp = fmt.Sprintf("sections[%d] (%s)", si, s.Code)
		}
		if !codePattern.MatchString(s.Code) {
			add(sp+".code", "template.bad_code", "must be 1–32 letters, digits, '_', '-' or '.'", nil)
		} else if seenSection[s.Code] {
			add(sp+".code", "template.duplicate", fmt.Sprintf("%q appears twice", s.Code), map[string]any{"Value": s.Code})
		}
		seenSection[s.Code] = true
		if strings.TrimSpace(s.Title) == "" {
			add(sp+".title", "template.missing", "is required", nil)
		}
		if len(s.Items) == 0 {
			add(sp+".items", "template.missing", "a section needs at least one item", nil)
		}
		for ii := range s.Items {
			it := &s.Items[ii]
			nItems++
			ip := fmt.Sprintf("%s.items[%d]", sp, ii)
			if it.Code != "" {
				ip = fmt.Sprintf("%s.items[%d] (%s)", sp, ii, it.Code)
			}
			if !codePattern.MatchString(it.Code) {
				add(ip+".code", "template.bad_code", "must be 1–32 letters, digits, '_', '-' or '.'", nil)
			} else if prev, dup := seenCode[it.Code]; dup {
				add(ip+".code", "template.duplicate_item", fmt.Sprintf("%q is already used by %s", it.Code, prev), map[string]any{"Value": it.Code, "Other": prev})
			} else {
				seenCode[it.Code] = ip
			}
			if strings.TrimSpace(it.Text) == "" {
				add(ip+".text", "template.missing", "is required", nil)
			}
			validateItem(it, ip, add)
			validateProblem(it, ip, add)
			total += it.MaxDeduction()
		}
	}
	if nItems > 2000 {
		add("sections", "template.too_many_items", "at most 2000 items", nil)
	}
	if t.NAPolicy == NAProrate && total <= 0 && len(errs) == 0 {
		add("na_policy", "template.prorate_no_points", "prorate needs items with deductions", nil)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func validNum(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) && f >= 0 && f <= 1000 }

func validateItem(it *Item, ip string, add func(place, key, msg string, params map[string]any)) {
	switch it.Kind {
	case KindCheck, KindCount, KindAttendance, KindNumber, KindText, KindChoice:
	case "":
		add(ip+".kind", "template.missing", "is required (check, count, attendance, number, text or choice)", nil)
	default:
		add(ip+".kind", "template.bad_enum", fmt.Sprintf("%q is not one of check, count, attendance, number, text, choice", it.Kind), map[string]any{"Value": string(it.Kind)})
	}
	switch it.Evidence {
	case "", EvidenceNone, EvidenceOptional, EvidenceRequiredOnFail:
	default:
		add(ip+".evidence", "template.bad_enum", fmt.Sprintf("%q is not one of none, optional, required_on_fail", it.Evidence), map[string]any{"Value": string(it.Evidence)})
	}
	r := it.Rule
	if !validNum(r.Deduction) {
		add(ip+".rule.deduction", "template.out_of_range", "must be between 0 and 1000", nil)
	}
	if !validNum(r.Cap) {
		add(ip+".rule.cap", "template.out_of_range", "must be between 0 and 1000", nil)
	}
	switch r.Type {
	case RuleNone:
	case RuleFixed:
		if r.Deduction <= 0 && it.Kind != KindChoice {
			add(ip+".rule.deduction", "template.rule_needs_deduction", "a fixed rule needs a deduction above 0", nil)
		}
	case RulePerViolation:
		if it.Kind != KindCount && it.Kind != KindAttendance {
			add(ip+".rule.type", "template.per_violation_kind", "per_violation applies only to count and attendance items", nil)
		}
		if r.Deduction <= 0 {
			add(ip+".rule.deduction", "template.rule_needs_deduction", "per_violation needs a deduction per violation above 0", nil)
		}
		if r.Cap <= 0 {
			add(ip+".rule.cap", "template.rule_needs_cap", "per_violation needs a cap above 0", nil)
		} else if r.Cap < r.Deduction {
			add(ip+".rule.cap", "template.cap_below_deduction", "the cap is below one deduction", nil)
		}
	case RuleVeto:
		if it.Kind == KindText {
			add(ip+".rule.type", "template.veto_kind", "a text item cannot veto", nil)
		}
	case "":
		add(ip+".rule.type", "template.missing", "is required (none, fixed, per_violation or veto)", nil)
	default:
		add(ip+".rule.type", "template.bad_enum", fmt.Sprintf("%q is not one of none, fixed, per_violation, veto", r.Type), map[string]any{"Value": string(r.Type)})
	}
	if r.Cap != 0 && r.Type != RulePerViolation {
		add(ip+".rule.cap", "template.cap_unexpected", "only per_violation rules have a cap", nil)
	}
	if r.Deduction != 0 && r.Type == RuleNone {
		add(ip+".rule.deduction", "template.deduction_unexpected", "a rule of type none deducts nothing; remove the deduction or choose another type", nil)
	}
	if it.Kind == KindChoice && r.Deduction != 0 {
		add(ip+".rule.deduction", "template.choice_rule_deduction", "choice items take their deductions from their choices", nil)
	}
	if it.Kind == KindChoice && r.Type == RuleNone && maxChoiceDeduction(it.Choices) > 0 {
		add(ip+".rule.type", "template.choice_none_deductions", "choices carry deductions but the rule type none ignores them; use fixed", nil)
	}
	if it.Kind == KindText && r.Type != RuleNone && r.Type != "" {
		add(ip+".rule.type", "template.text_scored", "text items are not scored; use none", nil)
	}
	if it.Kind == KindChoice {
		if len(it.Choices) < 2 {
			add(ip+".choices", "template.choices_needed", "a choice item needs at least two choices", nil)
		}
		seen := map[string]bool{}
		for ci, c := range it.Choices {
			cp := fmt.Sprintf("%s.choices[%d]", ip, ci)
			if strings.TrimSpace(c.Label) == "" {
				add(cp+".label", "template.missing", "is required", nil)
			}
			if seen[c.Label] {
				add(cp+".label", "template.duplicate", fmt.Sprintf("%q appears twice", c.Label), map[string]any{"Value": c.Label})
			}
			seen[c.Label] = true
			if !validNum(c.Deduction) {
				add(cp+".deduction", "template.out_of_range", "must be between 0 and 1000", nil)
			}
		}
	} else if len(it.Choices) > 0 {
		add(ip+".choices", "template.choices_unexpected", "only choice items have choices", nil)
	}
	switch it.Timer {
	case TimerNone:
	case TimerQueue:
		if it.Kind != KindNumber {
			add(ip+".timer", "template.timer_kind", "the queue stopwatch (取号, 叫号, 办结) fills the minutes of a number item", nil)
		}
	case TimerCalls:
		if it.Kind == KindText || it.Kind == KindAttendance {
			add(ip+".timer", "template.timer_kind", "the call stopwatch belongs to a check, count, number or choice item", nil)
		}
	default:
		add(ip+".timer", "template.bad_enum", fmt.Sprintf("%q is not one of queue, calls", it.Timer), map[string]any{"Value": string(it.Timer)})
	}
	if it.Kind == KindNumber {
		if it.FailAbove == nil && it.FailBelow == nil && r.Type != RuleNone {
			add(ip+".fail_above", "template.number_threshold", "a scored number item needs fail_above or fail_below", nil)
		}
	} else {
		if it.FailAbove != nil {
			add(ip+".fail_above", "template.threshold_unexpected", "only number items have thresholds", nil)
		}
		if it.FailBelow != nil {
			add(ip+".fail_below", "template.threshold_unexpected", "only number items have thresholds", nil)
		}
	}
}
