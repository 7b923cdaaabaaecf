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

// TestFolderBackupFaultsInChinese: a backup to a folder that cannot take it
// and a restore from a folder that is not a backup say what failed, where
// and that nothing was changed, in Chinese ("database: …tmp-123：…" and
// "is not a Mingcha backup folder" before).
func TestFolderBackupFaultsInChinese(t *testing.T) {
	withLocale(t, "zh_CN.UTF-8")
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	if code, out, errs := runCLI(t, "demo", "--db", db, "--inspections", "2"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	usb := filepath.Join(dir, "U盘")
	if err := os.MkdirAll(usb, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(usb, "database"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "backup", "--db", db, "--to", usb)
	backupErrs := errs
	if code == 0 || !strings.Contains(errs, "备份到 "+usb+" 时在文件夹一步失败：") || !strings.Contains(errs, "数据库未作改动") {
		t.Errorf("backup to a folder that cannot take it: %d %q", code, errs)
	}
	code, _, errs = runCLI(t, "restore", "--db", db, "--from", dir)
	if code == 0 || !strings.Contains(errs, dir+" 不是明察的备份文件夹") {
		t.Errorf("restore from a folder that is not a backup: %d %q", code, errs)
	}
	for _, e := range []string{backupErrs, errs} {
		if w := latin.FindString(keeps.ReplaceAllString(strings.ReplaceAll(e, dir, ""), " ")); w != "" {
			t.Errorf("English %q in %q", w, e)
		}
	}
}
