package app

import (
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Copies of opened 整改报告 files. The kept file is evidence named by its
// hash, so 单位档案 opens a copy under the file's own name in the system's
// viewer. A run's copies go in one folder of its own, mingcha-reply-<random>
// in the temp folder, made at the first open and removed when the window
// closes. A folder an earlier run left behind (the program was killed, or
// on Windows a viewer still held a copy open at close) is removed at the
// next start once it has not been written for a day: a younger one may
// belong to another copy of the program still running.

// replyCopiesPrefix begins the name of every folder of copies (also the
// per-file folders of versions before the per-run folder).
const replyCopiesPrefix = "mingcha-reply-"

// staleReplyCopies is how long a folder of copies is left alone at start.
const staleReplyCopies = 24 * time.Hour

// replyCopies is one run's folder of copies.
type replyCopies struct {
	mu   sync.Mutex
	tmp  string // the temp folder ("": os.TempDir())
	dir  string // made at the first copy
	made int    // copies written (tests)
}

// openedReplies are this run's copies, removed when the window closes.
var openedReplies = &replyCopies{}

// write puts a copy of data named name (a file's own name, already a base
// name) in the run's folder, in a subfolder per file content (sha), so that
// two files of one name do not meet; it returns the copy's path.
func (c *replyCopies) write(sha, name string, data []byte) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		tmp := c.tmp
		if tmp == "" {
			tmp = os.TempDir()
		}
		d, err := os.MkdirTemp(tmp, replyCopiesPrefix+"*")
		if err != nil {
			return "", err
		}
		c.dir = d
	}
	sub := filepath.Join(c.dir, sha[:min(16, len(sha))])
	// MkdirAll: another run's sweep may have taken a folder left unwritten
	// for a day.
	if err := os.MkdirAll(sub, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(sub, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return "", err
	}
	now := time.Now()
	_ = os.Chtimes(c.dir, now, now) // in use: not stale for another run's sweep
	c.made++
	return path, nil
}

// remove deletes the run's folder and every copy in it (the window closes).
func (c *replyCopies) remove() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		return nil
	}
	err := os.RemoveAll(c.dir)
	if err == nil {
		c.dir = ""
	}
	return err
}

// removeStaleReplyCopies deletes the folders of copies in tmp that were
// last written before now less staleReplyCopies; it returns how many it
// removed. A folder it cannot remove (a copy held open on Windows) is
// tried again at the next start.
func removeStaleReplyCopies(tmp string, now time.Time) int {
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), replyCopiesPrefix) {
			continue
		}
		info, err := e.Info()
		if err != nil || now.Sub(info.ModTime()) < staleReplyCopies {
			continue
		}
		if err := os.RemoveAll(filepath.Join(tmp, e.Name())); err != nil {
			log.Print(err)
			continue
		}
		n++
	}
	return n
}
