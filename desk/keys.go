package desk

import (
	"errors"
	"os"

	"fyne.io/fyne/v2/lang"

	"mingcha/msg"
	"mingcha/report"
)

// OpenKey opens an existing key file (never creates one), trying pass,
// then Keys.Passphrase, then ask (nil: nobody can be asked).
func (d *Desk) OpenKey(path, pass string, ask func(prompt string, isNew bool) (string, error)) (*report.Identity, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, msg.KeyError(path, err)
	}
	var tries []string
	for _, p := range []string{pass, d.Keys.Passphrase} {
		if p != "" {
			tries = append(tries, p)
		}
	}
	lastErr := error(report.ErrWrongPassphrase)
	for _, p := range tries {
		id, err := report.LoadP12(data, p)
		if err == nil {
			return id, nil
		}
		if lastErr = err; !errors.Is(err, report.ErrWrongPassphrase) {
			return nil, msg.KeyError(path, err)
		}
	}
	if ask == nil {
		if len(tries) == 0 {
			return nil, ErrNeedPassphrase
		}
		return nil, msg.KeyError(path, lastErr)
	}
	p, err := ask(lang.L("passphrase of the signing key {{.Path}}", map[string]any{"Path": path}), false)
	if err != nil {
		return nil, err
	}
	id, err := report.LoadP12(data, p)
	if err != nil {
		return nil, msg.KeyError(path, err)
	}
	return id, nil
}

// Cosign adds the holder of the key at keyPath as a signer of the report
// in data; the report must verify and the holder be one of its inspectors
// who has not signed yet. It returns the co-signed file and its check.
func (d *Desk) Cosign(data []byte, keyPath, pass string, ask func(prompt string, isNew bool) (string, error)) ([]byte, *report.Verification, error) {
	id, err := d.OpenKey(keyPath, pass, ask)
	if err != nil {
		return nil, nil, err
	}
	d.remember(id.Cert.Subject.CommonName, keyPath)
	out, err := report.CosignAt(data, id, d.now())
	if err != nil {
		return nil, nil, err
	}
	v, err := report.Verify(out, report.VerifyOptions{})
	if err != nil {
		return nil, nil, err
	}
	return out, v, nil
}
