package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mingcha/assets"
	"mingcha/desk"
	"mingcha/msg"
)

// withLocale makes the next run() load the translations for loc (run calls
// msg.LoadTranslations, which asks the environment each time). After the
// test the environment and the translations are restored.
func withLocale(t *testing.T, loc string) {
	t.Helper()
	// Registered before t.Setenv, so it runs after the environment is restored.
	t.Cleanup(func() { _ = msg.LoadTranslations() })
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", loc)
}

// TestCLIChinese: with a Chinese locale the commands speak Chinese; ids,
// paths and flag names stay as they are.
func TestCLIChinese(t *testing.T) {
	withLocale(t, "zh_CN.UTF-8")
	dir := t.TempDir()

	missing := filepath.Join(dir, "none.db")
	code, _, errs := runCLI(t, "check", "--db", missing)
	if code == 0 || errs != "mingcha check: 数据库文件 "+missing+" 不存在\n" {
		t.Errorf("check on a missing file: %d %q", code, errs)
	}

	good := filepath.Join("..", "..", "assets", "templates", "combined.json")
	code, out, errs := runCLI(t, "templates", "validate", good)
	if code != 0 || !strings.HasPrefix(out, good+"：校验通过 — ") || !strings.Contains(out, "满分 100 分") {
		t.Errorf("templates validate: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, "templates", "validate"); code == 0 || !strings.Contains(errs, "请至少指定一个模板文件") {
		t.Errorf("templates validate without a file: %d %q", code, errs)
	}

	db := filepath.Join(dir, "demo.db")
	code, out, errs = runCLI(t, "demo", "--db", db, "--inspections", "3")
	if code != 0 || !strings.Contains(out, "3条检查记录") || !strings.Contains(out, strconv.Quote(desk.DemoPassphrase)) {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	if code, _, errs := runCLI(t, "list", "--db", db, "--status", "lost"); code == 0 || !strings.Contains(errs, `--status "lost" 无效`) {
		t.Errorf("list --status lost: %d %q", code, errs)
	}
	if code, out, errs := runCLI(t, "check", "--db", db); code != 0 || !strings.Contains(out, "：检查通过 — 数据一致，共 3 条检查记录") {
		t.Errorf("check: %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "backup", "--db", db)
	backup := strings.TrimSpace(out)
	if code != 0 || !strings.HasSuffix(backup, ".db.zst") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	code, out, errs = runCLI(t, "restore", "--db", db, backup)
	if code != 0 || !strings.HasPrefix(out, "已从 "+backup+" 恢复 "+db+"\n被替换的文件已保存为 ") {
		t.Errorf("restore: %d %q %q", code, out, errs)
	}

	code, out, _ = runCLI(t, "help")
	for _, want := range []string{"命令：", "  check                检查数据库一致性并核验审计链\n", "默认数据库："} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help lacks %q: %s", want, out)
		}
	}
	if code, _, errs := runCLI(t, "check", "--help"); code != 0 || !strings.HasPrefix(errs, "用法：mingcha check [--db PATH] ") || !strings.Contains(errs, "选项：") {
		t.Errorf("check --help: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "frobnicate"); code != 2 || errs != "mingcha：未知命令 \"frobnicate\"（参见 mingcha help）\n" {
		t.Errorf("unknown command: %d %q", code, errs)
	}
}

// TestCLIEnglish: the English locale gives the English sentences, which are
// the keys themselves.
func TestCLIEnglish(t *testing.T) {
	withLocale(t, "en_US.UTF-8")
	missing := filepath.Join(t.TempDir(), "none.db")
	if code, _, errs := runCLI(t, "check", "--db", missing); code == 0 || errs != "mingcha check: no database at "+missing+"\n" {
		t.Errorf("check on a missing file: %d %q", code, errs)
	}
}

// cliKeys returns the literal keys passed to lang.L in the package's
// non-test files; a lang.L call whose key is not a literal is an error.
func cliKeys(t *testing.T) map[string]string {
	t.Helper()
	// The commands' own files and the use cases and messages they print.
	keys := map[string]string{} // key → where
	eachCall(t, []string{"*.go", "../../desk/*.go", "../../office/*.go", "../../msg/*.go"}, func(pos string, call *ast.CallExpr) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return
		}
		if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" || sel.Sel.Name != "L" {
			return
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: lang.%s with a key that is not a string literal", pos, sel.Sel.Name)
			return
		}
		key, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatalf("%s: %v", pos, err)
		}
		keys[key] = pos
	})
	if len(keys) < 50 {
		t.Fatalf("found only %d keys; is the scan broken?", len(keys))
	}
	return keys
}

// TestCLITranslationKeys: every key the commands pass to lang.L is in both
// translation files; the English is the key itself (so English output is
// the sentence in the source), the Chinese uses the same template fields,
// and no key is one go-i18n reserves.
func TestCLITranslationKeys(t *testing.T) {
	files := translationFiles(t)
	reserved := []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other"}
	field := regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
	fields := func(s string) []string {
		var out []string
		for _, m := range field.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for key, pos := range cliKeys(t) {
		if slices.Contains(reserved, strings.ToLower(key)) {
			t.Errorf("%s: %q is reserved by go-i18n", pos, key)
		}
		for name, m := range files {
			v, ok := m[key]
			if !ok {
				t.Errorf("%s: key %q is not in %s", pos, key, name)
				continue
			}
			if name == "en.json" && v != key {
				t.Errorf("%s: en.json gives %q for %q; the English is the key", pos, v, key)
			}
			if got, want := fields(v), fields(key); !slices.Equal(got, want) {
				t.Errorf("%s: %s uses fields %v for %q, the key %v", pos, name, got, key, want)
			}
		}
	}
}

// TestCLIFlagHelpTranslated: every flag's help text (the last argument of
// fs.String, fs.Bool, fs.Var …) is a literal and a key of both translation
// files, so that "mingcha CMD --help" prints it in the user's language
// (printFlags localizes them; QA #8 found the option texts English in the
// Chinese CLI).
func TestCLIFlagHelpTranslated(t *testing.T) {
	files := translationFiles(t)
	defs := map[string]bool{"String": true, "Bool": true, "Int": true, "Float64": true, "Duration": true,
		"Var": true, "StringVar": true, "BoolVar": true, "IntVar": true, "Float64Var": true, "DurationVar": true}
	found := 0
	eachCall(t, []string{"*.go"}, func(pos string, call *ast.CallExpr) {
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !defs[sel.Sel.Name] || len(call.Args) < 3 {
			return
		}
		lit, ok := call.Args[len(call.Args)-1].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			t.Errorf("%s: a flag's help that is not a string literal", pos)
			return
		}
		key, _ := strconv.Unquote(lit.Value)
		found++
		for file, m := range files {
			if _, ok := m[key]; !ok {
				t.Errorf("%s: flag help %q is not in %s", pos, key, file)
			}
		}
	})
	if found < 50 {
		t.Fatalf("found only %d flags; is the scan broken?", found)
	}
}

// translationFiles is en.json and zh-Hans.json, by name.
func translationFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	files := map[string]map[string]string{}
	for _, name := range []string{"en.json", "zh-Hans.json"} {
		data, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = m
	}
	return files
}

// eachCall hands every call expression in the non-test Go files matching
// patterns to fn, with its position.
func eachCall(t *testing.T, patterns []string, fn func(pos string, call *ast.CallExpr)) {
	t.Helper()
	var files []string
	for _, pattern := range patterns {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				fn(fset.Position(call.Pos()).String(), call)
			}
			return true
		})
	}
}
