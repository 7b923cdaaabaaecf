package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// RemovePhoto takes a wrongly attached photo off an item of a draft, with
// its audit entry. The original stays in the content-addressed store only
// while some answer or finding still refers to it.
func (s *Store) RemovePhoto(who, id, code, hash string) (*inspect.Inspection, error) {
	return s.ReplacePhoto(who, id, code, hash, "")
}

// ReplacePhoto puts photo with (already added with AddPhoto) in the place
// of photo hash on an item of a draft; with "" removes it. An original no
// longer referred to by any answer or finding is deleted from the store.
func (s *Store) ReplacePhoto(who, id, code, hash, with string) (*inspect.Inspection, error) {
	action := "answer.photo_replace"
	if with == "" {
		action = "answer.photo_remove"
	}
	var orphan bool
	in, err := s.updateInspectionCodes(who, id, action, []string{code}, func(tx *bolt.Tx, in *inspect.Inspection) error {
		if with != "" && tx.Bucket(bucketPhotos).Get([]byte(with)) == nil {
			return fmt.Errorf("photo %s: %w", with, ErrNotFound)
		}
		if err := in.ReplacePhoto(code, hash, with, s.Now()); err != nil {
			return err
		}
		// The answer is written by the caller after fn; look for other
		// references everywhere but in this answer.
		orphan = !referenced(tx, hash, id, code) && !slicesHas(in.Answers[code].Photos, hash)
		if orphan {
			if err := tx.Bucket(bucketPhotos).Delete([]byte(hash)); err != nil {
				return err
			}
			return s.appendAudit(tx, who, "photo.delete", "photo/"+hash, nil, nil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if orphan {
		// After the commit: a crash in between leaves a file no record
		// names, never a record without its file.
		for _, p := range []string{s.PhotoPath(hash), s.reportPath(hash)} {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return in, fmt.Errorf("remove photo file: %w", err)
			}
		}
	}
	return in, nil
}

func slicesHas(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// referenced reports whether any stored answer (but item code of
// inspection id, which is being rewritten) or any finding names photo hash.
// A hash is 64 hex digits, so finding it in the raw JSON is exact enough
// and spares decoding every record.
func referenced(tx *bolt.Tx, hash, id, code string) bool {
	h := []byte(hash)
	found := false
	answers := func(k, v []byte) error {
		if found {
			return nil
		}
		if string(k) != id {
			found = containsJSON(v, h)
			return nil
		}
		var answers map[string]json.RawMessage
		if getJSON(v, &answers) != nil {
			return nil
		}
		for c, a := range answers {
			if c != code && bytes.Contains(a, h) {
				found = true
			}
		}
		return nil
	}
	_ = tx.Bucket(bucketAnswers).ForEach(answers)
	_ = forEachDraftAnswers(tx, func(id string, v []byte) error { return answers([]byte(id), v) })
	if found {
		return true
	}
	_ = tx.Bucket(bucketInspections).ForEach(func(_, v []byte) error {
		if !found && containsJSON(v, h) {
			found = true
		}
		return nil
	})
	return found
}
