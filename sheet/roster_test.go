package sheet

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"mingcha/inspect"
)

const goodCSV = "编号,单位名称,所属部门,单位类型,地址,人员名单\n" +
	"U-1,企业登记科,区市场监管局,服务窗口,市民中心二楼,王芳/科长/3号窗口；李强//4号窗口\n" +
	"U-2,办公室,区财政局,机关科室,,\n" +
	",政务服务中心,区政务服务管理局,行政服务中心,人民路 1 号,\n"

func TestReadRosterCSV(t *testing.T) {
	ro, err := ReadRosterCSV([]byte(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(ro.Errors) != 0 || len(ro.Units) != 3 || ro.Encoding != EncodingUTF8 {
		t.Fatalf("roster: %+v", ro)
	}
	want := inspect.Unit{
		ID: "U-1", Name: "企业登记科", Department: "区市场监管局", Kind: inspect.UnitWindow, Address: "市民中心二楼",
		Staff: []inspect.StaffMember{{Name: "王芳", Post: "科长", Window: "3号窗口"}, {Name: "李强", Window: "4号窗口"}},
	}
	if !reflect.DeepEqual(ro.Units[0], want) {
		t.Errorf("unit 1\n got %+v\nwant %+v", ro.Units[0], want)
	}
	if ro.Units[2].Kind != inspect.UnitServiceCenter || ro.Units[2].ID != "" || ro.Rows[2] != 4 {
		t.Errorf("unit 3: %+v row %d", ro.Units[2], ro.Rows[2])
	}
}

// TestRosterBadRows names every bad row by its number and the reason, and
// keeps the good rows apart.
func TestRosterBadRows(t *testing.T) {
	data := "单位名称,所属部门,单位类型,人员名单\n" + // row 1
		"企业登记科,区市场监管局,服务窗口,王芳\n" + // 2 good
		",区财政局,机关科室,\n" + // 3 missing name
		"企业登记科,区市场监管局,机关科室,\n" + // 4 duplicate of row 2
		"办公室,区财政局\n" + // 5 wrong column count
		"\n" + // blank line: skipped
		"档案室,区档案局,仓库,\n" + // 7 bad kind
		"信访科,区信访局,机关科室,张三；张三\n" + // 8 staff listed twice
		"法制科,区司法局,机关科室,李四\n" + // 9 good
		"窗口,区税务局,服务窗口,王\x00五\n" // 10 a NUL in a name
	ro, err := ReadRosterCSV([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, e := range ro.Errors {
		got[e.Row] = e.Key
		if !strings.HasPrefix(e.Message, fmt.Sprintf("row %d: ", e.Row)) {
			t.Errorf("message does not name its row: %q", e.Message)
		}
	}
	want := map[int]string{
		3: "roster.missing_name", 4: "roster.duplicate_unit", 5: "roster.column_count",
		7: "roster.bad_kind", 8: "unit.staff_duplicate", 10: "roster.control_char",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors by row\n got %v\nwant %v", got, want)
	}
	if len(ro.Units) != 2 || ro.Rows[0] != 2 || ro.Rows[1] != 9 {
		t.Errorf("good rows %v %v", ro.Rows, ro.Units)
	}
	for _, e := range ro.Errors {
		if e.Row == 4 && !strings.Contains(e.Message, "row 2") {
			t.Errorf("duplicate does not name the first row: %s", e.Message)
		}
	}
}

func TestRosterGBK(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(gbk, []byte(goodCSV)) {
		t.Fatal("the sample did not change when encoded")
	}
	ro, err := ReadRosterCSV(gbk)
	if err != nil {
		t.Fatal(err)
	}
	if ro.Encoding != EncodingGBK || len(ro.Units) != 3 || ro.Units[0].Name != "企业登记科" || ro.Units[0].Staff[0].Name != "王芳" {
		t.Fatalf("GBK roster: %s %+v %v", ro.Encoding, ro.Units, ro.Errors)
	}
	// UTF-8 with BOM (Excel's "CSV UTF-8").
	ro, err = ReadRosterCSV(append([]byte("\xEF\xBB\xBF"), goodCSV...))
	if err != nil || ro.Encoding != EncodingUTF8BOM || len(ro.Units) != 3 {
		t.Fatalf("BOM roster: %+v %v", ro, err)
	}
	// Tab-separated (a paste from WPS saved as .txt).
	ro, err = ReadRosterCSV([]byte(strings.ReplaceAll(goodCSV, ",", "\t")))
	if err != nil || len(ro.Units) != 3 {
		t.Fatalf("tab roster: %+v %v", ro, err)
	}
}

func TestRosterNoHeader(t *testing.T) {
	for _, data := range []string{"", "\n\n", "a,b,c\n1,2,3\n"} {
		if _, err := ReadRosterCSV([]byte(data)); err != ErrNoHeader {
			t.Errorf("%q: %v, want ErrNoHeader", data, err)
		}
	}
}

func TestRosterRoundTrip(t *testing.T) {
	ro, err := ReadRosterCSV([]byte(goodCSV))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		if format == "csv" {
			err = WriteRosterCSV(&buf, ro.Units)
		} else {
			err = WriteRosterXLSX(&buf, ro.Units)
		}
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadRoster("roster."+format, buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(back.Errors) != 0 || !reflect.DeepEqual(back.Units, ro.Units) {
			t.Errorf("%s round trip\n got %+v %v\nwant %+v", format, back.Units, back.Errors, ro.Units)
		}
	}
}

// xlsxOf builds a workbook with rows on its first sheet.
func xlsxOf(tb testing.TB, rows [][]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			tb.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestRosterXLSXBadRows(t *testing.T) {
	data := xlsxOf(t, [][]any{
		{"单位名称", "部门", "类型"},
		{"企业登记科", "区市场监管局", "窗口"},
		{"", "区财政局", "机关科室"},
		{"企业登记科", "区市场监管局", "机关科室"},
		{"办公室", "区财政局", "机关科室", "多余"},
		{},
		{"法制科", "区司法局", 3},
	})
	ro, err := ReadRosterXLSX(data)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]string{}
	for _, e := range ro.Errors {
		got[e.Row] = e.Key
	}
	want := map[int]string{3: "roster.missing_name", 4: "roster.duplicate_unit", 5: "roster.column_count", 7: "roster.bad_kind"}
	if !reflect.DeepEqual(got, want) || len(ro.Units) != 1 || ro.Units[0].Kind != inspect.UnitWindow {
		t.Errorf("xlsx errors %v units %+v", got, ro.Units)
	}
	if _, err := ReadRosterXLSX([]byte("PK\x03\x04 not really")); err == nil {
		t.Error("a broken xlsx was read")
	}
}

func TestTaskList(t *testing.T) {
	units := []inspect.Unit{
		{ID: "U-1", Name: "甲", Department: "区工商局", Kind: inspect.UnitWindow, Address: "一楼"},
		{ID: "U-2", Name: "乙", Department: "区工商局", Kind: inspect.UnitOffice},
	}
	d, err := inspect.DrawUnits(units, inspect.DrawFilter{}, 2, "seed", time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var csvBuf, xBuf bytes.Buffer
	if err := WriteTaskList(&csvBuf, d, "csv"); err != nil {
		t.Fatal(err)
	}
	if s := csvBuf.String(); !strings.Contains(s, "种子,seed") || !strings.Contains(s, d.Drawn[0].Name) {
		t.Errorf("csv task list:\n%s", s)
	}
	if err := WriteTaskList(&xBuf, d, "xlsx"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xBuf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("暗访任务")
	if len(rows) != 3 || rows[1][2] != d.Drawn[0].Name || rows[2][1] != d.Drawn[1].UnitID {
		t.Errorf("xlsx task list %v", rows)
	}
	if err := WriteTaskList(&xBuf, d, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

func FuzzRosterCSV(f *testing.F) {
	f.Add([]byte(goodCSV))
	f.Add([]byte("单位名称,所属部门\n\"a\"\"b\",c\n,,\n"))
	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(goodCSV))
	f.Add(gbk)
	f.Add([]byte("\xEF\xBB\xBFname;department;staff\nx;y;a/b/c/d\n"))
	f.Add([]byte("单位名称\n\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ro, err := ReadRosterCSV(data)
		if err != nil {
			return
		}
		checkRoster(t, ro)
	})
}

func FuzzRosterXLSX(f *testing.F) {
	f.Add(xlsxOf(f, [][]any{{"单位名称", "所属部门", "人员名单"}, {"甲", "区工商局", "王/科长"}, {"", "x"}}))
	var buf bytes.Buffer
	_ = WriteRosterXLSX(&buf, []inspect.Unit{{ID: "U-1", Name: "甲", Kind: inspect.UnitOffice, Staff: []inspect.StaffMember{{Name: "王"}}}})
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		ro, err := ReadRosterXLSX(data)
		if err != nil {
			return
		}
		checkRoster(t, ro)
	})
}

// checkRoster holds for any roster read without error: every unit is valid,
// rows and units pair up, every error names a row after the header.
func checkRoster(t *testing.T, ro *Roster) {
	if len(ro.Rows) != len(ro.Units) {
		t.Fatalf("%d rows for %d units", len(ro.Rows), len(ro.Units))
	}
	seen := map[string]bool{}
	for i := range ro.Units {
		u := ro.Units[i]
		if err := u.Validate(); err != nil {
			t.Fatalf("row %d: invalid unit accepted: %v", ro.Rows[i], err)
		}
		key := inspect.UnitKey(u.Department, u.Name)
		if seen[key] {
			t.Fatalf("duplicate unit %s accepted", key)
		}
		seen[key] = true
	}
	for _, e := range ro.Errors {
		if e.Row < 2 || e.Message == "" || e.Key == "" {
			t.Fatalf("bad row error %+v", e)
		}
	}
}
