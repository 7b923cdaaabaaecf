package msg

import (
	"errors"
	"fmt"
	"io/fs"

	"fyne.io/fyne/v2/lang"

	"mingcha/report"
)

// keyFileError is a key file's problem in the user's language; errors.Is
// still finds the report package's sentinel beneath it.
type keyFileError struct {
	msg string
	err error
}

func (e *keyFileError) Error() string { return e.msg }
func (e *keyFileError) Unwrap() error { return e.err }

// KeyError names the key file and says what is wrong with it.
func KeyError(path string, err error) error {
	p := map[string]any{"Path": path}
	switch {
	case errors.Is(err, report.ErrWrongPassphrase):
		return &keyFileError{lang.L("the passphrase does not open the key file {{.Path}}", p), err}
	case errors.Is(err, report.ErrNotP12):
		return &keyFileError{lang.L("{{.Path}} is not a PKCS#12 key file (.p12)", p), err}
	case errors.Is(err, report.ErrNotCA):
		return &keyFileError{lang.L("{{.Path}} is not an office root CA key (office-ca.p12 from ca init)", p), err}
	case errors.Is(err, fs.ErrNotExist):
		return &keyFileError{lang.L("the key file {{.Path}} does not exist", p), err}
	case errors.Is(err, fs.ErrPermission):
		return &keyFileError{lang.L("the key file {{.Path}} cannot be read: permission denied", p), err}
	}
	return fmt.Errorf("%s: %w", path, err)
}
