package app

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/report"
	"mingcha/store"
)

// officePDFs writes n signed reports (units 甲1…) observed on day, each
// failing the badge item; it returns the CA that issued the signer.
func officePDFs(t *testing.T, dir string, n int, day time.Time) *report.CA {
	t.Helper()
	ca, err := report.NewCA("区效能办")
	if err != nil {
		t.Fatal(err)
	}
	id, err := ca.Issue("张督查", "区效能办")
	if err != nil {
		t.Fatal(err)
	}
	officePDFsBy(t, dir, "R-", n, day, id)
	return ca
}

// officePDFsBy writes n reports as officePDFs does, with ids prefix1…,
// signed by id: another round of the same units.
func officePDFsBy(t *testing.T, dir, prefix string, n int, day time.Time, id *report.Identity) {
	t.Helper()
	tpl, err := inspect.ParseTemplate(assets.TemplateFiles()["combined.json"])
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		u := inspect.Unit{ID: fmt.Sprintf("U-%d", i), Name: fmt.Sprintf("窗口%d", i), Department: "区市场监管局", Kind: inspect.UnitWindow}
		at := day.Add(time.Duration(i) * time.Hour)
		in, err := inspect.NewInspection(fmt.Sprintf("%s%d", prefix, i), u, tpl, inspect.ModeCovert, []string{"张督查"}, at, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range in.Template.Items() {
			a := inspect.Answer{ItemCode: it.Code, Result: inspect.ResultNA}
			if it.Code == "SP-01" {
				n := i // the first round: 窗口1 misses one badge, 窗口2 two …
				if prefix != "R-" {
					n = 1 + (i+int(prefix[0]))%3 // earlier rounds vary
				}
				a = inspect.Answer{ItemCode: it.Code, Counted: true, Count: n, Photos: []string{"00"}}
			}
			if err := in.SetAnswer(a, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := in.Complete(at, nil, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
		_ = in.SetSignature(inspect.DrawnSignature{Inspector: "张督查", PNG: []byte{1}}, at)
		if err := in.Sign(at); err != nil {
			t.Fatal(err)
		}
		pdf, err := report.Render(in, nil, report.RenderOptions{NoPhotos: true})
		if err != nil {
			t.Fatal(err)
		}
		if pdf, err = report.Sign(pdf, id, "张督查", at); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, in.ID+".pdf"), pdf, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func useOfficeCA(t *testing.T, s *store.Store, ca *report.CA) {
	t.Helper()
	if err := s.PutSetting("test", store.SettingOfficeCA, string(ca.CertPEM())); err != nil {
		t.Fatal(err)
	}
}

// officeFixture imports nothing yet: a UI on the office screen, a folder of
// three good reports from February and one tampered copy.
func officeFixture(t *testing.T) (*UI, fyne.Window, *officeScreen, string) {
	t.Helper()
	u, w, s := newTestUI(t)
	dir := t.TempDir()
	ca := officePDFs(t, dir, 3, time.Date(2026, 2, 2, 8, 0, 0, 0, time.Local))
	data, _ := os.ReadFile(filepath.Join(dir, "R-1.pdf"))
	_ = os.WriteFile(filepath.Join(dir, "R-1-tampered.pdf"), append(data, "\n% appended\n"...), 0o600)
	useOfficeCA(t, s, ca)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	return u, w, v.(*officeScreen), dir
}

func TestOfficeImportOverviewRectify(t *testing.T) {
	u, w, o, dir := officeFixture(t)
	if u.nav.current != screenOffice || w.Content() == nil {
		t.Fatal("the office screen is not shown")
	}
	// Dropping the folder onto the window imports it.
	o.dropped([]fyne.URI{storage.NewFileURI(dir)})
	settle(u)
	if o.stop != nil || len(o.results) != 4 {
		t.Fatalf("after the import: running %v, %d results", o.stop != nil, len(o.results))
	}
	got := map[string]int{}
	for _, r := range o.results {
		got[string(r.Outcome)]++
	}
	if got["accepted"] != 3 || got["rejected"] != 1 || o.progress.Value != 1 {
		t.Fatalf("import outcomes %v, progress %v", got, o.progress.Value)
	}
	if !strings.Contains(o.importStatus.Text, "接收 3 份") || !strings.Contains(o.importStatus.Text, "未通过 1 份") {
		t.Errorf("status %q", o.importStatus.Text)
	}
	// The rejected row names the reason, in Chinese (the test's locale).
	row := o.importList.CreateItem()
	for i, r := range o.results {
		if r.Outcome == store.ImportRejected {
			o.importList.UpdateItem(i, row)
		}
	}
	if text := labelsOf(row); !strings.Contains(text, "未通过") || !strings.Contains(text, "签名后文件末尾又被追加了 12 字节") ||
		strings.Contains(text, "added after the signature") {
		t.Errorf("rejected row: %q", text)
	}

	// The overview of February ranks the three windows.
	o.tabs.SelectIndex(1)
	o.from.SetText("2026-02-01")
	o.to.SetText("2026-02-28")
	test.Tap(o.refresh)
	if o.overview == nil || len(o.overview.Ranking) != 3 {
		t.Fatalf("overview: %+v", o.overview)
	}
	rows, cols := o.rankingSize()
	if rows != 3 || cols != 6 {
		t.Fatalf("table %d×%d", rows, cols)
	}
	cell := widget.NewLabel("")
	o.updateRankingCell(widget.TableCellID{Row: 0, Col: 1}, cell)
	if cell.Text != "窗口1" {
		t.Errorf("first ranked %q, want 窗口1 (one badge missing)", cell.Text)
	}
	if cats := strings.Join(labelTexts(o.categories), "\n"); !strings.Contains(cats, "3家单位存在胸牌问题") {
		t.Errorf("categories %q", cats)
	}
	if !strings.Contains(o.totals.Text, "检查3家单位3次") {
		t.Errorf("totals %q", o.totals.Text)
	}

	// 整改: all three are overdue on 2 March, highlighted.
	o.tabs.SelectIndex(2)
	o.problemFilter.SetSelectedIndex(1) // overdue
	if len(o.problems) != 3 {
		t.Fatalf("%d overdue problems", len(o.problems))
	}
	prow := o.problemList.CreateItem()
	o.problemList.UpdateItem(0, prow)
	due := prow.(*fyne.Container).Objects[1].(*fyne.Container).Objects[0].(*widget.Label)
	if due.Importance != widget.DangerImportance || !strings.Contains(due.Text, "逾期") {
		t.Errorf("overdue not highlighted: %q %v", due.Text, due.Importance)
	}
	if !o.verifyFix.Disabled() || !o.rectify.Disabled() {
		t.Error("actions enabled with nothing selected")
	}
	o.problemList.Select(0)
	if o.rectify.Disabled() || !o.verifyFix.Disabled() {
		t.Fatal("an open problem can be rectified, not verified")
	}
	id := o.problems[0].ID
	test.Type(o.note, "已补发胸牌")
	test.Tap(o.rectify)
	if len(o.problems) != 2 {
		t.Fatalf("a rectified problem is no longer overdue: %d left", len(o.problems))
	}
	o.problemFilter.SetSelectedIndex(3) // rectified
	if len(o.problems) != 1 || o.problems[0].ID != id || o.problems[0].Note != "已补发胸牌" {
		t.Fatalf("rectified: %+v", o.problems)
	}
	o.problemList.Select(0)
	test.Tap(o.verifyFix)
	o.problemFilter.SetSelectedIndex(4) // verified
	if len(o.problems) != 1 || o.problems[0].State != inspect.ProblemVerified {
		t.Fatalf("verified: %+v", o.problems)
	}
	entries, _ := u.store.AuditFor("problem/" + id)
	if len(entries) != 2 {
		t.Fatalf("audit of the problem: %d entries", len(entries))
	}
}

func TestOfficeImportCancel(t *testing.T) {
	u, _, o, dir := officeFixture(t)
	// A verifier that waits for the test: the first file passes, then the
	// user cancels while the second is being checked.
	release, reached := make(chan struct{}), make(chan struct{})
	var once sync.Once
	real, err := o.off.Verifier() // the office CA from the settings
	if err != nil {
		t.Fatal(err)
	}
	o.verify = func(data []byte) (*inspect.SignedReport, *inspect.Error) {
		rep, reason := real(data)
		if rep != nil && rep.Inspection.ID != "R-1" {
			once.Do(func() { close(reached) })
			<-release
		}
		return rep, reason
	}
	o.startImport([]string{dir})
	if o.cancel.Disabled() || !o.chooseFolder.Disabled() {
		t.Fatal("during an import only Cancel is enabled")
	}
	// The verifier holds the second file: the user cancels.
	<-reached
	test.Tap(o.cancel)
	close(release)
	settle(u)
	if !strings.Contains(o.importStatus.Text, "已取消") {
		t.Errorf("status %q", o.importStatus.Text)
	}
	reps, _ := u.store.OfficeReports(inspect.Filter{}, true)
	for _, r := range reps {
		if _, err := u.store.OfficeInspection(r.ReportID); err != nil {
			t.Fatalf("half-imported report %s", r.ReportID)
		}
	}
	// Reports are stored in batches: R-1 is stored whole or, when the
	// cancel came before the import took it from its verifier, skipped;
	// a file held at the cancel never is.
	if len(reps) > 1 {
		t.Fatalf("%d reports stored after a cancel during the second file", len(reps))
	}
}

// labelsOf joins the texts of every label in o.
func labelsOf(o fyne.CanvasObject) string {
	var out []string
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			out = append(out, x.Text)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return strings.Join(out, " | ")
}

// TestOfficeScreenshots writes every office tab as PNG into the folder
// named by MINGCHA_SCREENSHOTS (make screenshots).
func TestOfficeScreenshots(t *testing.T) {
	dir := os.Getenv("MINGCHA_SCREENSHOTS")
	if dir == "" {
		t.Skip("MINGCHA_SCREENSHOTS not set")
	}
	u, w, o := officeRounds(t, 6, 6) // six windows, six months
	rosterUnits(t, u.store, 12)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o = v.(*officeScreen)
	o.from.SetText("2026-02-01")
	o.to.SetText("2026-02-28")
	o.reloadOverview()
	// One problem reported fixed, for the 整改 tab and the history.
	for i, p := range o.problems {
		if p.UnitName == "窗口2" {
			o.problemList.Select(i)
			o.note.SetText("已补发胸牌，附照片")
			o.act(inspect.ActionRectify)
			break
		}
	}
	shots := []struct {
		name  string
		tab   int
		setUp func()
	}{
		{"office-import", tabImport, nil},
		{"office-overview", tabOverview, nil},
		{"office-rectification", tabProblems, func() { o.problemFilter.SetSelectedIndex(0) }},
		{"office-history", tabHistory, func() {
			for _, p := range o.problems {
				if p.UnitName == "窗口2" {
					o.showHistory(p.UnitID)
				}
			}
		}},
		{"office-bulletin", tabBulletin, func() {
			o.bulletin.number.SetText("效能通〔2026〕3号")
			o.bulletin.intro.SetText("根据区委、区政府工作部署，区效能办于二月份对区市场监管局各服务窗口开展了明查暗访。现将有关情况通报如下。")
		}},
		{"office-draw", tabDraw, func() {
			o.draw.n.SetText("4")
			o.draw.seed.SetText("2026-03-暗访")
			o.draw.doDraw()
		}},
		{"office-roster", tabRoster, nil},
		{"office-template-editor", tabTemplates, func() {
			e := o.editor
			e.list.Select(e.m.rowOf(0, 1))
			test.Tap(e.addItem) // a new item: its text is still missing
		}},
	}
	for _, sh := range shots {
		o.tabs.SelectIndex(sh.tab)
		if sh.setUp != nil {
			sh.setUp()
		}
		settle(u) // the charts are drawn in the background
		f, err := os.Create(filepath.Join(dir, sh.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if sh.name == "office-overview" {
			// The same 总览 in the dark theme: the charts follow it.
			fyne.CurrentApp().Settings().SetTheme(NewTheme("dark"))
			o.reloadOverview()
			settle(u)
			f, err := os.Create(filepath.Join(dir, "office-overview-dark.png"))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, w.Canvas().Capture()); err != nil {
				t.Fatal(err)
			}
			f.Close()
			fyne.CurrentApp().Settings().SetTheme(NewTheme("light"))
			o.reloadOverview()
			settle(u)
		}
	}
}

// TestOfficeStringsTranslated finds every lang.L key of the office screens
// and the template editor in both bundled translations.
func TestOfficeStringsTranslated(t *testing.T) {
	files, _ := filepath.Glob("office*.go")
	files = append(files, "template_editor.go")
	for _, lang := range []string{"zh-Hans", "en"} {
		data, err := assets.Translations.ReadFile("translations/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]any
		if err := json.Unmarshal(data, &messages); err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`).FindAllSubmatch(src, -1) {
				key, err := strconv.Unquote(string(m[1]))
				if err != nil {
					t.Fatal(err)
				}
				if messages[key] == nil && key != "Cancel" { // Fyne translates Cancel itself
					t.Errorf("%s: %q has no %s translation", name, key, lang)
				}
			}
		}
	}
}
