package app

import "fyne.io/fyne/v2"

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
