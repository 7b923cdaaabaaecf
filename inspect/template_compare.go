package inspect

import (
	"encoding/json"
	"reflect"
)

// TemplateDiff compares a report's template snapshot with the office's
// stored template of the same id and version: whether they differ and the
// code of the first item that does ("" when it is the title, bands or
// scoring). A report scored against a template the office never issued
// cannot be ranked beside the others.
func TemplateDiff(office, snapshot *Template) (item string, differs bool) {
	if jsonEqual(office, snapshot) {
		return "", false
	}
	oi, si := office.Items(), snapshot.Items()
	for i := range max(len(oi), len(si)) {
		switch {
		case i >= len(oi):
			return si[i].Code, true
		case i >= len(si):
			return oi[i].Code, true
		case oi[i].Code != si[i].Code || !jsonEqual(oi[i], si[i]):
			return si[i].Code, true
		}
	}
	return "", true
}

// jsonEqual compares two values as they are stored and embedded (JSON),
// so that an empty list and a missing one are the same.
func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return reflect.DeepEqual(a, b)
	}
	return string(ja) == string(jb)
}
