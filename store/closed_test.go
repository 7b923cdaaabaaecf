package store

import (
	"errors"
	"path/filepath"
	"testing"

	"mingcha/inspect"
)

// TestClosedStoreIsErrClosed: whoever still holds a store after Close (a
// goroutine that outlived a restore) gets ErrClosed from reads and edits,
// never a panic or bbolt's own error.
func TestClosedStoreIsErrClosed(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "m.db"), Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	u := inspect.Unit{Name: "窗口", Kind: inspect.UnitWindow}
	if err := s.PutUnit("t", &u); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Units(); !errors.Is(err, ErrClosed) {
		t.Errorf("Units after Close: %v", err)
	}
	if err := s.PutUnit("t", &inspect.Unit{Name: "另一个", Kind: inspect.UnitWindow}); !errors.Is(err, ErrClosed) {
		t.Errorf("PutUnit after Close: %v", err)
	}
	if _, err := s.AssignProblem("t", "x", "x/1", "王芳", inspect.EndOfDay(s.Now())); !errors.Is(err, ErrClosed) {
		t.Errorf("AssignProblem after Close: %v", err)
	}
	if _, err := s.AddPhoto("t", []byte("not a photo"), "a.jpg"); err == nil {
		t.Error("AddPhoto after Close worked")
	}
}
