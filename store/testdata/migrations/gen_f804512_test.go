//go:build fixtures

// This file wrote schema4.db (and schema4.db.photos). It is kept for the
// record, not compiled (testdata is outside every package): it ran as a
// test of package store at commit f804512, the last commit whose Mingcha
// wrote schema 4:
//
//	git worktree add --detach /tmp/fx4 f804512
//	cp gen_f804512_test.go /tmp/fx4/store/
//	cd /tmp/fx4 && MINGCHA_FIXTURES=$PWD/out go test -tags fixtures ./store -run TestWriteFixtures4
package store

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/inspect"
)

var fixture4At = time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)

// fixturePNG is a small drawn signature: a black diagonal on transparent.
func fixturePNG(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.SetNRGBA(x, x*h/w, color.NRGBA{A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The inspector's side of schema 4: a unit with a roster, three covert
// inspections (a draft, a completed one, a signed one with two drawn
// signatures, 桌牌 failed with a photo where not a draft) and a signed 明查
// with the unit's 签收.
func TestWriteFixtures4(t *testing.T) {
	out := os.Getenv("MINGCHA_FIXTURES")
	if out == "" {
		t.Skip("MINGCHA_FIXTURES names the folder to write to")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(out, "schema4.db"), Options{NoBackup: true, Now: func() time.Time { return fixture4At }})
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := inspect.ParseTemplate([]byte(testTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.PutTemplate("admin", tpl); err != nil {
		t.Fatal(err)
	}
	u := &inspect.Unit{ID: "U-1", Name: "区工商局企业登记科", Department: "区工商局", Kind: inspect.UnitOffice,
		Staff: []inspect.StaffMember{{Name: "张三", Post: "科长"}, {Name: "李四"}}}
	if err := s.PutUnit("admin", u); err != nil {
		t.Fatal(err)
	}
	photo, err := s.AddPhoto("王督查", fixturePNG(t, 40, 30), "桌牌.png")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{"MC-20261117-000001", "MC-20261118-000002", "MC-20261119-000003", "MC-20261120-000004"}
	for i, id := range ids {
		observed := fixture4At.AddDate(0, 0, i-3)
		mode := inspect.ModeCovert
		if i == 3 {
			mode = inspect.ModeOpen
		}
		in, err := inspect.NewInspection(id, *u, tpl, mode, []string{"王督查", "李督查"}, observed, observed)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInspection("王督查", in); err != nil {
			t.Fatal(err)
		}
		answers := []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"},
			{ItemCode: "A3", Counted: true, Expected: 2}}
		if i == 0 {
			answers = answers[:1]
		}
		for _, a := range answers {
			if _, err := s.SaveAnswer("王督查", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if i == 0 {
			continue
		}
		if _, err := s.AttachPhoto("王督查", id, "A2", photo.Hash); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CompleteInspection("王督查", id, 15, inspect.Holidays{}); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			continue
		}
		for k, who := range []string{"王督查", "李督查"} {
			if _, err := s.SetSignature(who, id, inspect.DrawnSignature{Inspector: who, PNG: fixturePNG(t, 60+k*10+i, 20), SignedAt: fixture4At}); err != nil {
				t.Fatal(err)
			}
		}
		if mode == inspect.ModeOpen {
			r := inspect.Receipt{Name: "张三", Post: "科长", PNG: fixturePNG(t, 50, 20), Objection: true, Text: "桌牌已订制"}
			if _, err := s.SetReceipt("张三", id, r); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SignInspection("王督查", id); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
