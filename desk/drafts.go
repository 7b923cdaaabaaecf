package desk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mingcha/inspect"
	"mingcha/store"
)

// Drafts keep what was typed into a field of the window and is not saved
// yet: the window saves a note after a pause in typing, and a process
// killed within that pause would lose the last words. Saving every key
// into the database costs about 5 ms and 1.3 KB of file per key, so each
// key writes the field's whole text into a small file of its own under
// store.DraftDir instead, plainly (no fsync: what a killed process wrote
// stays in the system's page cache; only a power cut within the pause can
// still lose it). The debounced save removes the file once the database
// has the text; the next open recovers what is left (RecoverDrafts).

// DraftField names the field a draft belongs to.
type DraftField string

const (
	DraftNote        DraftField = "note"        // an answer's note (Item)
	DraftText        DraftField = "text"        // a text item's answer (Item)
	DraftResponsible DraftField = "responsible" // a problem's 责任人 (Problem)
	DraftDeadline    DraftField = "deadline"    // a problem's 整改期限, as typed (Problem)
)

// Draft is one field's text as typed, over the stored value it was typed
// over.
type Draft struct {
	Inspection string     `json:"inspection"`
	Item       string     `json:"item,omitempty"`
	Problem    string     `json:"problem,omitempty"`
	Field      DraftField `json:"field"`
	// Base is the field's stored value when the text was typed: a draft
	// is newer than the database while the stored value is still Base.
	Base string    `json:"base"`
	Text string    `json:"text"`
	Who  string    `json:"who,omitempty"`
	At   time.Time `json:"at"`
}

func (dr Draft) fileName() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{dr.Inspection, dr.Item, dr.Problem, string(dr.Field)}, "\x00")))
	return hex.EncodeToString(sum[:12]) + ".json"
}

func (d *Desk) draftDir() string { return store.DraftDir(d.Store.Path()) }

// KeepDraft writes dr (its time set now when zero) over the field's
// previous draft: one line of JSON written at the start of the file in one
// write, with no truncation first (on ext4 a truncate or a rename over a
// file starts its write-back: 1.2–3 ms a key, against 0.08 ms for this).
// What a shorter text leaves of a longer one after the line is ignored.
func (d *Desk) KeepDraft(dr Draft) error {
	if dr.At.IsZero() {
		dr.At = d.Store.Now()
	}
	b, err := json.Marshal(dr)
	if err != nil {
		return err
	}
	b = append(b, '\n') // JSON holds no raw newline: the line is the draft
	path := filepath.Join(d.draftDir(), dr.fileName())
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(d.draftDir(), 0o700); err != nil {
			return fmt.Errorf("draft: %w", err)
		}
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o600)
	}
	if err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	_, err = f.WriteAt(b, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("draft: %w", err)
	}
	return nil
}

// DropDraft removes the draft of dr's field: the database has its text.
func (d *Desk) DropDraft(dr Draft) error {
	err := os.Remove(filepath.Join(d.draftDir(), dr.fileName()))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("draft: %w", err)
	}
	_ = os.Remove(d.draftDir()) // when empty (no other field waits): no folder left beside the database
	return nil
}

// RecoverDrafts puts every draft still newer than the database into its
// inspection through the store's named edits (SaveAnswer for a note or a
// text, AssignProblem for a 责任人 or 整改期限) and removes the drafts. It
// returns the drafts it recovered, oldest first. A draft the database has
// moved past (the field changed since, the inspection completed, signed
// or deleted, a deadline that is no date) is removed unapplied. A draft
// whose edit fails for another reason (a full disk) stays for the next
// open, and the error says why.
func (d *Desk) RecoverDrafts() ([]Draft, error) {
	entries, err := os.ReadDir(d.draftDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	type found struct {
		dr   Draft
		file string
	}
	var all []found
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		f := found{file: filepath.Join(d.draftDir(), e.Name())}
		if b, err := os.ReadFile(f.file); err == nil {
			line, _, _ := bytes.Cut(b, []byte{'\n'})
			if json.Unmarshal(line, &f.dr) != nil {
				f.dr = Draft{}
			}
		}
		all = append(all, f)
	}
	slices.SortFunc(all, func(a, b found) int { return a.dr.At.Compare(b.dr.At) })
	var recovered []Draft
	var errs []error
	for _, f := range all {
		if f.dr.Inspection != "" {
			applied, err := d.applyDraft(f.dr)
			if err != nil {
				errs = append(errs, err)
				continue // kept for the next open
			}
			if applied {
				recovered = append(recovered, f.dr)
			}
		}
		if err := os.Remove(f.file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("draft: %w", err))
		}
	}
	_ = os.Remove(d.draftDir()) // when empty: the folder is made again at the next key
	return recovered, errors.Join(errs...)
}

// applyDraft writes dr into its inspection when the stored value is still
// the one it was typed over. false, nil: nothing to recover.
func (d *Desk) applyDraft(dr Draft) (bool, error) {
	in, err := d.Store.Inspection(dr.Inspection)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	who := dr.Who
	if who == "" {
		who = d.Who("inspector")
	}
	switch dr.Field {
	case DraftNote, DraftText:
		if in.CanEdit() != nil {
			return false, nil
		}
		if _, ok := in.Template.Item(dr.Item); !ok {
			return false, nil
		}
		a := inspect.Answer{ItemCode: dr.Item}
		if old := in.Answers[dr.Item]; old != nil {
			a = *old
		}
		cur := &a.Note
		if dr.Field == DraftText {
			cur = &a.Text
		}
		if *cur != dr.Base || *cur == dr.Text {
			return false, nil
		}
		*cur = dr.Text
		a.AnsweredAt, a.AnsweredBy = dr.At, ""
		_, err = d.Store.SaveAnswer(who, in.ID, a)
	case DraftResponsible, DraftDeadline:
		if in.Status != inspect.StatusCompleted {
			return false, nil
		}
		i := slices.IndexFunc(in.Problems, func(p inspect.Problem) bool { return p.ID == dr.Problem })
		if i < 0 {
			return false, nil
		}
		p := in.Problems[i]
		resp, deadline := p.Responsible, time.Time{}
		if dr.Field == DraftResponsible {
			if p.Responsible != strings.TrimSpace(dr.Base) || p.Responsible == strings.TrimSpace(dr.Text) {
				return false, nil
			}
			resp = dr.Text
		} else {
			t, perr := inspect.ParseDeadline(dr.Text)
			if inspect.FormatDate(p.Deadline) != strings.TrimSpace(dr.Base) || perr != nil || t.Equal(p.Deadline) {
				return false, nil
			}
			deadline = t
		}
		_, err = d.Store.AssignProblem(who, in.ID, p.ID, resp, deadline)
	default:
		return false, nil
	}
	var domain *inspect.Error
	if errors.As(err, &domain) {
		return false, nil // refused by the rules: the database moved on
	}
	return err == nil, err
}
