//go:build linux

// Command mmapcheck asks whether a MAP_SHARED file mapping sees data
// written with pwrite beyond the file's end at mmap time, as Linux
// guarantees and bbolt relies on (it reads every page it wrote through one
// mapping larger than the file). Natively and under qemu-aarch64 it does;
// under qemu-loongarch64 (16 KiB guest pages on a 4 KiB host) the read
// faults, which is the SIGSEGV in bbolt's Page.FastCheck:
//
//	GOARCH=loong64 go build -o /tmp/m ./scripts/mmapcheck && qemu-loongarch64-static /tmp/m
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
