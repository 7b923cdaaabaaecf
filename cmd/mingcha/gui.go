package main

import (
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"mingcha/app"
	"mingcha/assets"
)

// runGUI opens the window on the database at dbPath. The window opens the
// store in the background and says why if it cannot; the bundled templates
// are added to a database that lacks them.
func runGUI(dbPath string) int {
	app.PrepareStore = ensureDefaultTemplates
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
