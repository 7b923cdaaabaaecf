// Package sheet reads and writes the spreadsheets the 效能办 works with in
// WPS and Excel: the unit roster (.xlsx and .csv, including GBK CSV saved
// by Excel on Chinese Windows), the results of a period and the task list
// of a 抽签. It uses excelize for .xlsx and knows the domain (inspect), not
// the store.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mingcha/inspect"
)

// MaxFileSize bounds a roster file; MaxRows its rows.
const (
	MaxFileSize = 16 << 20
	MaxRows     = 100_000
)

// Encodings ReadRoster reports.
const (
	EncodingUTF8    = "UTF-8"
	EncodingUTF8BOM = "UTF-8 (BOM)"
	EncodingGBK     = "GBK"
	EncodingXLSX    = "xlsx"
)

// RowError is one bad row, named by its row number in the file (the
// header is row 1 when it is the first line) and, where it is one cell's
// fault, the column's header.
type RowError struct {
	Row     int            `json:"row"`
	Column  string         `json:"column,omitempty"`
	Key     string         `json:"key"` // translation key, e.g. "roster.missing_name"
	Params  map[string]any `json:"params,omitempty"`
	Message string         `json:"message"` // English
}

func (e RowError) Error() string { return e.Message }

// Roster is what a roster file holds: the good rows as units and an error
// for every bad row.
type Roster struct {
	Units    []inspect.Unit
	Rows     []int // the file row of each unit
	Errors   []RowError
	Encoding string
}

// ErrNoHeader reports a file whose first non-empty row names no 单位名称 column.
var ErrNoHeader = inspect.Errorf(inspect.ECodeInvalid, "roster.no_header", nil, "the file has no header row with a 单位名称 (name) column")

type column struct {
	key   string
	title string   // what export writes
	names []string // what import recognises (lower case)
}

// rosterColumns in export order. Import finds them by header, in any order.
var rosterColumns = []column{
	{"id", "编号", []string{"编号", "单位编号", "id"}},
	{"name", "单位名称", []string{"单位名称", "名称", "单位", "name", "unit"}},
	{"department", "所属部门", []string{"所属部门", "部门", "主管部门", "department"}},
	{"kind", "单位类型", []string{"单位类型", "类型", "kind", "type"}},
	{"address", "地址", []string{"地址", "办公地址", "address"}},
	{"staff", "人员名单", []string{"人员名单", "人员", "工作人员", "staff"}},
}

var kindLabels = map[inspect.UnitKind]string{
	inspect.UnitOffice:        "机关科室",
	inspect.UnitWindow:        "服务窗口",
	inspect.UnitServiceCenter: "行政服务中心",
	inspect.UnitOther:         "其他",
}

// KindLabel is the Chinese name of a unit kind.
func KindLabel(k inspect.UnitKind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

func parseKind(s string) (inspect.UnitKind, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return inspect.UnitOther, true
	}
	for k, l := range kindLabels {
		if s == l || strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	switch s {
	case "科室", "机关":
		return inspect.UnitOffice, true
	case "窗口":
		return inspect.UnitWindow, true
	case "服务中心", "政务服务中心":
		return inspect.UnitServiceCenter, true
	}
	return "", false
}

// ReadRoster reads a roster by its file name's extension: .xlsx, else CSV.
func ReadRoster(name string, data []byte) (*Roster, error) {
	if strings.EqualFold(filepath.Ext(name), ".xlsx") {
		return ReadRosterXLSX(data)
	}
	return ReadRosterCSV(data)
}

// DecodeText returns data as UTF-8: valid UTF-8 as is (a BOM removed),
// anything else decoded as GBK (GB18030, its superset), which is what
// Excel on Chinese Windows writes.
func DecodeText(data []byte) (string, string) {
	if rest, ok := bytes.CutPrefix(data, []byte("\xEF\xBB\xBF")); ok {
		if utf8.Valid(rest) {
			return string(rest), EncodingUTF8BOM
		}
	}
	if utf8.Valid(data) {
		return string(data), EncodingUTF8
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD"), EncodingGBK
	}
	return string(out), EncodingGBK
}

// ReadRosterCSV reads a CSV roster (comma, or tab/semicolon when the header
// uses them). Every row must have as many fields as the header.
func ReadRosterCSV(data []byte) (*Roster, error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge()
	}
	text, enc := DecodeText(data)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.Comma = sniffComma(text)
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, inspect.Errorf(inspect.ECodeInvalid, "roster.csv_line", map[string]any{"Line": pe.Line},
					"line %d cannot be read as CSV: %v", pe.Line, pe.Err)
			}
			return nil, err
		}
		if len(rows) >= MaxRows {
			return nil, tooManyRows()
		}
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	ro, err := parseRows(rows, lines, true)
	if err != nil {
		return nil, err
	}
	ro.Encoding = enc
	return ro, nil
}

func sniffComma(text string) rune {
	first, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(first, ",")
	for _, c := range []rune{'\t', ';'} {
		if k := strings.Count(first, string(c)); k > n {
			best, n = c, k
		}
	}
	return best
}

// ReadRosterXLSX reads the first sheet of an .xlsx roster.
func ReadRosterXLSX(data []byte) (ro *Roster, err error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge()
	}
	defer func() {
		if p := recover(); p != nil {
			ro, err = nil, notXLSX(fmt.Errorf("%v", p))
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, notXLSX(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, inspect.Errorf(inspect.ECodeInvalid, "roster.no_sheet", nil, "the workbook has no sheet")
	}
	it, err := f.Rows(sheets[0])
	if err != nil {
		return nil, notXLSX(err)
	}
	defer it.Close()
	var rows [][]string
	var lines []int
	n := 0
	for it.Next() {
		n++
		cols, err := it.Columns()
		if err != nil {
			return nil, inspect.Errorf(inspect.ECodeInvalid, "roster.xlsx_row", map[string]any{"Row": n},
				"row %d of the first sheet cannot be read: %v", n, err)
		}
		if len(rows) >= MaxRows || n > 4*MaxRows {
			return nil, tooManyRows()
		}
		rows = append(rows, cols)
		lines = append(lines, n)
	}
	if err := it.Error(); err != nil {
		return nil, notXLSX(err)
	}
	ro, err = parseRows(rows, lines, false)
	if err != nil {
		return nil, err
	}
	ro.Encoding = EncodingXLSX
	return ro, nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// parseRows turns rows into units. strictWidth: every row has exactly the
// header's number of fields (CSV); otherwise (xlsx, where empty trailing
// cells are not stored) no value may stand right of the header.
func parseRows(rows [][]string, lines []int, strictWidth bool) (*Roster, error) {
	h := -1
	for i, rec := range rows {
		if !blank(rec) {
			h = i
			break
		}
	}
	if h < 0 {
		return nil, ErrNoHeader
	}
	header := rows[h]
	idx := map[string]int{}
	titles := make([]string, len(header))
	for i, cell := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(cell, "\uFEFF")))
		titles[i] = strings.TrimSpace(cell)
		for _, c := range rosterColumns {
			for _, n := range c.names {
				if name == n {
					if _, dup := idx[c.key]; !dup {
						idx[c.key] = i
					}
				}
			}
		}
	}
	if _, ok := idx["name"]; !ok {
		return nil, ErrNoHeader
	}
	ro := &Roster{}
	byName := map[string]int{} // department/name → row
	byID := map[string]int{}
	for i := h + 1; i < len(rows); i++ {
		rec, row := rows[i], lines[i]
		if blank(rec) {
			continue
		}
		bad := func(col, key, msg string, params map[string]any) {
			if params == nil {
				params = map[string]any{}
			}
			params["Row"] = row
			if col != "" {
				params["Column"] = col
			}
			ro.Errors = append(ro.Errors, RowError{
				Row: row, Column: col, Key: key, Params: params,
				Message: fmt.Sprintf("row %d: %s", row, msg),
			})
		}
		if strictWidth && len(rec) != len(header) {
			bad("", "roster.column_count", fmt.Sprintf("has %d columns, the header has %d", len(rec), len(header)),
				map[string]any{"Got": len(rec), "Want": len(header)})
			continue
		}
		if !strictWidth && len(rec) > len(header) && !blank(rec[len(header):]) {
			bad("", "roster.column_count", fmt.Sprintf("has values right of the last header column (%d columns, the header has %d)", len(rec), len(header)),
				map[string]any{"Got": len(rec), "Want": len(header)})
			continue
		}
		get := func(key string) string {
			if j, ok := idx[key]; ok && j < len(rec) {
				return strings.TrimSpace(rec[j])
			}
			return ""
		}
		title := func(key string) string {
			if j, ok := idx[key]; ok {
				return titles[j]
			}
			return ""
		}
		u := inspect.Unit{ID: get("id"), Name: get("name"), Department: get("department"), Address: get("address")}
		before := len(ro.Errors)
		for j, cell := range rec {
			if r, ok := controlChar(cell); ok && j < len(titles) {
				bad(titles[j], "roster.control_char", fmt.Sprintf("column %s holds the control character U+%04X", titles[j], r),
					map[string]any{"Code": fmt.Sprintf("U+%04X", r)})
				break
			}
		}
		if u.Name == "" {
			bad(title("name"), "roster.missing_name", "the unit name is empty", nil)
		}
		kind, ok := parseKind(get("kind"))
		if !ok {
			bad(title("kind"), "roster.bad_kind", fmt.Sprintf("unit kind %q is not 机关科室, 服务窗口, 行政服务中心 or 其他", get("kind")),
				map[string]any{"Value": get("kind")})
		}
		u.Kind = kind
		staff, serr := parseStaff(get("staff"))
		if serr != "" {
			bad(title("staff"), "roster.bad_staff", serr, nil)
		}
		u.Staff = staff
		if u.Name != "" {
			key := inspect.UnitKey(u.Department, u.Name)
			if first, dup := byName[key]; dup {
				bad(title("name"), "roster.duplicate_unit", fmt.Sprintf("%s %s is already listed in row %d", u.Department, u.Name, first),
					map[string]any{"Name": u.Name, "First": first})
			} else {
				byName[key] = row
			}
		}
		if u.ID != "" {
			if first, dup := byID[u.ID]; dup {
				bad(title("id"), "roster.duplicate_id", fmt.Sprintf("id %s is already used in row %d", u.ID, first),
					map[string]any{"ID": u.ID, "First": first})
			} else {
				byID[u.ID] = row
			}
		}
		if len(ro.Errors) == before {
			if err := u.Validate(); err != nil {
				var ve inspect.ValidationErrors
				if errors.As(err, &ve) {
					for _, e := range ve {
						bad("", e.Key, e.Message, e.Params)
					}
				} else {
					bad("", "roster.invalid", err.Error(), nil)
				}
			}
		}
		if len(ro.Errors) == before {
			ro.Units = append(ro.Units, u)
			ro.Rows = append(ro.Rows, row)
		}
	}
	return ro, nil
}

// parseStaff reads "王芳/科长/3号窗口；李强/科员": people separated by ；;、
// or line breaks, each name/post/window.
func parseStaff(cell string) ([]inspect.StaffMember, string) {
	if strings.TrimSpace(cell) == "" {
		return nil, ""
	}
	split := func(r rune) bool { return r == '；' || r == ';' || r == '、' || r == '\n' || r == '\r' }
	var out []inspect.StaffMember
	for _, part := range strings.FieldsFunc(cell, split) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		f := strings.Split(strings.ReplaceAll(part, "／", "/"), "/")
		if strings.TrimSpace(f[0]) == "" || len(f) > 3 {
			return nil, fmt.Sprintf("staff entry %q is not name/post/window", part)
		}
		m := inspect.StaffMember{Name: strings.TrimSpace(f[0])}
		if len(f) > 1 {
			m.Post = strings.TrimSpace(f[1])
		}
		if len(f) > 2 {
			m.Window = strings.TrimSpace(f[2])
		}
		out = append(out, m)
	}
	return out, ""
}

func formatStaff(staff []inspect.StaffMember) string {
	parts := make([]string, 0, len(staff))
	for _, m := range staff {
		s := m.Name
		if m.Post != "" || m.Window != "" {
			s += "/" + m.Post
		}
		if m.Window != "" {
			s += "/" + m.Window
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "；")
}

func rosterRecord(u *inspect.Unit) []string {
	return []string{u.ID, u.Name, u.Department, KindLabel(u.Kind), u.Address, formatStaff(u.Staff)}
}

func rosterHeader() []string {
	out := make([]string, len(rosterColumns))
	for i, c := range rosterColumns {
		out[i] = c.title
	}
	return out
}

// WriteRosterCSV writes the roster as UTF-8 CSV with a BOM, which Excel
// and WPS open without garbling the Chinese.
func WriteRosterCSV(w io.Writer, units []inspect.Unit) error {
	if _, err := w.Write([]byte("\xEF\xBB\xBF")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(rosterHeader()); err != nil {
		return err
	}
	for i := range units {
		if err := cw.Write(rosterRecord(&units[i])); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteRosterXLSX writes the roster as one sheet, 单位名册.
func WriteRosterXLSX(w io.Writer, units []inspect.Unit) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "单位名册"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{toAny(rosterHeader())}
	for i := range units {
		rows = append(rows, toAny(rosterRecord(&units[i])))
	}
	if err := writeTable(f, sheet, rows, []float64{16, 28, 20, 14, 30, 50}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// writeTable writes rows from A1 with a bold, frozen header row.
func writeTable(f *excelize.File, sheet string, rows [][]any, widths []float64) error {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	for i, wd := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	style, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE4EE"}, Pattern: 1}})
	if err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(len(rows[0]), 1)
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last, style); err != nil {
		return err
	}
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// controlChar finds a control character that has no place in a name, a
// post or an address (NUL, escape, …); tab and line breaks are kept, as
// Excel writes a line break inside a cell.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if r != '\t' && r != '\n' && r != '\r' && unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

// The faults of a roster file as a whole, in the user's language through
// their keys (msg.Of); the English sentence keeps the technical cause.

func tooLarge() error {
	return inspect.Errorf(inspect.ECodeInvalid, "roster.too_large", map[string]any{"Max": MaxFileSize >> 20},
		"the file is larger than %d MB", MaxFileSize>>20)
}

func tooManyRows() error {
	return inspect.Errorf(inspect.ECodeInvalid, "roster.too_many_rows", map[string]any{"Max": MaxRows},
		"the file has more than %d rows", MaxRows)
}

func notXLSX(cause error) error {
	return inspect.Errorf(inspect.ECodeInvalid, "roster.not_xlsx", nil,
		"the file cannot be read as an .xlsx workbook (%v)", cause)
}
