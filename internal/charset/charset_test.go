package charset

import (
	"os"
	"path/filepath"
	"testing"
	"unicode"
)

func TestNamedSets(t *testing.T) {
	han := func(rs []rune) int {
		n := 0
		for _, r := range rs {
			if unicode.Is(unicode.Han, r) {
				n++
			}
		}
		return n
	}
	// GB 2312's 6,763 hanzi and 682 symbols, plus what GBK puts in the
	// empty cells of its rows (35 symbols); 々 of row 1 is of the Han script.
	gb := Named("gb2312")
	if got := han(gb); got != 6763+1 {
		t.Errorf("gb2312 holds %d Han characters, want 6,763 hanzi and 々", got)
	}
	if len(gb) != 7445+35 {
		t.Errorf("gb2312 holds %d characters, want 7,480", len(gb))
	}
	// GBK's 21,003 ideographs (20,902 of the URO, 80 compatibility
	// ideographs, radicals): at least the URO block 4E00–9FA5.
	if got := han(Named("gbk-han")); got < 20902 {
		t.Errorf("gbk-han holds %d ideographs, want at least 20,902", got)
	}
	if got := Named("tgh-smp"); len(got) != 196 || got[0] != 0x20164 || got[len(got)-1] != 0x2CE93 {
		t.Errorf("tgh-smp: %d characters from %U to %U, want 196 from U+20164 to U+2CE93", len(got), got[0], got[len(got)-1])
	}
	for _, r := range Named("tgh-smp") {
		if r <= 0xFFFF || !unicode.Is(unicode.Han, r) {
			t.Errorf("tgh-smp holds %U", r)
		}
	}
	if Named("nope") != nil {
		t.Error("unknown set is not nil")
	}
}

func TestParse(t *testing.T) {
	file := filepath.Join(t.TempDir(), "chars.txt")
	if err := os.WriteFile(file, []byte("郑𬌗\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Parse("ascii, U+4E00-U+4E02,U+9F98, @" + file + ",text:堃,A")
	if err != nil {
		t.Fatal(err)
	}
	want := map[rune]bool{'一': true, '丁': true, '丂': true, '龘': true, '郑': true, '𬌗': true, '堃': true, ',': true, 'A': true, '~': true}
	have := map[rune]bool{}
	for i, r := range got {
		have[r] = true
		if i > 0 && got[i-1] >= r {
			t.Fatalf("not sorted and unique at %d", i)
		}
	}
	for r := range want {
		if !have[r] {
			t.Errorf("Parse lacks %q", r)
		}
	}
	if have['\n'] {
		t.Error("control characters of the file are kept")
	}
	for _, bad := range []string{"gb2313", "U+9FFF-U+4E00", "U+110000", "@/no/such/file"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}
