package app

import (
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"mingcha/inspect"
	"mingcha/office"
	"mingcha/store"
)

// 单位档案 shows a 整改报告 as a reply (date received, who sent it, its
// text) with each attached file on a row of its own; tapping a file opens
// a copy under its own name through the app's OpenURL.
func TestOfficeHistoryShowsReply(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // where the opened copies go
	u, w, o := twoRounds(t)
	var opened []*url.URL
	o.history.open = func(l *url.URL) error { opened = append(opened, l); return nil }
	o.history.copies = &replyCopies{}
	t.Cleanup(func() { _ = o.history.copies.remove() })
	unit, err := u.store.FindOfficeUnit("窗口2")
	if err != nil {
		t.Fatal(err)
	}
	probs, err := u.store.OfficeProblems(inspect.ProblemFilter{UnitID: unit.UnitID}, testClock)
	if err != nil || len(probs) == 0 {
		t.Fatalf("problems of 窗口2: %v %v", probs, err)
	}
	received := time.Date(2026, 3, 2, 0, 0, 0, 0, time.Local)
	if _, err := u.office.ReplyWith("效能办小王", office.ReplyRequest{Problems: []string{probs[0].ID}, ReceivedAt: received,
		From: "李科长", Text: "已补发胸牌，附整改照片"},
		[]store.ReplyAttachment{{Name: "整改报告.pdf", Data: []byte("%PDF-1.4 reply")}, {Name: "胸牌.jpg", Data: []byte("jpeg bytes")}}); err != nil {
		t.Fatal(err)
	}
	o.showHistory(unit.UnitID)
	h := o.history
	w.Resize(w.Canvas().Size().Max(h.content.MinSize()))
	reply, files := -1, []int{}
	for i, r := range h.rows {
		switch {
		case r.kind == rowEvent && h.hist.Timeline[r.i].Kind == store.EventReplied:
			reply = i
		case r.kind == rowReplyFile:
			files = append(files, i)
		}
	}
	if reply < 0 || len(files) != 2 || files[0] != reply+1 || files[1] != reply+2 {
		t.Fatalf("reply row %d, file rows %v", reply, files)
	}
	if keep := os.Getenv("MINGCHA_KEEP_HISTORY"); keep != "" {
		w.Resize(fyne.NewSize(1024, 768))
		h.list.ScrollTo(reply)
		if f, err := os.Create(keep); err == nil {
			_ = png.Encode(f, w.Canvas().Capture())
			f.Close()
		}
	}
	row := h.createRow()
	h.updateRow(reply, row)
	texts := strings.Join(labelTexts(row), " | ")
	if !strings.Contains(texts, "2026-03-02收到李科长的整改报告") || !strings.Contains(texts, "已补发胸牌，附整改照片") || !strings.Contains(texts, "已整改") {
		t.Errorf("the reply row: %q", texts)
	}
	h.updateRow(files[0], row)
	if texts := strings.Join(labelTexts(row), " | "); !strings.Contains(texts, "附件：整改报告.pdf（14 B）") || !strings.Contains(texts, "点击打开") {
		t.Errorf("the file row: %q", texts)
	}
	h.list.Select(files[1])
	if len(opened) != 1 || opened[0].Scheme != "file" || filepath.Base(opened[0].Path) != "胸牌.jpg" {
		t.Fatalf("opened %v", opened)
	}
	if data, err := os.ReadFile(filepath.FromSlash(opened[0].Path)); err != nil || string(data) != "jpeg bytes" {
		t.Errorf("the opened copy: %q %v", data, err)
	}
}
