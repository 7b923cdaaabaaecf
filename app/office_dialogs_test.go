package app

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"mingcha/office"
)

// eachOfficeDialog opens the 效能办's dialogs one after another as their
// buttons do — 收到整改报告… with three long file names attached, 延期… for
// one problem and for the whole unit, 整改通知书… for the unit and for the
// period, the 通报's passphrase — calls shown with each one's name while it
// is the top overlay, then closes it.
func eachOfficeDialog(t *testing.T, o *officeScreen, shown func(name string)) {
	t.Helper()
	c := o.ui.win.Canvas()
	a := o.actions
	done := func(name string) {
		t.Helper()
		if c.Overlays().Top() == nil {
			t.Fatalf("%s: no dialog shown", name)
		}
		shown(name)
		clearOverlays(c)
	}
	o.tabs.SelectIndex(tabProblems)
	o.problemList.Select(0)
	test.Tap(a.reply)
	for _, name := range []string{"区市场监督管理局食品经营许可科整改报告（盖章扫描件）.pdf", "整改前后对比照片-1.jpg", "整改前后对比照片-2.jpg"} {
		a.addReplyFile(filepath.Join(t.TempDir(), name))
	}
	done("reply")
	test.Tap(a.extend)
	done("extend")
	a.wholeUnit.SetChecked(true)
	test.Tap(a.extend)
	done("extend-unit")
	test.Tap(a.notice)
	done("notice")
	a.wholeUnit.SetChecked(false)
	test.Tap(a.noticeAll)
	done("notice-period")
	o.tabs.SelectIndex(tabBulletin)
	o.bulletin.sign(office.BulletinRequest{}, filepath.Join(t.TempDir(), "bulletin.pdf"))
	done("passphrase")
}

// TestOfficeDialogsFitIn1024: in both languages the 效能办's dialogs
// (eachOfficeDialog), in the window a 1024×768 screen holds (1008×696),
// need no more room than it has, are shown inside it and at least as large
// as they need (the 整改报告 dialog did not grow with its list of files,
// which then overlapped its buttons).
func TestOfficeDialogsFitIn1024(t *testing.T) {
	for _, language := range []string{"zh", "en"} {
		t.Run(language, func(t *testing.T) {
			u, w, o := twoRounds(t)
			if language == "en" {
				englishMessages(t, u)
				u.ShowOffice()
				v, _ := officeScreens.Load(u)
				o = v.(*officeScreen)
			}
			size := fitScreen(fyne.NewSize(1100, 720), fyne.NewSize(1024, 768), 1)
			w.Resize(size)
			eachOfficeDialog(t, o, func(name string) {
				pop, ok := w.Canvas().Overlays().Top().(*widget.PopUp)
				if !ok {
					t.Fatalf("%s: the dialog is a %T", name, w.Canvas().Overlays().Top())
				}
				need, shown, at := pop.Content.MinSize(), pop.Content.Size(), pop.Content.Position()
				t.Logf("%s %s: needs %v, shown %v at %v", language, name, need, shown, at)
				if need.Width > size.Width || need.Height > size.Height {
					t.Errorf("%s needs %v, the window is %v", name, need, size)
				}
				if shown.Width < need.Width || shown.Height < need.Height {
					t.Errorf("%s is shown at %v, smaller than it needs (%v): its bottom is cut", name, shown, need)
				}
				if at.X < 0 || at.Y < 0 || at.X+shown.Width > size.Width || at.Y+shown.Height > size.Height {
					t.Errorf("%s is shown at %v, %v, outside the window %v", name, at, shown, size)
				}
			})
		})
	}
}
