// Package charset names the character sets Mingcha's fonts are cut to and
// checked against: GB 2312, the ideographs of GB 18030's two-byte part,
// CJK Extension A, the SMP characters of 通用规范汉字表, the marks of a 公文.
package charset

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// namedSets are the character sets -chars knows by name.
var namedSets = map[string]func() []rune{
	"ascii":     func() []rune { return span(0x20, 0x7E) },
	"gb2312":    gb2312,
	"gbk-han":   gbkHan,
	"ext-a":     func() []rune { return span(0x3400, 0x4DBF) },
	"tgh-smp":   func() []rune { return append([]rune(nil), tghSMP...) },
	"gongwen":   gongwenMarks,
	"cjk-punct": func() []rune { return span(0x3000, 0x303F) },
}

// Named returns the named set ("gb2312", "gbk-han", "ext-a", "tgh-smp",
// "gongwen", "cjk-punct", "ascii"), or nil for an unknown name.
func Named(name string) []rune {
	if f := namedSets[name]; f != nil {
		return f()
	}
	return nil
}

func span(a, b rune) []rune {
	out := make([]rune, 0, b-a+1)
	for c := a; c <= b; c++ {
		out = append(out, c)
	}
	return out
}

// gb2312 is every character of GB 2312 (EUC-CN rows A1–F7, columns A1–FE:
// 682 symbols and 6,763 hanzi), decoded with x/text's GBK table, which also
// fills 35 empty cells of those rows (ⅰ–ⅹ, vertical forms, pinyin): 7,480.
func gb2312() []rune {
	var out []rune
	dec := simplifiedchinese.GBK.NewDecoder()
	for hi := 0xA1; hi <= 0xF7; hi++ {
		for lo := 0xA1; lo <= 0xFE; lo++ {
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			if c, n := utf8.DecodeRune(s); n == len(s) && c != utf8.RuneError && c != 0xFFFD && !(c >= 0xE000 && c <= 0xF8FF) {
				out = append(out, c)
			}
		}
	}
	return out
}

// gbkHan is every ideograph of the two-byte part of GB 18030 (the GBK
// repertoire): what GB 18030-2022 implementation level 2 requires besides
// Extension A and the SMP characters of 通用规范汉字表.
func gbkHan() []rune {
	var out []rune
	dec := simplifiedchinese.GB18030.NewDecoder()
	for hi := 0x81; hi <= 0xFE; hi++ {
		for lo := 0x40; lo <= 0xFE; lo++ {
			if lo == 0x7F {
				continue
			}
			s, err := dec.Bytes([]byte{byte(hi), byte(lo)})
			if err != nil {
				continue
			}
			if c, n := utf8.DecodeRune(s); n == len(s) && unicode.Is(unicode.Han, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// gongwenMarks are the marks a 公文 (GB/T 9704) and a report print beyond
// GB 2312: full-width forms, the 〔〕 of a 文号, general punctuation.
func gongwenMarks() []rune {
	out := span(0x2010, 0x2027)
	out = append(out, span(0x3000, 0x301F)...)
	out = append(out, span(0xFF01, 0xFF5E)...)
	out = append(out, span(0x2460, 0x2473)...) // ①–⑳
	out = append(out, []rune("·×÷°±—…‰※№℃")...)
	return out
}

// tghSMP are the 196 characters of 通用规范汉字表 (2013) that lie outside
// the BMP (CJK Extensions B–F), as listed in Unihan's kTGH property.
var tghSMP = []rune{
	0x20164, 0x20676, 0x20CD0, 0x2139A, 0x21413, 0x235CB, 0x23C97, 0x23C98, 0x23E23, 0x249DB, 0x24A7D, 0x24AC9,
	0x25532, 0x25562, 0x255A8, 0x25ED7, 0x26221, 0x2648D, 0x26676, 0x2677C, 0x26B5C, 0x26C21, 0x27FF9, 0x28408,
	0x28678, 0x28695, 0x287E0, 0x28B49, 0x28C47, 0x28C4F, 0x28C51, 0x28C54, 0x28E99, 0x29F7E, 0x29F83, 0x29F8C,
	0x2A7DD, 0x2A8FB, 0x2A917, 0x2AA30, 0x2AA36, 0x2AA58, 0x2AFA2, 0x2B127, 0x2B128, 0x2B137, 0x2B138, 0x2B1ED,
	0x2B300, 0x2B363, 0x2B36F, 0x2B372, 0x2B37D, 0x2B404, 0x2B410, 0x2B413, 0x2B461, 0x2B4E7, 0x2B4EF, 0x2B4F6,
	0x2B4F9, 0x2B50D, 0x2B50E, 0x2B536, 0x2B5AE, 0x2B5AF, 0x2B5B3, 0x2B5E7, 0x2B5F4, 0x2B61C, 0x2B61D, 0x2B626,
	0x2B627, 0x2B628, 0x2B62A, 0x2B62C, 0x2B695, 0x2B696, 0x2B6AD, 0x2B6ED, 0x2B7A9, 0x2B7C5, 0x2B7E6, 0x2B7F9,
	0x2B7FC, 0x2B806, 0x2B80A, 0x2B81C, 0x2B8B8, 0x2BAC7, 0x2BB5F, 0x2BB62, 0x2BB7C, 0x2BB83, 0x2BC1B, 0x2BD77,
	0x2BD87, 0x2BDF7, 0x2BE29, 0x2C029, 0x2C02A, 0x2C0A9, 0x2C0CA, 0x2C1D5, 0x2C1D9, 0x2C1F9, 0x2C27C, 0x2C288,
	0x2C2A4, 0x2C317, 0x2C35B, 0x2C361, 0x2C364, 0x2C488, 0x2C494, 0x2C497, 0x2C542, 0x2C613, 0x2C618, 0x2C621,
	0x2C629, 0x2C62B, 0x2C62C, 0x2C62D, 0x2C62F, 0x2C642, 0x2C64A, 0x2C64B, 0x2C72C, 0x2C72F, 0x2C79F, 0x2C7C1,
	0x2C7FD, 0x2C8D9, 0x2C8DE, 0x2C8E1, 0x2C8F3, 0x2C907, 0x2C90A, 0x2C91D, 0x2CA02, 0x2CA0E, 0x2CA7D, 0x2CAA9,
	0x2CB29, 0x2CB2D, 0x2CB2E, 0x2CB31, 0x2CB38, 0x2CB39, 0x2CB3B, 0x2CB3F, 0x2CB41, 0x2CB4A, 0x2CB4E, 0x2CB5A,
	0x2CB5B, 0x2CB64, 0x2CB69, 0x2CB6C, 0x2CB6F, 0x2CB73, 0x2CB76, 0x2CB78, 0x2CB7C, 0x2CBB1, 0x2CBBF, 0x2CBC0,
	0x2CBCE, 0x2CC56, 0x2CC5F, 0x2CCF5, 0x2CCF6, 0x2CCFD, 0x2CCFF, 0x2CD02, 0x2CD03, 0x2CD0A, 0x2CD8B, 0x2CD8D,
	0x2CD8F, 0x2CD90, 0x2CD9F, 0x2CDA0, 0x2CDA8, 0x2CDAD, 0x2CDAE, 0x2CDD5, 0x2CE18, 0x2CE1A, 0x2CE23, 0x2CE26,
	0x2CE2A, 0x2CE7C, 0x2CE88, 0x2CE93,
}

// Parse turns a -chars specification into a sorted set of runes:
// comma-separated named sets, ranges U+XXXX-U+YYYY, single U+XXXX,
// @file (every character of a UTF-8 text file) and "text:" followed by
// literal characters (to the end of the argument).
func Parse(spec string) ([]rune, error) {
	set := map[rune]bool{}
	rest := spec
	if i := strings.Index(rest, "text:"); i >= 0 {
		for _, c := range rest[i+len("text:"):] {
			set[c] = true
		}
		rest = rest[:i]
	}
	for _, item := range strings.Split(rest, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case namedSets[item] != nil:
			for _, c := range namedSets[item]() {
				set[c] = true
			}
		case strings.HasPrefix(item, "@"):
			data, err := os.ReadFile(item[1:])
			if err != nil {
				return nil, err
			}
			for _, c := range string(data) {
				if c >= 0x20 && c != utf8.RuneError {
					set[c] = true
				}
			}
		case strings.HasPrefix(strings.ToUpper(item), "U+"):
			a, b, _ := strings.Cut(item, "-")
			lo, err := codePoint(a)
			if err != nil {
				return nil, err
			}
			hi := lo
			if b != "" {
				if hi, err = codePoint(b); err != nil {
					return nil, err
				}
			}
			if hi < lo {
				return nil, fmt.Errorf("range %s ends before it starts", item)
			}
			for c := lo; c <= hi; c++ {
				set[c] = true
			}
		default:
			names := make([]string, 0, len(namedSets))
			for n := range namedSets {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("unknown character set %q (named sets: %s; or U+XXXX-U+YYYY, @file, text:…)", item, strings.Join(names, ", "))
		}
	}
	out := make([]rune, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

func codePoint(s string) (rune, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "U+"), "u+")
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil || v > 0x10FFFF {
		return 0, fmt.Errorf("bad code point %q", s)
	}
	return rune(v), nil
}
