package report

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"

	"mingcha/assets"
	"mingcha/inspect"
	"mingcha/internal/sfnt"
)

// textFace is the face reports draw text with (assets.TextFont: WQY
// MicroHei and its fallbacks), parsed once to answer MissingGlyphs.
var textFace = sync.OnceValues(func() (*sfnt.Font, error) {
	return sfnt.Parse(assets.TextFont(), 0)
})

// MissingGlyphs returns, once each and in order of appearance, the
// characters of text that no bundled font can draw: the report would show
// them as empty boxes, so the export paths name them in a warning first.
// Line breaks, tabs and other controls are not drawn and never missing.
func MissingGlyphs(text string) []rune {
	face, err := textFace()
	if err != nil {
		return nil // the package tests parse the face; nothing to name
	}
	seen := map[rune]bool{}
	var out []rune
	for _, r := range text {
		if seen[r] || unicode.IsControl(r) || unicode.IsSpace(r) || face.Has(r) {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}

// InspectionMissingGlyphs is MissingGlyphs over every text of an
// inspection that its report prints: unit, place, inspectors, template,
// answers, notes, absent persons, findings, problems, signatures.
func InspectionMissingGlyphs(in *inspect.Inspection) []rune {
	if in == nil {
		return nil
	}
	var b strings.Builder
	add := func(s ...string) {
		for _, v := range s {
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	add(in.Unit.Name, in.Unit.Department, in.Unit.Address, in.Place, in.Amends, in.ID)
	add(in.Inspectors...)
	add(in.Template.Title)
	for _, sec := range in.Template.Sections {
		add(sec.Title)
		for _, it := range sec.Items {
			add(it.Code, it.Text, it.Unit)
		}
	}
	codes := make([]string, 0, len(in.Answers))
	for code := range in.Answers {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		a := in.Answers[code]
		if a == nil {
			continue
		}
		add(a.Note, a.Text, a.Choice)
		for _, p := range a.Absent {
			add(p.Name, p.Post)
		}
	}
	for _, f := range in.Findings {
		add(f.Text, f.Category)
	}
	for _, p := range in.Problems {
		add(p.Description, p.Responsible)
	}
	for _, s := range in.Signatures {
		add(s.Inspector)
	}
	return MissingGlyphs(b.String())
}

// RuneList names characters for a warning, each with its code point (the
// character itself may not show where the warning is read):
// "𠀀 (U+20000), 😀 (U+1F600)".
func RuneList(rs []rune) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%c (U+%04X)", r, r)
	}
	return strings.Join(parts, ", ")
}
