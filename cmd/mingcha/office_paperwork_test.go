package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

// paperworkDB is an office database with the six May reports of
// officeReports imported (units 单位1, 2, 4 and 5 each with one open badge
// problem, overdue by now) and an office key; it returns the database, the
// key file and the CA's PEM file.
func paperworkDB(t *testing.T) (db, keyPath, caPEM string) {
	t.Helper()
	tmp := t.TempDir()
	db = filepath.Join(tmp, "office.db")
	t.Setenv("MINGCHA_CA_PASSPHRASE", "ca-secret")
	t.Setenv("MINGCHA_PASSPHRASE", "office-secret")
	t.Setenv("MINGCHA_USER", "效能办小王")
	caDir := filepath.Join(tmp, "ca")
	if code, out, errs := runCLI(t, "ca", "init", "--db", db, "--out", caDir, "--name", "区效能办"); code != 0 {
		t.Fatalf("ca init: %s %s", out, errs)
	}
	caData, _ := os.ReadFile(filepath.Join(caDir, "office-ca.p12"))
	ca, err := report.LoadCA(caData, "ca-secret")
	if err != nil {
		t.Fatal(err)
	}
	reports := filepath.Join(tmp, "reports")
	_ = os.MkdirAll(reports, 0o700)
	officeReports(t, reports, ca, 6)
	if code, out, errs := runCLI(t, "office", "import", "--db", db, reports); code != 0 {
		t.Fatalf("import: %s %s", out, errs)
	}
	officeKey, _ := ca.Issue("区效能办", "")
	p12, _ := officeKey.MarshalP12("office-secret")
	keyPath = filepath.Join(tmp, "office.p12")
	_ = os.WriteFile(keyPath, p12, 0o600)
	caPEM = filepath.Join(caDir, "office-ca.pem")
	return db, keyPath, caPEM
}

func openProblems(t *testing.T, db string) []store.OfficeProblem {
	t.Helper()
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ps, err := s.OfficeProblems(inspect.ProblemFilter{States: []inspect.ProblemState{inspect.ProblemOpen}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// TestOfficeBatchNotices: the 整改通知书 of every unit with open problems in
// a period, as proofs (版头 and 落款 even with no office named, nothing
// recorded), then signed with numbers counted up, each verifying and
// recorded on its unit's problems.
func TestOfficeBatchNotices(t *testing.T) {
	db, keyPath, caPEM := paperworkDB(t)
	dir := filepath.Join(t.TempDir(), "十一月通知书") // not there yet: the batch makes it
	code, out, errs := runCLI(t, "office", "notice", "--db", db, "--period", "2026-05", "--dir", dir, "--unsigned", "--number", "效能整改〔2026〕3号")
	if code != 0 || strings.Count(out, "rectification notice to") != 4 {
		t.Fatalf("proofs: %d %s %s", code, out, errs)
	}
	proof := filepath.Join(dir, "整改通知书-单位1.pdf")
	if text := strings.Join(strings.Fields(pdfText(t, proof)), ""); text != "" &&
		(!strings.Contains(text, "（发文机关）文件") || !strings.Contains(text, "校样") || !strings.Contains(text, "效能整改〔2026〕3号")) {
		t.Errorf("a proof without an office lacks its 版头 placeholder, 校样 or 文号:\n%s", text)
	}
	s, _ := store.Open(db, store.Options{ReadOnly: true})
	refs, _ := s.Notices(openProblems(t, db)[0].ID)
	s.Close()
	if len(refs) != 0 {
		t.Fatalf("a proof was recorded: %+v", refs)
	}
	// Without --force the proofs are not replaced.
	if code, _, errs := runCLI(t, "office", "notice", "--db", db, "--period", "2026-05", "--dir", dir, "--key", keyPath); code == 0 || errs == "" {
		t.Fatal("the batch wrote over existing notices without --force")
	}
	if code, out, _ := runCLI(t, "office", "config", "--db", db, "--name", "区机关效能建设办公室"); code != 0 || !strings.Contains(out, "区机关效能建设办公室") {
		t.Fatalf("office config --name: %s", out)
	}
	code, out, errs = runCLI(t, "office", "notice", "--db", db, "--period", "2026-05", "--dir", dir, "--key", keyPath, "--force",
		"--number", "效能整改〔2026〕3号", "--date", "2026-06-05")
	if code != 0 || strings.Count(out, "signed by 区效能办") != 4 {
		t.Fatalf("signed batch: %d %s %s", code, out, errs)
	}
	if code, out, errs := runCLI(t, "verify", "--ca", caPEM, proof); code != 0 || !strings.Contains(out, "valid: rectification notice") {
		t.Fatalf("verify: %s %s", out, errs)
	}
	if text := strings.Join(strings.Fields(pdfText(t, proof)), ""); text != "" && !strings.Contains(text, "区机关效能建设办公室文件") {
		t.Errorf("the stored office name is not the 版头:\n%s", text)
	}
	s, _ = store.Open(db, store.Options{ReadOnly: true})
	defer s.Close()
	numbers := map[string]bool{}
	for _, p := range openProblems(t, db) {
		refs, _ := s.Notices(p.ID)
		if len(refs) != 1 {
			t.Fatalf("notices of %s: %+v", p.ID, refs)
		}
		numbers[refs[0].Number] = true
	}
	for _, n := range []string{"效能整改〔2026〕3号", "效能整改〔2026〕4号", "效能整改〔2026〕5号", "效能整改〔2026〕6号"} {
		if !numbers[n] {
			t.Errorf("no notice numbered %s: %v", n, numbers)
		}
	}
	// A period without open problems writes nothing.
	if code, _, errs := runCLI(t, "office", "notice", "--db", db, "--period", "2026-04", "--dir", t.TempDir(), "--unsigned"); code == 0 || errs == "" {
		t.Error("a period without problems gave notices")
	}
}

// TestOfficeReplyChaseBulk: a 整改报告 with files for two problems moves
// both to 已整改 and keeps the files under their hash; a second reply to
// them is refused whole; the 催办 PDF lists the rest; bulk verify and
// 延期 take several problems.
func TestOfficeReplyChaseBulk(t *testing.T) {
	db, _, _ := paperworkDB(t)
	open := openProblems(t, db)
	if len(open) != 4 {
		t.Fatalf("%d open problems", len(open))
	}
	tmp := t.TempDir()
	scan := filepath.Join(tmp, "整改报告.pdf")
	photo := filepath.Join(tmp, "胸牌.jpg")
	_ = os.WriteFile(scan, []byte("%PDF-1.4 scanned reply"), 0o600)
	_ = os.WriteFile(photo, []byte("jpeg bytes"), 0o600)
	a, b := open[0].ID, open[1].ID
	code, out, errs := runCLI(t, "office", "reply", "--db", db, a, b, "--from", "李科长（办公室主任）", "--date", "2026-06-10",
		"--text", "已为全体窗口人员补发胸牌", "--file", scan, "--file", photo)
	if code != 0 || !strings.Contains(out, "2 problems rectified, 2 files kept") {
		t.Fatalf("reply: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "office", "reply", "--db", db, a, open[2].ID, "--from", "李科长"); code == 0 || errs == "" {
		t.Fatal("a second reply to a rectified problem was taken")
	}
	if code, _, _ := runCLI(t, "office", "reply", "--db", db, a); code == 0 {
		t.Fatal("a reply without a sender was taken")
	}
	s, err := store.Open(db, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	replies, _ := s.Replies(a)
	stillOpen, _ := s.OfficeProblems(inspect.ProblemFilter{States: []inspect.ProblemState{inspect.ProblemOpen}}, time.Now())
	rectified, _ := s.OfficeProblems(inspect.ProblemFilter{States: []inspect.ProblemState{inspect.ProblemRectified}}, time.Now())
	audit, _ := s.AuditFor("problem/" + b)
	var kept []byte
	if len(replies) == 1 && len(replies[0].Files) == 2 {
		kept, _ = os.ReadFile(s.ReplyPath(replies[0].Files[0].SHA256))
	}
	s.Close()
	if len(replies) != 1 || replies[0].From != "李科长（办公室主任）" || replies[0].ReceivedAt.Format(time.DateOnly) != "2026-06-10" {
		t.Fatalf("replies: %+v", replies)
	}
	if !bytes.Equal(kept, []byte("%PDF-1.4 scanned reply")) || replies[0].Files[0].Name != "整改报告.pdf" {
		t.Errorf("the attachment kept: %q %+v", kept, replies[0].Files)
	}
	if len(stillOpen) != 2 || len(rectified) != 2 {
		t.Fatalf("after the reply: %d open, %d rectified", len(stillOpen), len(rectified))
	}
	if len(audit) == 0 || !strings.Contains(string(audit[len(audit)-1].New), "李科长") {
		t.Errorf("the reply is not in b's audit: %+v", audit)
	}

	// Bulk is all or nothing: an open problem among them refuses the lot.
	if code, _, errs := runCLI(t, "office", "verify-fix", "--db", db, a, stillOpen[0].ID); code == 0 || errs == "" {
		t.Fatal("verified an open problem in a batch")
	}
	if s, err := store.Open(db, store.Options{ReadOnly: true}); err == nil {
		ps, _ := s.OfficeProblems(inspect.ProblemFilter{States: []inspect.ProblemState{inspect.ProblemVerified}}, time.Now())
		s.Close()
		if len(ps) != 0 {
			t.Fatalf("a refused batch verified %d problems", len(ps))
		}
	}
	// Bulk: both rectified problems verified at once; both open ones extended.
	if code, out, errs := runCLI(t, "office", "verify-fix", "--db", db, a, b); code != 0 || strings.Count(out, ": ") != 2 {
		t.Fatalf("bulk verify: %d %s %s", code, out, errs)
	}
	chasePDF := filepath.Join(tmp, "催办.pdf")
	code, out, errs = runCLI(t, "office", "chase", "--db", db, "-o", chasePDF)
	if code != 0 || !strings.Contains(out, stillOpen[0].UnitName) {
		t.Fatalf("chase: %d %s %s", code, out, errs)
	}
	if text := strings.Join(strings.Fields(pdfText(t, chasePDF)), ""); text != "" &&
		(!strings.Contains(text, "逾期未整改问题清单") || !strings.Contains(text, stillOpen[0].UnitName) || strings.Contains(text, open[0].UnitName+"（1处）")) {
		t.Errorf("催办 PDF:\n%s", text)
	}
	if code, out, errs := runCLI(t, "office", "extend", "--db", db, stillOpen[0].ID, stillOpen[1].ID, "--until", "2099-01-31", "--reason", "系统升级"); code != 0 || strings.Count(out, "2099-01-31") != 2 {
		t.Fatalf("bulk extend: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "office", "chase", "--db", db); code != 0 || !strings.Contains(out, "no problem is overdue") {
		t.Errorf("chase after the 延期: %s", out)
	}
	if code, _, errs := runCLI(t, "office", "chase", "--db", db, "-o", filepath.Join(tmp, "empty.pdf")); code != 0 || errs != "" {
		t.Errorf("an empty 催办 PDF: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(tmp, "empty.pdf")); err == nil {
		t.Error("an empty 催办 PDF was written")
	}
}

// TestOfficeGroupHelpAndChineseImport: "mingcha office --help" lists the
// office commands; in Chinese the import lines and the overview's
// workload are Chinese (QA #8, #10).
func TestOfficeGroupHelpAndChineseImport(t *testing.T) {
	code, out, errs := runCLI(t, "office", "--help")
	if code != 0 || !strings.Contains(out, "office notice") || !strings.Contains(out, "office reply") || errs != "" {
		t.Fatalf("office --help: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCLI(t, "office"); code != 2 || !strings.Contains(errs, "office import") {
		t.Errorf("office alone: %d %s", code, errs)
	}
	db, _, _ := paperworkDB(t)
	withLocale(t, "zh_CN.UTF-8")
	code, out, _ = runCLI(t, "office", "import", "--db", db, filepath.Join(filepath.Dir(db), "reports", "R-1.pdf"))
	if code != 0 || !strings.Contains(out, "重复") || strings.Contains(out, "duplicate") {
		t.Errorf("import in Chinese: %s", out)
	}
	code, out, _ = runCLI(t, "office", "problems", "--db", db)
	if code != 0 || !strings.Contains(out, "逾期") || !strings.Contains(out, "待整改") || strings.Contains(out, "OVERDUE") || strings.Contains(out, "deadline") {
		t.Errorf("problems in Chinese:\n%s", out)
	}
	code, out, _ = runCLI(t, "office", "history", "--db", db, "单位1")
	if code != 0 || !strings.Contains(out, "问题：") || strings.Contains(out, " problems") {
		t.Errorf("history in Chinese:\n%s", out)
	}
	code, out, _ = runCLI(t, "office", "overview", "--db", db, "--period", "2026-05")
	if code != 0 || !strings.Contains(out, "检查6家单位6次") || strings.Contains(out, " inspections") || strings.Contains(out, "Ranking") {
		t.Errorf("overview in Chinese:\n%s", out)
	}
}
