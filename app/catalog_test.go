package app

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/assets"
	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/msg"
	"mingcha/store"
)

func TestNavigationBar(t *testing.T) {
	u, w, _ := newTestUI(t)
	c := w.Canvas()
	createInspection(t, u)
	if u.nav.current != screenHome {
		t.Errorf("walk highlights %q, want the inspections section", u.nav.current)
	}
	for _, name := range []string{screenUnits, screenTemplates, screenSettings, screenHome} {
		test.Tap(u.nav.buttons[name])
		if u.nav.current != name {
			t.Errorf("after tapping %s the bar highlights %q", name, u.nav.current)
		}
		for key, b := range u.nav.buttons {
			if (key == name) != (b.Importance == widget.HighImportance) {
				t.Errorf("%s: button %s importance %d", name, key, b.Importance)
			}
		}
	}
	if u.home == nil || u.walk != nil {
		t.Fatal("the home button did not show home")
	}
	// The walk's keys are gone once it is left.
	if c.OnTypedRune() != nil || c.OnTypedKey() != nil {
		t.Error("keyboard handlers of the walk survive on another screen")
	}
}

func TestRestoreLastScreen(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	u.walk.goTo(5)
	test.Tap(u.nav.buttons[screenTemplates]) // leaving the walk stores its item
	test.Tap(u.nav.buttons[screenUnits])

	restored := func() *UI {
		r := newUIOn(u.app, w, s)
		r.storeOpts = u.storeOpts
		r.Restore()
		return r
	}
	if r := restored(); r.units == nil || r.nav.current != screenUnits {
		t.Fatal("units were not restored")
	}

	u.ShowWalk(id, 7)
	u.rememberItem() // what closing the window does
	if r := restored(); r.walk == nil || r.walk.in.ID != id || r.walk.cur != 7 {
		t.Fatalf("walk not restored at item 7 of %s", id)
	}

	u.ShowReview(id)
	if r := restored(); r.review == nil || r.review.in.ID != id {
		t.Fatal("review not restored")
	}

	// A walk of an inspection that has been completed opens its review; a
	// deleted one opens home.
	u.ShowWalk(id, 0)
	if _, err := s.CompleteInspection("test", id, inspect.DefaultDeadlineDays, inspect.Holidays{}); err == nil {
		if r := restored(); r.review == nil {
			t.Error("a completed inspection's walk did not restore as its review")
		}
	}
	u.app.Preferences().SetString(prefInspection, "no-such-id")
	if r := restored(); r.home == nil {
		t.Error("a missing inspection did not restore as home")
	}
}

func TestApplyLanguage(t *testing.T) {
	for _, tt := range []struct {
		pref, lcAll, wantLang, wantLanguage string
	}{
		{"en", "", "en_US.UTF-8", "en_US"},
		{"zh", "", "zh_CN.UTF-8", "zh_CN"},
		{"en", "C", "en_US.UTF-8", "en_US"},
		{"", "", "de_DE.UTF-8", ""}, // the system's, untouched
	} {
		t.Setenv("LANG", "de_DE.UTF-8")
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_ALL", tt.lcAll)
		t.Setenv("LC_MESSAGES", "")
		applyLanguage(tt.pref)
		if os.Getenv("LANG") != tt.wantLang || os.Getenv("LANGUAGE") != tt.wantLanguage {
			t.Errorf("%q: LANG=%q LANGUAGE=%q", tt.pref, os.Getenv("LANG"), os.Getenv("LANGUAGE"))
		}
		if tt.lcAll == "C" && os.Getenv("LC_ALL") != tt.wantLang {
			t.Errorf("LC_ALL=C left in place, which hides LANGUAGE")
		}
	}
	// And Fyne's lang follows it.
	t.Setenv("LC_ALL", "")
	t.Setenv("LANG", "zh_CN.UTF-8")
	applyLanguage("en")
	if err := msg.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = msg.LoadTranslations() })
	if got := msg.Of(store.ErrNotFound); got != "The record was not found." {
		t.Errorf("after choosing English: %q", got)
	}
}

func TestHomeDateFilter(t *testing.T) {
	u, _, s := newTestUI(t)
	units, _ := s.Units()
	tpls, _ := s.Templates()
	// One inspection a day, 2026-02-20 … 2026-03-01 at 15:00.
	for d := 0; d < 10; d++ {
		at := time.Date(2026, 2, 20+d, 15, 0, 0, 0, time.Local)
		in, err := inspect.NewInspection(store.NewID(at), units[0], &tpls[0], inspect.ModeOpen, []string{"张三"}, at, testClock)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInspection("test", in); err != nil {
			t.Fatal(err)
		}
	}
	u.ShowHome()
	h := u.home
	set := func(from, to string) int {
		h.from.SetText(from)
		h.to.SetText(to)
		h.debounce.flush()
		return h.length()
	}
	for _, tt := range []struct {
		from, to string
		want     int
	}{
		{"", "", 10},
		{"2026-02-25", "", 5},           // 25th … 1st
		{"", "2026-02-22", 3},           // the whole of the 22nd counts
		{"2026-02-22", "2026-02-22", 1}, // one day
		{"2026-02-26", "2026-02-24", 0},
		{"2026-02-2", "", 10}, // still being typed: no filter yet
	} {
		if got := set(tt.from, tt.to); got != tt.want {
			t.Errorf("from %q to %q: %d rows, want %d", tt.from, tt.to, got, tt.want)
		}
	}
	if err := h.from.Validate(); err == nil || !strings.Contains(err.Error(), "2006-01-02") {
		t.Errorf("a half-typed date validates: %v", err)
	}
	// Dates combine with the search and the status.
	set("2026-02-25", "")
	h.status.SetSelectedIndex(1) // drafts
	if h.length() != 5 {
		t.Errorf("drafts from the 25th: %d", h.length())
	}
	h.search.SetText("不存在")
	h.debounce.flush()
	if h.length() != 0 {
		t.Errorf("search and dates: %d", h.length())
	}
}

func TestUnitsAddEditValidateDelete(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	u.ShowUnits()
	us := u.units
	if us.list.Length() != 1 || us.editingID == "" || us.name.Text != "企业登记科" {
		t.Fatalf("units screen: %d rows, editing %q %q", us.list.Length(), us.editingID, us.name.Text)
	}

	// Add a unit with a roster of two.
	test.Tap(us.add)
	if us.editingID != "" || us.name.Text != "" || c.Focused() != us.name {
		t.Fatal("add did not open an empty, focused editor")
	}
	test.Type(us.name, "婚姻登记处")
	test.Type(us.department, "区民政局")
	us.kind.SetSelected("服务窗口")
	test.Type(us.address, "和平街 6 号")
	test.Tap(us.addStaff)
	test.Type(us.staff[0].name, "高红")
	test.Type(us.staff[0].post, "登记员")
	test.Type(us.staff[0].window, "1")
	test.Tap(us.addStaff)
	test.Type(us.staff[1].name, "马超")
	test.Tap(us.addStaff) // left empty: dropped on save
	test.Tap(us.save)
	if !strings.Contains(us.status.Text, "已保存") || us.errors.Visible() {
		t.Fatalf("save: status %q errors %q", us.status.Text, us.errors.Text)
	}
	id := us.editingID
	got, err := s.Unit(id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "婚姻登记处" || got.Department != "区民政局" || got.Kind != inspect.UnitWindow || got.Address != "和平街 6 号" ||
		len(got.Staff) != 2 || got.Staff[0] != (inspect.StaffMember{Name: "高红", Post: "登记员", Window: "1"}) || got.Staff[1].Name != "马超" {
		t.Errorf("stored unit %+v", got)
	}
	if us.list.Length() != 2 || len(us.staff) != 2 {
		t.Errorf("%d units listed, %d staff rows", us.list.Length(), len(us.staff))
	}

	// Every fault is listed at once, in Chinese.
	us.name.SetText("")
	test.Tap(us.addStaff)
	test.Type(us.staff[2].post, "科员") // a person without a name
	us.staff[1].name.SetText("高红")    // the same name twice
	test.Tap(us.save)
	for _, want := range []string{"请填写单位名称。", "第 3 名工作人员：请填写姓名。", "第 2 名工作人员：高红 重复。"} {
		if !strings.Contains(us.errors.Text, want) || !us.errors.Visible() {
			t.Errorf("errors %q lack %q", us.errors.Text, want)
		}
	}
	if got, _ := s.Unit(id); got.Name != "婚姻登记处" {
		t.Error("an invalid unit was stored")
	}

	// Edit: a new name, one person removed.
	us.name.SetText("区民政局婚姻登记处")
	test.Tap(us.staff[2].remove)
	test.Tap(us.staff[1].remove)
	test.Tap(us.save)
	got, _ = s.Unit(id)
	if got.Name != "区民政局婚姻登记处" || len(got.Staff) != 1 {
		t.Errorf("after edit: %+v", got)
	}

	// Search filters the list.
	us.search.SetText("婚姻")
	if us.list.Length() != 1 {
		t.Errorf("search: %d units", us.list.Length())
	}
	us.search.SetText("")

	// A unit with inspections cannot be deleted: the store says why.
	in, _ := inspect.NewInspection("i1", u.mustUnit(t, "企业登记科"), u.mustTemplate(t), inspect.ModeOpen, []string{"张三"}, testClock, testClock)
	if err := s.CreateInspection("test", in); err != nil {
		t.Fatal(err)
	}
	us.list.Select(indexOfUnit(us, "企业登记科"))
	test.Tap(us.delete)
	if !strings.Contains(overlayText(c), "删除“企业登记科”及其工作人员名单？") {
		t.Errorf("no confirmation: %q", overlayText(c))
	}
	clearOverlays(c)
	us.doDelete()
	if !strings.Contains(overlayText(c), "该单位已有 1 条检查记录，不能删除。") {
		t.Errorf("refusal shown as %q", overlayText(c))
	}
	clearOverlays(c)
	if _, err := s.Unit(in.UnitID); err != nil {
		t.Error("the unit in use was deleted")
	}

	// One without inspections goes.
	us.list.Select(indexOfUnit(us, "区民政局婚姻登记处"))
	us.doDelete()
	if _, err := s.Unit(id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted unit still there: %v", err)
	}
	if us.list.Length() != 1 {
		t.Errorf("%d units listed after delete", us.list.Length())
	}
}

func indexOfUnit(us *unitsScreen, name string) int {
	for i, u := range us.shown {
		if u.Name == name {
			return i
		}
	}
	return -1
}

func (u *UI) mustUnit(t *testing.T, name string) inspect.Unit {
	t.Helper()
	units, err := u.store.Units()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range units {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("no unit %s", name)
	return inspect.Unit{}
}

func (u *UI) mustTemplate(t *testing.T) *inspect.Template {
	t.Helper()
	tpls, err := u.store.Templates()
	if err != nil || len(tpls) == 0 {
		t.Fatal("no template", err)
	}
	return &tpls[0]
}

func TestTemplatesViewAndImport(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	u.ShowTemplates()
	ts := u.templates
	if ts.list.Length() != 1 || ts.shown == nil || ts.shown.ID != "combined" {
		t.Fatal("the combined template is not listed and shown")
	}
	if want := len(ts.shown.Sections) + len(ts.shown.Items()); len(ts.rows) != want {
		t.Errorf("%d rows, want %d sections and items", len(ts.rows), want)
	}
	if !strings.Contains(ts.info.Text, "编号 combined · 第 1 版 · 满分 100 · 共 42 项") {
		t.Errorf("info %q", ts.info.Text)
	}
	// An item shows its guidance and rule in full.
	for i, r := range ts.rows {
		if r.item >= 0 && ts.flat[r.item].Code == "SP-01" {
			ts.items.Select(i)
		}
	}
	it, _ := ts.shown.Item("SP-01")
	if !strings.Contains(ts.itemDetail.Text, it.Guidance) || !strings.Contains(ts.itemDetail.Text, "每处扣 1 分，最多扣 3 分") {
		t.Errorf("item detail %q", ts.itemDetail.Text)
	}

	// A file with several faults: each one listed, with its place, in Chinese.
	base := assets.TemplateFiles()["combined.json"]
	var raw map[string]any
	if err := json.Unmarshal(base, &raw); err != nil {
		t.Fatal(err)
	}
	raw["id"] = "bad id!"
	raw["version"] = 0
	sec0 := raw["sections"].([]any)[0].(map[string]any)
	item0 := sec0["items"].([]any)[0].(map[string]any)
	item0["kind"] = "photo"
	item1 := sec0["items"].([]any)[1].(map[string]any)
	item1["code"] = item0["code"]
	bad, _ := json.Marshal(raw)
	_, perr := inspect.ParseTemplate(bad)
	var ve inspect.ValidationErrors
	if !errors.As(perr, &ve) || len(ve) < 4 {
		t.Fatalf("test file should have at least 4 faults: %v", perr)
	}
	if ts.importTemplate(bad, "bad.json") {
		t.Fatal("a faulty template was imported")
	}
	if len(ts.faults) != len(ve) || ts.faultList.Length() != len(ve) {
		t.Errorf("%d faults listed, want %d", len(ts.faults), len(ve))
	}
	all := strings.Join(ts.faults, "\n")
	for _, want := range []string{
		"id：编号须为 1–32 个字母",
		"version：版本号须为 1 或更大。",
		"sections[0] (SP).items[0] (SP-01).kind：“photo”不是允许的取值。",
		"sections[0] (SP).items[1] (SP-01).code：项目编码“SP-01”已被 sections[0] (SP).items[0] (SP-01) 使用。",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("faults lack %q:\n%s", want, all)
		}
	}
	if !strings.Contains(overlayText(c), "bad.json 未导入：共") {
		t.Errorf("dialog: %q", overlayText(c))
	}
	clearOverlays(c)

	// A JSON error names line and column.
	if ts.importTemplate([]byte("{\n  \"id\": \"x\",\n  \"colour\": 1\n}"), "typo.json") {
		t.Fatal("imported an unknown field")
	}
	if len(ts.faults) != 1 || ts.faults[0] != "检查表 JSON：未知字段 colour（第 3 行第 3 列）。" {
		t.Errorf("faults %q", ts.faults)
	}
	clearOverlays(c)

	// A good new template is stored and shown.
	good := strings.Replace(string(base), `"id": "combined"`, `"id": "window-2026"`, 1)
	if good == string(base) {
		t.Fatal("could not rename the template")
	}
	if !ts.importTemplate([]byte(good), "window.json") {
		t.Fatalf("import failed: %q %q", ts.faults, overlayText(c))
	}
	if ts.list.Length() != 2 || ts.shown.ID != "window-2026" || !strings.Contains(ts.status.Text, "已导入") {
		t.Errorf("after import: %d listed, showing %s, status %q", ts.list.Length(), ts.shown.ID, ts.status.Text)
	}
	if _, err := s.Template("window-2026", 1); err != nil {
		t.Error(err)
	}
	// The same file again is fine; a change under the same version is not.
	if !ts.importTemplate([]byte(good), "window.json") {
		t.Error("importing the same template twice failed")
	}
	changed := strings.Replace(good, `"full_score": 100`, `"full_score": 90`, 1)
	if ts.importTemplate([]byte(changed), "window.json") {
		t.Error("a changed template replaced a stored version")
	}
	if !strings.Contains(overlayText(c), "检查表 window-2026 的第 1 版已存在且内容不同") {
		t.Errorf("conflict shown as %q", overlayText(c))
	}
}

// Every template fault the inspect package can report has a Chinese text.
func TestTemplateFaultKeysTranslated(t *testing.T) {
	newTestUI(t)
	data, err := os.ReadFile("../inspect/template.go")
	if err != nil {
		t.Fatal(err)
	}
	src := string(data)
	for _, part := range strings.Split(src, `"template.`)[1:] {
		key := "template." + part[:strings.IndexByte(part, '"')]
		e := &inspect.Error{Key: key, Message: "ENGLISH", Params: map[string]any{"Place": "P"}}
		if got := msg.Of(e); got == "ENGLISH" || !strings.ContainsFunc(got, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%s → %q", key, got)
		}
	}
}

func TestSettingsIdentityThemeLanguage(t *testing.T) {
	u, _, s := newTestUI(t)
	u.ShowSettings()
	st := u.settings
	test.Type(st.name, "张三")
	test.Type(st.unit, "区效能办")
	test.Tap(st.saveIdentity)
	var id desk.Identity
	if ok, err := s.Setting(desk.SettingIdentity, &id); !ok || err != nil || id != (desk.Identity{Name: "张三", Unit: "区效能办"}) {
		t.Errorf("identity %+v %v %v", id, ok, err)
	}
	if u.who() != "张三" {
		t.Errorf("who() = %q", u.who())
	}
	// New inspections propose the identity when nobody was remembered.
	u.ShowNewInspection()
	if u.form.inspectors.Text != "张三" {
		t.Errorf("new inspection proposes %q", u.form.inspectors.Text)
	}

	u.ShowSettings()
	st = u.settings
	st.theme.SetSelected("深色")
	if got := u.app.Preferences().String(prefTheme); got != "dark" {
		t.Errorf("theme preference %q", got)
	}
	dark := NewTheme("dark").Color(theme.ColorNameBackground, theme.VariantLight)
	if got := u.app.Settings().Theme().Color(theme.ColorNameBackground, theme.VariantLight); got != dark {
		t.Error("the dark theme was not applied at once")
	}
	st.theme.SetSelected("浅色")
	if u.app.Preferences().String(prefTheme) != "light" {
		t.Error("light not stored")
	}

	st.language.SetSelected("English")
	if got := u.app.Preferences().String(prefLanguage); got != "en" {
		t.Errorf("language preference %q", got)
	}
	if !strings.Contains(st.languageNote.Text, "重新启动") {
		t.Errorf("no restart note: %q", st.languageNote.Text)
	}
	st.language.SetSelected("跟随系统")
	if got := u.app.Preferences().String(prefLanguage); got != "" {
		t.Errorf("system language stored as %q", got)
	}
	if !strings.HasSuffix(st.paths[0].Text, "mingcha.db") {
		t.Errorf("database path %q", st.paths[0].Text)
	}
}

func TestSettingsBackupAndRestore(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	u.ShowSettings()
	st := u.settings
	if len(st.backups) != 0 || !st.restore.Disabled() {
		t.Fatal("a new database has backups")
	}
	test.Tap(st.backupNow)
	if st.backupStatus.Text != "正在备份…" {
		t.Errorf("status while backing up: %q", st.backupStatus.Text)
	}
	settle(u)
	if len(st.backups) != 1 {
		t.Fatalf("%d backups listed after the backup", len(st.backups))
	}
	if !strings.Contains(st.backupStatus.Text, "已备份到") {
		t.Errorf("status %q", st.backupStatus.Text)
	}

	// A change after the backup, then restore: the change is gone.
	later := inspect.Unit{Name: "备份后添加的单位", Kind: inspect.UnitOther}
	if err := s.PutUnit("test", &later); err != nil {
		t.Fatal(err)
	}
	st.backupList.Select(0)
	if st.restore.Disabled() {
		t.Fatal("restore stays disabled with a backup selected")
	}
	test.Tap(st.restore)
	if !strings.Contains(overlayText(c), "此后的修改将丢失") {
		t.Errorf("no confirmation: %q", overlayText(c))
	}
	clearOverlays(c)
	st.doRestore(st.backups[0].Path)
	if u.store == s || u.store == nil {
		t.Fatal("the store was not reopened")
	}
	t.Cleanup(func() { u.store.Close() })
	if _, err := u.store.Unit(later.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the unit added after the backup survived the restore: %v", err)
	}
	if units, _ := u.store.Units(); len(units) != 1 {
		t.Error("the backed-up unit is gone")
	}
	if u.settings == nil || !strings.Contains(u.settings.backupStatus.Text, "已恢复") {
		t.Error("settings not shown again with the outcome")
	}
	// The old store is closed: using it fails cleanly.
	if _, err := s.Units(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("the replaced store: %v, want store.ErrClosed", err)
	}
}

func TestOpenerHandsOverOrClosesTheStore(t *testing.T) {
	test.NewTempApp(t)
	path := t.TempDir() + "/mingcha.db"
	q := &testQueue{}
	var got *store.Store
	o := opener{sched: q}
	o.open(path, desk.Keys{}, func(d *desk.Desk, err error) {
		if err != nil {
			t.Fatal(err)
		}
		got = d.Store
	})
	o.wg.Wait()
	if q.run() != 1 || got == nil {
		t.Fatal("no store handed over")
	}
	got.Close()
	free := func(when string) {
		t.Helper()
		s, err := store.Open(path, store.Options{NoBackup: true, Timeout: 50 * time.Millisecond})
		if err != nil {
			t.Fatalf("%s: the late store was left open: %v", when, err)
		}
		s.Close()
	}

	// The window closed before the store opened: the opener closes it, so
	// the file is free again and done is never called.
	late := opener{sched: q}
	late.close()
	late.open(path, desk.Keys{}, func(*desk.Desk, error) { t.Error("done called after close") })
	late.wg.Wait()
	q.run()
	free("closed before the store opened")

	// The window closed while the hand-over waited in the event queue.
	queued := opener{sched: q}
	queued.open(path, desk.Keys{}, func(*desk.Desk, error) { t.Error("done called after close") })
	queued.wg.Wait()
	queued.close()
	if q.run() != 1 {
		t.Fatal("the hand-over was not queued")
	}
	free("closed while the hand-over was queued")
}
