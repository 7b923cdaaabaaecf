package store

import (
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// goodDB builds a database with some content and one good backup, and
// returns its path.
func goodDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{})
	u, tpl := seed(t, s)
	for i := 0; i < 40; i++ {
		in := newInspection(t, s, u, tpl, t0.AddDate(0, 0, i))
		if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "桌牌缺失，无职责内容，需要整改的说明文字较长"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path
}

func damage(t *testing.T, path, how string, seed int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	switch how {
	case "zero-meta":
		for i := 0; i < 2*page; i++ {
			data[i] = 0
		}
	case "truncate":
		// Half of what the pages use, not of a possibly preallocated file.
		used := len(data)
		if f, err := os.Open(path); err == nil {
			if ps, pgid, ok := readMeta(f, 0); ok {
				used = min(used, int(pgid)*int(ps))
			}
			f.Close()
		}
		data = data[:used/2]
	case "random-pages":
		rng := rand.New(rand.NewSource(seed))
		pages := len(data) / page
		for i := 0; i < 8; i++ {
			p := 2 + rng.Intn(pages-2)
			rng.Read(data[p*page : (p+1)*page])
		}
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// readAll touches every record; on a damaged file it must return errors,
// never panic.
func readAll(s *Store) error {
	p, err := s.ListInspections(Query{})
	if err != nil {
		return err
	}
	for _, sum := range p.Items {
		if _, err := s.Inspection(sum.ID); err != nil {
			return err
		}
	}
	_, err = s.VerifyAudit()
	return err
}

func TestDamagedFilesAreReported(t *testing.T) {
	cases := []struct {
		how   string
		seeds int
	}{{"zero-meta", 1}, {"truncate", 1}, {"random-pages", 12}}
	for _, c := range cases {
		t.Run(c.how, func(t *testing.T) {
			detected := 0
			for seed := int64(1); seed <= int64(c.seeds); seed++ {
				path := goodDB(t)
				good, _ := NewestGoodBackup(path)
				if good == "" {
					t.Fatal("no good backup to name")
				}
				damage(t, path, c.how, seed)
				damagedBytes, _ := os.ReadFile(path)
				s, err := Open(path, Options{})
				if err == nil {
					// The check found nothing (the pages hit were free): reading
					// must still not panic, and may report what it meets.
					rerr := readAll(s)
					s.Close()
					if rerr != nil {
						detected++
					}
					continue
				}
				detected++
				t.Logf("seed %d: %v", seed, err)
				var de *DamagedError
				if !errors.As(err, &de) {
					t.Fatalf("seed %d: want *DamagedError, got %T %v", seed, err, err)
				}
				if de.NewestBackup != good {
					t.Fatalf("seed %d: names backup %q, want %q", seed, de.NewestBackup, good)
				}
				after, _ := os.ReadFile(path)
				if string(after) != string(damagedBytes) {
					t.Fatalf("seed %d: Open wrote into the damaged file", seed)
				}
				if CheckFile(path) == nil {
					t.Fatalf("seed %d: CheckFile passes a file Open refused", seed)
				}
				kept, err := Restore(path, de.NewestBackup)
				if err != nil {
					t.Fatal(err)
				}
				if kept == "" {
					t.Fatal("damaged file not kept aside")
				}
				s, err = Open(path, Options{})
				if err != nil {
					t.Fatalf("after restore: %v", err)
				}
				p, _ := s.ListInspections(Query{})
				s.Close()
				if p.Total != 40 {
					t.Fatalf("restored %d inspections", p.Total)
				}
			}
			if detected == 0 {
				t.Fatalf("no damage detected in %d files", c.seeds)
			}
			t.Logf("%s: %d of %d damaged files reported", c.how, detected, c.seeds)
		})
	}
}

func TestRestoreRefusesDamagedBackup(t *testing.T) {
	path := goodDB(t)
	bad := filepath.Join(t.TempDir(), "bad.db")
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(bad, data[:len(data)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	// Cut short, plain; and a compressed backup with bytes changed.
	s := mustOpenAt(t, path, Options{NoBackup: true})
	bk, err := s.Backup()
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	zb, _ := os.ReadFile(bk)
	for i := len(zb) / 2; i < len(zb)/2+64 && i < len(zb); i++ {
		zb[i] ^= 0xA5
	}
	badZ := filepath.Join(t.TempDir(), "bad.db.zst")
	if err := os.WriteFile(badZ, zb, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{bad, badZ} {
		_, err := Restore(path, b)
		var ie *inspect.Error
		if !errors.As(err, &ie) || ie.Key != "backup.unusable" || ie.Params["Backup"] != b {
			t.Fatalf("restore from %s: %v, want the keyed refusal backup.unusable", filepath.Base(b), err)
		}
		if CheckFile(path) != nil {
			t.Fatal("refused restore touched the database")
		}
	}
}

func TestBackupsRotate(t *testing.T) {
	s := MustOpen(t, Options{KeepBackups: 3, BackupEvery: 5})
	u, tpl := seed(t, s)
	for i := 0; i < 40; i++ {
		newInspection(t, s, u, tpl, t0)
	}
	s.Close() // waits for a running backup
	list, err := ListBackups(s.Path())
	if err != nil || len(list) != 3 {
		t.Fatalf("%d backups: %v", len(list), err)
	}
	for _, b := range list {
		if err := CheckFile(b.Path); err != nil {
			t.Fatalf("%s: %v", b.Path, err)
		}
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	_ = s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchemaVersion, u64(99)) })
	s.Close()
	if _, err := Open(path, Options{NoBackup: true}); err == nil {
		t.Fatal("opened a newer schema")
	}
}
