package app

import "fyne.io/fyne/v2"

// ScreenSize reports the screen the window opens on, in pixels; the
// default and the remembered window sizes are clamped to it. cmd/mingcha
// wires it (GLFW); nil or false keeps them as they are.
var ScreenSize func() (w, h float32, ok bool)

// fitScreen clamps a window size to a screen of pixels at scale, leaving
// room for the panels and title bar a desktop puts around a window.
func fitScreen(want, screen fyne.Size, scale float32) fyne.Size {
	if scale <= 0 {
		scale = 1
	}
	maxW := screen.Width/scale - 16
	maxH := screen.Height/scale - 72
	return fyne.NewSize(max(640, min(want.Width, maxW)), max(480, min(want.Height, maxH)))
}
