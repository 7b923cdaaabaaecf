//go:build !windows

package main

import "os"

// dataRoot is where the database lives by default: the Fyne app storage
// root's parent ($XDG_CONFIG_HOME or ~/.config).
func dataRoot() (string, error) { return os.UserConfigDir() }
