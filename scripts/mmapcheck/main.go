// Does a MAP_SHARED file mapping see data written with pwrite beyond the
// file's end at mmap time (as on Linux)? bbolt depends on it.
package main

import (
	"fmt"
	"os"
	"syscall"
)

func main() {
	f, _ := os.CreateTemp("", "m")
	defer os.Remove(f.Name())
	f.Write(make([]byte, 4096)) // the file: one 4 KiB page
	m, err := syscall.Mmap(int(f.Fd()), 0, 1<<16, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		fmt.Println("mmap:", err)
		return
	}
	fmt.Println("page size:", os.Getpagesize())
	f.WriteAt([]byte("written after mmap"), 40960) // grows the file past 40 KiB
	fmt.Printf("read through the mapping at 40960: %q\n", m[40960:40960+18])
}
