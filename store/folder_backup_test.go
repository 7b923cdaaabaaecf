package store

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
)

// A full backup to a folder, then a new laptop: the database, the photos
// and the imported reports come back, every file checked by its hash; a
// second backup copies only what is new.
func TestBackupToFolderAndRestore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mingcha.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	ph, err := s.AddPhoto("t", pngBytes(t, 20, 10), "a.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer("t", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌", Photos: []string{ph.Hash}}); err != nil {
		t.Fatal(err)
	}
	rdir := t.TempDir()
	rep := writeReport(t, rdir, "r.pdf", signedInspection(t, "R1", officeUnit, t0, []string{"王"}))
	if sum, err := s.ImportReports(context.Background(), "office", []string{rep}, fakeVerify, nil); err != nil || sum.Accepted != 1 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	r, _ := s.OfficeReport("R1")
	usb := t.TempDir()
	res, err := s.BackupToFolder(usb)
	if err != nil {
		t.Fatal(err)
	}
	if res.PhotosCopied != 1 || res.ReportsCopied != 1 || res.Manifest.Photos != 1 || res.Manifest.Reports != 1 {
		t.Fatalf("first folder backup: %+v", res)
	}
	// Incremental: nothing new, nothing copied but the database.
	ph2, _ := s.AddPhoto("t", pngBytes(t, 30, 10), "b.png")
	res, err = s.BackupToFolder(usb)
	if err != nil || res.PhotosCopied != 1 || res.ReportsCopied != 0 || res.Manifest.Photos != 2 {
		t.Fatalf("second folder backup: %+v %v", res, err)
	}
	s.Close()

	laptop := filepath.Join(t.TempDir(), "new", "mingcha.db")
	if _, err := RestoreFromFolder(laptop, usb); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpenAt(t, laptop, Options{NoBackup: true})
	defer s2.Close()
	got, err := s2.Inspection(in.ID)
	if err != nil || got.Answers["A2"].Note != "无桌牌" {
		t.Fatalf("restored inspection: %+v %v", got, err)
	}
	for _, h := range []string{ph.Hash, ph2.Hash} {
		if sum, err := fileSHA256(s2.PhotoPath(h)); err != nil || sum != h {
			t.Fatalf("photo %s: %s %v", h, sum, err)
		}
	}
	if sum, err := fileSHA256(s2.ReportPath(r.FileSHA256)); err != nil || sum != r.FileSHA256 {
		t.Fatalf("report: %s %v", sum, err)
	}
	if _, err := s2.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	// A damaged copy on the drive is refused at restore.
	m, _ := ReadFolderManifest(usb)
	bk := filepath.Join(usb, filepath.FromSlash(m.Backup))
	data, _ := os.ReadFile(bk)
	data[len(data)/2] ^= 0xff
	os.WriteFile(bk, data, 0o600)
	if _, err := RestoreFromFolder(filepath.Join(t.TempDir(), "x.db"), usb); err == nil {
		t.Fatal("a damaged database backup restored")
	}
}

// Compaction gives back the free pages and keeps every record.
func TestCompact(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	// Notes that do not compress: stored values are compressed.
	rng := rand.New(rand.NewSource(1))
	note := make([]byte, 2000)
	for i := 0; i < 300; i++ {
		for j := range note {
			note[j] = 'a' + byte(rng.Intn(26))
		}
		if _, err := s.SaveAnswer("t", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: string(note)}); err != nil {
			t.Fatal(err)
		}
	}
	n, _ := s.VerifyAudit()
	s.Close()
	before, after, err := Compact(path)
	if err != nil {
		t.Fatal(err)
	}
	if after >= before {
		t.Errorf("compaction: %d → %d bytes", before, after)
	}
	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	defer s2.Close()
	if m, err := s2.VerifyAudit(); err != nil || m != n {
		t.Fatalf("audit after compaction: %d of %d, %v", m, n, err)
	}
	if l, _ := ListBackups(path); len(l) != 1 || l[0].Reason != "pre-compact" {
		t.Fatalf("backups: %+v", l)
	}
	// A held database is not compacted.
	if _, _, err := Compact(path); err == nil {
		t.Fatal("compacted a database another store holds")
	}
}

// A folder backup holds the original photos, not their report-size
// copies: the restored database's store derives them again, in the
// background at its first open, so the window and the next export show
// every photo without decoding it then.
func TestFolderRestoreDerivesReportPhotos(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mingcha.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	orig := pngBytes(t, 40, 30)
	ph, err := s.AddPhoto("t", orig, "a.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AttachPhoto("t", in.ID, "A2", ph.Hash); err != nil {
		t.Fatal(err)
	}
	usb := t.TempDir()
	if _, err := s.BackupToFolder(usb); err != nil {
		t.Fatal(err)
	}
	s.Close()

	laptop := filepath.Join(t.TempDir(), "new", "mingcha.db")
	if _, err := RestoreFromFolder(laptop, usb); err != nil {
		t.Fatal(err)
	}
	derived := filepath.Join(laptop+".photos", ph.Hash[:2], ph.Hash+".report.jpg")
	if _, err := os.Stat(derived); !os.IsNotExist(err) {
		t.Fatalf("the folder backup brought a derived copy: %v", err)
	}
	s2, err := Open(laptop, Options{NoBackup: true, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	s2.backupWG.Wait() // the open's background work, the derivation among it
	want, err := ReportJPEG(orig)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(derived)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("derived copy after restore: %d bytes, want %d (%v)", len(got), len(want), err)
	}
	if b, err := s2.ReportPhotoBytes(ph.Hash); err != nil || !bytes.Equal(b, want) {
		t.Fatalf("report photo: %v", err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
}
