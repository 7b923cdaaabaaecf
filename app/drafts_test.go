package app

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"mingcha/desk"
	"mingcha/office"
	"mingcha/store"
)

// envDraftChild makes the test binary the child of
// TestNoteTypedJustBeforeAKillIsRecovered: "db\ninspection\ntext".
const envDraftChild = "MINGCHA_TEST_DRAFT_CHILD"

func TestMain(m *testing.M) {
	if v := os.Getenv(envDraftChild); v != "" {
		os.Exit(draftChild(strings.SplitN(v, "\n", 3)))
	}
	os.Exit(m.Run())
}

// draftChild is the window of a process about to be killed: it opens the
// walk of the inspection, presses B and types the note, says "typed" on
// stdout and waits on stdin. Its scheduler is a queue nobody runs, so the
// pause after typing never ends in a save: the kill always falls within it.
func draftChild(args []string) int {
	if len(args) != 3 {
		return 2
	}
	a := test.NewApp()
	s, err := store.Open(args[0], store.Options{NoBackup: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	w := test.NewWindow(nil)
	w.Resize(fyne.NewSize(1024, 768))
	u := newUI(a, w, desk.New(s, desk.Keys{}), office.New(s, office.Keys{}), &testQueue{})
	u.ShowWalk(args[1], 0)
	test.TypeOnCanvas(w.Canvas(), "b")
	if w.Canvas().Focused() != u.walk.note {
		fmt.Fprintln(os.Stderr, "B did not focus the note")
		return 2
	}
	test.Type(u.walk.note, args[2])
	fmt.Println("typed")
	_, _ = io.Copy(io.Discard, os.Stdin) // until killed (or the parent gives up)
	return 3
}

// TestNoteTypedJustBeforeAKillIsRecovered: a note typed into the walk of a
// child process that is killed (SIGKILL) before the pause in typing has
// saved it is not in the database, and the next open puts it there through
// the store's named edit, opens the walk at the item and says so on the
// status line; the draft is gone afterwards.
func TestNoteTypedJustBeforeAKillIsRecovered(t *testing.T) {
	u, w, s := newTestUI(t)
	id := createInspection(t, u)
	code := u.walk.items[0].Code
	u.ShowHome()
	db := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	const note = "胸牌未佩戴，窗口 3 无人"

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envDraftChild+"="+strings.Join([]string{db, id, note}, "\n"))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "typed\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("child said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	var exit *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &exit) || exit.Exited() {
		t.Fatalf("the child was not killed: %v", err)
	}

	s2, err := store.Open(db, store.Options{NoBackup: true, Now: s.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	in, err := s2.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Answers[code]; a != nil && a.Note != "" {
		t.Fatalf("the note was saved before the kill (%q): the test did not kill within the pause", a.Note)
	}
	audit, err := s2.AuditFor("inspection/" + id)
	if err != nil {
		t.Fatal(err)
	}

	u2 := newUIOn(u.app, w, s2)
	u2.Restore()
	if u2.walk == nil || u2.walk.items[u2.walk.cur].Code != code {
		t.Fatalf("the recovered note's item is not shown")
	}
	if got := u2.walk.note.Text; got != note {
		t.Fatalf("note on the screen %q, want %q", got, note)
	}
	if want := "已恢复程序结束前在 " + code + " 备注中输入、尚未保存的文字"; u2.walk.status.Text != want {
		t.Fatalf("status %q, want %q", u2.walk.status.Text, want)
	}
	in, err = s2.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	if a := in.Answers[code]; a == nil || a.Note != note {
		t.Fatalf("stored answer %+v, want the note %q", a, note)
	}
	after, err := s2.AuditFor("inspection/" + id)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(audit)+1 || after[len(after)-1].Action != "answer.set" {
		t.Fatalf("audit: %d entries then %d (last %+v), want one answer.set more", len(audit), len(after), after[len(after)-1])
	}
	left, _ := os.ReadDir(store.DraftDir(db))
	if len(left) != 0 {
		t.Fatalf("drafts left after recovery: %v", left)
	}
	// Recovered once: the next open has nothing to say.
	if u3 := newUIOn(u.app, w, s2); u3.recoverDrafts() {
		t.Fatal("recovered twice")
	}
}

// TestProblemFieldsTypedBeforeAKillAreRecovered: the review's 责任人 and
// 整改期限, typed and not yet saved when the process ends (the pause cut
// short as a kill would), are recovered on the next open, and the review
// shows them with the status line saying so, in English too.
func TestProblemFieldsTypedBeforeAKillAreRecovered(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	id := createInspection(t, u)
	walkAll(t, u, c)
	u.ShowReview(id)
	test.Tap(u.review.complete)
	r := u.review
	test.Type(r.responsible[0], "王芳")
	r.deadlines[1].SetText("2026-03-20")
	for _, pe := range r.edits {
		pe.typing.stop() // killed: the pause never ends
	}
	if in, _ := s.Inspection(id); in.Problems[0].Responsible != "" {
		t.Fatalf("saved before the kill: %q", in.Problems[0].Responsible)
	}

	u2 := newUIOn(u.app, w, s)
	englishMessages(t, u2)
	u2.Restore()
	if u2.review == nil {
		t.Fatal("the review is not shown")
	}
	if want := "Recovered 2 fields typed before the program ended"; u2.review.status.Text != want {
		t.Fatalf("status %q, want %q", u2.review.status.Text, want)
	}
	if got := u2.review.responsible[0].Text; got != "王芳" {
		t.Fatalf("responsible on the screen %q", got)
	}
	if got := u2.review.deadlines[1].Text; got != "2026-03-20" {
		t.Fatalf("deadline on the screen %q", got)
	}
	left, _ := os.ReadDir(store.DraftDir(s.Path()))
	if len(left) != 0 {
		t.Fatalf("drafts left after recovery: %v", left)
	}
}

// TestSavedNoteLeavesNoDraft: once the pause has saved the note its draft
// is gone, and a text answer's too; what the database holds is not
// "recovered" at the next open.
func TestSavedNoteLeavesNoDraft(t *testing.T) {
	u, w, s := newTestUI(t)
	c := w.Canvas()
	createInspection(t, u)
	wk := u.walk
	test.TypeOnCanvas(c, "b")
	test.Type(wk.note, "无异常")
	dir := store.DraftDir(s.Path())
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 1 {
		t.Fatalf("while typing: drafts %v, want one", files)
	}
	waitPause(u, &wk.typing)
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Fatalf("after the save: drafts %v", files)
	}
	if u2 := newUIOn(u.app, w, s); u2.recoverDrafts() {
		t.Fatal("a saved note was recovered")
	}
}
