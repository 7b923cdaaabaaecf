package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
)

// Two databases in one folder, each with backups: listing, rotation and
// restore touch only their own; old shared backups are sorted out by an
// exact name rule at open.
func TestBackupsBelongToOneDatabase(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "mingcha.db"), filepath.Join(dir, "mingcha-demo.db")
	// Old layout: both databases' backups in the shared backups/ folder.
	legacy := filepath.Join(dir, "backups")
	if err := os.Mkdir(legacy, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{a, b} {
		s := mustOpenAt(t, p, Options{NoBackup: true})
		seed(t, s)
		s.Close()
		base := strings.TrimSuffix(filepath.Base(p), ".db")
		if err := copyFile(p, filepath.Join(legacy, base+"-20250101T000000.000000000-auto.db")); err != nil {
			t.Fatal(err)
		}
	}
	sa := mustOpenAt(t, a, Options{KeepBackups: 2, NoBackup: true})
	la, _ := ListBackups(a)
	if len(la) != 1 || !strings.HasPrefix(la[0].Path, BackupDir(a)) {
		t.Fatalf("migrated backups of %s: %+v", a, la)
	}
	if _, err := os.Stat(filepath.Join(legacy, "mingcha-demo-20250101T000000.000000000-auto.db")); err != nil {
		t.Fatalf("the neighbour's old backup was moved by the wrong database: %v", err)
	}
	sb := mustOpenAt(t, b, Options{KeepBackups: 2, NoBackup: true})
	if _, err := os.Stat(legacy); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("emptied legacy folder kept: %v", err)
	}
	for i := 0; i < 3; i++ {
		if _, err := sa.Backup(); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sb.Backup(); err != nil {
		t.Fatal(err)
	}
	la, _ = ListBackups(a)
	lb, _ := ListBackups(b)
	if len(la) != 2 || len(lb) != 2 {
		t.Fatalf("rotation: %d backups of a, %d of b (want 2, 2)", len(la), len(lb))
	}
	for _, x := range la {
		if !x.Compressed || x.TxID == 0 || filepath.Dir(x.Path) != BackupDir(a) {
			t.Fatalf("backup of a: %+v", x)
		}
	}
	for _, x := range lb {
		if filepath.Dir(x.Path) != BackupDir(b) {
			t.Fatalf("backup of b elsewhere: %+v", x)
		}
	}
	// Restore b: a is untouched, b comes back.
	units, _ := sb.Units()
	in := newInspection(t, sb, &units[0], mustTemplate(t, sb), t0)
	sa.Close()
	sb.Close()
	aBefore, _ := os.ReadFile(a)
	good, _ := NewestGoodBackup(b)
	if !strings.HasPrefix(good, BackupDir(b)) {
		t.Fatalf("newest good backup of b is %s", good)
	}
	// a's backup named by hand for b is refused, and changes nothing.
	bBefore, _ := os.ReadFile(b)
	var fe *inspect.Error
	if _, err := Restore(b, la[0].Path); !errors.As(err, &fe) || fe.Key != "backup.foreign" {
		t.Fatalf("restoring a's backup over b: %v", err)
	}
	if bNow, _ := os.ReadFile(b); string(bNow) != string(bBefore) {
		t.Fatal("a refused restore changed b")
	}
	if _, err := Restore(b, good); err != nil {
		t.Fatal(err)
	}
	aAfter, _ := os.ReadFile(a)
	if string(aBefore) != string(aAfter) {
		t.Fatal("restoring b changed a")
	}
	s := mustOpenAt(t, b, Options{NoBackup: true})
	defer s.Close()
	if _, err := s.Inspection(in.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("restored b still has the inspection made after its backup: %v", err)
	}
	if p, _ := s.ListInspections(Query{}); p.Total != 0 {
		t.Fatalf("restored b: %d inspections", p.Total)
	}
}

func mustTemplate(t *testing.T, s *Store) *inspect.Template {
	t.Helper()
	tpls, err := s.Templates()
	if err != nil || len(tpls) == 0 {
		t.Fatal(err)
	}
	return &tpls[0]
}

// A compressed backup restores to the very database that was backed up.
func TestRestoreCompressedBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	if _, err := s.SaveAnswer("t", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "桌牌缺失"}); err != nil {
		t.Fatal(err)
	}
	bk, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	if !isCompressed(bk) {
		t.Fatalf("%s is not compressed", bk)
	}
	info, _ := os.Stat(bk)
	dbInfo, _ := os.Stat(path)
	if info.Size()*4 > dbInfo.Size() {
		t.Errorf("backup %d bytes for a %d-byte database", info.Size(), dbInfo.Size())
	}
	if err := CheckFile(bk); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDraft("t", in.ID); err != nil {
		t.Fatal(err)
	}
	n, _ := s.VerifyAudit()
	s.Close()
	kept, err := Restore(path, bk)
	if err != nil || kept == "" {
		t.Fatal(kept, err)
	}
	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	defer s2.Close()
	got, err := s2.Inspection(in.ID)
	if err != nil || got.Answers["A2"] == nil || got.Answers["A2"].Note != "桌牌缺失" {
		t.Fatalf("restored: %+v %v", got, err)
	}
	if m, err := s2.VerifyAudit(); err != nil || m != n-1 {
		t.Fatalf("audit after restore: %d entries (%d before the delete), %v", m, n-1, err)
	}
}

// Opening an unchanged file makes no backup, whatever its mtime says.
func TestBackupAtOpenFollowsTxID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{})
	seed(t, s)
	s.Close()
	s = mustOpenAt(t, path, Options{}) // backs up the seed
	s.Close()
	n := func() int { l, _ := ListBackups(path); return len(l) }
	before := n()
	for i := 0; i < 3; i++ {
		if err := os.Chtimes(path, t0, t0.Add(int64ToDuration(i))); err != nil {
			t.Fatal(err)
		}
		s := mustOpenAt(t, path, Options{})
		s.Close()
	}
	if n() != before {
		t.Fatalf("%d backups after three opens of an unchanged file (was %d)", n(), before)
	}
}

func int64ToDuration(i int) time.Duration { return time.Duration(i) * time.Hour }

// check on a file another Mingcha holds says so (not "damaged"); a text
// file is not a database, with no restore advice when there is no backup.
func TestCheckFileInUseAndNotDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	seed(t, s)
	s.Close()
	_, ready := startHolder(t, path)
	<-ready
	if err := CheckFile(path); !errors.Is(err, ErrInUse) {
		t.Fatalf("check of a held file: %v", err)
	}
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("这不是数据库\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := CheckFile(text)
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("check of a text file: %v", err)
	}
	_, err = Open(text, Options{NoBackup: true})
	var nd *NotDatabaseError
	if !errors.As(err, &nd) || nd.NewestBackup != "" || strings.Contains(err.Error(), "restore") {
		t.Fatalf("open of a text file: %v", err)
	}
}

// An import of many reports makes no backup while it runs and at most one
// after it, however many edits it made.
func TestImportMakesAtMostOneBackup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	s := mustOpenAt(t, path, Options{BackupEvery: 2}) // an import of 40 commits 3 batches
	dir := t.TempDir()
	for i := 0; i < 40; i++ {
		u := officeUnit
		u.ID, u.Name = "", fmt.Sprintf("单位%02d", i)
		writeReport(t, dir, u.Name+".pdf", signedInspection(t, fmt.Sprintf("R%02d", i), u, t0, []string{"王"}))
	}
	s.backupWG.Wait() // the open-time backup
	before, _ := ListBackups(path)
	sum, err := s.ImportReports(context.Background(), "office", []string{dir}, fakeVerify, func(ImportProgress) {
		if l, _ := ListBackups(path); len(l) != len(before) {
			t.Errorf("a backup was made during the import")
		}
	})
	if err != nil || sum.Accepted != 40 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	s.Close()
	after, _ := ListBackups(path)
	if len(after) != len(before)+1 {
		t.Fatalf("%d backups after the import, %d before (want one more)", len(after), len(before))
	}
}
