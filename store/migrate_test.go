package store

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"mingcha/inspect"
)

// One test per schema version: each opens, with today's store, a file the
// schema before it wrote (testdata/migrations/schemaN.db; the programs that
// wrote them are beside them) and checks what the migration made of it.

// openFixture copies a fixture (and its folders: reports, photos) to a
// temporary folder, so that the migration never touches testdata, and opens
// it. It returns the store and the copy's path.
func openFixture(t *testing.T, name string) (*Store, string) {
	t.Helper()
	path := copyFixture(t, name)
	return mustOpenAt(t, path, Options{NoBackup: true}), path
}

// copyFixture copies fixture name (with its folders) into a temporary
// folder and returns the copy's path.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", "migrations")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != name && e.Name() != name+".reports" && e.Name() != name+".photos" {
			continue
		}
		err := filepath.WalkDir(filepath.Join(src, e.Name()), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(src, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dir, rel), 0o700)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, rel), data, 0o600)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// assertMigrated checks what every migrated file has: today's schema, every
// bucket of it, no rebuild left pending, and one pre-migration backup that
// still holds the old schema (none for a file that had none).
func assertMigrated(t *testing.T, s *Store, path string, from int) {
	t.Helper()
	err := s.db.View(func(tx *bolt.Tx) error {
		if v := schemaVersion(tx); v != SchemaVersion {
			t.Errorf("schema %d, want %d", v, SchemaVersion)
		}
		for _, b := range append([][]byte{bucketMeta, bucketSettings, bucketUnits, bucketTemplates, bucketSnapshots,
			bucketInspections, bucketAnswers, bucketIdxObserved, bucketUnitProblems, bucketPhotos, bucketAudit,
			bucketUnitSnapshots, bucketDrawings, bucketDrawingRefs, bucketDrafts}, officeBuckets...) {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		for _, d := range derivedIndexes {
			if tx.Bucket(bucketMeta).Get(rebuildKey(d.bucket)) != nil {
				t.Errorf("rebuild of %s still pending", d.bucket)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := ListBackups(path)
	if from == 0 {
		if len(list) != 0 {
			t.Errorf("%d backups of a new file", len(list))
		}
		return
	}
	if len(list) != 1 {
		t.Fatalf("want one pre-migration backup, got %d", len(list))
	}
	if err := CheckFile(list[0].Path); err != nil {
		t.Fatal(err)
	}
	plain, err := decompressToTemp(list[0].Path, t.TempDir()) // backups are zstd-compressed
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(plain, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		if v := schemaVersion(tx); v != from {
			t.Errorf("the backup has schema %d, want %d", v, from)
		}
		return nil
	})
}

// The fixtures' inspections (gen_da2ea5e_test.go): a draft, a completed
// and a signed inspection of U-1, 桌牌 failed in the last two.
var fixtureInspections = []struct {
	id     string
	status inspect.Status
	score  float64
}{
	{"MC-20261120-000003", inspect.StatusSigned, 60},
	{"MC-20261119-000002", inspect.StatusCompleted, 60},
	{"MC-20261118-000001", inspect.StatusDraft, 100},
}

func assertFixtureInspections(t *testing.T, s *Store) {
	t.Helper()
	p, err := s.ListInspections(Query{})
	if err != nil || p.Total != len(fixtureInspections) {
		t.Fatalf("list: %+v %v", p, err)
	}
	for i, w := range fixtureInspections {
		got := p.Items[i]
		if got.ID != w.id || got.Status != w.status || got.Score != w.score || got.UnitName != "区工商局企业登记科" || got.TemplateTitle != "测试表" {
			t.Errorf("line %d: %+v, want %+v", i, got, w)
		}
	}
	in, err := s.Inspection(fixtureInspections[0].id)
	if err != nil || len(in.Answers) != 3 || in.Answers["A2"].Note != "无桌牌" || len(in.Problems) != 1 {
		t.Fatalf("signed inspection: %+v %v", in, err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// Migration 1 on a bbolt file nobody wrote to: the base buckets, and every
// later migration with it.
func TestMigration1BaseBuckets(t *testing.T) {
	s, path := openFixture(t, "schema0.db")
	assertMigrated(t, s, path, 0)
	if p, err := s.ListInspections(Query{}); err != nil || p.Total != 0 {
		t.Fatalf("list: %+v %v", p, err)
	}
}

// Migration 2 on a schema-1 file: the home list's index built from the
// inspections.
func TestMigration2ObservedIndex(t *testing.T) {
	s, path := openFixture(t, "schema1.db")
	assertMigrated(t, s, path, 1)
	assertFixtureInspections(t, s)
	// The home list pages through the index: newest first, two at a time.
	p, err := s.ListInspections(Query{Limit: 2, Offset: 2})
	if err != nil || len(p.Items) != 1 || p.Items[0].ID != fixtureInspections[2].id {
		t.Fatalf("second page: %+v %v", p, err)
	}
}

// Migration 3 on a schema-2 file: the office side's buckets, empty, and
// working.
func TestMigration3Office(t *testing.T) {
	s, path := openFixture(t, "schema2.db")
	assertMigrated(t, s, path, 2)
	assertFixtureInspections(t, s)
	if reps, err := s.OfficeReports(inspect.Filter{}, true); err != nil || len(reps) != 0 {
		t.Fatalf("office reports in a schema-2 file: %d %v", len(reps), err)
	}
	rep := writeReport(t, t.TempDir(), "a.pdf", signedInspection(t, "R1", officeUnit, t0, []string{"王"}))
	sum, err := s.ImportReports(context.Background(), "office", []string{rep}, fakeVerify, nil)
	if err != nil || sum.Accepted != 1 {
		t.Fatalf("import after migration: %+v %v", sum, err)
	}
	// The report names U-1 by id, which the inspector's roster holds.
	if r, _ := s.OfficeReport("R1"); r.UnitID != "U-1" {
		t.Fatalf("report on unit %s", r.UnitID)
	}
}

// Migration 4 on a schema-3 file: the per-unit problem index built from the
// completed inspections; the office's reports, 整改 and draws untouched.
func TestMigration4UnitProblems(t *testing.T) {
	s, path := openFixture(t, "schema3.db")
	assertMigrated(t, s, path, 3)
	ps, err := s.UnitProblems("U-1")
	if err != nil || len(ps) != 2 {
		t.Fatalf("unit problems: %d %v", len(ps), err)
	}
	if ps[0].Repeat == ps[1].Repeat {
		t.Fatalf("exactly the second occurrence is a repeat: %+v", ps)
	}
	// Reopening removes an inspection's problems from the index.
	p, _ := s.ListInspections(Query{Statuses: []inspect.Status{inspect.StatusCompleted}, Limit: 1})
	if _, err := s.ReopenInspection("w", p.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.UnitProblems("U-1"); len(ps) != 1 {
		t.Fatalf("after reopen: %d problems", len(ps))
	}

	reps, err := s.OfficeReports(inspect.Filter{}, false)
	if err != nil || len(reps) != 3 {
		t.Fatalf("office reports: %d %v", len(reps), err)
	}
	probs, err := s.OfficeProblems(inspect.ProblemFilter{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, p := range probs {
		states[p.ID] = string(p.State) + " " + p.FollowUp
	}
	if states["R1/A2"] != "verified R2" || states["R3/A1"] != "rectified " || len(states) != 2 {
		t.Fatalf("整改 states: %v", states)
	}
	o, err := s.Overview(inspect.Filter{})
	if err != nil || o.Totals.Units != 2 || o.Totals.Inspections != 3 {
		t.Fatalf("overview: %+v %v", o.Totals, err)
	}
	draws, err := s.Draws()
	if err != nil || len(draws) != 1 || draws[0].Seed != "种子" {
		t.Fatalf("draws: %+v %v", draws, err)
	}
	if ok, err := draws[0].Reproduce([]inspect.Unit{{ID: "U-1"}, {ID: "U-2"}}); !ok || err != nil {
		t.Fatalf("the draw does not reproduce: %v %v", ok, err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// Migration 5 on a schema-4 file (gen_f804512_test.go): the values stored
// compressed, answers one value per inspection, the unit and the drawings
// stored once and named by hash; everything reads as before and the audit
// chain still verifies.
func TestMigration5CompactValues(t *testing.T) {
	// Read-only (check, list) the file is not migrated, and reads whole.
	ro := mustOpenAt(t, filepath.Join("testdata", "migrations", "schema4.db"), Options{ReadOnly: true, NoBackup: true})
	if in, err := ro.Inspection("MC-20261119-000003"); err != nil || len(in.Answers) != 3 || in.Answers["A2"].Note != "无桌牌" || len(in.Signatures[0].PNG) == 0 {
		t.Fatalf("schema 4 read-only: %+v %v", in, err)
	}
	ro.Close()
	s, path := openFixture(t, "schema4.db")
	assertMigrated(t, s, path, 4)
	p, err := s.ListInspections(Query{})
	if err != nil || p.Total != 4 {
		t.Fatalf("list: %+v %v", p, err)
	}
	want := map[string]inspect.Status{"MC-20261117-000001": inspect.StatusDraft, "MC-20261118-000002": inspect.StatusCompleted,
		"MC-20261119-000003": inspect.StatusSigned, "MC-20261120-000004": inspect.StatusSigned}
	for _, sum := range p.Items {
		if want[sum.ID] != sum.Status || sum.UnitName != "区工商局企业登记科" {
			t.Errorf("summary %+v", sum)
		}
	}
	for i, id := range []string{"MC-20261119-000003", "MC-20261120-000004"} {
		in, err := s.Inspection(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Unit.Staff) != 2 || in.Unit.Staff[0].Post != "科长" {
			t.Errorf("%s: unit %+v", id, in.Unit)
		}
		if a := in.Answers["A2"]; len(in.Answers) != 3 || a == nil || a.Note != "无桌牌" || len(a.Photos) != 1 {
			t.Errorf("%s: answers %+v", id, in.Answers)
		}
		if len(in.Signatures) != 2 {
			t.Fatalf("%s: %d signatures", id, len(in.Signatures))
		}
		for k, sg := range in.Signatures {
			cfg, err := png.DecodeConfig(bytes.NewReader(sg.PNG))
			if err != nil || cfg.Width != 60+k*10+i+2 || cfg.Height != 20 {
				t.Errorf("%s: signature %d: %+v %v", id, k, cfg, err)
			}
		}
		if i == 1 {
			r := in.Receipt
			if r == nil || r.Text != "桌牌已订制" || !r.Objection {
				t.Fatalf("receipt %+v", r)
			}
			if cfg, err := png.DecodeConfig(bytes.NewReader(r.PNG)); err != nil || cfg.Width != 50 {
				t.Errorf("receipt drawing: %+v %v", cfg, err)
			}
		}
	}
	if n, err := s.VerifyAudit(); err != nil || n < 20 {
		t.Fatalf("audit after migration: %d %v", n, err)
	}
	// What the file holds now.
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketInspections, bucketAnswers, bucketAudit, bucketIdxObserved} {
			err := tx.Bucket(name).ForEach(func(k, v []byte) error {
				if v == nil {
					t.Errorf("%s/%s is a bucket", name, k)
				} else if len(v) >= packMin && !isPacked(v) {
					t.Errorf("%s/%x not compressed", name, k)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if n := tx.Bucket(bucketUnitSnapshots).Stats().KeyN; n != 1 {
			t.Errorf("%d unit snapshots", n)
		}
		if n := tx.Bucket(bucketDrawings).Stats().KeyN; n != 5 {
			t.Errorf("%d drawings", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// And it goes on working: the draft completed finds its 重复问题.
	draft := "MC-20261117-000001"
	for _, a := range []inspect.Answer{{ItemCode: "A2", Result: inspect.ResultFail}, {ItemCode: "A3", Counted: true, Expected: 2}} {
		if _, err := s.SaveAnswer("王督查", draft, a); err != nil {
			t.Fatal(err)
		}
	}
	in, err := s.CompleteInspection("王督查", draft, 15, inspect.Holidays{})
	if err != nil || len(in.Problems) != 1 {
		t.Fatalf("complete: %+v %v", in, err)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// Schema 5 kept every drawing ever stored: migration 6 indexes which
// records name which drawing and removes the ones none names; from then on
// the last record to let go of a drawing removes it.
func TestMigration6DrawingRefs(t *testing.T) {
	s, path := openFixture(t, "schema5.db")
	assertMigrated(t, s, path, 5)
	names, refs := storedDrawingNames(t, s)
	// 000001: 王's third drawing and 李's (the same bytes as 王's in
	// 000002); 000003: the second 签收. Three of five drawings stay.
	if len(names) != 3 {
		t.Fatalf("%d drawings after migration, want 3: %v", len(names), refs)
	}
	shared := 0
	for _, h := range names {
		switch len(refs[h]) {
		case 0:
			t.Errorf("drawing %s kept but no record names it", h)
		case 2:
			shared++
		}
	}
	if shared != 1 {
		t.Errorf("%d drawings named by two records, want 1: %v", shared, refs)
	}
	a, b, open := "MC-20261129-000001", "MC-20261130-000002", "MC-20261201-000003"
	for _, id := range []string{a, b, open} {
		in, err := s.Inspection(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, sg := range in.Signatures {
			if _, err := png.DecodeConfig(bytes.NewReader(sg.PNG)); err != nil {
				t.Errorf("%s: %s's drawing: %v", id, sg.Inspector, err)
			}
		}
		if id == open {
			if cfg, err := png.DecodeConfig(bytes.NewReader(in.Receipt.PNG)); err != nil || cfg.Width != 51 {
				t.Errorf("签收: %+v %v", cfg, err)
			}
		}
	}
	// 李 draws again in 000001: the drawing 000002 names stays; then 王 in
	// 000002 too, and it goes. The 明查 draft deleted takes its 签收.
	if _, err := s.SetSignature("李督查", a, inspect.DrawnSignature{Inspector: "李督查", PNG: fixtureDrawing(t, 71)}); err != nil {
		t.Fatal(err)
	}
	if names, _ := storedDrawingNames(t, s); len(names) != 4 {
		t.Fatalf("%d drawings, want 4", len(names))
	}
	if _, err := s.SetSignature("王督查", b, inspect.DrawnSignature{Inspector: "王督查", PNG: fixtureDrawing(t, 72)}); err != nil {
		t.Fatal(err)
	}
	if names, _ := storedDrawingNames(t, s); len(names) != 4 {
		t.Fatalf("%d drawings, want 4", len(names))
	}
	if err := s.DeleteDraft("王督查", open); err != nil {
		t.Fatal(err)
	}
	if names, _ := storedDrawingNames(t, s); len(names) != 3 {
		t.Fatalf("%d drawings, want 3", len(names))
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
}

// fixtureDrawing is the fixtures' drawn signature (gen_fec8261_test.go).
func fixtureDrawing(t *testing.T, w int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, 20))
	for x := 0; x < w; x++ {
		img.SetNRGBA(x, x*20/w, color.NRGBA{A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A rebuild marked by a migration but not done (the program stopped between
// the two) is done at the next open.
func TestMigrationRebuildResumes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	newInspection(t, s, u, tpl, t0)
	err := s.db.Update(func(tx *bolt.Tx) error { return markRebuild(tx, bucketIdxObserved) })
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	if p, err := s2.ListInspections(Query{}); err != nil || p.Total != 1 {
		t.Fatalf("after the resumed rebuild: %+v %v", p, err)
	}
	assertMigrated(t, s2, path, 0)
}

// Schema 7 keeps a draft's autosaves in drafts/. A schema-6 file's draft
// (its answers in answers/, its newer time in idx_observed/'s plain
// summary) reads as it was, its next autosave moves it to drafts/, and it
// completes; the file's audit chain still verifies.
func TestMigration7Drafts(t *testing.T) {
	s, path := openFixture(t, "schema6.db")
	assertMigrated(t, s, path, 6)
	done, draft := "MC-20261130-000001", "MC-20261201-000002"
	in, last := fixtureDraft(t, s, draft)
	if w := storedWhere(t, s, in); w.ans == nil || w.draftAns != nil || w.draftSum != nil {
		t.Fatalf("the migration moved the draft: %+v", w)
	}
	if sum, ok := listed(t, s, draft); !ok || sum.Answered != 2 || !sum.UpdatedAt.Equal(last) {
		t.Fatalf("home list: %+v", sum)
	}
	if c, err := s.Inspection(done); err != nil || c.Status != inspect.StatusCompleted || len(c.Answers) != 3 {
		t.Fatalf("the completed inspection: %v", err)
	}
	at := last.Add(time.Hour)
	s.Now = func() time.Time { return at }
	if _, err := s.SaveAnswer("王督查", draft, inspect.Answer{ItemCode: "A3", Counted: true, Expected: 2}); err != nil {
		t.Fatal(err)
	}
	if w := storedWhere(t, s, in); w.ans != nil || w.draftAns == nil || w.draftSum == nil {
		t.Fatalf("the autosave after the migration: %+v", w)
	}
	if sum, ok := listed(t, s, draft); !ok || sum.Answered != 3 || !sum.UpdatedAt.Equal(at) {
		t.Fatalf("home list after the autosave: %+v", sum)
	}
	if c, err := s.CompleteInspection("王督查", draft, 15, inspect.Holidays{}); err != nil || len(c.Answers) != 3 {
		t.Fatalf("completing: %v", err)
	}
	if n, err := s.VerifyAudit(); err != nil || n < 10 {
		t.Fatalf("audit: %d %v", n, err)
	}
}

// fixtureDraft is the draft of the schema-6 and schema-7 fixtures (their
// generators are the same program): two answers, the last autosaved at
// 10:15, which it returns.
func fixtureDraft(t *testing.T, s *Store, id string) (*inspect.Inspection, time.Time) {
	t.Helper()
	in, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	last := time.Date(2026, 12, 1, 10, 15, 0, 0, time.UTC)
	if len(in.Answers) != 2 || in.Answers["A2"].Note != "无桌牌" || !in.UpdatedAt.Equal(last) {
		t.Fatalf("the draft: %d answers, updated %v", len(in.Answers), in.UpdatedAt)
	}
	return in, last
}

// Schema 8 stores a draft's autosaves as S2 blocks. A schema-7 file (its
// draft's autosaves left as zstd frames, testdata/migrations/schema7.db,
// written at 223e375) reads as it did; the next autosave writes S2
// blocks beside the draft's zstd entries, the chain holds across both,
// and completing the draft stores all of them again with pack.
func TestMigration8S2(t *testing.T) {
	s, path := openFixture(t, "schema7.db")
	assertMigrated(t, s, path, 7)
	draft := "MC-20261201-000002"
	in, last := fixtureDraft(t, s, draft)
	w := storedWhere(t, s, in)
	if len(w.draftAns) == 0 || w.draftAns[0] != formatZstd {
		t.Fatalf("the fixture's draft answers are not schema 7's zstd frame: % x", w.draftAns[:1])
	}
	// firsts is the first byte of each stored audit entry of the draft's answers.
	firsts := func() []byte {
		var out []byte
		_ = s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
				if containsJSON(v, []byte(`"object":"inspection/`+draft+`/`)) {
					out = append(out, v[0])
				}
				return nil
			})
		})
		return out
	}
	if f := firsts(); !bytes.Equal(f, []byte{formatZstd, formatZstd}) {
		t.Fatalf("the fixture's entries: % x", f)
	}
	at := last.Add(time.Hour)
	s.Now = func() time.Time { return at }
	if _, err := s.SaveAnswer("王督查", draft, inspect.Answer{ItemCode: "A3", Counted: true, Expected: 2}); err != nil {
		t.Fatal(err)
	}
	if w := storedWhere(t, s, in); len(w.draftAns) == 0 || w.draftAns[0] != formatS2 {
		t.Fatalf("the autosave's answers: % x", w.draftAns[:1])
	}
	if f := firsts(); !bytes.Equal(f, []byte{formatZstd, formatZstd, formatS2Dict1}) {
		t.Fatalf("after the autosave, the entries: % x", f)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatalf("audit across both formats: %v", err)
	}
	// Reopened, the draft reads back from the S2 blocks.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpenAt(t, path, Options{NoBackup: true})
	if in, err := s.Inspection(draft); err != nil || len(in.Answers) != 3 || !in.Answers["A3"].Counted || !in.UpdatedAt.Equal(at) {
		t.Fatalf("reopened: %v", err)
	}
	if sum, ok := listed(t, s, draft); !ok || sum.Answered != 3 {
		t.Fatalf("home list: %+v", sum)
	}
	if _, err := s.CompleteInspection("王督查", draft, 15, inspect.Holidays{}); err != nil {
		t.Fatal(err)
	}
	if f := firsts(); !bytes.Equal(f, []byte{formatZstd, formatZstd, formatZstd}) {
		t.Fatalf("after completing, the entries: % x", f)
	}
	if w := storedWhere(t, s, in); len(w.ans) == 0 || w.ans[0] != formatZstd || w.draftAns != nil {
		t.Fatalf("after completing, the answers: % x in answers/, %d B in drafts/", w.ans[:1], len(w.draftAns))
	}
	if n, err := s.VerifyAudit(); err != nil || n < 10 {
		t.Fatalf("audit: %d %v", n, err)
	}
}
