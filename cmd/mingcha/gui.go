package main

import (
	"os"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"mingcha/app"
	"mingcha/assets"
	"mingcha/desk"
	"mingcha/office"
)

// runGUI opens the window on the database at dbPath. The window opens the
// store in the background and says why if it cannot; the bundled templates
// are added to a database that lacks them (desk.Open).
func runGUI(dbPath string) int {
	hideOwnConsole()
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	pass := os.Getenv(desk.EnvPassphrase)
	// SIGTERM and Ctrl-C: Fyne's desktop driver catches them and ends the
	// event loop, after which app.Run saves what is pending and closes the
	// store. A handler of our own raced it and called Quit on a stopped
	// GLFW (a panic, and no clean close).
	app.Run(a, app.Options{DBPath: dbPath, Keys: desk.Keys{Passphrase: pass}, OfficeKeys: office.Keys{Passphrase: pass}, ScreenSize: primaryScreen})
	return 0
}
