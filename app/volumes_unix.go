//go:build !windows

package app

import (
	"os"
	"os/user"
	"path/filepath"
	"sort"
)

// volumes are the mounted media a file dialog offers besides the home
// folder: what the desktop mounts for a USB stick (/media/<user>/…,
// /run/media/<user>/…, UOS and Kylin do the same) and /mnt/… .
func volumes() []string {
	var parents []string
	seen := map[string]bool{}
	if u, err := user.Current(); err == nil {
		mine := filepath.Join("/media", u.Username)
		parents = append(parents, mine, filepath.Join("/run/media", u.Username))
		seen[mine] = true // its sticks are listed, not the folder itself
	}
	parents = append(parents, "/media", "/mnt")
	var out []string
	for _, parent := range parents {
		list, err := os.ReadDir(parent)
		if err != nil {
			continue
		}
		for _, e := range list {
			full := filepath.Join(parent, e.Name())
			if !e.IsDir() || seen[full] {
				continue
			}
			if _, err := os.ReadDir(full); err != nil {
				continue // a mount point that is not readable (or not mounted for us)
			}
			seen[full] = true
			out = append(out, full)
		}
	}
	sort.Strings(out)
	return out
}
