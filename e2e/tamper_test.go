package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/report/tamper"
	"mingcha/store"
)

// officeState is what must not change when a refused file is imported:
// the audit chain and bbolt's check, the reports and their files.
func officeState(t *testing.T, s *store.Store) string {
	t.Helper()
	n, err := s.VerifyAudit()
	if err != nil {
		t.Fatalf("audit chain: %v", err)
	}
	if err := s.Check(); err != nil {
		t.Fatalf("check: %v", err)
	}
	audit, _ := s.Audit(0, 0)
	reps, _ := s.OfficeReports(inspect.Filter{}, true)
	files := 0 // kept PDFs (an empty shard folder left behind is no change)
	_ = filepath.WalkDir(s.ReportDir(), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return nil
	})
	b, _ := json.Marshal(struct {
		N     int
		Audit []store.AuditEntry
		Reps  []store.OfficeReport
		Files int
	}{n, audit, reps, files})
	return string(b)
}

// TestOfficeImportTamper: every case of the tamper suite is refused by the
// office import with Verify's reason, and the office database is unchanged
// (audit chain, check, reports, kept files); the co-signed report is
// accepted with both signers; a report whose template differs from the
// office's copy of the same id and version is refused; the same report
// with other pages is no duplicate.
func TestOfficeImportTamper(t *testing.T) {
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	photo, hash := tinyPNG(t)
	photos := photoBytes{hash: photo}
	in := inspection(t, tpl, 5, hash) // 桌牌 SP-04 failed
	in.Inspectors = []string{"张督查", "李督查"}
	in.Signatures = append(in.Signatures, inspect.DrawnSignature{Inspector: "李督查", PNG: photo, SignedAt: in.SignedAt})
	other := inspection(t, tpl, 10, hash)
	otherKey, _ := report.NewSelfSigned(other.Inspectors[0], "x")
	w, err := tamper.Build(in, photos, "SP-04", signedPDF(t, other, photos, otherKey))
	if err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(filepath.Join(t.TempDir(), "office.db"), store.Options{NoBackup: true,
		Now: func() time.Time { return periodAt.AddDate(0, 1, 10) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.PutTemplate("效能办", tpl); err != nil {
		t.Fatal(err)
	}
	verify := report.OfficeVerifier(w.CA.Pool())
	dir := t.TempDir()
	importOne := func(name string, data []byte) store.ImportResult {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		sum, err := s.ImportReports(context.Background(), "效能办", []string{p}, verify, nil)
		if err != nil || len(sum.Files) != 1 {
			t.Fatalf("import %s: %+v %v", name, sum, err)
		}
		return sum.Files[0]
	}

	before := officeState(t, s)
	var table strings.Builder
	for i, c := range w.Cases {
		r := importOne(fmt.Sprintf("case-%02d.pdf", i), c.PDF)
		if r.Outcome != store.ImportRejected {
			t.Errorf("%s: %s (%s)", c.Name, r.Outcome, r.Reason)
			continue
		}
		if c.Key != "" && r.ReasonKey != c.Key {
			t.Errorf("%s: reason %s (%s), want %s", c.Name, r.ReasonKey, r.Reason, c.Key)
		}
		fmt.Fprintf(&table, "| %s | %s |\n", c.Name, r.Reason)
	}
	// A template that is not the office's copy of combined v1.
	changed := inspection(t, tpl, 7, hash)
	changed.Template.Sections[0].Items[0].Guidance += "（地方版）"
	key := w.First
	changed.Inspectors = []string{key.Cert.Subject.CommonName}
	r := importOne("template.pdf", signedPDF(t, changed, photos, key))
	if r.Outcome != store.ImportRejected || r.ReasonKey != "import.template_differs" {
		t.Errorf("template differs: %s %s (%s)", r.Outcome, r.ReasonKey, r.Reason)
	}
	fmt.Fprintf(&table, "| payload's template differs from the office's copy | %s |\n", r.Reason)
	if after := officeState(t, s); after != before {
		t.Errorf("refused imports changed the office database")
	}
	t.Logf("\n| case | office import: rejected, because |\n|---|---|\n%s", table.String())

	// The co-signed report: accepted, both signers listed.
	r = importOne("cosigned.pdf", w.Cosigned)
	if r.Outcome != store.ImportAccepted {
		t.Fatalf("co-signed: %s (%s)", r.Outcome, r.Reason)
	}
	rec, err := s.OfficeReport(in.ID)
	if err != nil || strings.Join(rec.Signers, ", ") != "张督查, 李督查" || rec.Signer != "张督查" || rec.PagesSHA256 == "" {
		t.Fatalf("stored %+v %v", rec, err)
	}
	// The same report certified only (same pages): a duplicate.
	if r := importOne("single.pdf", w.Signed); r.Outcome != store.ImportDuplicate {
		t.Errorf("the same report, one signature fewer: %s (%s)", r.Outcome, r.Reason)
	}
	// The same inspection rendered without photos (other pages): refused.
	pdf, err := report.Render(in, photos, report.RenderOptions{NoPhotos: true})
	if err != nil {
		t.Fatal(err)
	}
	signed, err := report.Sign(pdf, w.First, "", in.SignedAt)
	if err != nil {
		t.Fatal(err)
	}
	mid := officeState(t, s)
	if r := importOne("other-pages.pdf", signed); r.Outcome != store.ImportRejected || r.ReasonKey != "import.pages_differ" {
		t.Errorf("same data, other pages: %s %s (%s)", r.Outcome, r.ReasonKey, r.Reason)
	}
	if after := officeState(t, s); after != mid {
		t.Errorf("the refused copy changed the office database:\n%s\n%s", mid, after)
	}
}
