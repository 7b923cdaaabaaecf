package app

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/assets"
	"mingcha/desk"
	"mingcha/inspect"
	"mingcha/store"
)

// screen is one screen to check against testdata or write as a screenshot.
type screen struct {
	name string
	show func()
}

// screensOf walks one inspection through every screen; each step leaves
// the UI on the screen it names. The first inspection ends signed, and a
// second stays a draft so that home shows both.
func screensOf(t *testing.T, u *UI) []screen {
	var id string
	c := u.win.Canvas()
	return []screen{
		{"walk", func() {
			id = createInspection(t, u)
			walkAll(t, u, c)
			for i, it := range u.walk.items {
				if it.Kind == inspect.KindAttendance {
					u.walk.goTo(i)
				}
			}
		}},
		{"review", func() { u.ShowReview(id) }},
		{"signature", func() {
			test.Tap(u.review.complete)
			test.Tap(u.review.signButton)
			for _, name := range u.sign.in.Inspectors {
				drawSignature(u.sign.pads[name])
			}
		}},
		{"home", func() {
			test.Tap(u.sign.signBtn)
			// Observed an hour later, so that the order is fixed (ties
			// fall back to the random ids).
			u.Now = func() time.Time { return testClock.Add(time.Hour) }
			createInspection(t, u)
			u.Now = func() time.Time { return testClock }
			u.ShowHome()
		}},
		{"units", func() {
			test.Tap(u.nav.buttons[screenUnits])
			u.units.search.SetText("") // the first unit, selected
		}},
		{"templates", func() {
			test.Tap(u.nav.buttons[screenTemplates])
			tp := u.templates
			for i, r := range tp.rows {
				if r.item >= 0 && tp.flat[r.item].Kind == inspect.KindCount {
					tp.items.Select(i)
					break
				}
			}
		}},
		{"template-faults", func() {
			u.templates.importTemplate(faultyTemplate(t), "区县检查表-2026.json")
		}},
		{"settings", func() {
			clearOverlays(c)
			if err := u.store.PutSetting("test", desk.SettingIdentity, desk.Identity{Name: "张三", Unit: "区效能办"}); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				if _, err := u.store.Backup(); err != nil {
					t.Fatal(err)
				}
			}
			test.Tap(u.nav.buttons[screenSettings])
			// Paths and backup times differ on every run: show fixed ones.
			st := u.settings
			for i, p := range []string{"/home/zhang/.config/fyne/cn.mingcha.desktop/mingcha.db",
				"/home/zhang/.config/fyne/cn.mingcha.desktop/mingcha.db.photos",
				"/home/zhang/.config/fyne/cn.mingcha.desktop/backups"} {
				st.paths[i].SetText(p)
			}
			for i := range st.backups {
				// File times are the computer's (time.Local), as before the
				// office zone: the same wall-clock numbers as testClock's.
				at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC).Add(-time.Duration(i) * 26 * time.Hour).In(time.Local)
				st.backups[i] = store.BackupInfo{Path: "/backups/mingcha-" + at.UTC().Format("20060102T150405") + ".000000000-auto.db",
					Size: 1_234_567 - int64(i)*4096, ModTime: at}
			}
			st.backupList.Refresh()
		}},
	}
}

// TestScreensMarkup compares every screen with the markup in testdata (on a mismatch Fyne writes testdata/failed/*.xml).
//
// The bar shows only this file's sections, so that a section added by
// another part of the package (the 效能办) does not change these files.
func TestScreensMarkup(t *testing.T) {
	all := NavSections
	t.Cleanup(func() { NavSections = all })
	NavSections = nil
	for _, s := range all {
		switch s.Name {
		case screenHome, screenUnits, screenTemplates, screenSettings:
			NavSections = append(NavSections, s)
		}
	}
	u, w, _ := newTestUI(t)
	for _, sc := range screensOf(t, u) {
		sc.show()
		test.AssertRendersToMarkup(t, sc.name+".xml", w.Canvas())
	}
}

// TestScreenshots writes every screen as PNG into the directory named by
// MINGCHA_SCREENSHOTS (make screenshots).
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("MINGCHA_SCREENSHOTS")
	if dir == "" {
		t.Skip("MINGCHA_SCREENSHOTS not set")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	u, w, _ := newTestUI(t)
	for _, sc := range screensOf(t, u) {
		sc.show()
		f, err := os.Create(filepath.Join(dir, sc.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, w.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// drawSignature draws a few connected strokes as a hand would, each a
// series of drags ending in DragEnd.
func drawSignature(pad *SignaturePad) {
	strokes := [][]fyne.Position{
		{{X: 30, Y: 40}, {X: 60, Y: 38}, {X: 90, Y: 36}, {X: 110, Y: 40}},
		{{X: 70, Y: 20}, {X: 68, Y: 60}, {X: 60, Y: 100}, {X: 45, Y: 115}},
		{{X: 75, Y: 70}, {X: 95, Y: 90}, {X: 115, Y: 110}},
		{{X: 140, Y: 30}, {X: 180, Y: 30}, {X: 175, Y: 70}, {X: 150, Y: 110}, {X: 200, Y: 105}},
		{{X: 220, Y: 50}, {X: 260, Y: 45}, {X: 300, Y: 60}},
		{{X: 240, Y: 25}, {X: 250, Y: 80}, {X: 270, Y: 110}},
	}
	for _, s := range strokes {
		for i := 1; i < len(s); i++ {
			pad.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: s[i]},
				Dragged: fyne.Delta{DX: s[i].X - s[i-1].X, DY: s[i].Y - s[i-1].Y}})
		}
		pad.DragEnd()
	}
}

// faultyTemplate is the combined template with a bad id and version and a
// fault in every item of its first section.
func faultyTemplate(t *testing.T) []byte {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(assets.TemplateFiles()["combined.json"], &raw); err != nil {
		t.Fatal(err)
	}
	raw["id"], raw["version"] = "bad id!", 0
	for i, it := range raw["sections"].([]any)[0].(map[string]any)["items"].([]any) {
		item := it.(map[string]any)
		if i%2 == 0 {
			item["kind"] = "photo"
		} else {
			item["rule"] = map[string]any{"type": "per_violation", "deduction": 2, "cap": 1}
		}
	}
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
