package app_test

import (
	"encoding/json"
	"io/fs"
	"path"
	"testing"

	"fyne.io/fyne/v2/lang"

	"mingcha/assets"
	"mingcha/msg"
)

// withSystemLocale makes go-locale (which Fyne's lang package asks on every
// load) see loc as the user's locale, and reloads the translations. After
// the test the real environment and translation are restored.
func withSystemLocale(t *testing.T, loc string) {
	t.Helper()
	// Registered before t.Setenv, so it runs after the environment is restored.
	t.Cleanup(func() { _ = msg.LoadTranslations() })
	t.Setenv("LANGUAGE", "")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", loc)
	if err := msg.LoadTranslations(); err != nil {
		t.Fatal(err)
	}
}

func TestLoadTranslations(t *testing.T) {
	tests := []struct {
		locale      string
		inspections string
		cancel      string // one of Fyne's own translations, which must survive ours
	}{
		{"zh_CN.UTF-8", "检查记录", "取消"},
		{"zh_CN", "检查记录", "取消"},
		{"zh-Hans-CN", "检查记录", "取消"}, // macOS style
		{"zh", "检查记录", "取消"},
		{"en_US.UTF-8", "Inspections", "Cancel"},
		{"en_GB.UTF-8", "Inspections", "Cancel"},
		{"de_DE.UTF-8", "Inspections", "Abbrechen"}, // no German of ours: English
	}
	for _, tt := range tests {
		t.Run(tt.locale, func(t *testing.T) {
			withSystemLocale(t, tt.locale)
			if got := lang.L("Inspections"); got != tt.inspections {
				t.Errorf("lang.L(%q) = %q, want %q", "Inspections", got, tt.inspections)
			}
			if got := lang.L("Cancel"); got != tt.cancel {
				t.Errorf("lang.L(%q) = %q, want %q (Fyne's own translation)", "Cancel", got, tt.cancel)
			}
		})
	}
}

// TestTranslationKeysMatch keeps the language files in step: a key missing
// from one of them would show the English key to that language's users.
func TestTranslationKeysMatch(t *testing.T) {
	names, err := fs.Glob(assets.Translations, "translations/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 2 {
		t.Fatalf("translations: %v, want at least zh-Hans.json and en.json", names)
	}
	keys := map[string]map[string]bool{}
	for _, name := range names {
		data, err := assets.Translations.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var messages map[string]any
		if err := json.Unmarshal(data, &messages); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		keys[path.Base(name)] = map[string]bool{}
		for k := range messages {
			keys[path.Base(name)][k] = true
		}
	}
	for a, ka := range keys {
		for b, kb := range keys {
			for k := range ka {
				if !kb[k] {
					t.Errorf("key %q is in %s but not in %s", k, a, b)
				}
			}
		}
	}
}

// TestLocalizeReason: a verifier's reason in the user's language, with its
// parameters; the English sentence when the key is empty or unknown.
func TestLocalizeReason(t *testing.T) {
	params := map[string]any{"Bytes": int64(12)}
	const english = "bytes added after the signature: 12 (changed after signing)"
	tests := []struct {
		locale, key, want string
	}{
		{"zh_CN.UTF-8", "verify.appended", "签名后文件末尾又被追加了 12 字节（签名后被改动过）"},
		{"en_US.UTF-8", "verify.appended", english},
		{"zh_CN.UTF-8", "", english},
		{"zh_CN.UTF-8", "verify.no_such_reason", english},
	}
	for _, tt := range tests {
		t.Run(tt.locale+" "+tt.key, func(t *testing.T) {
			withSystemLocale(t, tt.locale)
			if got := msg.Reason(tt.key, english, params); got != tt.want {
				t.Errorf("LocalizeReason(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
	withSystemLocale(t, "zh_CN.UTF-8")
	if got := msg.Reason("verify.no_signature", "the report has no digital signature", nil); got != "报告没有数字签名" {
		t.Errorf("without parameters: %q", got)
	}
}
