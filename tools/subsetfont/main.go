// Command subsetfont writes a TrueType font that holds only the glyphs of a
// character set, taken from a .ttf or one face of a .ttc.
//
// It makes Mingcha's bundled fonts reproducible from Debian's packages and
// small enough to embed (see assets/fonts/README.md for the exact commands):
//
//	go run ./tools/subsetfont -in /usr/share/fonts/truetype/arphic/uming.ttc -index 1 \
//		-chars gb2312,gongwen,ascii -o assets/fonts/uming-gb2312.ttf.gz
//
// -chars is a comma-separated list of named sets (ascii, gb2312, gbk-han,
// ext-a, tgh-smp, gongwen, cjk-punct), ranges U+XXXX-U+YYYY, @file (the
// characters of a text file) and a final text:… with literal characters.
// -minus drops the characters other fonts already have, which is how a
// fallback font is cut to what the primary font lacks.
//
// Only glyph outlines (glyf), metrics and hinting programs are kept; tables
// keyed by glyph id (kern, GSUB, GPOS, vertical metrics, embedded bitmaps)
// are dropped, glyph names are removed (post format 3), and the cmap is
// rebuilt with a format 4 subtable and, for characters beyond the BMP, a
// format 12 one. An output name ending in .gz is written gzip-compressed.
// The same inputs always give the same bytes.
package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"mingcha/internal/charset"
	"mingcha/internal/sfnt"
)

func main() {
	in := flag.String("in", "", "font to read (.ttf, or .ttc with -index)")
	index := flag.Int("index", 0, "face of a .ttc to read (0 is the first)")
	chars := flag.String("chars", "", "character set to keep (see the package comment)")
	minus := flag.String("minus", "", "comma-separated fonts (path or path:index) whose characters are left out")
	out := flag.String("o", "", "TrueType font to write")
	flag.Parse()
	if err := run(*in, *index, *chars, *minus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "subsetfont:", err)
		os.Exit(1)
	}
}

func run(in string, index int, spec, minus, out string) error {
	if in == "" || out == "" || spec == "" {
		return errors.New("-in, -chars and -o are required")
	}
	want, err := charset.Parse(spec)
	if err != nil {
		return err
	}
	if minus != "" {
		if want, err = without(want, minus); err != nil {
			return err
		}
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(data, index)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	ttf, missing, err := f.Subset(want)
	if err != nil {
		return err
	}
	if strings.HasSuffix(out, ".gz") {
		// No name or time in the header: the same font gives the same bytes.
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(ttf); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		fmt.Printf("%s: %d bytes uncompressed\n", out, len(ttf))
		ttf = buf.Bytes()
	}
	if err := os.WriteFile(out, ttf, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d of %d characters, %d bytes\n", out, len(want)-len(missing), len(want), len(ttf))
	if len(missing) > 0 {
		fmt.Printf("%d characters not in %s:", len(missing), in)
		for i, c := range missing {
			if i == 40 {
				fmt.Print(" …")
				break
			}
			fmt.Printf(" U+%04X", c)
		}
		fmt.Println()
	}
	return nil
}

// without drops from want the characters the fonts in list already map.
func without(want []rune, list string) ([]rune, error) {
	have := map[rune]bool{}
	for _, item := range strings.Split(list, ",") {
		path, idx := item, 0
		if i := strings.LastIndex(item, ":"); i > 0 {
			if n, err := strconv.Atoi(item[i+1:]); err == nil {
				path, idx = item[:i], n
			}
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := sfnt.Parse(data, idx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, c := range f.Chars() {
			have[c] = true
		}
	}
	out := want[:0:0]
	for _, c := range want {
		if !have[c] {
			out = append(out, c)
		}
	}
	return out, nil
}
