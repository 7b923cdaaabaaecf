package desk

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"mingcha/inspect"
	"mingcha/sheet"
)

// InvalidTemplateError: the file is not a valid template; Err names each
// fault (an inspect.ValidationErrors, or the JSON syntax error).
type InvalidTemplateError struct{ Err error }

func (e *InvalidTemplateError) Error() string { return e.Err.Error() }
func (e *InvalidTemplateError) Unwrap() error { return e.Err }

// ImportTemplate validates a template file and stores it as a new version.
// A fault in the file is an *InvalidTemplateError; a stored version with
// other content is refused by the store.
func (d *Desk) ImportTemplate(who string, data []byte) (*inspect.Template, error) {
	t, err := inspect.ParseTemplate(data)
	if err != nil {
		return nil, &InvalidTemplateError{Err: err}
	}
	if err := d.Store.PutTemplate(who, t); err != nil {
		return nil, err
	}
	return t, nil
}

// SaveTemplate stores an edited template (the 效能办's template editor).
func (d *Desk) SaveTemplate(who string, t *inspect.Template) error {
	return d.Store.PutTemplate(who, t)
}

// TemplateFile is a stored template version (0: the newest) as the file
// inspectors import.
func (d *Desk) TemplateFile(id string, version int) ([]byte, *inspect.Template, error) {
	return d.Store.TemplateFile(id, version)
}

// BadRowsError is the roster rule: a file with bad rows imports nothing
// unless the user asked for its good rows.
type BadRowsError struct {
	Roster *sheet.Roster
}

func (e *BadRowsError) Error() string {
	return fmt.Sprintf("%d bad rows; nothing was imported", len(e.Roster.Errors))
}

// ErrNoUnits: the roster file has no unit to import.
var ErrNoUnits = errors.New("no unit to import")

// RosterImport is what a roster import stored.
type RosterImport struct {
	Roster                      *sheet.Roster
	Created, Updated, Unchanged int
	LeftOut                     int // bad rows not imported
}

// ReadRoster reads a roster file (.xlsx, or CSV in UTF-8 or GB18030).
func ReadRoster(name string, data []byte) (*sheet.Roster, error) {
	return sheet.ReadRoster(name, data)
}

// ImportRoster stores the units of ro in one transaction. A roster with bad
// rows is refused with a *BadRowsError unless goodRows; one without units
// with ErrNoUnits.
func (d *Desk) ImportRoster(who string, ro *sheet.Roster, goodRows bool) (RosterImport, error) {
	res := RosterImport{Roster: ro}
	if len(ro.Errors) > 0 && !goodRows {
		return res, &BadRowsError{Roster: ro}
	}
	if len(ro.Units) == 0 {
		return res, ErrNoUnits
	}
	created, updated, err := d.Store.ImportUnits(who, ro.Units)
	if err != nil {
		return res, err
	}
	res.Created, res.Updated = created, updated
	res.Unchanged = len(ro.Units) - created - updated
	res.LeftOut = len(ro.Errors)
	return res, nil
}

// ExportRoster writes the unit roster to path: CSV (UTF-8 with a BOM) for
// a .csv name, .xlsx for .xlsx; another name gets ".xlsx" added when
// addExt, else is refused. Never over what Mingcha holds; over another
// existing file only with force. It returns the path written and the count.
func (d *Desk) ExportRoster(path string, addExt, force bool) (string, int, error) {
	units, err := d.Store.Units()
	if err != nil {
		return "", 0, err
	}
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		err = sheet.WriteRosterCSV(&buf, units)
	case ".xlsx":
		err = sheet.WriteRosterXLSX(&buf, units)
	default:
		if !addExt {
			return "", 0, ErrRosterFormat
		}
		path += ".xlsx"
		err = sheet.WriteRosterXLSX(&buf, units)
	}
	if err != nil {
		return "", 0, err
	}
	if err := d.Store.WriteOutput(path, buf.Bytes(), force); err != nil {
		return "", 0, err
	}
	return path, len(units), nil
}

// ErrRosterFormat: a roster is written as .xlsx or .csv.
var ErrRosterFormat = errors.New("a roster is written as .xlsx or .csv")
