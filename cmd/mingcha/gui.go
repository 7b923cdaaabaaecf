package main

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"mingcha/app"
	"mingcha/assets"
	"mingcha/store"
)

// runGUI opens the window on the database at dbPath. The bundled templates
// are added to a database that lacks them first; if the database cannot be
// opened here, the window says why.
func runGUI(dbPath string) int {
	if s, err := store.Open(dbPath, store.Options{NoBackup: true}); err == nil {
		_ = ensureDefaultTemplates(s)
		_ = s.Close()
	}
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	// SIGTERM / Ctrl-C close the window the normal way, so the store is
	// closed and a running backup finishes.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sig
		fyne.Do(a.Quit)
	}()
	app.Run(a, dbPath)
	return 0
}
