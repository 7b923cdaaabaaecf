package store

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"mingcha/inspect"
)

// crashRounds starts the saver child rounds times, kills it at a random
// moment and returns the highest save it acknowledged.
func crashRounds(t *testing.T, path, id string, rounds int, env ...string) int {
	t.Helper()
	rng := rand.New(rand.NewSource(2))
	lastAck := 0
	for round := 0; round < rounds; round++ {
		cmd := child(t, "TestHelperSaver", append([]string{"MINGCHA_CRASH_DB=" + path, "MINGCHA_CRASH_ID=" + id}, env...)...)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan struct{})
		done := make(chan struct{})
		var errLine string
		go func() {
			defer close(done)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				line := sc.Text()
				switch {
				case line == "READY":
					close(ready)
				case strings.HasPrefix(line, "ACK "):
					if n, _ := strconv.Atoi(line[4:]); n > lastAck {
						lastAck = n
					}
				case strings.HasPrefix(line, "ERR"):
					errLine = line
				}
			}
		}()
		select {
		case <-ready:
		case <-done:
			t.Fatalf("round %d: child ended before it was ready: %s", round, errLine)
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: child did not start", round)
		}
		time.Sleep(time.Duration(20+rng.Intn(80)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		<-done
		if errLine != "" {
			t.Fatalf("round %d: child: %s", round, errLine)
		}
	}
	return lastAck
}

func assertSavesKept(t *testing.T, path, id string, lastAck int) {
	t.Helper()
	s := mustOpenAt(t, path, Options{NoBackup: true})
	defer s.Close()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Inspection(id)
	if err != nil {
		t.Fatal(err)
	}
	final := 0
	if a := got.Answers["A2"]; a != nil {
		final, _ = strconv.Atoi(a.Note)
	}
	if final < lastAck {
		t.Fatalf("acknowledged save %d lost: database has %d", lastAck, final)
	}
	if _, err := s.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

// SIGKILL while a full backup to a folder runs beside the autosaves:
// every acknowledged save is kept, and the folder restores to a good
// database.
func TestCrashDuringFolderBackup(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	if _, err := s.AddPhoto("t", pngBytes(t, 40, 30), "p.png"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	usb := t.TempDir()
	last := crashRounds(t, path, in.ID, 12, "MINGCHA_CRASH_FOLDER="+usb)
	assertSavesKept(t, path, in.ID, last)
	if _, err := ReadFolderManifest(usb); err == nil {
		if _, err := RestoreFromFolder(filepath.Join(t.TempDir(), "laptop.db"), usb); err != nil {
			t.Fatalf("the folder left by the killed backups does not restore: %v", err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(usb, "*", ".*.tmp-*"))
	t.Logf("%d rounds, last acknowledged save %d, %d temp files left in the folder", 12, last, len(left))
}

// TestHelperCompactor is not a test: as a child process it compacts the
// database again and again.
func TestHelperCompactor(t *testing.T) {
	path := os.Getenv("MINGCHA_COMPACT_DB")
	if path == "" {
		t.Skip("helper process only")
	}
	fmt.Println("READY")
	for {
		if _, _, err := Compact(path); err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
	}
}

// SIGKILL during compaction: the file is the old one or the compacted
// one, whole, with every save made before.
func TestCrashDuringCompaction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	path := filepath.Join(t.TempDir(), "compact.db")
	s := mustOpenAt(t, path, Options{NoBackup: true})
	u, tpl := seed(t, s)
	in := newInspection(t, s, u, tpl, t0)
	s.Close()
	rng := rand.New(rand.NewSource(3))
	saved := 0
	for round := 0; round < 10; round++ {
		s := mustOpenAt(t, path, Options{NoBackup: true})
		for k := 0; k < 20; k++ {
			saved++
			if _, err := s.SaveAnswer("t", in.ID, inspect.Answer{ItemCode: "A2", Result: inspect.ResultFail, Note: strconv.Itoa(saved)}); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		cmd := child(t, "TestHelperCompactor", "MINGCHA_COMPACT_DB="+path)
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		if !sc.Scan() || sc.Text() != "READY" {
			t.Fatalf("round %d: compactor did not start", round)
		}
		time.Sleep(time.Duration(5+rng.Intn(60)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		assertSavesKept(t, path, in.ID, saved)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".compact.db.compact-*")); len(left) > 1 {
		t.Fatalf("killed compactions left %d copies", len(left))
	}
}
