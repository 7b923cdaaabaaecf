package inspect

import (
	"sort"
	"strings"
	"time"
)

// Office policy: the rules the 效能办 applies to the reports it imported, as
// pure functions over what was imported. The store loads what a rule needs,
// calls it and stores what it decided; the rules never see a transaction.
//
//   - units: which unit of the office roster a report is about (Roster.Resolve),
//     and where reports imported before the roster named their unit belong
//     once it does (Roster.Reresolve);
//   - amendments: which report of a family of amendments counts and which
//     replaces which (Supersede), and the 整改 records that move to the
//     amendment (CarryOver);
//   - 回访: a unit's reports replayed in order, each a follow-up of the
//     problems found before it (ReplayFollowUps);
//   - 重复问题 across imported reports (MarkImportedRepeats).
//
// A new rule over imported results (e.g. a period's rating) belongs here too,
// with its table test in office_policy_test.go.

// unitKeyPrefix starts every UnitKey, so an id given to a unit that is on no
// roster is told apart from a roster id.
const unitKeyPrefix = "name:"

// UnitKey identifies a unit that is not on the office roster (a report from
// another office's roster, or one imported before the roster) by department
// and name.
func UnitKey(department, name string) string {
	return unitKeyPrefix + strings.TrimSpace(department) + "/" + strings.TrimSpace(name)
}

// IsUnitKey reports whether id is a UnitKey, i.e. the unit was on no roster
// when the report was resolved.
func IsUnitKey(id string) bool { return strings.HasPrefix(id, unitKeyPrefix) }

// UnitKeyPrefix is the common prefix of every UnitKey, for index scans.
func UnitKeyPrefix() string { return unitKeyPrefix }

// Roster is the office's list of units as report matching sees it: ids, and
// department-and-name keys.
type Roster struct {
	ids    map[string]bool
	byName map[string]string
}

// NewRoster indexes the office's units. A later unit with the same
// department and name as an earlier one takes the name.
func NewRoster(units []Unit) *Roster {
	r := &Roster{ids: map[string]bool{}, byName: map[string]string{}}
	for _, u := range units {
		r.Add(u)
	}
	return r
}

// Add puts one unit (with its id) on the roster.
func (r *Roster) Add(u Unit) {
	if u.ID == "" {
		return
	}
	r.ids[u.ID] = true
	r.byName[UnitKey(u.Department, u.Name)] = u.ID
}

// Has reports whether id is a roster unit's id.
func (r *Roster) Has(id string) bool { return id != "" && r.ids[id] }

// RowID is the id a roster row is stored under: its own id when it has one
// (a re-import updates that unit), else the id of the stored unit with the
// same department and name; "" for a new unit.
func (r *Roster) RowID(u Unit) string {
	if u.ID != "" {
		return u.ID
	}
	return r.byName[UnitKey(u.Department, u.Name)]
}

// Resolve gives the office's id of the unit a report names: the roster
// unit with the report's unit id (the inspector used the office's roster),
// else the roster unit with the same department and name, else the UnitKey
// — the name, not the inspector's local id, so that two inspectors'
// reports of a unit not on the roster meet.
func (r *Roster) Resolve(u Unit) string {
	if r.Has(u.ID) {
		return u.ID
	}
	key := UnitKey(u.Department, u.Name)
	if id, ok := r.byName[key]; ok {
		return id
	}
	return key
}

// Placement is where an imported report's unit stands: the unit as the
// report names it and the office's id it was given.
type Placement struct {
	ReportID string
	Unit     Unit // as the report names it: id, department, name
	UnitID   string
}

// UnitMove is a report whose unit re-resolves to another id.
type UnitMove struct {
	ReportID string `json:"report_id"`
	From     string `json:"from"`
	To       string `json:"to"`
}

// Reresolve re-resolves the units of imported reports against the roster as
// it is now, so that a unit has one id whatever the order in which its
// reports and the roster arrived: a report that matched no roster unit when
// it was imported (its unit id is a UnitKey) moves to the roster unit it
// matches now. A report resolved to a unit on the roster stays with it (the
// roster may rename the unit later; its reports remain its own); one whose
// unit left the roster is resolved again, by its name if nothing else
// matches, where reports of that unit imported from now on go too. Moves
// are returned by report id.
func (r *Roster) Reresolve(placed []Placement) []UnitMove {
	var out []UnitMove
	for _, p := range placed {
		if r.Has(p.UnitID) {
			continue
		}
		if to := r.Resolve(p.Unit); to != p.UnitID {
			out = append(out, UnitMove{ReportID: p.ReportID, From: p.UnitID, To: to})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ReportID < out[j].ReportID })
	return out
}

// Version is one imported report of a family linked by amendments, as
// supersession sees it.
type Version struct {
	ReportID    string
	Amends      string // the report it corrects ("" for an original)
	SigningTime time.Time
}

// signedAfter orders versions: signed later, then the greater id (so that
// equal times still give one answer).
func (v Version) signedAfter(o Version) bool {
	if !v.SigningTime.Equal(o.SigningTime) {
		return v.SigningTime.After(o.SigningTime)
	}
	return v.ReportID > o.ReportID
}

// Supersession says that Report is replaced by By.
type Supersession struct {
	Report string `json:"report"`
	By     string `json:"by"`
}

// Supersede decides which reports of a family linked by amendments are
// replaced, and by which. The answer depends only on the reports, never on
// the order they were imported in:
//
//   - a family (reports joined by amends links, including amendments of the
//     same report that was not imported) has exactly one current report: of
//     the reports no other report amends, the one signed last;
//   - a report that was amended is replaced by its amendment signed last;
//   - any other report (an amendment that lost to a later one) is replaced
//     by the current report.
//
// Reports that are not replaced are absent from the result. The result is
// in carry-over order: a report comes before the report that replaces it,
// and of the reports replaced by the same one, the one signed later first
// (its 整改 records are the more recent). versions may hold several
// families and each is decided on its own; a repeated id counts once.
func Supersede(versions []Version) []Supersession {
	byID := map[string]Version{}
	var ids []string
	for _, v := range versions {
		if v.ReportID == "" {
			continue
		}
		if _, ok := byID[v.ReportID]; ok {
			continue
		}
		if v.Amends == v.ReportID {
			v.Amends = "" // a report cannot correct itself
		}
		byID[v.ReportID] = v
		ids = append(ids, v.ReportID)
	}
	sort.Strings(ids)

	// Families: union of each report with the report it amends (imported
	// or not, so two amendments of a missing report are one family).
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		root := find(p)
		parent[x] = root
		return root
	}
	amendments := map[string][]string{} // amended id → its amendments
	for _, id := range ids {
		v := byID[id]
		find(id)
		if v.Amends != "" {
			if a, b := find(id), find(v.Amends); a != b {
				parent[a] = b
			}
			amendments[v.Amends] = append(amendments[v.Amends], id)
		}
	}
	latest := func(list []string) string {
		best := ""
		for _, id := range list {
			if best == "" || byID[id].signedAfter(byID[best]) {
				best = id
			}
		}
		return best
	}
	families := map[string][]string{}
	for _, id := range ids {
		families[find(id)] = append(families[find(id)], id)
	}

	by := map[string]string{}
	for _, members := range families {
		var leaves []string
		for _, id := range members {
			if len(amendments[id]) == 0 {
				leaves = append(leaves, id)
			}
		}
		current := latest(leaves)
		if current == "" { // every report amended by another: a forged cycle
			current = latest(members)
		}
		for _, id := range members {
			switch {
			case id == current:
			case len(amendments[id]) > 0:
				by[id] = latest(amendments[id])
			default:
				by[id] = current
			}
		}
		// Every chain of replacements must end at the current report; a
		// cycle (only forged reports make one) is cut there.
		for _, id := range members {
			seen := map[string]bool{}
			for x := id; x != current; x = by[x] {
				if seen[x] || by[x] == "" {
					by[id] = current
					break
				}
				seen[x] = true
			}
		}
	}

	depth := func(id string) int {
		n := 0
		for x := id; by[x] != "" && n <= len(by); x = by[x] {
			n++
		}
		return n
	}
	out := make([]Supersession, 0, len(by))
	for _, id := range ids {
		if b := by[id]; b != "" {
			out = append(out, Supersession{Report: id, By: b})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := depth(out[i].Report), depth(out[j].Report)
		if di != dj {
			return di > dj
		}
		vi, vj := byID[out[i].Report], byID[out[j].Report]
		if !vi.SigningTime.Equal(vj.SigningTime) {
			return vi.signedAfter(vj)
		}
		return out[i].Report < out[j].Report
	})
	return out
}

// CarryOver moves 整改 to amendments: for each supersession, in order, the
// record of a problem of the replaced report goes to the problem on the
// same item or free finding of the report that replaces it, unless that
// problem has a record of its own. problems holds each report's problems by
// report id, rects the records known so far by problem id. It returns the
// new records, in the order they were decided; rects is not changed.
func CarryOver(sups []Supersession, problems map[string][]Problem, rects map[string]Rectification) []Rectification {
	known := make(map[string]bool, len(rects))
	for id := range rects {
		known[id] = true
	}
	carried := map[string]Rectification{}
	lookup := func(id string) (Rectification, bool) {
		if r, ok := carried[id]; ok {
			return r, true
		}
		r, ok := rects[id]
		return r, ok
	}
	var out []Rectification
	for _, s := range sups {
		for _, op := range problems[s.Report] {
			r, ok := lookup(op.ID)
			if !ok {
				continue
			}
			for _, np := range problems[s.By] {
				if np.ItemCode != op.ItemCode || np.FindingID != op.FindingID || known[np.ID] {
					continue
				}
				c := r
				c.ProblemID = np.ID
				carried[np.ID], known[np.ID] = c, true
				out = append(out, c)
			}
		}
	}
	return out
}

// Visit is one current report of a unit, for ReplayFollowUps.
type Visit struct {
	// Inspection is the report's inspection as signed: the answers a 回访
	// re-checked. The first visit's may be nil (nothing before it).
	Inspection *Inspection
	// Problems are the office's copy of its problems.
	Problems []Problem
}

// ReplayFollowUps replays a unit's current reports, oldest first (by
// observation time, then report id), each as a 回访 of the problems found
// before it (FollowUp), with the 整改 records rects (by problem id) applied.
// Reports arrive in any order, so a late-imported first visit is checked
// against the 回访 stored already too. It returns the changes to record:
// those that differ from the record already there (state or 回访).
func ReplayFollowUps(unitID string, visits []Visit, rects map[string]Rectification, now time.Time) []ProblemChange {
	var out []ProblemChange
	var earlier []Problem
	for i, v := range visits {
		if i > 0 && v.Inspection != nil {
			in := *v.Inspection
			in.UnitID = unitID
			for _, c := range FollowUp(earlier, &in, now) {
				if old, ok := rects[c.Problem.ID]; ok && old.FollowUp == c.FollowUp && old.State == c.Problem.State {
					continue
				}
				out = append(out, c)
				for k := range earlier {
					if earlier[k].ID == c.Problem.ID {
						earlier[k] = c.Problem
					}
				}
			}
		}
		for _, p := range v.Problems {
			p.UnitID = unitID
			if r, ok := rects[p.ID]; ok {
				r.Apply(&p)
			}
			earlier = append(earlier, p)
		}
	}
	return out
}

// MarkImportedRepeats flags 重复问题 across imported reports, sorted oldest
// first: a problem repeats when an earlier report of the same unit found a
// problem on the same item or category that was not verified fixed by then
// (MarkRepeats' rule). It is judged as things stood when the later problem
// was found: an earlier problem verified fixed only afterwards was
// unresolved then. The office's view replaces the inspector's, who may not
// have seen the other inspectors' reports. Problems are copied, not shared
// with the caller's results.
func MarkImportedRepeats(sorted []ReportResult) {
	history := map[string][]Problem{}
	for i := range sorted {
		r := &sorted[i]
		earlier := history[r.UnitID]
		probs := make([]Problem, len(r.Problems))
		copy(probs, r.Problems)
		for k := range probs {
			probs[k].UnitID = r.UnitID
			if probs[k].FoundAt.IsZero() {
				probs[k].FoundAt = r.ObservedAt
			}
		}
		asOf := make([]Problem, len(earlier))
		for k, e := range earlier {
			if e.State == ProblemVerified && !e.VerifiedAt.Before(r.ObservedAt) {
				e.State = ProblemRectified
			}
			asOf[k] = e
		}
		MarkRepeats(probs, asOf)
		r.Problems = probs
		history[r.UnitID] = append(history[r.UnitID], probs...)
	}
}
