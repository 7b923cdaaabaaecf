package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// dataRoot is where the database lives by default: %LOCALAPPDATA%, not the
// roaming profile (os.UserConfigDir), which a domain would copy to and from
// the server at every logon with the database and its backups.
func dataRoot() (string, error) {
	if dir, err := windows.KnownFolderPath(windows.FOLDERID_LocalAppData, 0); err == nil && dir != "" {
		return dir, nil
	}
	if dir := os.Getenv("LOCALAPPDATA"); dir != "" {
		return dir, nil
	}
	return os.UserConfigDir()
}
