package store

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// drafts/ (since schema 7) holds what a draft's autosaves wrote since the
// last other write of that draft:
//
//	drafts/
//	    <inspection id>/a  -> its answers (as answers/ would hold them)
//	    <inspection id>/s  -> its home-list summary (as idx_observed/ would)
//
// An autosave changes one answer and the time of the change. Written to
// answers/ and idx_observed/, two buckets of a value per inspection ever
// made, it rewrote a leaf and a branch page of each (and more as the file
// grows); drafts/ holds only the few drafts being walked, so it is one
// page or, while small, kept inside the root page itself: a save writes
// its audit entry's pages, the root and the freelist, 8 → 4 pages with
// a few hundred inspections (BenchmarkAutosaveCombined).
//
// While drafts/ has a draft's answers, answers/ has none for it (the
// first autosave moves them): storedAnswers reads the one that holds
// them. idx_observed/ keeps the draft's summary key (the list's order is
// by the observed time, which an autosave never changes) with the value
// of its last other write; storedSummary and the list read drafts/'s
// value first. Any other write of the draft (completing it, a header
// change, deleting it) settles it first: settleDraft moves both values
// back, stored as every other write stores them.
var bucketDrafts = []byte("drafts")

func draftAnswersKey(id string) []byte { return []byte(id + "/a") }
func draftSummaryKey(id string) []byte { return []byte(id + "/s") }

// storedAnswers is the stored value of inspection id's answers: drafts/'s
// while a draft's autosaves hold them, else answers/'s (nil: none).
func storedAnswers(tx *bolt.Tx, id string) []byte {
	if d := tx.Bucket(bucketDrafts); d != nil {
		if v := d.Get(draftAnswersKey(id)); v != nil {
			return v
		}
	}
	return tx.Bucket(bucketAnswers).Get([]byte(id))
}

// storedSummary is the stored value of inspection id's home-list summary
// (observed is its observed time): drafts/'s, else idx_observed/'s.
func storedSummary(tx *bolt.Tx, observed time.Time, id string) []byte {
	key := summaryKey(observed, id)
	return liveSummary(tx.Bucket(bucketDrafts), key, tx.Bucket(bucketIdxObserved).Get(key))
}

// liveSummary is v, the idx_observed/ value under key, or drafts/'s (d,
// nil before schema 7) summary of the same inspection when it has one.
func liveSummary(d *bolt.Bucket, key, v []byte) []byte {
	if d == nil || len(key) < 8 {
		return v
	}
	if dv := d.Get(draftSummaryKey(string(key[8:]))); dv != nil {
		return dv
	}
	return v
}

// putDraftLive is an autosave's write: the draft's answers (ans, stored as
// given) and summary (sum) in drafts/. The draft's answers leave answers/
// the first time; after that drafts/ holds them, and answers/ (a bucket of
// every inspection) is not looked into again.
func putDraftLive(tx *bolt.Tx, id string, ans, sum []byte) error {
	d := tx.Bucket(bucketDrafts)
	first := d.Get(draftAnswersKey(id)) == nil
	if err := d.Put(draftAnswersKey(id), ans); err != nil {
		return err
	}
	if err := d.Put(draftSummaryKey(id), sum); err != nil {
		return err
	}
	if first {
		return tx.Bucket(bucketAnswers).Delete([]byte(id))
	}
	return nil
}

// settleDraft moves what drafts/ holds for inspection id back to answers/
// and idx_observed/, compressed as every write but an autosave stores
// them; nothing happens when drafts/ holds nothing of it. Every write of
// an inspection other than an autosave calls it before writing.
func settleDraft(tx *bolt.Tx, id string) error {
	d := tx.Bucket(bucketDrafts)
	if d == nil {
		return nil
	}
	if v := d.Get(draftAnswersKey(id)); v != nil {
		j, err := unpack(v)
		if err != nil {
			return fmt.Errorf("inspection %s draft answers: %w", id, err)
		}
		ab := tx.Bucket(bucketAnswers)
		ab.FillPercent = appendFill
		if err := ab.Put([]byte(id), pack(j)); err != nil {
			return err
		}
		if err := d.Delete(draftAnswersKey(id)); err != nil {
			return err
		}
	}
	if v := d.Get(draftSummaryKey(id)); v != nil {
		var sum Summary
		if err := getJSON(v, &sum); err != nil {
			return fmt.Errorf("inspection %s draft summary: %w", id, err)
		}
		if err := putSummary(tx.Bucket(bucketIdxObserved), &sum); err != nil {
			return err
		}
		if err := d.Delete(draftSummaryKey(id)); err != nil {
			return err
		}
	}
	return nil
}

// dropDraft removes what drafts/ holds for inspection id (DeleteDraft).
func dropDraft(tx *bolt.Tx, id string) error {
	d := tx.Bucket(bucketDrafts)
	if d == nil {
		return nil
	}
	for _, k := range [][]byte{draftAnswersKey(id), draftSummaryKey(id)} {
		if err := d.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forEachDraftAnswers calls fn with the id and stored answers of every
// draft drafts/ holds answers of.
func forEachDraftAnswers(tx *bolt.Tx, fn func(id string, v []byte) error) error {
	d := tx.Bucket(bucketDrafts)
	if d == nil {
		return nil
	}
	return d.ForEach(func(k, v []byte) error {
		if id, ok := bytes.CutSuffix(k, []byte("/a")); ok {
			return fn(string(id), v)
		}
		return nil
	})
}

// migrateDrafts adds drafts/ (empty: a file of schema 6 keeps its drafts'
// answers in answers/, where storedAnswers finds them).
func migrateDrafts(tx *bolt.Tx) error {
	_, err := tx.CreateBucketIfNotExists(bucketDrafts)
	return err
}
