//go:build windows

package app

import "os"

// volumes are the drives a file dialog offers besides the home folder
// (C:\, a USB stick's E:\ …): every letter whose root can be listed.
func volumes() []string {
	var out []string
	for c := 'A'; c <= 'Z'; c++ {
		root := string(c) + `:\`
		if _, err := os.Stat(root); err == nil {
			out = append(out, root)
		}
	}
	return out
}
