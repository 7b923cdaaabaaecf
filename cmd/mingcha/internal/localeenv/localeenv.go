// Package localeenv turns the C/POSIX locale into en_US.UTF-8 before Fyne's
// lang package reads it: Fyne cannot parse "C" and logs an error for it on
// every program start. It imports only os, so by the Go 1.21 initialisation
// order (first ready package by import path) it runs before text/template
// and therefore before fyne.io/fyne/v2/lang, which needs it.
package localeenv

import "os"

func init() { Normalize() }

// Normalize rewrites LC_ALL, LC_MESSAGES and LANG that name the C or POSIX
// locale, stopping at the first variable that names a real one.
func Normalize() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(k)
		if v == "" {
			continue
		}
		base := v
		for i := 0; i < len(v); i++ {
			if v[i] == '.' || v[i] == '@' {
				base = v[:i]
				break
			}
		}
		if base != "C" && base != "POSIX" {
			return
		}
		_ = os.Setenv(k, "en_US.UTF-8")
	}
}
