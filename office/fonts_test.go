package office

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"mingcha/assets"
	"mingcha/report"
)

func cachedPaths() []string {
	faces.Lock()
	defer faces.Unlock()
	var out []string
	for p := range faces.m {
		out = append(out, p)
	}
	return out
}

// The font cache holds one version of each chosen file: a file that
// changed replaces its old version, and a file no role chooses any more is
// dropped (it held up to four 64 MB fonts for the life of the process, and
// every changed version of them).
func TestFontCacheHoldsTheChosenFiles(t *testing.T) {
	o := openOffice(t)
	faces.Lock()
	faces.m = map[string]cachedFace{}
	faces.Unlock()
	dir := t.TempDir()
	kai, song := filepath.Join(dir, "楷体.ttf"), filepath.Join(dir, "宋体.ttf")
	_ = os.WriteFile(kai, assets.FontGongwenKai(), 0o600)
	_ = os.WriteFile(song, assets.FontGongwenSong(), 0o600)
	if _, err := o.SetGongwenFont("test", report.FontBody, kai); err != nil {
		t.Fatal(err)
	}
	if _, err := o.SetGongwenFont("test", report.FontTitle, song); err != nil {
		t.Fatal(err)
	}
	if got := cachedPaths(); len(got) != 2 {
		t.Fatalf("cached %v, want the two chosen files", got)
	}
	// The 仿宋 file replaced by another font: read again, one version kept.
	_ = os.WriteFile(kai, assets.FontGongwenSong(), 0o600)
	later := time.Now().Add(time.Minute)
	_ = os.Chtimes(kai, later, later)
	fonts, err := o.GongwenFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fonts {
		if f.Role == report.FontBody && f.Face.Family != "AR PL UMing CN" {
			t.Errorf("the changed file is still read as %q", f.Face.Family)
		}
	}
	if got := cachedPaths(); len(got) != 2 {
		t.Fatalf("cached %v after a file changed", got)
	}
	if _, err := o.SetGongwenFont("test", report.FontBody, "auto"); err != nil {
		t.Fatal(err)
	}
	if got := cachedPaths(); len(got) != 1 || got[0] != song {
		t.Fatalf("cached %v after 正文 went back to automatic, want only %s", got, song)
	}
}
