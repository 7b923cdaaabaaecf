package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"mingcha/inspect"
)

var crashRuns = flag.Int("crash.runs", 200, "kill-and-reopen rounds of TestCrashKeepsAcknowledgedSaves (1000 for the long run)")

func pngBytes(tb testing.TB, w, h int) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.RGBA{200, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// child starts this test binary running only the named helper test.
func child(t *testing.T, helper string, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^"+helper+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	return cmd
}

func startHolder(t *testing.T, path string) (*exec.Cmd, <-chan struct{}) {
	cmd := child(t, "TestHelperHold", "MINGCHA_HOLD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "READY" {
				close(ready)
			}
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd, ready
}

// TestHelperHold is not a test: as a child process it holds a database open.
func TestHelperHold(t *testing.T) {
	path := os.Getenv("MINGCHA_HOLD_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := Open(path, Options{NoBackup: true})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	defer s.Close()
	fmt.Println("READY")
	time.Sleep(time.Minute)
}

// TestHelperSaver is not a test: as a child process it saves answers as fast
// as it can and prints "ACK n" after each save Open acknowledged.
func TestHelperSaver(t *testing.T) {
	path := os.Getenv("MINGCHA_CRASH_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	s, err := Open(path, Options{BackupEvery: 50})
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	id := os.Getenv("MINGCHA_CRASH_ID")
	if dir := os.Getenv("MINGCHA_CRASH_FOLDER"); dir != "" {
		// A full backup to a folder runs beside the saves, again and again.
		go func() {
			for {
				if _, err := s.BackupToFolder(dir); err != nil {
					fmt.Println("ERR folder backup:", err)
					os.Exit(1)
				}
			}
		}()
	}
	in, err := s.Inspection(id)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	n := 0
	if a := in.Answers["A2"]; a != nil {
		n, _ = strconv.Atoi(a.Note)
	}
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "READY")
	w.Flush()
	for {
		n++
		res := inspect.ResultPass
		if n%2 == 0 {
			res = inspect.ResultFail
		}
		if _, err := s.SaveAnswer("crash", id, inspect.Answer{ItemCode: "A2", Result: res, Note: strconv.Itoa(n)}); err != nil {
			fmt.Fprintln(w, "ERR", err)
			w.Flush()
			os.Exit(1)
		}
		fmt.Fprintln(w, "ACK", n)
		w.Flush()
	}
}

func TestCrashKeepsAcknowledgedSaves(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	s.Close()
	rng := rand.New(rand.NewSource(1))
	lastAck, total := 0, 0
	for round := 0; round < *crashRuns; round++ {
		cmd := child(t, "TestHelperSaver", "MINGCHA_CRASH_DB="+path, "MINGCHA_CRASH_ID="+in.ID)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		acks := make(chan int, 1<<16)
		errc := make(chan string, 1)
		go func() {
			defer close(acks)
			for sc.Scan() {
				line := sc.Text()
				switch {
				case line == "READY":
					acks <- 0
				case strings.HasPrefix(line, "ACK "):
					n, _ := strconv.Atoi(line[4:])
					acks <- n
				case strings.HasPrefix(line, "ERR"):
					errc <- line
				}
			}
		}()
		select {
		case <-acks: // READY
		case e := <-errc:
			t.Fatalf("round %d: child: %s", round, e)
		case <-time.After(20 * time.Second):
			t.Fatalf("round %d: child did not start", round)
		}
		time.Sleep(time.Duration(rng.Intn(40)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		for n := range acks {
			if n > lastAck {
				lastAck = n
			}
			total++
		}
		select {
		case e := <-errc:
			t.Fatalf("round %d: child: %s", round, e)
		default:
		}
	}
	s2 := mustOpenAt(t, path, Options{NoBackup: true})
	if err := s2.Check(); err != nil {
		t.Fatal(err)
	}
	got, err := s2.Inspection(in.ID)
	if err != nil {
		t.Fatal(err)
	}
	final, _ := strconv.Atoi(got.Answers["A2"].Note)
	if final < lastAck {
		t.Fatalf("acknowledged save %d lost: database has %d", lastAck, final)
	}
	// Every acknowledged save left its audit entry, in order.
	entries, err := s2.AuditFor("inspection/" + in.ID + "/A2")
	if err != nil {
		t.Fatal(err)
	}
	saved := map[string]inspect.Result{}
	for _, e := range entries {
		var a inspect.Answer
		if err := json.Unmarshal(e.New, &a); err != nil {
			t.Fatal(err)
		}
		saved[a.Note] = a.Result
	}
	for n := 1; n <= lastAck; n++ {
		want := inspect.ResultPass
		if n%2 == 0 {
			want = inspect.ResultFail
		}
		if saved[strconv.Itoa(n)] != want {
			t.Fatalf("acknowledged save %d has no audit entry", n)
		}
	}
	if _, err := s2.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rounds, %d acknowledged saves, last %d, database has %d", *crashRuns, total, lastAck, final)
}
