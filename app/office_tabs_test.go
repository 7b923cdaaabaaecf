package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/xuri/excelize/v2"

	"mingcha/inspect"
	"mingcha/report"
	"mingcha/sheet"
	"mingcha/store"
)

// importFixture imports the fixture's reports and waits for the import.
func importFixture(t *testing.T, o *officeScreen, dir string) {
	t.Helper()
	o.startImport([]string{dir})
	settle(o.ui)
	if o.stop != nil {
		t.Fatal("the import is still running after its work group")
	}
}

// rosterUnits puts n units of two departments on the roster.
func rosterUnits(t *testing.T, s *store.Store, n int) []inspect.Unit {
	t.Helper()
	var units []inspect.Unit
	for i := 1; i <= n; i++ {
		dept := "区市场监管局"
		if i%2 == 0 {
			dept = "区税务局"
		}
		units = append(units, inspect.Unit{
			ID: fmt.Sprintf("U-R%02d", i), Name: fmt.Sprintf("窗口%02d", i), Department: dept, Kind: inspect.UnitWindow,
			Address: fmt.Sprintf("区政务服务中心%d楼 %d 号窗口", 1+i%3, i),
		})
	}
	if _, _, err := s.ImportUnits("test", units); err != nil {
		t.Fatal(err)
	}
	return units
}

func drawnNames(d *drawTab) []string {
	var out []string
	for _, u := range d.last.Drawn {
		out = append(out, u.Name)
	}
	return out
}

// TestOfficeDrawReproducible: a draw through the window shows its seed;
// drawing again with it draws the same units, an earlier draw can be
// recalled and repeated, and every draw is in the audit log.
func TestOfficeDrawReproducible(t *testing.T) {
	u, w, s := newTestUI(t)
	rosterUnits(t, s, 12)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.tabs.SelectIndex(tabDraw)
	d := o.draw
	if len(d.department.Options) != 3 { // 全部 and the roster's two departments
		t.Fatalf("departments %v", d.department.Options)
	}
	d.n.SetText("3")
	d.department.SetSelected("区税务局")
	test.Tap(d.drawBtn)
	if d.last == nil || len(d.last.Drawn) != 3 || len(d.last.Candidates) != 6 {
		t.Fatalf("first draw: %+v", d.last)
	}
	seed := d.seed.Text
	if seed == "" || seed != d.last.Seed || !strings.Contains(d.status.Text, seed) || !strings.Contains(d.status.Text, "第1次抽签") {
		t.Fatalf("seed %q, status %q", seed, d.status.Text)
	}
	for _, u := range d.last.Drawn {
		if u.Department != "区税务局" {
			t.Fatalf("drew %s of %s", u.Name, u.Department)
		}
	}
	first := drawnNames(d)

	// The same seed again: the same units, and the window says so.
	test.Tap(d.drawBtn)
	if got := drawnNames(d); !slices.Equal(got, first) || !strings.Contains(d.status.Text, "与使用同一种子的第1次抽签结果相同") {
		t.Fatalf("second draw %v (first %v): %q", got, first, d.status.Text)
	}
	// Another seed typed in draws by that seed.
	d.seed.SetText("2026年第二轮")
	test.Tap(d.drawBtn)
	want, _ := inspect.DrawUnits(mustUnits(t, s), inspect.DrawFilter{Department: "区税务局"}, 3, "2026年第二轮", testClock)
	if got := drawnNames(d); !slices.Equal(got, drawnUnitNames(want)) {
		t.Fatalf("typed seed drew %v, want %v", got, drawnUnitNames(want))
	}
	// The first draw recalled from the list (newest first) fills the form.
	if len(d.earlier.Options) != 3 {
		t.Fatalf("earlier draws %v", d.earlier.Options)
	}
	d.earlier.SetSelectedIndex(2)
	if d.seed.Text != seed || d.n.Text != "3" || d.department.Selected != "区税务局" || !slices.Equal(drawnNames(d), first) {
		t.Fatalf("recalled draw: seed %q n %q dept %q %v", d.seed.Text, d.n.Text, d.department.Selected, drawnNames(d))
	}
	test.Tap(d.drawBtn)
	if !slices.Equal(drawnNames(d), first) {
		t.Fatal("repeating the recalled draw drew other units")
	}
	// The shown cells and the task list.
	cell := widget.NewLabel("")
	d.updateCell(widget.TableCellID{Row: 0, Col: 1}, cell)
	if cell.Text != first[0] {
		t.Errorf("first row %q, want %q", cell.Text, first[0])
	}
	tasks := filepath.Join(t.TempDir(), "tasks.csv")
	d.writeTasks(tasks)
	if data, err := os.ReadFile(tasks); err != nil || !strings.Contains(string(data), seed) || !strings.Contains(string(data), first[0]) {
		t.Fatalf("task list: %v %s", err, data)
	}
	xlsx := filepath.Join(t.TempDir(), "tasks")
	d.writeTasks(xlsx) // no extension: .xlsx
	if _, err := os.Stat(xlsx + ".xlsx"); err != nil {
		t.Fatal(err)
	}
	entries, _ := s.AuditFor("draw/")
	if len(entries) != 4 {
		t.Fatalf("%d draws in the audit log, want 4", len(entries))
	}
	// Nothing to draw from: the reason, in Chinese.
	d.kind.SetSelected(kindText(inspect.UnitServiceCenter))
	test.Tap(d.drawBtn)
	if text := overlayText(w.Canvas()); !strings.Contains(text, "没有符合条件的单位") {
		t.Errorf("no candidates: %q", text)
	}
	clearOverlays(w.Canvas())
}

func mustUnits(t *testing.T, s *store.Store) []inspect.Unit {
	units, err := s.Units()
	if err != nil {
		t.Fatal(err)
	}
	return units
}

func drawnUnitNames(d *inspect.Draw) []string {
	var out []string
	for _, u := range d.Drawn {
		out = append(out, u.Name)
	}
	return out
}

// TestOfficeRosterImport: a roster with a bad row imports nothing and
// names the row; the user may then import the good rows. Export writes
// what import reads.
func TestOfficeRosterImport(t *testing.T) {
	u, w, s := newTestUI(t)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.tabs.SelectIndex(tabRoster)
	r := o.roster
	before := len(mustUnits(t, s))
	if len(r.units) != before {
		t.Fatalf("the tab shows %d units, the store has %d", len(r.units), before)
	}
	csv := "单位名称,所属部门,单位类型,人员名单\n" +
		"办税服务厅,区税务局,服务窗口,王芳/科长/1号窗口；李强//2号窗口\n" +
		",区税务局,机关科室,\n" +
		"征收管理科,区税务局,科室,\n" +
		"社保窗口,区人社局,窗口部门,\n"
	r.importRoster("名册.csv", []byte(csv))
	if r.pending == nil || len(r.faults) != 2 {
		t.Fatalf("faults %v", r.faults)
	}
	if !strings.Contains(r.faults[0], "第 3 行") || !strings.Contains(r.faults[0], "单位名称为空") ||
		!strings.Contains(r.faults[1], "第 5 行") || !strings.Contains(r.faults[1], "窗口部门") {
		t.Errorf("faults %q", r.faults)
	}
	text := overlayText(w.Canvas())
	if !strings.Contains(text, "有 2 行有误") || !strings.Contains(text, "尚未导入任何内容") {
		t.Errorf("dialog: %q", text)
	}
	row := r.faultList.CreateItem()
	r.faultList.UpdateItem(0, row)
	if row.(*widget.Label).Text != r.faults[0] {
		t.Error("the dialog's list does not show the faults")
	}
	if got := len(mustUnits(t, s)); got != before {
		t.Fatalf("a file with bad rows stored %d units", got-before)
	}
	// Import nothing: still nothing.
	test.Tap(r.dismiss)
	if r.pending != nil || w.Canvas().Overlays().Top() != nil || len(mustUnits(t, s)) != before {
		t.Fatal("dismissing stored something or left the dialog")
	}
	// Again, and this time the good rows.
	r.importRoster("名册.csv", []byte(csv))
	if r.goodRows.Text != "导入其余 2 行" {
		t.Errorf("button %q", r.goodRows.Text)
	}
	test.Tap(r.goodRows)
	units := mustUnits(t, s)
	if len(units) != before+2 || !strings.Contains(r.status.Text, "新增2家") || !strings.Contains(r.status.Text, "有误的 2 行未导入") {
		t.Fatalf("good rows: %d units, status %q", len(units)-before, r.status.Text)
	}
	if len(r.units) != len(units) {
		t.Fatal("the table did not reload")
	}
	cell := widget.NewLabel("")
	for i, un := range r.units {
		if un.Name == "办税服务厅" {
			r.updateCell(widget.TableCellID{Row: i, Col: 3}, cell)
		}
	}
	if cell.Text != "2" {
		t.Errorf("staff of 办税服务厅: %q", cell.Text)
	}
	// A file without a header row.
	r.importRoster("x.csv", []byte("甲,乙\n"))
	if text := overlayText(w.Canvas()); !strings.Contains(text, "没有含“单位名称”列的表头行") {
		t.Errorf("no header: %q", text)
	}
	clearOverlays(w.Canvas())

	// Export, and read back.
	for _, name := range []string{"名册.xlsx", "名册.csv"} {
		path := filepath.Join(t.TempDir(), name)
		r.export(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ro, err := sheet.ReadRoster(name, data)
		if err != nil || len(ro.Errors) != 0 || len(ro.Units) != len(units) {
			t.Fatalf("%s read back: %v %+v", name, err, ro)
		}
	}
}

// TestOfficeUnitHistory: a unit's reports, problems with their states and
// the 整改 timeline on one screen, reached from the 整改 tab.
func TestOfficeUnitHistory(t *testing.T) {
	u, _, o, dir := officeFixture(t)
	importFixture(t, o, dir)
	o.tabs.SelectIndex(tabProblems)
	o.problemFilter.SetSelectedIndex(0)
	i := slices.IndexFunc(o.problems, func(p store.OfficeProblem) bool { return p.UnitName == "窗口2" })
	o.problemList.Select(i)
	test.Type(o.note, "已补发胸牌")
	test.Tap(o.rectify)
	i = slices.IndexFunc(o.problems, func(p store.OfficeProblem) bool { return p.UnitName == "窗口2" })
	o.problemList.Select(i)
	if o.unitHistory.Disabled() {
		t.Fatal("the history button is disabled with a problem selected")
	}
	test.Tap(o.unitHistory)
	h := o.history
	if o.tabs.SelectedIndex() != tabHistory || h.hist == nil || h.hist.UnitName != "窗口2" {
		t.Fatalf("history shown: tab %d %+v", o.tabs.SelectedIndex(), h.hist)
	}
	if len(h.units) != 3 || len(h.shown) != 3 {
		t.Fatalf("units %d", len(h.units))
	}
	if !strings.Contains(h.title.Text, "区市场监管局 窗口2") || !strings.Contains(h.summary.Text, "报告1份，问题1处，待整改0处") {
		t.Errorf("header %q / %q", h.title.Text, h.summary.Text)
	}
	var lines []string
	for i := range h.rows {
		row := h.list.CreateItem()
		h.list.UpdateItem(i, row)
		lines = append(lines, labelsOf(row))
	}
	all := strings.Join(lines, "\n")
	for _, want := range []string{
		"检查记录（1）", "R-2 · 暗访", "问题清单（1）", "在岗工作人员未佩戴胸牌", "已整改", "已补发胸牌",
		"整改记录", "检查（R-2）", "单位报告已整改",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("history lacks %q:\n%s", want, all)
		}
	}
	// Searching the units.
	h.search.SetText("窗口3")
	if len(h.shown) != 1 || h.shown[0].UnitName != "窗口3" {
		t.Fatalf("search: %+v", h.shown)
	}
	h.unitList.Select(0)
	if h.hist.UnitName != "窗口3" {
		t.Fatal("choosing a unit did not show it")
	}
	_ = u
}

// TestOfficeBulletinAndResults: the 通报 tab sends the period and the
// office's words with the passphrase typed in; the workbook of the
// overview's period reopens with its numbers.
func TestOfficeBulletinAndResults(t *testing.T) {
	u, w, o, dir := officeFixture(t)
	importFixture(t, o, dir)
	ca, _ := report.NewCA("区效能办")
	officeKey, _ := ca.Issue("区效能办", "区机关效能建设办公室")
	// A real office key on disk, as "mingcha ca issue" writes it; the tab
	// writes through office.Bulletin, as "mingcha office bulletin" does.
	p12, err := officeKey.MarshalP12("office-secret")
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(t.TempDir(), "office.p12")
	if err := os.WriteFile(keyPath, p12, 0o600); err != nil {
		t.Fatal(err)
	}
	o.tabs.SelectIndex(tabBulletin)
	b := o.bulletin
	// The test clock is 2 March: "last month" is February.
	if b.from.Text != "2026-02-01" || b.to.Text != "2026-02-28" {
		t.Fatalf("default period %s – %s", b.from.Text, b.to.Text)
	}
	b.to.SetText("2026-02-31")
	test.Tap(b.write)
	if text := overlayText(w.Canvas()); !strings.Contains(text, "日期的格式应为") {
		t.Fatalf("bad date: %q", text)
	}
	clearOverlays(w.Canvas())
	b.to.SetText("2026-02-28")
	test.Type(b.intro, "二月份开展了窗口服务专项暗访。")
	b.number.SetText("效能通〔2026〕3号")
	b.office.SetText("区机关效能建设办公室")
	b.key.SetText(keyPath)
	req, err := b.request()
	if err != nil {
		t.Fatal(err)
	}
	if req.Intro != "二月份开展了窗口服务专项暗访。" || req.Number != "效能通〔2026〕3号" || !req.Filter.From.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, inspect.Zone)) ||
		!req.Filter.To.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, inspect.Zone)) || req.Unsigned || req.KeyPath != keyPath {
		t.Errorf("request %+v", req)
	}
	// Through the widgets: 生成通报…, the save dialog, the passphrase
	// dialog (Enter in its field, then its button).
	outDir := t.TempDir()
	path := filepath.Join(outDir, "通报")
	saveHere := func() {
		t.Helper()
		test.Tap(b.write)
		p := o.ui.lastPicker
		p.chdir(outDir)
		p.name.SetText("通报")
		test.Tap(p.open)
	}
	saveHere()
	if b.passDialog == nil || b.passphrase == nil {
		t.Fatal("no passphrase asked")
	}
	test.Type(b.passphrase, "typo")
	b.passphrase.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	settle(o.ui)
	if b.status.Importance != widget.DangerImportance || !strings.Contains(b.status.Text, "口令打不开密钥文件 "+keyPath) {
		t.Fatalf("wrong passphrase: %q", b.status.Text)
	}
	clearOverlays(w.Canvas())
	saveHere() // the file is not there yet: nothing to replace
	test.Type(b.passphrase, "office-secret")
	test.Tap(dialogButton(t, w.Canvas(), "签名并保存"))
	settle(o.ui)
	if !strings.Contains(b.status.Text, "检查3家单位3次") || !strings.Contains(b.status.Text, "签名：区效能办") {
		t.Fatalf("status %q", b.status.Text)
	}
	// The office signed as is remembered: the next 通报 and 通知书 name it.
	if name, _ := o.off.OfficeName(); name != "区机关效能建设办公室" {
		t.Errorf("office name remembered: %q", name)
	}
	pdf, err := os.ReadFile(path + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := report.Verify(pdf, report.VerifyOptions{AcceptBulletins: true}); err != nil || !v.Valid || v.Kind != "bulletin" || v.Signer != "区效能办" {
		t.Fatalf("the 通报 is not validly signed: %v %+v", err, v)
	}
	if text := pdfText(t, path+".pdf"); !strings.Contains(text, "二月份开展了窗口服务专项暗访") || !strings.Contains(text, "效能通〔2026〕3号") {
		t.Errorf("the 通报 lacks the office's words:\n%s", text)
	}
	// An unsigned draft asks for no passphrase.
	b.unsigned.SetChecked(true)
	if !b.key.Disabled() {
		t.Error("the key stays editable for a draft")
	}
	req, _ = b.request()
	b.passDialog = nil
	b.sign(req, path+"-draft.pdf")
	settle(o.ui)
	if b.passDialog != nil {
		t.Error("a draft asked for the passphrase")
	}
	draft, err := os.ReadFile(path + "-draft.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := report.Verify(draft, report.VerifyOptions{AcceptBulletins: true}); err != nil || v.Valid {
		t.Errorf("the draft is signed: %v %+v", err, v)
	}

	// The workbook of the overview's period.
	o.tabs.SelectIndex(tabOverview)
	o.from.SetText("2026-02-01")
	o.to.SetText("2026-02-28")
	xlsx := filepath.Join(t.TempDir(), "results.xlsx")
	o.writeResults(xlsx)
	settle(o.ui)
	if !strings.Contains(o.totals.Text, "3条检查结果") {
		t.Errorf("status %q", o.totals.Text)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("检查结果")
	if len(rows) != 5 { // title, header, three results
		t.Fatalf("results sheet: %d rows", len(rows))
	}
	_ = u
}

// pdfText is the text of a PDF by poppler's pdftotext (make test
// installs poppler-utils).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}
