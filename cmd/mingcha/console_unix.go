//go:build !windows

package main

// hideOwnConsole is for Windows; elsewhere a program started from the
// desktop has no console window.
func hideOwnConsole() {}
