package store

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// fileBasicInfo is Windows' FILE_BASIC_INFO (times in 100 ns since 1601).
type fileBasicInfo struct {
	CreationTime, LastAccessTime, LastWriteTime, ChangeTime int64
	FileAttributes                                          uint32
	_                                                       uint32
}

// changeTime is NTFS's ChangeTime (Windows' os.FileInfo has only the write
// time, which a user can set): every write, rename or attribute change
// moves it. The unit does not matter, only equality.
func changeTime(path string, _ os.FileInfo) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	var bi fileBasicInfo
	if windows.GetFileInformationByHandleEx(windows.Handle(f.Fd()), windows.FileBasicInfo,
		(*byte)(unsafe.Pointer(&bi)), uint32(unsafe.Sizeof(bi))) != nil {
		return 0
	}
	return bi.ChangeTime
}
