package store

import (
	"errors"

	"mingcha/inspect"
)

// templateMismatch refuses a report whose template snapshot differs from
// the office's stored template of the same id and version. Refused rather
// than imported under a flagged version of its own: its score, rating and
// problems were computed against rules the office never issued, and a
// flagged copy would still enter the ranking beside reports scored by the
// real template. A template the office does not hold is not compared.
func (s *Store) templateMismatch(in *inspect.Inspection) *inspect.Error {
	t, err := s.Template(in.Template.ID, in.Template.Version)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return rejection("import.template_unreadable", map[string]any{"Detail": err.Error()},
				"the office's template cannot be read: %s", err.Error())
		}
		return nil
	}
	item, differs := inspect.TemplateDiff(t, &in.Template)
	switch {
	case !differs:
		return nil
	case item != "":
		return rejection("import.template_differs", map[string]any{"Template": in.Template.ID, "Version": in.Template.Version, "Item": item},
			"the report's template %s version %d differs from the office's copy (item %s): not imported", in.Template.ID, in.Template.Version, item)
	default:
		return rejection("import.template_differs_rules", map[string]any{"Template": in.Template.ID, "Version": in.Template.Version},
			"the report's template %s version %d differs from the office's copy in its title, bands or scoring: not imported", in.Template.ID, in.Template.Version)
	}
}

// pagesMismatch: a report with the same id and data as one imported
// before, whose pages differ from that one's, is refused, never counted as
// a harmless duplicate. A record from before pages were compared cannot
// tell, and says so. (A verifier that gives no digest — the store's tests —
// compares no pages.)
func pagesMismatch(prev *OfficeReport, rep *inspect.SignedReport) *inspect.Error {
	switch {
	case rep.PagesSHA256 == "":
		return nil
	case prev.PagesSHA256 == "":
		return rejection("import.pages_unknown", map[string]any{"Report": prev.ReportID, "File": prev.FileName},
			"report %s was already imported from %s, but its pages cannot be compared with this file's: not imported", prev.ReportID, prev.FileName)
	case prev.PagesSHA256 != rep.PagesSHA256:
		return rejection("import.pages_differ", map[string]any{"Report": prev.ReportID, "File": prev.FileName},
			"report %s was already imported from %s with the same data but other pages: this file was not imported", prev.ReportID, prev.FileName)
	}
	return nil
}
