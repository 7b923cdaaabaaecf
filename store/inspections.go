package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// record is an inspection as stored: its template lives once in
// snapshots/, its unit as it was once in unit_snapshots/, its drawn
// signatures once in drawings/ and its answers in answers/<id>. A record
// written before schema 5 holds its unit and drawings inline.
type record struct {
	inspect.Inspection
	TemplateSnapshot string `json:"template_snapshot"`
	// UnitSnapshot is the SHA-256 of the unit's JSON in unit_snapshots/.
	UnitSnapshot string `json:"unit_snapshot,omitempty"`
	// SignatureDrawings names, per signature, its PNG in drawings/ ("" for
	// none); ReceiptDrawing the 签收's.
	SignatureDrawings []string `json:"signature_drawings,omitempty"`
	ReceiptDrawing    string   `json:"receipt_drawing,omitempty"`
}

// Summary is what the home list shows for one inspection.
type Summary struct {
	ID            string           `json:"id"`
	UnitID        string           `json:"unit_id"`
	UnitName      string           `json:"unit_name"`
	Department    string           `json:"department,omitempty"`
	UnitKind      inspect.UnitKind `json:"unit_kind,omitempty"`
	Mode          inspect.Mode     `json:"mode"`
	Status        inspect.Status   `json:"status"`
	TemplateTitle string           `json:"template_title"`
	TemplateKey   string           `json:"template_key"`
	Inspectors    []string         `json:"inspectors"`
	ObservedAt    time.Time        `json:"observed_at"`
	UpdatedAt     time.Time        `json:"updated_at"`
	Score         float64          `json:"score"`
	Rating        string           `json:"rating"`
	Veto          bool             `json:"veto,omitempty"`
	Answered      int              `json:"answered"`
	Total         int              `json:"total"`
	Problems      int              `json:"problems"`
	Amends        string           `json:"amends,omitempty"`
}

func summarize(in *inspect.Inspection) Summary {
	sc := in.Score()
	problems := len(in.Problems)
	if in.Status == inspect.StatusDraft {
		problems = in.ProblemCount()
	}
	return Summary{
		ID: in.ID, UnitID: in.UnitID, UnitName: in.Unit.Name, Department: in.Unit.Department, UnitKind: in.Unit.Kind,
		Mode: in.Mode, Status: in.Status, TemplateTitle: in.Template.Title, TemplateKey: in.Template.Key(),
		Inspectors: in.Inspectors, ObservedAt: in.ObservedAt, UpdatedAt: in.UpdatedAt,
		Score: sc.Value, Rating: sc.Rating, Veto: sc.Veto, Answered: sc.Answered, Total: sc.Total,
		Problems: problems, Amends: in.Amends,
	}
}

func summaryKey(observed time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(observed.UnixNano())^(1<<63)) // sign flip keeps pre-1970 dates ordered
	return append(k, id...)
}

func putSummary(idx *bolt.Bucket, s *Summary) error {
	idx.FillPercent = appendFill
	return putPacked(idx, summaryKey(s.ObservedAt, s.ID), s)
}

// appendFill is the fill of buckets whose keys mostly arrive in order
// (observed times, ids that start with the date): bbolt's default 0.5
// leaves every page it splits half empty for inserts that never come.
const appendFill = 0.9

// NewID returns an inspection id: the date in the office's zone (the day
// the window and the report show, whatever zone the laptop is set to), then
// random, e.g. MC-20261125-7F3A9C.
func NewID(now time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("MC-%s-%s", now.In(inspect.Zone).Format("20060102"), strings.ToUpper(hex.EncodeToString(b[:])))
}

func snapshotHash(t *inspect.Template) ([]byte, string, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:]), nil
}

// snapshotCache holds decoded template snapshots. They are content-addressed
// and never change, so one cache serves every store; it spares each
// autosave decoding a 40 KB template.
var snapshotCache sync.Map // sha256 hex -> *inspect.Template

func loadSnapshot(tx *bolt.Tx, hash string) (*inspect.Template, error) {
	if t, ok := snapshotCache.Load(hash); ok {
		return t.(*inspect.Template), nil
	}
	sv := tx.Bucket(bucketSnapshots).Get([]byte(hash))
	if sv == nil {
		return nil, fmt.Errorf("template snapshot %s missing", hash)
	}
	sum := sha256.Sum256(sv)
	if hex.EncodeToString(sum[:]) != hash {
		return nil, fmt.Errorf("template snapshot %s does not match its hash", hash)
	}
	var t inspect.Template
	if err := json.Unmarshal(sv, &t); err != nil {
		return nil, fmt.Errorf("template snapshot %s: %w", hash, err)
	}
	snapshotCache.Store(hash, &t)
	return &t, nil
}

// loadInspection assembles an inspection from its record, snapshot and answers.
func loadInspection(tx *bolt.Tx, id string) (*inspect.Inspection, error) {
	in, _, err := loadInspectionSnap(tx, id)
	return in, err
}

// loadInspectionSnap is loadInspection that also returns the hash of the
// template snapshot, so a rewrite need not hash the template again.
func loadInspectionSnap(tx *bolt.Tx, id string) (*inspect.Inspection, string, error) {
	v := tx.Bucket(bucketInspections).Get([]byte(id))
	if v == nil {
		return nil, "", fmt.Errorf("inspection %s: %w", id, ErrNotFound)
	}
	var r record
	if err := getJSON(v, &r); err != nil {
		return nil, "", fmt.Errorf("inspection %s: %w", id, err)
	}
	in := r.Inspection
	if err := loadShared(tx, &r, &in); err != nil {
		return nil, "", fmt.Errorf("inspection %s: %w", id, err)
	}
	// An autosave updates the summary's time, not the record's.
	if sv := storedSummary(tx, in.ObservedAt, id); sv != nil {
		var t struct {
			UpdatedAt time.Time `json:"updated_at"`
		}
		if getJSON(sv, &t) == nil && t.UpdatedAt.After(in.UpdatedAt) {
			in.UpdatedAt = t.UpdatedAt
		}
	}
	tpl, err := loadSnapshot(tx, r.TemplateSnapshot)
	if err != nil {
		return nil, "", fmt.Errorf("inspection %s: %w", id, err)
	}
	in.Template = *tpl
	if in.Answers, err = loadAnswers(tx, id); err != nil {
		return nil, "", err
	}
	return &in, r.TemplateSnapshot, nil
}

// writeRecord stores the inspection header (not its answers) and its
// summary; old is the previous version (nil for a new inspection). It
// returns the hash of the template snapshot.
func writeRecord(tx *bolt.Tx, in *inspect.Inspection, old *inspect.Inspection) (string, error) {
	return writeRecordSnap(tx, in, old, "")
}

// writeRecordSnap is writeRecord with the snapshot hash already known
// (hash != ""): the template is then neither encoded nor hashed again, which
// is most of an autosave's CPU with a 40 KB template.
func writeRecordSnap(tx *bolt.Tx, in *inspect.Inspection, old *inspect.Inspection, hash string) (string, error) {
	if err := settleDraft(tx, in.ID); err != nil {
		return "", err
	}
	if hash == "" {
		tb, h, err := snapshotHash(&in.Template)
		if err != nil {
			return "", err
		}
		hash = h
		snaps := tx.Bucket(bucketSnapshots)
		if snaps.Get([]byte(hash)) == nil {
			if err := snaps.Put([]byte(hash), tb); err != nil {
				return "", err
			}
		}
	}
	r := record{Inspection: *in, TemplateSnapshot: hash}
	r.Template = inspect.Template{}
	r.Answers = nil
	if err := storeShared(tx, in, &r); err != nil {
		return "", err
	}
	v, err := json.Marshal(&r)
	if err != nil {
		return "", err
	}
	ib := tx.Bucket(bucketInspections)
	ib.FillPercent = appendFill
	before, err := storedDrawings(ib.Get([]byte(in.ID)))
	if err != nil {
		return "", fmt.Errorf("inspection %s: %w", in.ID, err)
	}
	if err := ib.Put([]byte(in.ID), pack(v)); err != nil {
		return "", err
	}
	if err := syncDrawingRefs(tx, in.ID, before, recordDrawings(&r)); err != nil {
		return "", err
	}
	idx := tx.Bucket(bucketIdxObserved)
	if old != nil && !old.ObservedAt.Equal(in.ObservedAt) {
		if err := idx.Delete(summaryKey(old.ObservedAt, old.ID)); err != nil {
			return "", err
		}
	}
	sum := summarize(in)
	if err := putSummary(idx, &sum); err != nil {
		return "", err
	}
	return hash, syncUnitProblems(tx, in, old)
}

// syncUnitProblems keeps unit_problems/<unit>/<inspection> equal to the
// problems of a completed or signed inspection (absent for a draft).
func syncUnitProblems(tx *bolt.Tx, in, old *inspect.Inspection) error {
	root := tx.Bucket(bucketUnitProblems)
	if root == nil {
		return nil // before migration 4
	}
	if old != nil && old.UnitID != in.UnitID {
		if err := dropLatest(tx, old.UnitID); err != nil {
			return err
		}
		if err := dropLatest(tx, in.UnitID); err != nil {
			return err
		}
		if ub := root.Bucket([]byte(old.UnitID)); ub != nil {
			if err := ub.Delete([]byte(old.ID)); err != nil {
				return err
			}
		}
	}
	if in.Status == inspect.StatusDraft || len(in.Problems) == 0 {
		if ub := root.Bucket([]byte(in.UnitID)); ub != nil && ub.Get([]byte(in.ID)) != nil {
			if err := dropLatest(tx, in.UnitID); err != nil {
				return err
			}
			return ub.Delete([]byte(in.ID))
		}
		return nil
	}
	ub, err := root.CreateBucketIfNotExists([]byte(in.UnitID))
	if err != nil {
		return err
	}
	ub.FillPercent = appendFill // ids start with the date
	// A problem list that lost a problem may leave the index naming it.
	if prev := ub.Get([]byte(in.ID)); prev != nil {
		var ps []inspect.Problem
		_ = getJSON(prev, &ps)
		ids := map[string]bool{}
		for _, p := range in.Problems {
			ids[p.ID] = true
		}
		for _, p := range ps {
			if !ids[p.ID] {
				if err := dropLatest(tx, in.UnitID); err != nil {
					return err
				}
				break
			}
		}
	}
	if err := putPacked(ub, []byte(in.ID), in.Problems); err != nil {
		return err
	}
	return noteLatest(tx, in.UnitID, in.Problems)
}

// unitProblemsTx lists the problems of a unit's completed and signed
// inspections, except the given inspections.
func unitProblemsTx(tx *bolt.Tx, unitID string, except ...string) ([]inspect.Problem, error) {
	ub := tx.Bucket(bucketUnitProblems).Bucket([]byte(unitID))
	if ub == nil {
		return nil, nil
	}
	skip := map[string]bool{}
	for _, e := range except {
		skip[e] = true
	}
	var out []inspect.Problem
	err := ub.ForEach(func(k, v []byte) error {
		if skip[string(k)] {
			return nil
		}
		var ps []inspect.Problem
		if err := getJSON(v, &ps); err != nil {
			return fmt.Errorf("problems of %s: %w", k, err)
		}
		out = append(out, ps...)
		return nil
	})
	return out, err
}

// headerJSON is what the audit log records of an inspection: the record
// without answers and template, the unit without its roster but with its
// snapshot's hash, the drawings by their hashes.
func headerJSON(in *inspect.Inspection) json.RawMessage {
	h := auditHeader{Inspection: *in}
	c := &h.Inspection
	c.Template = inspect.Template{ID: in.Template.ID, Version: in.Template.Version, Title: in.Template.Title}
	c.Answers = nil
	c.Signatures = nil
	c.Unit.Staff = nil
	_, h.UnitSnapshot = unitSnapshotJSON(&in.Unit)
	for _, sg := range in.Signatures {
		h.Drawings = append(h.Drawings, auditDrawing{Inspector: sg.Inspector, Drawing: drawingHash(sg.PNG), SignedAt: sg.SignedAt})
	}
	if in.Receipt != nil {
		r := *in.Receipt
		r.PNG = nil
		c.Receipt = &r
		h.ReceiptDrawing = drawingHash(in.Receipt.PNG)
	}
	b, _ := json.Marshal(&h)
	return b
}

// auditHeader is headerJSON's shape.
type auditHeader struct {
	inspect.Inspection
	UnitSnapshot   string         `json:"unit_snapshot,omitempty"`
	Drawings       []auditDrawing `json:"drawings,omitempty"`
	ReceiptDrawing string         `json:"receipt_drawing,omitempty"`
}

type auditDrawing struct {
	Inspector string    `json:"inspector"`
	Drawing   string    `json:"drawing"`
	SignedAt  time.Time `json:"signed_at"`
}

// CreateInspection stores a new draft (assigning an id if it has none).
func (s *Store) CreateInspection(who string, in *inspect.Inspection) error {
	generated := in.ID == ""
	err := s.update(func(tx *bolt.Tx) error {
		ib := tx.Bucket(bucketInspections)
		// NewID's 24 random bits: a few hundred inspections made on one
		// day meet a taken id about once in 400 files. A generated id
		// that is taken is drawn again; one given is refused.
		for try := 0; generated; try++ {
			in.ID = s.newID(s.Now())
			if ib.Get([]byte(in.ID)) == nil {
				break
			}
			if try == 15 {
				return fmt.Errorf("no free inspection id after 16 tries (last %s)", in.ID)
			}
		}
		if !generated && ib.Get([]byte(in.ID)) != nil {
			return inspect.Errorf(inspect.ECodeConflict, "store.inspection_exists", map[string]any{"ID": in.ID},
				"inspection %s already exists", in.ID)
		}
		if err := storeDrawings(tx, in); err != nil {
			return err
		}
		snap, err := writeRecord(tx, in, nil)
		if err != nil {
			return err
		}
		answers := answersJSON(in.Answers)
		if err := putAnswersJSON(tx, in.ID, answers); err != nil {
			return err
		}
		if err := s.appendAudit(tx, who, "inspection.create", "inspection/"+in.ID, nil, headerJSON(in)); err != nil {
			return err
		}
		// The first answer comes next: the cache holds a copy with the
		// stored template, as a load would give it.
		c := cloneInspection(in)
		if tpl, err := loadSnapshot(tx, snap); err == nil {
			c.Template = *tpl
			s.remember(tx, c, snap, timelessHeader(c), answers)
		}
		return nil
	})
	if err != nil && generated {
		in.ID = ""
	}
	return err
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// Inspection loads one inspection with its template snapshot and answers.
func (s *Store) Inspection(id string) (*inspect.Inspection, error) {
	var in *inspect.Inspection
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		in, err = loadInspection(tx, id)
		return err
	})
	return in, err
}

// cloneInspection copies everything an edit may change, so comparing the
// copy with the original finds every change, and an edit's working copy or
// a caller's result never reaches the store's cached one (the template is
// shared: no edit changes a snapshot; so are the drawings' bytes, which
// edits replace, never change).
func cloneInspection(old *inspect.Inspection) *inspect.Inspection {
	return cloneWithAnswers(old, true)
}

// cloneWithAnswers is cloneInspection; when deep is false the answers map
// is new but the answers in it are old's: for an edit that replaces or
// removes answers and never changes one in place (inspect's SetAnswer,
// AttachPhoto and ClearAnswer).
func cloneWithAnswers(old *inspect.Inspection, deep bool) *inspect.Inspection {
	in := *old
	in.Answers = make(map[string]*inspect.Answer, len(old.Answers))
	for k, a := range old.Answers {
		if !deep {
			in.Answers[k] = a
			continue
		}
		c := *a
		c.Photos = append([]string(nil), a.Photos...)
		c.Absent = append([]inspect.AbsentPerson(nil), a.Absent...)
		if a.Number != nil {
			n := *a.Number
			c.Number = &n
		}
		in.Answers[k] = &c
	}
	in.Inspectors = append([]string(nil), old.Inspectors...)
	in.Findings = append([]inspect.Finding(nil), old.Findings...)
	for i := range in.Findings {
		in.Findings[i].Photos = append([]string(nil), old.Findings[i].Photos...)
	}
	in.Problems = append([]inspect.Problem(nil), old.Problems...)
	for i := range in.Problems {
		in.Problems[i].RepeatOf = append([]string(nil), old.Problems[i].RepeatOf...)
	}
	in.Signatures = append([]inspect.DrawnSignature(nil), old.Signatures...)
	in.Unit.Staff = append([]inspect.StaffMember(nil), old.Unit.Staff...)
	if old.Receipt != nil {
		r := *old.Receipt
		in.Receipt = &r
	}
	in.Unsigned = append([]string(nil), old.Unsigned...)
	return &in
}

// SaveAnswer is the autosave: one answer set, checked by the domain rules,
// written with its audit entry in one durable transaction. It returns the
// updated inspection.
func (s *Store) SaveAnswer(who, id string, a inspect.Answer) (*inspect.Inspection, error) {
	if a.AnsweredBy == "" {
		a.AnsweredBy = who
	}
	return s.updateInspectionCodes(who, id, "answer.set", []string{a.ItemCode}, func(_ *bolt.Tx, in *inspect.Inspection) error {
		return in.SetAnswer(a, s.Now())
	})
}

// AttachPhoto adds a stored photo (AddPhoto, AddPhotoFile) to the answer
// of item code, read and written in one transaction (Inspection.AttachPhoto).
func (s *Store) AttachPhoto(who, id, code, hash string) (*inspect.Inspection, error) {
	return s.updateInspectionCodes(who, id, "answer.set", []string{code}, func(_ *bolt.Tx, in *inspect.Inspection) error {
		return in.AttachPhoto(code, hash, who, s.Now())
	})
}

// ClearAnswer removes one answer.
func (s *Store) ClearAnswer(who, id, code string) (*inspect.Inspection, error) {
	return s.updateInspectionCodes(who, id, "answer.clear", []string{code}, func(_ *bolt.Tx, in *inspect.Inspection) error {
		return in.ClearAnswer(code, s.Now())
	})
}

// ClearAnswers removes several answers in one transaction.
func (s *Store) ClearAnswers(who, id string, codes []string) (*inspect.Inspection, error) {
	return s.updateInspectionCodes(who, id, "answer.clear", codes, func(_ *bolt.Tx, in *inspect.Inspection) error {
		for _, code := range codes {
			if err := in.ClearAnswer(code, s.Now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// updateInspection applies fn to the stored inspection and writes what
// changed (header, answers) with one audit entry per change, all in one
// durable transaction. If fn fails nothing is written. It is the store's
// own: every edit from outside goes through a named method that calls the
// domain's validated operation.
func (s *Store) updateInspection(who, id, action string, fn func(in *inspect.Inspection) error) (*inspect.Inspection, error) {
	return s.updateInspectionTx(who, id, action, func(_ *bolt.Tx, in *inspect.Inspection) error { return fn(in) })
}

// updateInspectionTx is UpdateInspection for edits that read other records
// in the same transaction (a nested read transaction could deadlock bbolt).
func (s *Store) updateInspectionTx(who, id, action string, fn func(tx *bolt.Tx, in *inspect.Inspection) error) (*inspect.Inspection, error) {
	return s.updateInspectionCodes(who, id, action, nil, fn)
}

// updateInspectionCodes is updateInspectionTx; when only is not nil, fn
// changes no answers but those items' (the autosave), and only they are
// compared.
func (s *Store) updateInspectionCodes(who, id, action string, only []string, fn func(tx *bolt.Tx, in *inspect.Inspection) error) (*inspect.Inspection, error) {
	var out *inspect.Inspection
	err := s.update(func(tx *bolt.Tx) error {
		base, err := s.loadEdit(tx, id)
		if err != nil {
			return err
		}
		old, snap := base.in, base.snap
		// A private copy fn may change freely; the autosave's fn replaces
		// answers (never changes one in place) and keeps old's.
		in := cloneWithAnswers(old, only == nil)
		if err := fn(tx, in); err != nil {
			return err
		}
		if in.ID != id {
			return fmt.Errorf("inspection id cannot change (%s → %s)", id, in.ID)
		}
		if err := storeDrawings(tx, in); err != nil {
			return err
		}
		codes := map[string]bool{}
		if only != nil {
			for _, c := range only {
				codes[c] = true
			}
		} else {
			for c := range old.Answers {
				codes[c] = true
			}
			for c := range in.Answers {
				codes[c] = true
			}
		}
		sorted := make([]string, 0, len(codes))
		for c := range codes {
			sorted = append(sorted, c)
		}
		sort.Strings(sorted)
		// answers: each answer's JSON after fn; the ones outside only are
		// unchanged (fn's promise) and keep their JSON.
		answers := make(map[string]json.RawMessage, len(in.Answers))
		if only != nil {
			for c, j := range base.answers {
				answers[c] = j
			}
		}
		sigChanged := !bytes.Equal(rawJSON(old.Signatures), rawJSON(in.Signatures))
		var nt json.RawMessage
		if only != nil && sameButAnswers(old, in) {
			nt = base.header // what timelessHeader(in) gives
		} else {
			nt = timelessHeader(in)
		}
		// The autosave of a draft changes one answer and the time of the
		// change: it writes the answer, its audit entry and the home list's
		// summary (which carries the time), not the inspection's record;
		// the answers and the audit entry as S2 blocks (packLit,
		// packDictLit) and the summary plain, as completing the draft
		// stores all three again with pack.
		autosave := only != nil && !sigChanged && in.Status == inspect.StatusDraft &&
			old.Template.Key() == in.Template.Key() && bytes.Equal(base.header, nt)
		auditPack := pack
		if autosave {
			auditPack = packDictLit
		}
		answersChanged := false
		for _, c := range sorted {
			n, present := in.Answers[c]
			ob, nb := base.answers[c], rawJSON(n)
			if present {
				answers[c] = nb
			} else {
				delete(answers, c)
			}
			if bytes.Equal(ob, nb) {
				continue
			}
			answersChanged = true
			act := action
			if !strings.HasPrefix(act, "answer.") {
				act = "answer.set"
			}
			if err := s.appendAuditPacked(tx, who, act, "inspection/"+id+"/"+c, "", ob, nb, auditPack); err != nil {
				return err
			}
		}
		if autosave && answersChanged {
			sum := summarize(in)
			sv, err := json.Marshal(&sum)
			if err != nil {
				return err
			}
			if err := putDraftLive(tx, id, packLit(encodeAnswers(answers)), sv); err != nil {
				return err
			}
			s.rememberSaved(tx, base, in, answers)
			out = cloneInspection(in)
			return nil
		}
		// Any other write: what the draft's autosaves left in drafts/
		// goes back to answers/ and idx_observed/ first.
		if err := settleDraft(tx, id); err != nil {
			return err
		}
		if old.Status == inspect.StatusDraft && in.Status != inspect.StatusDraft {
			if err := repackDraftAudit(tx, id, old.CreatedAt); err != nil {
				return err
			}
		}
		if answersChanged {
			if err := putAnswersJSON(tx, id, answers); err != nil {
				return err
			}
		} else if old.Status == inspect.StatusDraft && in.Status != inspect.StatusDraft {
			// Completing a draft stores its answers again with pack (its
			// autosaves wrote them with packLit), unless they are that.
			ab := tx.Bucket(bucketAnswers)
			if v := pack(encodeAnswers(answers)); !bytes.Equal(ab.Get([]byte(id)), v) {
				ab.FillPercent = appendFill
				if err := ab.Put([]byte(id), v); err != nil {
					return err
				}
			}
		}
		oh, nh := headerJSON(old), headerJSON(in)
		// Answers change the summary's score and progress even when the
		// header is byte-for-byte the same.
		if !bytes.Equal(oh, nh) || sigChanged || answersChanged || old.Template.Key() != in.Template.Key() {
			if in.Template.Key() != old.Template.Key() {
				snap = "" // a changed template is stored as a new snapshot
			}
			if snap, err = writeRecordSnap(tx, in, old, snap); err != nil {
				return err
			}
			if !bytes.Equal(oh, nh) || sigChanged {
				if !strings.HasPrefix(action, "answer.") {
					if err := s.appendAuditDiff(tx, who, action, "inspection/"+id, oh, nh); err != nil {
						return err
					}
				}
			}
		}
		s.remember(tx, in, snap, nt, answers)
		out = cloneInspection(in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CompleteInspection completes a draft, checking 重复问题 against the unit's
// earlier inspections; deadlineDays is the 整改 period in working days.
func (s *Store) CompleteInspection(who, id string, deadlineDays int, hol inspect.Holidays) (*inspect.Inspection, error) {
	return s.updateInspectionTx(who, id, "inspection.complete", func(tx *bolt.Tx, in *inspect.Inspection) error {
		earlier, ok, err := repeatCandidates(tx, in)
		if err != nil {
			return err
		}
		if !ok {
			if earlier, err = unitProblemsTx(tx, in.UnitID, in.ID, in.Amends); err != nil {
				return err
			}
		}
		return in.Complete(s.Now(), earlier, deadlineDays, hol)
	})
}

// SignInspection locks a completed inspection.
func (s *Store) SignInspection(who, id string) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "inspection.sign", func(in *inspect.Inspection) error {
		return in.Sign(s.Now())
	})
}

// AmendInspection creates a draft amendment of a signed inspection.
func (s *Store) AmendInspection(who, id string) (*inspect.Inspection, error) {
	orig, err := s.Inspection(id)
	if err != nil {
		return nil, err
	}
	am, err := orig.NewAmendment(NewID(s.Now()), s.Now())
	if err != nil {
		return nil, err
	}
	if err := s.CreateInspection(who, am); err != nil {
		return nil, err
	}
	return am, nil
}

// DeleteDraft removes a draft (never a completed or signed inspection).
func (s *Store) DeleteDraft(who, id string) error {
	return s.update(func(tx *bolt.Tx) error {
		in, err := loadInspection(tx, id)
		if err != nil {
			return err
		}
		if in.Status != inspect.StatusDraft {
			return inspect.Errorf(inspect.ECodeForbidden, "store.delete_not_draft", map[string]any{"ID": id},
				"only drafts can be deleted; %s is %s", id, in.Status)
		}
		drawings, err := storedDrawings(tx.Bucket(bucketInspections).Get([]byte(id)))
		if err != nil {
			return fmt.Errorf("inspection %s: %w", id, err)
		}
		if err := tx.Bucket(bucketInspections).Delete([]byte(id)); err != nil {
			return err
		}
		if err := syncDrawingRefs(tx, id, drawings, nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketIdxObserved).Delete(summaryKey(in.ObservedAt, id)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketAnswers).Delete([]byte(id)); err != nil {
			return err
		}
		if err := dropDraft(tx, id); err != nil {
			return err
		}
		return s.appendAudit(tx, who, "inspection.delete", "inspection/"+id, headerJSON(in), nil)
	})
}

// UnitProblems lists every problem found at a unit in completed and
// signed inspections.
func (s *Store) UnitProblems(unitID string) ([]inspect.Problem, error) {
	var out []inspect.Problem
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = unitProblemsTx(tx, unitID)
		return err
	})
	return out, err
}

// Query selects inspections for the list screens. Zero fields match all.
type Query struct {
	Statuses []inspect.Status
	UnitID   string
	Text     string    // substring of unit name, department or id (case-insensitive)
	From, To time.Time // observed-at range, To exclusive
	Mode     inspect.Mode
	Offset   int
	Limit    int // 0: no limit
}

// Page is one page of summaries, newest observed first, and the total that matched.
type Page struct {
	Items []Summary
	Total int
}

// ListInspections returns summaries newest first, paged.
func (s *Store) ListInspections(q Query) (Page, error) {
	var p Page
	text := strings.ToLower(strings.TrimSpace(q.Text))
	st := map[inspect.Status]bool{}
	for _, x := range q.Statuses {
		st[x] = true
	}
	err := s.view(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bucketIdxObserved)
		c := idx.Cursor()
		var k, v []byte
		if !q.To.IsZero() {
			k, _ = c.Seek(summaryKey(q.To, ""))
			if k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		} else {
			k, v = c.Last()
		}
		var lowKey []byte
		if !q.From.IsZero() {
			lowKey = summaryKey(q.From, "")
		}
		filtered := len(st) > 0 || q.UnitID != "" || q.Mode != "" || text != ""
		drafts := tx.Bucket(bucketDrafts)
		for ; k != nil; k, v = c.Prev() {
			if lowKey != nil && bytes.Compare(k, lowKey) < 0 {
				break
			}
			inPage := p.Total >= q.Offset && (q.Limit <= 0 || len(p.Items) < q.Limit)
			if !filtered && !inPage {
				p.Total++ // counting needs no decoding
				continue
			}
			var sum Summary
			if err := getJSON(liveSummary(drafts, k, v), &sum); err != nil {
				return fmt.Errorf("summary %x: %w", k, err)
			}
			if len(st) > 0 && !st[sum.Status] {
				continue
			}
			if q.UnitID != "" && sum.UnitID != q.UnitID {
				continue
			}
			if q.Mode != "" && sum.Mode != q.Mode {
				continue
			}
			if text != "" && !strings.Contains(strings.ToLower(sum.UnitName+" "+sum.Department+" "+sum.ID), text) {
				continue
			}
			if p.Total >= q.Offset && (q.Limit <= 0 || len(p.Items) < q.Limit) {
				p.Items = append(p.Items, sum)
			}
			p.Total++
		}
		return nil
	})
	return p, err
}

// SetSignature stores an inspector's drawn signature.
func (s *Store) SetSignature(who, id string, sig inspect.DrawnSignature) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "signature.set", func(in *inspect.Inspection) error {
		return in.SetSignature(sig, s.Now())
	})
}

// SetSignatures stores several inspectors' drawn signatures in one
// transaction.
func (s *Store) SetSignatures(who, id string, sigs []inspect.DrawnSignature) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "signature.set", func(in *inspect.Inspection) error {
		for _, sig := range sigs {
			if err := in.SetSignature(sig, s.Now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReopenInspection returns a completed inspection to draft.
func (s *Store) ReopenInspection(who, id string) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "inspection.reopen", func(in *inspect.Inspection) error {
		return in.Reopen(s.Now())
	})
}

// AssignProblem sets a problem's responsible person and 整改 deadline.
func (s *Store) AssignProblem(who, id, problemID, responsible string, deadline time.Time) (*inspect.Inspection, error) {
	return s.updateInspection(who, id, "problem.assign", func(in *inspect.Inspection) error {
		return in.AssignProblem(problemID, responsible, deadline, s.Now())
	})
}
