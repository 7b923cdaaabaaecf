package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mingcha/desk"
)

var (
	han   = regexp.MustCompile(`\p{Han}`)
	latin = regexp.MustCompile(`[A-Za-z]{3,}`)
)

// TestCLIInspectorCommandsInBothLanguages (QA #8): list, verify, templates
// validate and list, backup --list, --help option texts and a wrapped OS
// error speak the user's language. In Chinese no English word is left in
// what they print (ids, paths, file names and flag names aside); in English
// no Chinese but the data (unit names, inspectors, template titles).
func TestCLIInspectorCommandsInBothLanguages(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	withLocale(t, "zh_CN.UTF-8")
	if code, out, errs := runCLI(t, "demo", "--db", db, "--inspections", "6"); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	t.Setenv(envPassphrase, desk.DemoPassphrase)
	code, out, errs := runCLI(t, "list", "--db", db, "--status", "signed", "--limit", "1")
	if code != 0 || out == "" {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	id := strings.Fields(out)[0]
	pdf := filepath.Join(dir, "r.pdf")
	if code, out, errs := runCLI(t, "export", "--db", db, id, "-o", pdf); code != 0 {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"id":"x","version":1,"title":"t","full_score":100,"sections":[{"title":"s","items":[{"code":"A","text":"a","kind":"check","rule":{"type":"fixed","points":5}},{"code":"A","text":"b","kind":"weird"}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nowhere", "x.pdf")
	// The words that stay as they are in Chinese output: ids, the program's
	// own name and flag names (after -), file endings, JSON.
	// Flag values the user types (draft, covert …) and the type words of
	// Go's flag help (string, int) stay too.
	stays := regexp.MustCompile(`(“[^”]*”|"[^"]*"|mingcha( [a-z]+)*|[A-Z][A-Z_]{3,}|\S*[._<>/-]\S*|\b(PATH|ID|ARGS|PDF|CA|JSON|PEM|USB|WPS|Word|stdout|draft|completed|signed|office|window|service_center|other|open|rectified|verified|covert|int|string|value|duration|float)\b|字段 \w+)`)
	runs := func() map[string]string {
		got := map[string]string{}
		_, got["list"], _ = runCLI(t, "list", "--db", db)
		_, got["verify"], _ = runCLI(t, "verify", pdf)
		_, got["verify missing"], _ = runCLI(t, "verify", missing)
		_, _, got["verify --ca not a certificate"] = runCLI(t, "verify", "--ca", bad, pdf)
		_, _, got["list --bogus"] = runCLI(t, "list", "--db", db, "--bogus")
		_, got["templates list"], _ = runCLI(t, "templates", "list", "--db", db)
		_, got["templates validate"], _ = runCLI(t, "templates", "validate", bad)
		_, got["backup --list"], _ = runCLI(t, "backup", "--db", db, "--list")
		_, _, got["export --help"] = runCLI(t, "export", "--help")
		_, _, got["list --help"] = runCLI(t, "list", "--help")
		_, _, got["cosign --help"] = runCLI(t, "cosign", "--help")
		return got
	}
	zh := runs()
	for what, text := range zh {
		if text == "" {
			t.Errorf("zh %s printed nothing", what)
		}
		for _, line := range strings.Split(text, "\n") {
			if strings.HasPrefix(line, "用法：") {
				continue // the command line itself
			}
			if what == "templates list" {
				_, line, _ = strings.Cut(line, " ") // the template's id
			}
			rest := stays.ReplaceAllString(strings.ReplaceAll(line, dir, ""), " ")
			if w := latin.FindString(rest); w != "" {
				t.Errorf("zh %s: English %q in %q", what, w, line)
			}
		}
	}
	for _, want := range []string{"暗访", "已签名", "草稿"} {
		if !strings.Contains(zh["list"], want) {
			t.Errorf("zh list lacks %s:\n%s", want, zh["list"])
		}
	}
	if !strings.Contains(zh["verify"], "有效：签名人 演示检查员") || !strings.Contains(zh["verify"], "信任 自签名") {
		t.Errorf("zh verify: %q", zh["verify"])
	}
	if !strings.Contains(zh["verify missing"], "文件或文件夹不存在") {
		t.Errorf("zh verify of a missing file: %q", zh["verify missing"])
	}
	if !strings.Contains(zh["verify --ca not a certificate"], "不是效能办 CA 证书") {
		t.Errorf("zh verify --ca of a file that is no certificate: %q", zh["verify --ca not a certificate"])
	}
	if !strings.Contains(zh["list --bogus"], "没有 -bogus 这个选项") {
		t.Errorf("zh list with an option that does not exist: %q", zh["list --bogus"])
	}
	if !strings.Contains(zh["export --help"], "不附照片") {
		t.Errorf("zh export --help: %q", zh["export --help"])
	}

	withLocale(t, "en_US.UTF-8")
	en := runs()
	// The data stays as written: unit names, inspectors, titles, items.
	data := regexp.MustCompile(`演示检查员|[\p{Han}]+(科|局|中心|大厅|窗口|办|所|队|处|室|站)|机关服务效能[\p{Han}（）]*|[\p{Han}、，（）]*检查表[\p{Han}（）]*|\p{Han}+\d*号?|“[^”]*”`)
	for what, text := range en {
		for _, line := range strings.Split(text, "\n") {
			line = data.ReplaceAllString(line, "")
			if c := han.FindString(line); c != "" && what != "templates list" {
				t.Errorf("en %s: Chinese %q in %q", what, c, line)
			}
		}
	}
	for _, want := range []string{"covert", "signed", "draft"} {
		if !strings.Contains(en["list"], want) {
			t.Errorf("en list lacks %s:\n%s", want, en["list"])
		}
	}
	for _, rating := range []string{"优秀", "良好", "合格"} {
		if strings.Contains(en["list"], " "+rating) {
			t.Errorf("en list shows the rating %s untranslated:\n%s", rating, en["list"])
		}
	}
}
