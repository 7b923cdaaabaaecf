//go:build unix

package store

import "os"

// syncOpenDir makes the renames and removals in the open folder d durable.
func syncOpenDir(d *os.File) error { return d.Sync() }
