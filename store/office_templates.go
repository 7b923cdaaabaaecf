package store

import (
	"bytes"
	"encoding/json"
	"errors"

	"mingcha/inspect"
)

// TemplateFile is a stored template version as the file the 效能办 hands
// to inspectors (their Templates screen and "mingcha templates import"
// read it): indented JSON, Chinese unescaped, that inspect.ParseTemplate
// accepts as it is. version 0 means the newest.
func (s *Store) TemplateFile(id string, version int) ([]byte, *inspect.Template, error) {
	t, err := s.Template(id, version)
	if err != nil {
		return nil, nil, err
	}
	data, err := MarshalTemplate(t)
	return data, t, err
}

// MarshalTemplate encodes a template as a template file.
func MarshalTemplate(t *inspect.Template) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// NextTemplateVersion is the version a change to template id is saved
// as: one above the newest stored (1 for a new template).
func (s *Store) NextTemplateVersion(id string) (int, error) {
	versions, err := s.TemplateVersions(id)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return 1, nil
		}
		return 0, err
	}
	next := 1
	for _, v := range versions {
		next = max(next, v+1)
	}
	return next, nil
}
