package main

import (
	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"mingcha/app"
	"mingcha/assets"
)

// runGUI opens the window on the database at dbPath. The window opens the
// store in the background and says why if it cannot; the bundled templates
// are added to a database that lacks them.
func runGUI(dbPath string) int {
	hideOwnConsole()
	app.PrepareStore = ensureDefaultTemplates
	app.ScreenSize = primaryScreen
	a := fyneapp.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	// SIGTERM and Ctrl-C: Fyne's desktop driver catches them and ends the
	// event loop, after which app.Run saves what is pending and closes the
	// store. A handler of our own raced it and called Quit on a stopped
	// GLFW (a panic, and no clean close).
	app.Run(a, dbPath)
	return 0
}
