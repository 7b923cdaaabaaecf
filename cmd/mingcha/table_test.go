package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestTableAlignsChineseCells: the cells after a Chinese unit name start in
// the same terminal column on every row (a Han character is two columns
// wide), and the text after the last tab is left as it is.
func TestTableAlignsChineseCells(t *testing.T) {
	var b strings.Builder
	tw := newTable(&b)
	fmt.Fprintf(tw, "1\t区住建局审批科\t94\t优秀（一票否决）\tMC-1\n")
	fmt.Fprintf(tw, "2\t区税务局第一税务分局办税服务厅\t87.76\t合格\tMC-2\n")
	fmt.Fprintf(tw, "10\tWindow A\t8\tgood\tMC-3 and more\n")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.HasSuffix(b.String(), "\n") {
		t.Fatalf("output %q", b.String())
	}
	col := func(line, cell string) int {
		i := strings.Index(line, cell)
		if i < 0 {
			t.Fatalf("%q not in %q", cell, line)
		}
		return displayWidth(line[:i])
	}
	for _, cells := range [][3]string{{"94", "87.76", "8"}, {"优秀", "合格", "good"}, {"MC-1", "MC-2", "MC-3"}} {
		a, b, c := col(lines[0], cells[0]), col(lines[1], cells[1]), col(lines[2], cells[2])
		if a != b || b != c {
			t.Errorf("%v start in columns %d, %d, %d:\n%s", cells, a, b, c, strings.Join(lines, "\n"))
		}
	}
	// Two spaces after the widest cell of a column.
	if !strings.Contains(lines[1], "办税服务厅  87.76") {
		t.Errorf("widest cell not followed by two spaces: %q", lines[1])
	}
	if displayWidth("区（一）a") != 9 {
		t.Errorf("displayWidth(区（一）a) = %d, want 9", displayWidth("区（一）a"))
	}
}

// TestOfficeOverviewInEnglish: in English, `office overview` has no Chinese
// but its data — unit, department, category and inspector names — where it
// printed the ratings (优秀 3), 明查/暗访, 重复问题, 一票否决 and the 通报's
// headline "4家单位存在胸牌问题".
func TestOfficeOverviewInEnglish(t *testing.T) {
	db, _, _ := paperworkDB(t)
	withLocale(t, "en_US.UTF-8")
	code, out, errs := runCLI(t, "office", "overview", "--db", db, "--period", "2026-05")
	if code != 0 || !strings.Contains(out, "ratings: ") || !strings.Contains(out, "Main problems:") {
		t.Fatalf("overview: %d %s %s", code, out, errs)
	}
	_, js, _ := runCLI(t, "office", "overview", "--db", db, "--period", "2026-05", "--json")
	var o struct {
		Ranking []struct {
			UnitName   string `json:"unit_name"`
			Department string `json:"department"`
		} `json:"ranking"`
		Categories []struct {
			Category string `json:"category"`
		} `json:"categories"`
		Workload []struct {
			Inspector string `json:"inspector"`
		} `json:"workload"`
	}
	if err := json.Unmarshal([]byte(js), &o); err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, r := range o.Ranking {
		data = append(data, r.UnitName, r.Department)
	}
	for _, c := range o.Categories {
		data = append(data, c.Category)
	}
	for _, w := range o.Workload {
		data = append(data, w.Inspector)
	}
	sort.Slice(data, func(i, j int) bool { return len(data[i]) > len(data[j]) }) // 单位10 before 单位1
	rest := out
	for _, d := range data {
		if d != "" {
			rest = strings.ReplaceAll(rest, d, "")
		}
	}
	if w := han.FindString(rest); w != "" {
		t.Errorf("Chinese %q left in the English overview:\n%s", w, out)
	}
}
