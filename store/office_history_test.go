package store

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"mingcha/inspect"
)

func TestUnitHistory(t *testing.T) {
	now := t0.AddDate(0, 2, 0)
	s := MustOpen(t, Options{NoBackup: true, Now: func() time.Time { return now }})
	u := officeUnit // on the office roster: reports meet on its id
	if err := s.PutUnit("office", &u); err != nil {
		t.Fatal(err)
	}
	imp := func(in *inspect.Inspection) {
		t.Helper()
		data, _ := json.Marshal(in)
		if r, err := s.ImportReport("office", in.ID+".pdf", data, &inspect.SignedReport{Inspection: in}); err != nil || r.Outcome != ImportAccepted {
			t.Fatalf("import %s: %+v %v", in.ID, r, err)
		}
	}
	imp(signedInspection(t, "R1", officeUnit, t0, []string{"王"},
		inspect.Answer{ItemCode: "A1", Count: 2}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}))
	other := inspect.Unit{ID: "U-2", Name: "区税务局办税厅", Department: "区税务局", Kind: inspect.UnitWindow}
	imp(signedInspection(t, "R9", other, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}))
	if _, err := s.ChangeProblem("小王", "R1/A2", inspect.ActionRectify, "已补桌牌"); err != nil {
		t.Fatal(err)
	}
	// The 回访 a month later: badges fine (closes A1), 桌牌 still wrong (reopens A2).
	imp(signedInspection(t, "R2", officeUnit, t0.AddDate(0, 1, 0), []string{"李"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail}))

	units, err := s.OfficeUnits()
	if err != nil || len(units) != 2 || units[0].UnitName != officeUnit.Name || units[0].Reports != 2 || units[0].Open != 2 {
		t.Fatalf("office units: %+v %v", units, err)
	}
	for _, key := range []string{"U-1", officeUnit.Name, officeUnit.Department + " " + officeUnit.Name} {
		h, err := s.UnitHistory(key, now)
		if err != nil {
			t.Fatalf("history of %q: %v", key, err)
		}
		if h.UnitID != "U-1" || len(h.Reports) != 2 || len(h.Problems) != 3 {
			t.Fatalf("history of %q: %d reports, %d problems", key, len(h.Reports), len(h.Problems))
		}
		var kinds []HistoryEventKind
		for _, e := range h.Timeline {
			kinds = append(kinds, e.Kind)
		}
		// R1 (Nov), the office's rectify (recorded "now", Jan), but the
		// 回访 dated by R2 (Dec) is before it.
		want := []HistoryEventKind{EventInspected, EventInspected, EventFollowUp, EventFollowUp, EventRectified}
		if !reflect.DeepEqual(kinds, want) {
			t.Fatalf("timeline %v, want %v", kinds, want)
		}
		if e := h.Timeline[4]; e.ProblemID != "R1/A2" || e.Note != "已补桌牌" || e.Who != "小王" || e.Problem == "" {
			t.Errorf("rectify event %+v", e)
		}
		if e := h.Timeline[2]; e.By != "R2" || !e.At.Equal(t0.AddDate(0, 1, 0)) {
			t.Errorf("follow-up event %+v", e)
		}
	}
	if _, err := s.UnitHistory("区不存在的单位", now); err == nil {
		t.Fatal("history of an unknown unit")
	}
}

func TestTemplateFileRoundTrip(t *testing.T) {
	s := MustOpen(t, Options{NoBackup: true})
	if v, err := s.NextTemplateVersion("t"); err != nil || v != 1 {
		t.Fatalf("next version of a new template: %d %v", v, err)
	}
	tpl, _ := inspect.ParseTemplate([]byte(testTemplate))
	if err := s.PutTemplate("office", tpl); err != nil {
		t.Fatal(err)
	}
	data, got, err := s.TemplateFile("t", 0)
	if err != nil || got.Version != 1 {
		t.Fatal(err)
	}
	back, err := inspect.ParseTemplate(data)
	if err != nil || !reflect.DeepEqual(back, tpl) {
		t.Fatalf("round trip: %v\n%s", err, data)
	}
	if v, _ := s.NextTemplateVersion("t"); v != 2 {
		t.Fatalf("next version %d", v)
	}
}

// A 整改报告 shows in the timeline as a reply: when received, who sent it,
// its text and its files by name and hash.
func TestUnitHistoryReply(t *testing.T) {
	now := t0.AddDate(0, 1, 0)
	s := MustOpen(t, Options{NoBackup: true, Now: func() time.Time { return now }})
	u := officeUnit
	if err := s.PutUnit("office", &u); err != nil {
		t.Fatal(err)
	}
	in := signedInspection(t, "R1", officeUnit, t0, []string{"王"}, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail})
	data, _ := json.Marshal(in)
	if _, err := s.ImportReport("office", "R1.pdf", data, &inspect.SignedReport{Inspection: in}); err != nil {
		t.Fatal(err)
	}
	received := t0.AddDate(0, 0, 10)
	r, err := s.RecordReply("小王", Reply{ReceivedAt: received, From: "李科长", Text: "已补桌牌", Problems: []string{"R1/A2"}},
		[]ReplyAttachment{{Name: "/tmp/整改报告.pdf", Data: []byte("%PDF-1.4 reply")}, {Name: "桌牌.jpg", Data: []byte("jpeg")}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := s.UnitHistory("U-1", now)
	if err != nil {
		t.Fatal(err)
	}
	var ev *HistoryEvent
	for i := range h.Timeline {
		if h.Timeline[i].Kind == EventReplied {
			ev = &h.Timeline[i]
		}
	}
	if ev == nil || ev.Reply == nil {
		t.Fatalf("no reply in %+v", h.Timeline)
	}
	if rp := ev.Reply; rp.From != "李科长" || rp.Text != "已补桌牌" || !rp.ReceivedAt.Equal(received) || len(rp.Files) != 2 ||
		rp.Files[0].Name != "整改报告.pdf" || rp.Files[0].SHA256 != r.Files[0].SHA256 || ev.State != inspect.ProblemRectified || ev.ProblemID != "R1/A2" {
		t.Errorf("reply event %+v %+v", ev, ev.Reply)
	}
}
