// Package inspect owns the domain of 机关服务效能 明查暗访: units, checklist
// templates, inspections, answers, scoring, problems (问题) and their
// rectification (整改). It imports nothing outside the standard library, so
// every rule here is tested without storage, PDF or GUI.
package inspect

import (
	"fmt"
	"strings"
)

// Error codes. The code is the translation key the UI and CLI localise
// (assets/translations); Message is the English fallback.
const (
	ECodeInvalid     = "invalid"
	ECodeNotFound    = "not_found"
	ECodeConflict    = "conflict"
	ECodeForbidden   = "forbidden"
	ECodeIncomplete  = "incomplete"
	ECodeUnsupported = "unsupported"
)

// Error is a domain error: a machine code, a stable message key for
// translation, its parameters and an English message.
type Error struct {
	Code    string         // one of the ECode constants
	Key     string         // translation key, e.g. "transition.signed_immutable"
	Params  map[string]any // values the translated template refers to
	Message string         // English text, used when no translation exists
}

func (e *Error) Error() string { return e.Message }

// Errorf builds a domain error; key names the message for translation.
func Errorf(code, key string, params map[string]any, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Params: params, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of a domain error, "" for nil and "internal"
// for any other error.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if asError(err, &e) {
		return e.Code
	}
	return "internal"
}

// asError is errors.As without importing errors' reflection-heavy path twice.
func asError(err error, target **Error) bool {
	for err != nil {
		if e, ok := err.(*Error); ok {
			*target = e
			return true
		}
		if m, ok := err.(interface{ Unwrap() []error }); ok {
			for _, inner := range m.Unwrap() {
				if asError(inner, target) {
					return true
				}
			}
			return false
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

// ValidationErrors collects every problem found in one value, each naming the
// exact place (e.g. "sections[1].items[3] (WS-04).rule.cap").
type ValidationErrors []*Error

func (v ValidationErrors) Error() string {
	msgs := make([]string, len(v))
	for i, e := range v {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, "; ")
}

// Unwrap lets errors.As find the individual errors.
func (v ValidationErrors) Unwrap() []error {
	out := make([]error, len(v))
	for i, e := range v {
		out[i] = e
	}
	return out
}
