package app

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/store"
)

// buttonLabelled finds the button whose text starts with prefix.
func buttonLabelled(o fyne.CanvasObject, prefix string) *widget.Button {
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := x.(*widget.Button); ok && strings.HasPrefix(b.Text, prefix) {
			return b
		}
	}
	return nil
}

// Settings → 备份到文件夹: the folder dialog, then the full backup in the
// background with the button held off, and its outcome in words; the
// folder holds what restore --from needs.
func TestSettingsBackupToFolder(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	ph, err := s.AddPhotoFile("test", writePNG(t, "桌牌.png", color.RGBA{200, 0, 0, 255}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AttachPhoto("test", id, in.Template.Items()[0].Code, ph.Hash); err != nil {
		t.Fatal(err)
	}
	settle(u)
	u.ShowSettings()
	st := u.settings
	test.Tap(st.toFolder)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no folder dialog")
	}
	clearOverlays(w.Canvas())
	usb := t.TempDir()
	st.backupToFolder(usb) // what the dialog does with the chosen folder
	if !st.toFolder.Disabled() || !strings.HasPrefix(st.backupStatus.Text, "正在备份到 "+usb) {
		t.Errorf("while backing up: disabled %v, %q", st.toFolder.Disabled(), st.backupStatus.Text)
	}
	settle(u)
	if st.toFolder.Disabled() {
		t.Error("the button stays disabled")
	}
	if want := "已备份到 " + usb + "：1 张照片、0 份报告，新增 1 个文件。"; st.backupStatus.Text != want {
		t.Errorf("status %q, want %q", st.backupStatus.Text, want)
	}
	m, err := store.ReadFolderManifest(usb)
	if err != nil || m.Photos != 1 {
		t.Fatalf("manifest %+v %v", m, err)
	}
	// It restores on a new laptop.
	laptop := filepath.Join(t.TempDir(), "mingcha.db")
	if _, err := store.RestoreFromFolder(laptop, usb); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(laptop+".photos", ph.Hash[:2], ph.Hash)); err != nil {
		t.Fatal(err)
	}
}

// Settings offers 压缩数据库 only above store.CompactWorthIt of free space;
// the button compacts, reopens the database and says what it did.
func TestSettingsCompact(t *testing.T) {
	u, w, s := newTestUI(t)
	u.ShowSettings()
	if buttonLabelled(w.Content(), "压缩数据库") != nil {
		t.Fatal("compaction offered for a new database")
	}
	units, _ := s.Units()
	for i := 0; i < 20; i++ {
		unit := units[0]
		unit.ID, unit.Name = "", unit.Name+strings.Repeat("甲", i)
		if err := s.PutUnit("test", &unit); err != nil {
			t.Fatal(err)
		}
	}
	if s.FreeBytes() == 0 {
		t.Fatal("no free pages after 20 edits")
	}
	old := store.CompactWorthIt
	store.CompactWorthIt = 0
	t.Cleanup(func() { store.CompactWorthIt = old })
	u.ShowSettings()
	b := buttonLabelled(w.Content(), "压缩数据库")
	if b == nil {
		t.Fatal("no compaction offered")
	}
	test.Tap(b)
	settle(u)
	if u.store == s || u.store == nil {
		t.Fatal("the database was not reopened")
	}
	t.Cleanup(func() { u.store.Close() })
	if !strings.HasPrefix(u.settings.backupStatus.Text, "已压缩：") {
		t.Errorf("status %q", u.settings.backupStatus.Text)
	}
	if got, _ := u.store.Units(); len(got) != 21 {
		t.Errorf("%d units after compaction, want 21", len(got))
	}
	if l, _ := store.ListBackups(u.store.Path()); len(l) != 1 || l[0].Reason != "pre-compact" {
		t.Errorf("backups %+v", l)
	}
}
