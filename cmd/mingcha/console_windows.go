package main

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32              = windows.NewLazySystemDLL("kernel32.dll")
	getConsoleProcessList = kernel32.NewProc("GetConsoleProcessList")
	freeConsole           = kernel32.NewProc("FreeConsole")
)

// hideOwnConsole closes the console window Windows opened for this
// program when it was started from Explorer or a shortcut, and leaves a
// console it shares with cmd.exe or PowerShell alone. mingcha.exe is a
// console program so that its commands behave as commands there (the
// shell waits, pipes, exit codes, passphrase prompts); started with a
// console of its own, the window is all the user wants.
func hideOwnConsole() {
	var pids [2]uint32
	n, _, _ := getConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	if n == 1 { // only this process is attached: the console is ours alone
		_, _, _ = freeConsole.Call()
	}
}
