package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mingcha/inspect"
)

// TestRefuseOutput: every spelling of the database, its backups, stores,
// control files and keys is refused; an ordinary new file is not.
func TestRefuseOutput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "mingcha.db")
	s := mustOpenAt(t, db, Options{NoBackup: true})
	seed(t, s)
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPhoto("t", pngBytes(t, 4, 4), "p.png"); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "identity.p12")
	if err := os.WriteFile(key, []byte{0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30}, 0o600); err != nil {
		t.Fatal(err)
	}
	keyNoExt := filepath.Join(dir, "officekey")
	if err := os.WriteFile(keyNoExt, []byte{0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30}, 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	o := mustOpenAt(t, other, Options{NoBackup: true})
	o.Close()
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	if err := os.Chdir(sub); err != nil {
		t.Fatal(err)
	}
	var photo string
	filepath.Walk(s.PhotoDir(), func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			photo = p
		}
		return nil
	})
	cases := map[string]string{
		db:                                      "database",
		"../mingcha.db":                         "database",
		filepath.Join(link, "mingcha.db"):       "database",
		filepath.Join(sub, "..", "mingcha.db"):  "database",
		other:                                   "database",
		backup:                                  "backup",
		filepath.Join(BackupDir(db), "new.pdf"): "backup",
		photo:                                   "photos",
		filepath.Join(s.PhotoDir(), "x.pdf"):    "photos",
		filepath.Join(dir, "mingcha.db.reports", "x.pdf"): "",
		key:                                     "key",
		filepath.Join(link, "identity.p12"):     "key",
		keyNoExt:                                "key",
		db + ".closed":                          "control",
		db + ".replaced-20260101T000000":        "control",
		filepath.Join(dir, ".mingcha.db.tmp-1"): "control",
		dir:                                     "folder",
		filepath.Join(dir, "report.pdf"):        "",
		"report.pdf":                            "",
	}
	for p, want := range cases {
		err := s.RefuseOutput(p)
		var oe *OutputError
		switch {
		case want == "" && err != nil:
			t.Errorf("%s refused: %v", p, err)
		case want != "" && !errors.As(err, &oe):
			t.Errorf("%s: want %s refused, got %v", p, want, err)
		case want != "" && oe.What != want:
			t.Errorf("%s: refused as %s, want %s", p, oe.What, want)
		case want != "" && !errors.Is(err, ErrProtectedOutput):
			t.Errorf("%s: not ErrProtectedOutput", p)
		}
	}
	// A key may be replaced by a command that writes keys, with force.
	if err := RefuseKeyOutput(db, key); err != nil {
		t.Errorf("key output refused for a key command: %v", err)
	}
	if err := RefuseKeyOutput(db, db); err == nil {
		t.Error("a key command may write over the database")
	}
}

// A path into a folder that does not exist (or is a file) is refused as
// such, with or without force, naming the path and no temp file.
func TestWriteOutputMissingFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(dir, "missing", "r.pdf"), filepath.Join(file, "r.pdf")} {
		for _, force := range []bool{false, true} {
			err := WriteOutput(p, []byte("one"), force)
			var oe *OutputError
			if !errors.As(err, &oe) || oe.What != "nofolder" || !strings.Contains(err.Error(), p) || strings.Contains(err.Error(), ".tmp") {
				t.Errorf("%s (force %v): %v", p, force, err)
			}
			if ie := (*inspect.Error)(nil); !errors.As(err, &ie) || ie.Key != "store.output_nofolder" {
				t.Errorf("%s: not the keyed message: %v", p, err)
			}
		}
	}
}

func TestWriteOutputReplacesOnlyWithForce(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := WriteOutput(p, []byte("one"), false); err != nil {
		t.Fatal(err)
	}
	err := WriteOutput(p, []byte("two"), false)
	if !errors.Is(err, ErrOutputExists) {
		t.Fatalf("existing file replaced without force: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "one" {
		t.Fatalf("content changed: %q", b)
	}
	if err := WriteOutput(p, []byte("two"), true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "two" {
		t.Fatalf("force did not replace: %q", b)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(p), ".*"))
	if len(left) != 0 {
		t.Fatalf("temp files left: %v", left)
	}
}
