package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

var t0 = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

const testTemplate = `{"id":"t","version":1,"title":"测试表","full_score":100,"na_policy":"ignore",
"bands":[{"name":"优秀","min":90},{"name":"合格","min":60},{"name":"不合格","min":0}],
"sections":[{"code":"S","title":"标识","items":[
 {"code":"A1","text":"胸牌","guidance":"看","kind":"count","category":"胸牌","rule":{"type":"per_violation","deduction":2,"cap":10},"evidence":"required_on_fail"},
 {"code":"A2","text":"桌牌","guidance":"看","kind":"check","category":"桌牌","rule":{"type":"fixed","deduction":40}},
 {"code":"A3","text":"在岗","guidance":"看","kind":"attendance","category":"脱岗","rule":{"type":"per_violation","deduction":5,"cap":50}}]}]}`

// MustOpen opens a fresh store in a temp folder with a fixed clock.
func MustOpen(tb testing.TB, opts Options) *Store {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "mingcha.db"), opts)
}

func mustOpenAt(tb testing.TB, path string, opts Options) *Store {
	tb.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	s, err := Open(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func seed(tb testing.TB, s *Store) (*inspect.Unit, *inspect.Template) {
	tb.Helper()
	tpl, err := inspect.ParseTemplate([]byte(testTemplate))
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.PutTemplate("admin", tpl); err != nil {
		tb.Fatal(err)
	}
	u := &inspect.Unit{Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice,
		Staff: []inspect.StaffMember{{Name: "张三", Post: "科长"}, {Name: "李四"}}}
	if err := s.PutUnit("admin", u); err != nil {
		tb.Fatal(err)
	}
	return u, tpl
}

func newInspection(tb testing.TB, s *Store, u *inspect.Unit, tpl *inspect.Template, observed time.Time) *inspect.Inspection {
	tb.Helper()
	in, err := inspect.NewInspection("", *u, tpl, inspect.ModeCovert, []string{"王督查"}, observed, t0)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.CreateInspection("王督查", in); err != nil {
		tb.Fatal(err)
	}
	return in
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	photo := pngBytes(t, 4, 3)
	pm, err := s.AddPhoto("王督查", photo, "badge.png")
	if err != nil {
		t.Fatal(err)
	}
	answers := []inspect.Answer{
		{ItemCode: "A1", Count: 2, Photos: []string{pm.Hash}, Note: "两人未戴"},
		{ItemCode: "A2", Result: inspect.ResultPass},
		{ItemCode: "A3", Expected: 2, Absent: []inspect.AbsentPerson{{Name: "李四", Reason: inspect.AbsenceOffPost, OnRoster: true}}},
	}
	for _, a := range answers {
		if _, err := s.SaveAnswer("王督查", in.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSetting("王督查", "inspectors", []string{"王督查"}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s2 := mustOpenAt(t, path, Options{})
	got, err := s2.Inspection(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != inspect.StatusCompleted || len(got.Answers) != 3 || got.Answers["A1"].Note != "两人未戴" ||
		got.Answers["A3"].Absent[0].Name != "李四" || got.Template.Title != "测试表" || got.Unit.Staff[0].Post != "科长" {
		t.Fatalf("reloaded: %+v", got)
	}
	if sc := got.Score(); sc.Value != 91 {
		t.Fatalf("score %v", sc.Value)
	}
	if len(got.Problems) != 2 {
		t.Fatalf("problems %+v", got.Problems)
	}
	if b, err := s2.PhotoBytes(pm.Hash); err != nil || len(b) != len(photo) {
		t.Fatalf("photo: %v", err)
	}
	var insp []string
	if ok, err := s2.Setting("inspectors", &insp); !ok || err != nil || insp[0] != "王督查" {
		t.Fatalf("setting %v %v %v", ok, err, insp)
	}
	units, _ := s2.Units()
	tpls, _ := s2.Templates()
	if len(units) != 1 || len(tpls) != 1 {
		t.Fatalf("units %d templates %d", len(units), len(tpls))
	}
	n, err := s2.VerifyAudit()
	if err != nil || n < 8 {
		t.Fatalf("audit %d %v", n, err)
	}
}

func TestSignedIsImmutableInStore(t *testing.T) {
	s := MustOpen(t, Options{})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultPass}, {ItemCode: "A3", Counted: true, Expected: 2}} {
		if _, err := s.SaveAnswer("w", in.ID, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReopenInspection("王督查", in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteInspection("王督查", in.ID, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSignature("王督查", in.ID, inspect.DrawnSignature{Inspector: "王督查", PNG: []byte{1, 2}}); err != nil {
		t.Fatal(err)
	}
	audit, _ := s.AuditFor("inspection/" + in.ID)
	actions := map[string]bool{}
	for _, e := range audit {
		actions[e.Action] = true
	}
	for _, a := range []string{"inspection.create", "answer.set", "inspection.complete", "inspection.reopen", "signature.set"} {
		if !actions[a] {
			t.Errorf("audit lacks %s: %v", a, actions)
		}
	}
	if _, err := s.SignInspection("王督查", in.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	var de *inspect.Error
	if !errors.As(err, &de) || de.Key != "inspection.signed_immutable" {
		t.Fatalf("edit signed: %v", err)
	}
	got, _ := s.Inspection(in.ID)
	if got.Answers["A2"].Result != inspect.ResultPass {
		t.Fatal("refused edit was written")
	}
	if err := s.DeleteDraft("w", in.ID); err == nil {
		t.Fatal("deleted a signed inspection")
	}
	am, err := s.AmendInspection("w", in.ID)
	if err != nil || am.Amends != in.ID {
		t.Fatal(err)
	}
}

func TestRepeatProblemsAcrossInspections(t *testing.T) {
	s := MustOpen(t, Options{})
	u, tpl := seed(t, s)
	first := newInspection(t, s, u, tpl, t0.AddDate(0, -1, 0))
	second := newInspection(t, s, u, tpl, t0)
	for _, id := range []string{first.ID, second.ID} {
		for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail}, {ItemCode: "A3", Counted: true, Expected: 2}} {
			if _, err := s.SaveAnswer("w", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CompleteInspection("w", id, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := s.Inspection(second.ID)
	if len(got.Problems) != 1 || !got.Problems[0].Repeat || got.Problems[0].RepeatOf[0] != first.ID+"/A2" {
		t.Fatalf("problems %+v", got.Problems)
	}
	f, _ := s.Inspection(first.ID)
	if f.Problems[0].Repeat {
		t.Fatal("first occurrence flagged as repeat")
	}
}

func TestListInspections(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	u, tpl := seed(t, s)
	u2 := &inspect.Unit{Name: "区行政服务中心", Department: "区政务办", Kind: inspect.UnitServiceCenter}
	if err := s.PutUnit("a", u2); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := 0; i < 30; i++ {
		unit := u
		if i%3 == 0 {
			unit = u2
		}
		in := newInspection(t, s, unit, tpl, t0.AddDate(0, 0, i))
		ids = append(ids, in.ID)
	}
	// a completed one
	for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultPass}, {ItemCode: "A3", Counted: true, Expected: 1}} {
		if _, err := s.SaveAnswer("w", ids[5], a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CompleteInspection("w", ids[5], 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListInspections(Query{Limit: 10})
	if err != nil || p.Total != 30 || len(p.Items) != 10 || p.Items[0].ID != ids[29] || p.Items[9].ID != ids[20] {
		t.Fatalf("page 1: %v total %d", err, p.Total)
	}
	p, _ = s.ListInspections(Query{Offset: 25, Limit: 10})
	if len(p.Items) != 5 || p.Items[4].ID != ids[0] {
		t.Fatalf("last page %d", len(p.Items))
	}
	p, _ = s.ListInspections(Query{UnitID: u2.ID})
	if p.Total != 10 {
		t.Fatalf("by unit %d", p.Total)
	}
	p, _ = s.ListInspections(Query{Text: "服务中心"})
	if p.Total != 10 {
		t.Fatalf("by text %d", p.Total)
	}
	p, _ = s.ListInspections(Query{From: t0.AddDate(0, 0, 10), To: t0.AddDate(0, 0, 20)})
	if p.Total != 10 || p.Items[0].ID != ids[19] || p.Items[9].ID != ids[10] {
		t.Fatalf("by date %d", p.Total)
	}
	// Clearing an answer at the same clock tick still updates the summary.
	if _, err := s.ClearAnswer("w", ids[6], "A2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer("w", ids[6], inspect.Answer{ItemCode: "A2", Result: inspect.ResultPass}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ClearAnswer("w", ids[6], "A2"); err != nil {
		t.Fatal(err)
	}
	p, _ = s.ListInspections(Query{Text: ids[6]})
	if p.Total != 1 || p.Items[0].Answered != 0 {
		t.Fatalf("summary after clear: %+v", p.Items)
	}
	p, _ = s.ListInspections(Query{Statuses: []inspect.Status{inspect.StatusCompleted}})
	if p.Total != 1 || p.Items[0].ID != ids[5] || p.Items[0].Score != 100 || p.Items[0].Answered != 3 {
		t.Fatalf("by status %+v", p)
	}
	// Changing the observed time moves the summary.
	if _, err := s.updateInspection("w", ids[0], "inspection.edit", func(in *inspect.Inspection) error {
		in.ObservedAt = t0.AddDate(1, 0, 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	p, _ = s.ListInspections(Query{Limit: 1})
	if p.Total != 30 || p.Items[0].ID != ids[0] {
		t.Fatalf("moved: %+v", p)
	}
}

func TestTemplateVersionsImmutable(t *testing.T) {
	s := MustOpen(t, Options{})
	_, tpl := seed(t, s)
	if err := s.PutTemplate("a", tpl); err != nil {
		t.Fatalf("same content again: %v", err)
	}
	changed := tpl.Clone()
	changed.Title = "改"
	if err := s.PutTemplate("a", &changed); inspect.ErrorCode(err) != inspect.ECodeConflict {
		t.Fatalf("changed same version: %v", err)
	}
	changed.Version = 2
	if err := s.PutTemplate("a", &changed); err != nil {
		t.Fatal(err)
	}
	latest, _ := s.Template("t", 0)
	v1, _ := s.Template("t", 1)
	vers, _ := s.TemplateVersions("t")
	if latest.Title != "改" || v1.Title != "测试表" || len(vers) != 2 {
		t.Fatalf("%s %s %v", latest.Title, v1.Title, vers)
	}
}

func TestPhotoRefusesNonImage(t *testing.T) {
	s := MustOpen(t, Options{})
	big := pngBytes(t, 300, 200)
	for name, data := range map[string][]byte{
		"notes.jpg":     []byte("这不是照片，是一个文本文件"),
		"truncated.png": big[:len(big)/2],
	} {
		_, err := s.AddPhoto("w", data, name)
		var de *inspect.Error
		if !errors.As(err, &de) || de.Key != "photo.not_image" || de.Params["Name"] != name {
			t.Fatalf("%s: %v", name, err)
		}
	}
	_, err := s.AddPhoto("w", []byte("GIF89a\xff\xff\xff\xff"), "huge.gif")
	if inspect.ErrorCode(err) != inspect.ECodeInvalid {
		t.Fatalf("huge header: %v", err)
	}
	m, err := s.AddPhoto("w", pngBytes(t, 2, 2), "a.png")
	if err != nil {
		t.Fatal(err)
	}
	m2, err := s.AddPhoto("w", pngBytes(t, 2, 2), "b.png")
	if err != nil || m2.Hash != m.Hash || m2.Name != "a.png" {
		t.Fatalf("dedup: %+v %v", m2, err)
	}
	// A file whose bytes no longer match is reported.
	if err := os.WriteFile(s.PhotoPath(m.Hash), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	var ie *inspect.Error
	if _, err := s.PhotoBytes(m.Hash); !errors.As(err, &ie) || ie.Key != "photo.tampered" || ie.Params["Path"] != s.PhotoPath(m.Hash) {
		t.Fatalf("tampered photo: %v, want photo.tampered naming its file", err)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultPass}); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.AuditFor("inspection/" + in.ID + "/A2")
	if len(entries) != 2 || string(entries[1].Old) == "" || entries[1].Who != "w" {
		t.Fatalf("audit %+v", entries)
	}
	// Rewrite one entry directly in the file: who made it, then a byte of
	// its stored form. Each is named, with the entry, in the user's words.
	last := func(change func(v []byte) []byte) {
		t.Helper()
		err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketAudit)
			k, v := b.Cursor().Last()
			return b.Put(k, change(append([]byte(nil), v...)))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wantKey := func(key string) {
		t.Helper()
		_, err := s.VerifyAudit()
		var ie *inspect.Error
		if !errors.As(err, &ie) || ie.Key != key || ie.Params["Seq"] != entries[1].Seq {
			t.Fatalf("tampered audit log: %v, want %s of entry %d", err, key, entries[1].Seq)
		}
	}
	last(func(v []byte) []byte {
		j, _ := unpack(v)
		return pack(bytes.Replace(j, []byte(`"who":"w"`), []byte(`"who":"x"`), 1))
	})
	wantKey("audit.altered")
	last(func(v []byte) []byte { return append([]byte{formatZstd}, v[len(v)/2:]...) })
	wantKey("audit.unreadable")
	// The S2 blocks of a draft's autosave: cut, and claiming 4 GB.
	last(func([]byte) []byte { j, _ := json.Marshal(entries[1]); v := packDictLit(j); return v[:len(v)/2] })
	wantKey("audit.unreadable")
	last(func([]byte) []byte { return []byte{formatS2, 0xff, 0xff, 0xff, 0xff, 0x0f, '{', '}'} })
	wantKey("audit.unreadable")
}

func TestSecondProcessGetsInUse(t *testing.T) {
	if os.Getenv("MINGCHA_HOLD_DB") != "" {
		return // the child branch is TestHelperHold
	}
	path := filepath.Join(t.TempDir(), "m.db")
	cmd, ready := startHolder(t, path)
	defer cmd.Process.Kill()
	<-ready
	start := time.Now()
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("want ErrInUse, got %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
}

// An edit that changes an answer in place (through its pointer) is seen and
// saved: the copy handed to fn shares nothing with the original.
func TestUpdateInspectionInPlaceAnswerEdit(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	if _, err := s.SaveAnswer("w", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: "旧"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.updateInspection("w", in.ID, "answer.note", func(x *inspect.Inspection) error {
		x.Answers["A2"].Note = "新"
		x.Answers["A2"].Photos = append(x.Answers["A2"].Photos, "h")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Inspection(in.ID)
	if got.Answers["A2"].Note != "新" || len(got.Answers["A2"].Photos) != 1 {
		t.Fatalf("in-place edit lost: %+v", got.Answers["A2"])
	}
}

// Phone formats we do not decode are named, with the advice to convert.
func TestPhotoHEICAndWebPAdviseJPEG(t *testing.T) {
	s := MustOpen(t, Options{})
	for name, c := range map[string]struct {
		data []byte
		kind string
	}{
		"IMG_0001.HEIC": {append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), "HEIC"},
		"photo.webp":    {append([]byte("RIFF\x40\x00\x00\x00WEBPVP8 "), make([]byte, 64)...), "WebP"},
	} {
		_, err := s.AddPhoto("w", c.data, name)
		var de *inspect.Error
		if !errors.As(err, &de) || de.Key != "photo.convert_jpeg" || de.Params["Kind"] != c.kind || de.Params["Name"] != name {
			t.Fatalf("%s: %v", name, err)
		}
	}
}
