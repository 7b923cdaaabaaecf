package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"mingcha/inspect"
)

// cutLabels are the labels under o that cut their text short (an
// ellipsis) although the text is one of the program's own sentences
// (values): data such as an item's text may be cut, our words may not.
func cutLabels(o fyne.CanvasObject, values map[string]bool) []string {
	var out []string
	for _, x := range test.LaidOutObjects(o) {
		l, ok := x.(*widget.Label)
		if !ok || l.Truncation == fyne.TextTruncateOff || !values[l.Text] || !l.Visible() {
			continue
		}
		size := theme.TextSize()
		if l.SizeName != "" {
			size = theme.Size(l.SizeName)
		}
		if need := fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*theme.InnerPadding(); need > l.Size().Width+0.5 {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestWhoSignsHintWithEnglishNames: the who-signs dialog's "no key here"
// line is whole beside English names (the walk's "Li Ming", "Wang Fang"
// made the name column wider and cut the English line short: "No key on this laptop: 未数…").
func TestWhoSignsHintWithEnglishNames(t *testing.T) {
	u, w, _ := newTestUI(t)
	englishMessages(t, u)
	w.Resize(fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1))
	units, _ := u.store.Units()
	tpls, _ := u.store.Templates()
	in, err := inspect.NewInspection("en-names", units[0], &tpls[0], inspect.ModeCovert, []string{"Li Ming", "Wang Fang"}, testClock, testClock)
	if err != nil {
		t.Fatal(err)
	}
	if err := u.store.CreateInspection("test", in); err != nil {
		t.Fatal(err)
	}
	sd := u.chooseSigners(in.ID, exportChoice{path: filepath.Join(t.TempDir(), "x.pdf")}, "")
	if sd == nil || len(sd.hints) != 2 {
		t.Fatal("no who-signs dialog with two inspectors")
	}
	values := map[string]bool{}
	for _, v := range loadTranslationFile(t, "en.json") {
		values[v] = true
	}
	if cut := cutLabels(w.Canvas().Overlays().Top(), values); len(cut) > 0 {
		t.Errorf("cut: %q", cut)
	}
}

// TestEnglishReviewHasNoChinesePunctuation: the English review joins the
// inspectors with ", " and tags a 重复问题 "[Repeated problem]" — it showed
// "Li Ming、Wang Fang" and "【Repeat problem】".
func TestEnglishReviewHasNoChinesePunctuation(t *testing.T) {
	u, _, _ := newTestUI(t)
	c := u.win.Canvas()
	for i := range 2 { // the second inspection, an hour later, repeats the first one's problems
		u.Now = func() time.Time { return testClock.Add(time.Duration(i) * time.Hour) }
		id := createInspection(t, u)
		walkAll(t, u, c)
		u.ShowReview(id)
		test.Tap(u.review.complete)
	}
	englishMessages(t, u)
	u.ShowReview(u.review.in.ID)
	texts := strings.Join(shownTexts(c.Content()), "\n")
	if !strings.Contains(texts, "张三, 李四") || !strings.Contains(texts, "[Repeated problem] ") {
		t.Errorf("no \"张三, 李四\" or \"[Repeated problem] \" in:\n%s", texts)
	}
	if strings.ContainsAny(texts, "【】") || strings.Contains(texts, "张三、") { // the problems' own text (data) may hold a 、
		t.Errorf("Chinese punctuation in the English review:\n%s", texts)
	}
}
