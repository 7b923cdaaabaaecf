package app

import (
	"image/color"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"mingcha/inspect"
	"mingcha/office"
	"mingcha/sheet"
)

// twoRounds is an office database with two rounds of the same three
// windows, January (J-1…3) and February (R-1…3), each failing the badge
// item, imported through the window: every unit has two open problems,
// all overdue on the test clock's 2 March. The UI is restored as at start.
func twoRounds(t *testing.T) (*UI, fyne.Window, *officeScreen) {
	t.Helper()
	return officeRounds(t, 3, 2)
}

// officeRounds is twoRounds with units windows and rounds monthly rounds
// back from February 2026 (R-, J-, D-, N-, O- …).
func officeRounds(t *testing.T, units, rounds int) (*UI, fyne.Window, *officeScreen) {
	t.Helper()
	u, w, s := newTestUI(t)
	dir := t.TempDir()
	ca := officePDFs(t, dir, units, time.Date(2026, 2, 2, 8, 0, 0, 0, inspect.Zone))
	id, err := ca.Issue("张督查", "区效能办")
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r < rounds; r++ {
		day := time.Date(2026, 1, 12, 8, 0, 0, 0, inspect.Zone).AddDate(0, 1-r, 0)
		officePDFsBy(t, dir, string("JDNOSAJM"[r-1])+"-", units, day, id)
	}
	useOfficeCA(t, s, ca)
	u.Restore()
	if u.nav.current == screenOffice {
		t.Fatal("an empty database opened on the office screen")
	}
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.startImport([]string{dir})
	settle(o.ui)
	if len(o.results) != units*rounds {
		t.Fatalf("%d files imported", len(o.results))
	}
	// The walk of an inspection of the database open last time (the
	// preferences are the program's): not here, so the office's screen.
	u.remember(screenWalk, "MC-20261130-46D54D")
	u.Restore()
	if u.nav.current != screenOffice {
		t.Fatalf("with another database's walk remembered, the office database opened on %q", u.nav.current)
	}
	u.ShowHome()
	u.Restore() // remembered: home; the database is the office's
	if u.nav.current != screenOffice {
		t.Fatalf("the office database opened on %q", u.nav.current)
	}
	v, _ = officeScreens.Load(u)
	if i := v.(*officeScreen).tabs.SelectedIndex(); i != tabOverview {
		t.Fatalf("the office screen opened on tab %d, not 总览", i)
	}
	return u, w, v.(*officeScreen)
}

// TestOfficeOverviewOpensOnLastPeriod: 总览 opens on February (the last
// month with reports, not the empty March of the clock), with presets, the
// comparison with January (too few inspections to compare), the charts, the
// count of a category beside its headline and columns as wide as the names.
func TestOfficeOverviewOpensOnLastPeriod(t *testing.T) {
	_, _, o := twoRounds(t)
	settle(o.ui)
	if o.from.Text != "2026-02-01" || o.to.Text != "2026-02-28" {
		t.Fatalf("总览 opens on %s – %s", o.from.Text, o.to.Text)
	}
	if o.overview == nil || len(o.overview.Ranking) != 3 {
		t.Fatalf("overview %+v", o.overview)
	}
	if !strings.Contains(o.compare.Text, "2026-01-01 至 2026-01-31") || !strings.Contains(o.compare.Text, "仅检查3次，不作比较") {
		t.Errorf("comparison %q", o.compare.Text)
	}
	if len(o.charts.Objects) != 3 {
		t.Fatalf("%d charts", len(o.charts.Objects))
	}
	for _, c := range o.charts.Objects {
		img, ok := c.(*canvas.Image)
		if !ok || img.Image == nil || img.Image.Bounds().Dx() < 400 {
			t.Fatalf("chart %T", c)
		}
	}
	heads := labelTexts(o.categories)
	if len(heads) != 2 || !strings.HasSuffix(heads[0], "（3处）") {
		t.Errorf("category rows %q", heads)
	}
	// Presets: 本月 is the empty March, 上月 February again.
	o.preset.SetSelectedIndex(0)
	settle(o.ui)
	if o.from.Text != "2026-03-01" || len(o.overview.Ranking) != 0 || len(o.charts.Objects) != 0 {
		t.Fatalf("本月: %s, %d ranked, %d charts", o.from.Text, len(o.overview.Ranking), len(o.charts.Objects))
	}
	o.preset.SetSelectedIndex(3) // 上季度: 2025 Q4
	settle(o.ui)
	if o.from.Text != "2025-10-01" || o.to.Text != "2025-12-31" {
		t.Fatalf("上季度: %s – %s", o.from.Text, o.to.Text)
	}
	o.preset.SetSelectedIndex(4) // 本年
	settle(o.ui)
	if o.from.Text != "2026-01-01" || len(o.overview.Ranking) != 3 || o.overview.Totals.Inspections != 6 {
		t.Fatalf("本年: %s, %+v", o.from.Text, o.overview.Totals)
	}
}

// TestOfficeHistoryNewestFirstOpensPDF: 单位档案 lists reports, problems and
// the timeline newest first, draws the unit's scores, and opens a report's
// signed PDF (the file kept under its hash) in the system viewer.
func TestOfficeHistoryNewestFirstOpensPDF(t *testing.T) {
	u, _, o := twoRounds(t)
	var opened []*url.URL
	o.history.open = func(l *url.URL) error { opened = append(opened, l); return nil }
	unit, err := u.store.FindOfficeUnit("窗口2")
	if err != nil {
		t.Fatal(err)
	}
	o.showHistory(unit.UnitID)
	h := o.history
	var reports, problems []string
	for _, r := range h.rows {
		switch r.kind {
		case rowReport:
			reports = append(reports, h.hist.Reports[r.i].ReportID)
		case rowProblem:
			problems = append(problems, h.hist.Problems[r.i].ReportID)
		}
	}
	if strings.Join(reports, ",") != "R-2,J-2" || strings.Join(problems, ",") != "R-2,J-2" {
		t.Fatalf("reports %v, problems %v: want newest first", reports, problems)
	}
	if len(h.scores.Objects) != 1 {
		t.Fatalf("单位档案 has %d score charts", len(h.scores.Objects))
	}
	if _, ok := h.scores.Objects[0].(*canvas.Image); !ok {
		t.Fatalf("score chart %T", h.scores.Objects[0])
	}
	h.list.Select(1) // the first report row, R-2
	if len(opened) != 1 || opened[0].Scheme != "file" {
		t.Fatalf("opened %v", opened)
	}
	rep, err := u.store.OfficeReport("R-2")
	if err != nil {
		t.Fatal(err)
	}
	if want := u.store.ReportPath(rep.FileSHA256); filepath.FromSlash(opened[0].Path) != want || h.opened != want {
		t.Errorf("opened %s, want %s", opened[0].Path, want)
	}
	// A heading or a problem row opens nothing.
	h.list.Select(0)
	if len(opened) != 1 {
		t.Errorf("a heading opened %v", opened[1:])
	}
}

// TestOfficeReplyExtendBulk: in the 整改 tab a 整改报告 with a file moves the
// selected problem to 已整改 and keeps the file; 延期 needs a reason and sets
// the new deadline; "all of this unit's problems" rectifies both of a
// unit's problems at once.
func TestOfficeReplyExtendBulk(t *testing.T) {
	u, w, o := twoRounds(t)
	a := o.actions
	o.tabs.SelectIndex(tabProblems)
	o.problemFilter.SetSelectedIndex(1) // overdue
	if len(o.problems) != 6 {
		t.Fatalf("%d overdue", len(o.problems))
	}
	if !a.reply.Disabled() || !a.extend.Disabled() {
		t.Fatal("reply and 延期 enabled with nothing selected")
	}
	pick := func(unit, report string) {
		t.Helper()
		for i, p := range o.problems {
			if p.UnitName == unit && p.ReportID == report {
				o.problemList.Select(i)
				return
			}
		}
		t.Fatalf("no problem of %s in %s", unit, report)
	}

	// 整改报告.
	pick("窗口1", "R-1")
	target := o.problems[o.selected].ID
	test.Tap(a.reply)
	if a.form == nil || a.replyFrom == nil {
		t.Fatal("no reply form")
	}
	scanDir := t.TempDir()
	scan := filepath.Join(scanDir, "整改照片.jpg")
	_ = os.WriteFile(scan, []byte("photo of the new badges"), 0o600)
	c := w.Canvas()
	a.replyDate.SetText("")
	test.Type(a.replyDate, "2026-03-01")
	test.Type(a.replyFrom, "李科长")
	test.Type(a.replyText, "已补发胸牌")
	test.Tap(dialogButton(t, c, "添加附件…"))
	p := u.lastPicker
	p.chdir(scanDir)
	p.choose("整改照片.jpg")
	test.Tap(p.open)
	if a.replyFileList.Text != "整改照片.jpg" {
		t.Fatalf("attached: %q", a.replyFileList.Text)
	}
	test.Tap(dialogButton(t, c, "记录"))
	settle(o.ui)
	if !strings.Contains(o.problemStatus.Text, "李科长") || !strings.Contains(o.problemStatus.Text, "1处问题转为已整改") {
		t.Fatalf("status %q", o.problemStatus.Text)
	}
	replies, _ := u.store.Replies(target)
	if len(replies) != 1 || len(replies[0].Files) != 1 || replies[0].ReceivedAt.Format(time.DateOnly) != "2026-03-01" {
		t.Fatalf("replies %+v", replies)
	}
	if data, _ := os.ReadFile(u.store.ReplyPath(replies[0].Files[0].SHA256)); string(data) != "photo of the new badges" {
		t.Errorf("kept file %q", data)
	}
	for _, p := range o.problems {
		if p.ID == target {
			t.Fatal("the answered problem is still overdue")
		}
	}

	// 延期: refused without a reason, then granted.
	pick("窗口3", "R-3")
	ext := o.problems[o.selected].ID
	test.Tap(a.extend)
	// Two weeks from today: the deadline has passed.
	if want := inspect.FormatDate(testClock.AddDate(0, 0, 14)); a.extendUntil.Text != want {
		t.Errorf("the 延期 dialog proposes %s, not %s", a.extendUntil.Text, want)
	}
	a.extendUntil.SetText("")
	test.Type(a.extendUntil, "2026-04-30")
	test.Tap(dialogButton(t, c, "延期"))
	if text := overlayText(c); !strings.Contains(text, "延期须写明理由") {
		t.Fatalf("延期 without a reason: %q", text)
	}
	clearOverlays(c)
	pick("窗口3", "R-3")
	test.Tap(a.extend)
	a.extendUntil.SetText("")
	test.Type(a.extendUntil, "2026-04-30")
	test.Type(a.extendReason, "窗口装修")
	test.Tap(dialogButton(t, c, "延期"))
	if top := c.Overlays().Top(); top != nil {
		t.Fatalf("a dialog is open after 延期: %q", overlayText(c))
	}
	got, _ := u.store.OfficeProblems(inspect.ProblemFilter{}, testClock)
	for _, p := range got {
		if p.ID == ext && inspect.FormatDate(p.Deadline) != "2026-04-30" {
			t.Errorf("deadline after 延期 %s", p.Deadline)
		}
	}
	if !strings.Contains(a.status, "2026-04-30") {
		t.Errorf("status %q", a.status)
	}

	// Bulk: both of U-2's problems rectified with one tap.
	pick("窗口2", "R-2")
	u2 := o.problems[o.selected].UnitID
	a.wholeUnit.SetChecked(true)
	if n := len(a.targets(inspect.ProblemOpen)); n != 2 {
		t.Fatalf("%d targets", n)
	}
	test.Type(o.note, "整改到位")
	test.Tap(o.rectify)
	rect, _ := u.store.OfficeProblems(inspect.ProblemFilter{UnitID: u2, States: []inspect.ProblemState{inspect.ProblemRectified}}, testClock)
	if len(rect) != 2 || !strings.Contains(a.status, "2处问题") {
		t.Fatalf("bulk rectify: %d rectified, status %q", len(rect), a.status)
	}
	o.problemFilter.SetSelectedIndex(3) // rectified
	pick("窗口2", "J-2")
	test.Tap(o.verifyFix)
	ver, _ := u.store.OfficeProblems(inspect.ProblemFilter{UnitID: u2, States: []inspect.ProblemState{inspect.ProblemVerified}}, testClock)
	if len(ver) != 2 {
		t.Fatalf("bulk verify: %d verified", len(ver))
	}
}

// TestOfficeChaseAndBatchNotices: the 催办 list as .xlsx and PDF, and the
// 整改通知书 of every unit with open problems in the 总览's period, written
// from the window by the office package.
func TestOfficeChaseAndBatchNotices(t *testing.T) {
	_, _, o := twoRounds(t)
	a := o.actions
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "催办.xlsx")
	a.writeChase(xlsx)
	settle(o.ui)
	if !strings.Contains(a.status, "3家单位逾期问题6处") {
		t.Fatalf("催办 status %q", a.status)
	}
	pdf := filepath.Join(dir, "催办.pdf")
	a.writeChase(pdf)
	settle(o.ui)
	if data, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(data), "%PDF") {
		t.Fatalf("催办 PDF: %v", err)
	}
	if data, err := os.ReadFile(xlsx); err != nil || len(data) < 1000 {
		t.Fatalf("催办 workbook: %v", err)
	}
	groups, _ := o.off.ChaseGroups("")
	if len(groups) != 3 || groups[0].MaxDays == 0 || sheet.SheetChase == "" {
		t.Fatalf("groups %+v", groups)
	}

	// The batch: February's period in 总览, proofs into a folder.
	o.tabs.SelectIndex(tabProblems)
	o.problemFilter.SetSelectedIndex(0)
	test.Tap(a.noticeAll)
	if a.form == nil || a.noticeUnsigned == nil {
		t.Fatal("no notice form")
	}
	a.noticeNumber.SetText("效能整改〔2026〕7号")
	if _, err := a.noticeRequest(); err == nil {
		t.Fatal("a signed notice without a passphrase was accepted")
	}
	a.noticeUnsigned.SetChecked(true)
	req, err := a.noticeRequest()
	if err != nil {
		t.Fatal(err)
	}
	f, _ := o.filter()
	out := t.TempDir()
	a.writeNotices(req, f, out)
	settle(o.ui)
	files, _ := filepath.Glob(filepath.Join(out, "整改通知书-*.pdf"))
	if len(files) != 3 || !strings.Contains(a.status, "整改通知书3份") {
		t.Fatalf("batch: %v, status %q", files, a.status)
	}
	// Proofs record nothing.
	for _, p := range o.problems {
		if refs, _ := o.ui.store.Notices(p.ID); len(refs) != 0 {
			t.Fatalf("a proof was recorded on %s", p.ID)
		}
	}
	// One unit's notice, from the selected problem.
	o.problemList.Select(0)
	test.Tap(a.notice)
	a.noticeUnsigned.SetChecked(true)
	req, err = a.noticeRequest()
	if err != nil {
		t.Fatal(err)
	}
	req.Unit = o.problems[0].UnitID
	one := filepath.Join(out, "one.pdf")
	a.writeNotice(req, one)
	settle(o.ui)
	if data, err := os.ReadFile(one); err != nil || !strings.HasPrefix(string(data), "%PDF") || !strings.Contains(a.status, "整改通知书1份") {
		t.Fatalf("one notice: %v, status %q", err, a.status)
	}
	if office.NthNumber("效能整改〔2026〕7号", 2) != "效能整改〔2026〕9号" {
		t.Error("NthNumber")
	}
}

// TestOfficeTabsFitIn1024English: in English every tab of the 效能办 screen
// fits the window a 1024×768 screen holds (fitScreen: 1008×696, of which
// the padded content has 1000×688), measured as TestEveryScreenFitsAt1024x768
// measures (QA: the window was 1057 px wide and "Show" cut off; the template
// editor's buttons needed 1048 px). The tabs need as much room as their
// largest one, so each is also measured on its own, to name it.
func TestOfficeTabsFitIn1024English(t *testing.T) {
	u, w, _ := twoRounds(t)
	englishMessages(t, u)
	size := fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1)
	w.Resize(size)
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	for tab := range o.tabs.Items {
		o.tabs.SelectIndex(tab)
		settle(u)
		need := windowNeeds(w.Canvas(), w.Canvas().Content())
		if own := o.tabs.Items[tab].Content.MinSize(); own.Width+2*theme.Padding() > size.Width || need.Height > size.Height {
			t.Errorf("tab %q needs %v (the screen %v), the window is %v", o.tabs.Items[tab].Text, own, need, size)
		}
	}
	if need := windowNeeds(w.Canvas(), w.Canvas().Content()); need.Width > size.Width {
		t.Errorf("the office screen needs %v, the window is %v", need, size)
	}
	if !strings.Contains(o.compare.Text, "Previous period") || !strings.Contains(o.refresh.Text, "Show") {
		t.Errorf("English overview: %q %q", o.compare.Text, o.refresh.Text)
	}
	// Ratings are template data named in Chinese: the English ranking
	// shows their translations (excellent, good …), not 优秀 or 良好.
	o.tabs.SelectIndex(tabOverview)
	if len(o.overview.Ranking) == 0 {
		t.Fatal("no ranking in the overview")
	}
	for row := range o.overview.Ranking {
		if r := o.rankingText(row, 3); r == "" || strings.ContainsFunc(r, func(c rune) bool { return unicode.Is(unicode.Han, c) }) {
			t.Errorf("English ranking row %d rating %q", row, r)
		}
	}
}

// TestOfficeChartsFollowTheTheme: the 总览's and 单位档案's charts are drawn
// on the window's background, dark in the dark theme (QA: they stayed white
// cards), white in the light one.
func TestOfficeChartsFollowTheTheme(t *testing.T) {
	u, _, _ := twoRounds(t)
	for _, variant := range []string{"dark", "light"} {
		th := NewTheme(variant)
		fyne.CurrentApp().Settings().SetTheme(th)
		bg := th.Color(theme.ColorNameBackground, fyne.CurrentApp().Settings().ThemeVariant())
		u.ShowOffice()
		v, _ := officeScreens.Load(u)
		o := v.(*officeScreen)
		o.tabs.SelectIndex(tabOverview)
		settle(u)
		o.showHistory(o.problems[0].UnitID)
		settle(u)
		corners := chartCorners(o)
		if len(corners) < 3 {
			t.Fatalf("%s: %d charts shown", variant, len(corners))
		}
		r1, g1, b1, _ := bg.RGBA()
		for i, c := range corners {
			r2, g2, b2, _ := c.RGBA()
			if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
				t.Errorf("%s theme: chart %d's corner is %v, the window's background %v", variant, i, c, bg)
			}
		}
	}
}

// TestOfficeChartsRedrawnOnThemeChange: a change of theme while the 效能办
// screen is shown (the system switching to dark, say) redraws the charts
// of 总览 and 单位档案 in the new colours, without the screen being built
// again (they kept the old theme's background until then).
func TestOfficeChartsRedrawnOnThemeChange(t *testing.T) {
	u, _, _ := twoRounds(t)
	settings := fyne.CurrentApp().Settings()
	settings.SetTheme(NewTheme("light"))
	t.Cleanup(func() { settings.SetTheme(NewTheme("light")) })
	u.ShowOffice()
	v, _ := officeScreens.Load(u)
	o := v.(*officeScreen)
	o.tabs.SelectIndex(tabOverview)
	settle(u)
	o.showHistory(o.problems[0].UnitID)
	settle(u)
	if n := len(chartCorners(o)); n < 3 {
		t.Fatalf("%d charts shown", n)
	}
	th := NewTheme("dark")
	settings.SetTheme(th)
	settle(u)
	if v, _ := officeScreens.Load(u); v.(*officeScreen) != o {
		t.Fatal("the screen was built again")
	}
	bg := th.Color(theme.ColorNameBackground, settings.ThemeVariant())
	r1, g1, b1, _ := bg.RGBA()
	got := chartCorners(o)
	if len(got) < 3 {
		t.Fatalf("%d charts after the theme change", len(got))
	}
	for i, c := range got {
		r2, g2, b2, _ := c.RGBA()
		if r1>>8 != r2>>8 || g1>>8 != g2>>8 || b1>>8 != b2>>8 {
			t.Errorf("chart %d's corner is %v after the switch to dark, the window's background %v", i, c, bg)
		}
	}
}

// chartCorners is the top-left pixel of each chart the 总览 and 单位档案 show.
func chartCorners(o *officeScreen) []color.Color {
	var out []color.Color
	for _, box := range []*fyne.Container{o.charts, o.history.scores} {
		for _, obj := range box.Objects {
			if img, ok := obj.(*canvas.Image); ok {
				b := img.Image.Bounds()
				out = append(out, img.Image.At(b.Min.X, b.Min.Y))
			}
		}
	}
	return out
}
