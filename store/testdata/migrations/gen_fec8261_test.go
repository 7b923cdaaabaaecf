//go:build fixtures

// This file wrote schema5.db. It is kept for the record, not compiled
// (testdata is outside every package): it ran as a test of package store at
// commit fec8261, the last commit whose Mingcha wrote schema 5:
//
//	mkdir /tmp/fx5 && git archive fec8261 | tar -x -C /tmp/fx5
//	cp gen_fec8261_test.go /tmp/fx5/store/
//	cd /tmp/fx5 && MINGCHA_FIXTURES=$PWD/out go test -tags fixtures ./store -run TestWriteFixtures5
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

var fixture5At = time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)

// fixture5PNG is a small drawn signature: a black diagonal on transparent.
func fixture5PNG(t *testing.T, w, h int) []byte {
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

// Drawings as schema 5 left them: MC-…-000001 (completed) has 王督查's
// signature drawn three times (two drawings no record names), 李督查's
// drawing is the same bytes as 王督查's in MC-…-000002 (one drawing, two
// records), and the 明查 draft MC-…-000003 has a 签收 drawn twice.
func TestWriteFixtures5(t *testing.T) {
	out := os.Getenv("MINGCHA_FIXTURES")
	if out == "" {
		t.Skip("MINGCHA_FIXTURES names the folder to write to")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(filepath.Join(out, "schema5.db"), Options{NoBackup: true, Now: func() time.Time { return fixture5At }})
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
	ids := []string{"MC-20261129-000001", "MC-20261130-000002", "MC-20261201-000003"}
	for i, id := range ids {
		observed := fixture5At.AddDate(0, 0, i-2)
		mode := inspect.ModeCovert
		if i == 2 {
			mode = inspect.ModeOpen
		}
		in, err := inspect.NewInspection(id, *u, tpl, mode, []string{"王督查", "李督查"}, observed, observed)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateInspection("王督查", in); err != nil {
			t.Fatal(err)
		}
		for _, a := range []inspect.Answer{{ItemCode: "A1", Counted: true}, {ItemCode: "A2", Result: inspect.ResultFail, Note: "无桌牌"},
			{ItemCode: "A3", Counted: true, Expected: 2}} {
			if _, err := s.SaveAnswer("王督查", id, a); err != nil {
				t.Fatal(err)
			}
		}
		if i < 2 {
			if _, err := s.CompleteInspection("王督查", id, 15, inspect.Holidays{}); err != nil {
				t.Fatal(err)
			}
		}
		sign := func(who string, w int) {
			if _, err := s.SetSignature(who, id, inspect.DrawnSignature{Inspector: who, PNG: fixture5PNG(t, w, 20), SignedAt: fixture5At}); err != nil {
				t.Fatal(err)
			}
		}
		switch i {
		case 0:
			sign("王督查", 60)
			sign("王督查", 61)
			sign("王督查", 62)
			sign("李督查", 70)
		case 1:
			sign("王督查", 70)
		case 2:
			for _, w := range []int{50, 51} {
				r := inspect.Receipt{Name: "张三", Post: "科长", PNG: fixture5PNG(t, w, 20)}
				if _, err := s.SetReceipt("张三", id, r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
