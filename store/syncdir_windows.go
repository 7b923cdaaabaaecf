package store

import "os"

// syncOpenDir does nothing on Windows: a folder cannot be flushed there
// (FlushFileBuffers on a folder handle is "Access denied"), and NTFS
// journals renames itself.
func syncOpenDir(*os.File) error { return nil }
