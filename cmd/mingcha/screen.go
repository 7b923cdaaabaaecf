package main

import "github.com/go-gl/glfw/v3.3/glfw"

// primaryScreen is the size of the primary monitor's current video mode in
// pixels, for the window to fit it. Fyne has set GLFW up on this (the
// main) thread by the time the window exists; without a monitor it reports
// false.
func primaryScreen() (w, h float32, ok bool) {
	defer func() {
		if recover() != nil { // GLFW not initialised: keep the defaults
			ok = false
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return 0, 0, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return 0, 0, false
	}
	return float32(mode.Width), float32(mode.Height), true
}
