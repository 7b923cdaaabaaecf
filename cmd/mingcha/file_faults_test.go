package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// keeps are the Latin words a Chinese message keeps: the command's name,
// file names and the names of formats.
var keeps = regexp.MustCompile(`^mingcha [a-z ]+:|\S*\.(xlsx|csv|json|pdf)|\.xlsx|JSON|CSV|PDF|Excel`)

// TestFileFaultsInChinese: a damaged .xlsx roster, a roster without its
// header, one whose rows are all bad, a template file cut short and a photo
// given to verify are each refused with one sentence in Chinese — before,
// excelize's and encoding/json's English ("zip: not a valid zip file",
// "unexpected EOF") and the PDF reader's came through, the last one twice.
func TestFileFaultsInChinese(t *testing.T) {
	withLocale(t, "zh_CN.UTF-8")
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"units", "import", "--db", db, write("坏.xlsx", "PK\x03\x04 not really a zip")}, "文件无法作为 .xlsx 工作簿读取"},
		{[]string{"units", "import", "--db", db, write("无表头.csv", "部门,地址\n区民政局,一楼\n")}, "没有含“单位名称”列的表头行"},
		{[]string{"units", "import", "--db", db, write("全错.csv", "单位名称,单位类型\n区民政局,不知道\n")}, "没有可导入的行"},
		{[]string{"templates", "import", "--db", db, write("半截.json", "{\n\"id\": \"x\",\n\"version\": 1")}, "提前结束，文件不完整"},
		{[]string{"verify", write("照片.pdf", "\xff\xd8\xff\xe0 JFIF")}, "文件不是可读的 PDF"},
	} {
		code, out, errs := runCLI(t, tt.args...)
		text := strings.ReplaceAll(out+errs, dir, "")
		if code == 0 || !strings.Contains(text, tt.want) {
			t.Errorf("%v: %d, %q; want %q", tt.args[:2], code, text, tt.want)
		}
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			rest := keeps.ReplaceAllString(line, " ") // the command, file names, format names
			if w := latin.FindString(rest); w != "" {
				t.Errorf("%v: English %q in %q", tt.args[:2], w, line)
			}
		}
	}
}
