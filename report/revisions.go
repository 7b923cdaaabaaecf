package report

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strconv"

	"github.com/digitorus/pdf"

	"mingcha/inspect"
)

// The file Mingcha writes is a chain of revisions (PDF incremental
// updates), each ending in %%EOF:
//
//	revision 0  the report as gofpdf rendered it: one xref table, no /Prev,
//	            no signature
//	revision 1  the certification signature: DocMDP P=2 (P=1 when no other
//	            signature follows, as reports signed before co-signing are)
//	revision n  a co-signature: an approval signature, nothing else
//
// Every revision after the first adds exactly three new objects — the
// signature dictionary, its invisible widget (the signature field) and a
// new catalog equal to the previous one but for /AcroForm, whose /Fields
// gain the new widget — and redefines no existing object; its trailer keeps
// /Info and chains /Prev to the previous xref. Each signature's byte range
// ends where its revision ends; the last one at the end of the file. So no
// page, annotation, attachment or Info entry can change after the first
// signature, and what the certifier signed is what everyone later signed.

// revision is one signature's incremental update.
type revision struct {
	start, end int64 // data[start:end] is the update
	sig        sigDict
}

var (
	revEndRE    = regexp.MustCompile(`startxref\s+(\d{1,12})\s+%%EOF\s*$`)
	prevRE      = regexp.MustCompile(`/Prev\s+(\d{1,12})\b`)
	objHeaderRE = regexp.MustCompile(`(?m)(?:^|[\r\n])\s*(\d{1,10})\s+(\d{1,5})\s+obj\b`)
)

// checkRevisions applies the rules above. sigs are the signature
// dictionaries of the final revision, their byte ranges already checked.
// It returns the revisions in order, the first one the certification, and
// the digest of the pages (pagesDigest).
func checkRevisions(data []byte, sigs []sigDict) ([]revision, string, *inspect.Error) {
	sort.Slice(sigs, func(i, j int) bool { return sigEnd(sigs[i]) < sigEnd(sigs[j]) })
	for i := 1; i < len(sigs); i++ {
		if sigEnd(sigs[i]) == sigEnd(sigs[i-1]) {
			return nil, "", bad("verify.revision_shared", nil, "two signatures claim the same revision of the file")
		}
	}
	// The end of revision 0: the %%EOF just before the first signature's
	// dictionary (whose /Contents starts at byteRange[1]).
	b := sigs[0].byteRange[1]
	eof := bytes.LastIndex(data[:b], []byte("%%EOF"))
	if eof < 0 {
		return nil, "", bad("verify.revision_shape", nil, "the signed report does not have the revisions Mingcha writes: a report, then one signature per revision")
	}
	start := int64(eof + len("%%EOF"))
	for start < int64(len(data)) && (data[start] == '\r' || data[start] == '\n') {
		start++
	}
	base, err := openPDF(data[:start])
	if err != nil {
		return nil, "", bad("verify.revision_shape", nil, "the signed report does not have the revisions Mingcha writes: a report, then one signature per revision")
	}
	if !base.Trailer().Key("Prev").IsNull() {
		return nil, "", bad("verify.changed_before_signing", nil, "the report was changed by an incremental update before it was signed")
	}
	if found, _ := findSignatures(base); len(found) > 0 {
		return nil, "", bad("verify.revision_shape", nil, "the signed report does not have the revisions Mingcha writes: a report, then one signature per revision")
	}
	prev, baseEnd := base, start
	revs := make([]revision, len(sigs))
	for i, s := range sigs {
		end := sigEnd(s)
		revs[i] = revision{start: start, end: end, sig: s}
		cur, reason := checkUpdate(data, start, end, prev, s, i, len(sigs))
		if reason != nil {
			return nil, "", reason
		}
		prev, start = cur, end
	}
	pages, err := pagesDigest(data, base, baseEnd)
	if err != nil {
		return nil, "", bad("verify.pages_unreadable", map[string]any{"Detail": oneLine(err.Error())}, "the report's pages cannot be read (%s); ask the sender for the original file", oneLine(err.Error()))
	}
	return revs, pages, nil
}

func sigEnd(s sigDict) int64 { return s.byteRange[2] + s.byteRange[3] }

// onlySignature is why an update that does more than add a signature is
// refused; the n-th signature (1-based) is named.
func onlySignature(n int, what string) *inspect.Error {
	return bad("verify.update_not_signature", map[string]any{"N": n, "What": what},
		"revision %d of the file does more than add a signature: %s", n, what)
}

// checkUpdate checks that data[start:end] adds exactly signature s (the
// i-th, 0-based) to the revision prev, and returns the new revision.
func checkUpdate(data []byte, start, end int64, prev *pdf.Reader, s sigDict, i, total int) (*pdf.Reader, *inspect.Error) {
	n := i + 1
	if s.byteRange[1] < start || s.byteRange[1] > end {
		return nil, onlySignature(n, "its signature lies outside it")
	}
	sect := data[start:end]
	m := revEndRE.FindSubmatch(tail(sect))
	if m == nil {
		return nil, onlySignature(n, "it does not end in startxref and %%EOF")
	}
	xrefAt, _ := strconv.ParseInt(string(m[1]), 10, 64)
	if xrefAt < start || xrefAt >= end {
		return nil, onlySignature(n, "its cross-reference table lies outside it")
	}
	entries, trailer, ok := parseXrefSection(data[xrefAt:end])
	if !ok {
		return nil, onlySignature(n, "its cross-reference table cannot be read")
	}
	pm := prevRE.FindSubmatch(trailer)
	prevXref, _ := startxrefOf(data[:start])
	if pm == nil || string(pm[1]) != strconv.FormatInt(prevXref, 10) {
		return nil, onlySignature(n, "it does not chain to the previous revision")
	}
	if len(entries) != 3 {
		return nil, onlySignature(n, strconv.Itoa(len(entries))+" objects instead of the three of a signature")
	}
	used := map[uint32]bool{}
	for _, x := range prev.Xref() {
		if p := x.Ptr(); p.GetID() != 0 {
			id := p.GetID()
			used[id] = true
		}
	}
	newIDs := map[uint32]bool{}
	for _, e := range entries {
		if used[e.id] {
			return nil, onlySignature(n, "it replaces object "+strconv.FormatUint(uint64(e.id), 10))
		}
		if e.offset < start || e.offset >= xrefAt || !objectAt(data, e.offset, e.id) {
			return nil, onlySignature(n, "its cross-reference table points outside it")
		}
		newIDs[e.id] = true
	}
	if k := len(objHeaderRE.FindAllIndex(data[start:xrefAt], -1)); k != 3 {
		return nil, onlySignature(n, strconv.Itoa(k)+" objects instead of the three of a signature")
	}
	cur, err := openPDF(data[:end])
	if err != nil {
		return nil, onlySignature(n, "it cannot be read")
	}
	tr, ptr := cur.Trailer(), prev.Trailer()
	if !tr.Key("Encrypt").IsNull() {
		return nil, onlySignature(n, "it encrypts the file")
	}
	if tr.Key("Info").GetPtr() != ptr.Key("Info").GetPtr() {
		return nil, onlySignature(n, "it replaces the document information (title, keywords)")
	}
	root, oldRoot := tr.Key("Root"), ptr.Key("Root")
	if !newIDs[idOf(root)] {
		return nil, onlySignature(n, "its catalog is not its own")
	}
	if !sameCatalog(oldRoot, root) {
		return nil, onlySignature(n, "it changes the document catalog (pages, attachments)")
	}
	form := root.Key("AcroForm")
	if form.GetPtr() != root.GetPtr() {
		return nil, onlySignature(n, "its form is not part of the catalog")
	}
	for _, k := range form.Keys() {
		if k != "Fields" && k != "SigFlags" {
			return nil, onlySignature(n, "its form has /"+k)
		}
	}
	oldFields, fields := oldRoot.Key("AcroForm").Key("Fields"), form.Key("Fields")
	if fields.Len() != oldFields.Len()+1 {
		return nil, onlySignature(n, "it does not add exactly one signature field")
	}
	for j := range oldFields.Len() {
		if fields.Index(j).GetPtr() != oldFields.Index(j).GetPtr() {
			return nil, onlySignature(n, "it changes the existing signature fields")
		}
	}
	w := fields.Index(oldFields.Len())
	if !newIDs[idOf(w)] || w.Key("FT").Name() != "Sig" || w.Key("Subtype").Name() != "Widget" {
		return nil, onlySignature(n, "its new field is not a signature field")
	}
	for _, k := range w.Keys() {
		switch k {
		case "Type", "Subtype", "Rect", "P", "F", "FT", "T", "V":
		default:
			return nil, onlySignature(n, "its signature field has /"+k)
		}
	}
	rect := w.Key("Rect")
	if rect.Len() != 4 || rect.Index(0).Float64() != 0 || rect.Index(1).Float64() != 0 || rect.Index(2).Float64() != 0 || rect.Index(3).Float64() != 0 {
		return nil, onlySignature(n, "its signature field is visible")
	}
	v := w.Key("V")
	if !newIDs[idOf(v)] || v.Key("Type").Name() != "Sig" {
		return nil, onlySignature(n, "its field holds no new signature")
	}
	br := v.Key("ByteRange")
	for j := range 4 {
		if br.Index(j).Int64() != s.byteRange[j] {
			return nil, onlySignature(n, "its field holds another revision's signature")
		}
	}
	if reason := checkTransform(v, i, total); reason != nil {
		return nil, reason
	}
	return cur, nil
}

// checkTransform: the first signature certifies (DocMDP), the others
// approve; a certification that allows no change admits no co-signature.
func checkTransform(sig pdf.Value, i, total int) *inspect.Error {
	ref := sig.Key("Reference")
	docMDP := false
	var perm int64
	for j := range ref.Len() {
		if ref.Index(j).Key("TransformMethod").Name() == "DocMDP" {
			docMDP = true
			perm = 2 // the default
			if p := ref.Index(j).Key("TransformParams").Key("P"); !p.IsNull() {
				perm = p.Int64()
			}
		}
	}
	switch {
	case i == 0 && !docMDP:
		return bad("verify.not_certified", nil, "the first signature does not certify the report (no DocMDP)")
	case i > 0 && docMDP:
		return bad("verify.second_certification", map[string]any{"N": i + 1}, "signature %d certifies the report again; only the first may", i+1)
	case i == 0 && perm != 1 && perm != 2:
		return bad("verify.docmdp_perm", map[string]any{"P": perm}, "the certification allows changes (DocMDP P=%d) beyond adding signatures", perm)
	case i == 0 && perm == 1 && total > 1:
		return bad("verify.docmdp_no_changes", map[string]any{"Count": total - 1},
			"the certification allows no change (DocMDP P=1), yet it is followed by co-signatures (%d)", total-1)
	}
	return nil
}

type xrefEntry struct {
	id     uint32
	offset int64
}

// parseXrefSection reads one classic cross-reference table ("xref",
// subsections, "trailer" and its dictionary's text) of an update.
func parseXrefSection(b []byte) ([]xrefEntry, []byte, bool) {
	rest, ok := bytes.CutPrefix(b, []byte("xref"))
	if !ok {
		return nil, nil, false
	}
	t := bytes.Index(rest, []byte("trailer"))
	if t < 0 {
		return nil, nil, false
	}
	fields := bytes.Fields(rest[:t])
	var out []xrefEntry
	for len(fields) > 0 {
		if len(fields) < 2 {
			return nil, nil, false
		}
		first, err1 := strconv.ParseUint(string(fields[0]), 10, 32)
		count, err2 := strconv.ParseUint(string(fields[1]), 10, 16)
		fields = fields[2:]
		if err1 != nil || err2 != nil || len(fields) < int(count)*3 {
			return nil, nil, false
		}
		for k := range int(count) {
			off, err1 := strconv.ParseInt(string(fields[3*k]), 10, 64)
			_, err2 := strconv.ParseUint(string(fields[3*k+1]), 10, 16)
			kind := string(fields[3*k+2])
			if err1 != nil || err2 != nil || kind != "n" && kind != "f" {
				return nil, nil, false
			}
			if kind == "n" {
				out = append(out, xrefEntry{id: uint32(first) + uint32(k), offset: off})
			} else if first+uint64(k) != 0 {
				return nil, nil, false // freeing an object is a change too
			}
		}
		fields = fields[3*count:]
	}
	trailer := rest[t:]
	if sx := bytes.Index(trailer, []byte("startxref")); sx >= 0 {
		trailer = trailer[:sx]
	}
	return out, trailer, true
}

// startxrefOf is the xref offset named at the end of a revision.
func startxrefOf(b []byte) (int64, bool) {
	m := revEndRE.FindSubmatch(tail(b))
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseInt(string(m[1]), 10, 64)
	return v, err == nil
}

// objectAt reports whether "id gen obj" starts at off.
func objectAt(data []byte, off int64, id uint32) bool {
	if off < 0 || off >= int64(len(data)) {
		return false
	}
	b := data[off:min(off+32, int64(len(data)))]
	f := bytes.Fields(b)
	return len(f) >= 3 && string(f[0]) == strconv.FormatUint(uint64(id), 10) && string(f[2][:min(3, len(f[2]))]) == "obj"
}

// sameCatalog compares two catalogs entry by entry but for /AcroForm, an
// indirect value by reference, a direct one by value. pdfsign raises the
// catalog's /Version to 1.5 when the header says less.
func sameCatalog(a, b pdf.Value) bool {
	skip := []string{"AcroForm"}
	if a.Key("Version").IsNull() && b.Key("Version").Name() == "1.5" {
		skip = append(skip, "Version")
	}
	ka, kb := without(a.Keys(), skip...), without(b.Keys(), skip...)
	if len(ka) != len(kb) {
		return false
	}
	for i := range ka {
		if ka[i] != kb[i] || !sameValue(a.Key(ka[i]), b.Key(kb[i]), idOf(a), idOf(b), 0) {
			return false
		}
	}
	return true
}

func without(keys []string, skip ...string) []string {
	out := keys[:0:0]
	for _, k := range keys {
		if !slices.Contains(skip, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// sameValue: pa and pb are the objects a and b sit in; a value whose
// object is another one was reached through a reference.
func sameValue(a, b pdf.Value, pa, pb uint32, depth int) bool {
	if depth > 8 {
		return false
	}
	indA, indB := idOf(a) != pa, idOf(b) != pb
	if indA || indB {
		return indA && indB && a.GetPtr() == b.GetPtr()
	}
	if a.Kind() != b.Kind() {
		return false
	}
	switch a.Kind() {
	case pdf.Dict:
		ka, kb := without(a.Keys()), without(b.Keys())
		if len(ka) != len(kb) {
			return false
		}
		for i := range ka {
			if ka[i] != kb[i] || !sameValue(a.Key(ka[i]), b.Key(kb[i]), pa, pb, depth+1) {
				return false
			}
		}
		return true
	case pdf.Array:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !sameValue(a.Index(i), b.Index(i), pa, pb, depth+1) {
				return false
			}
		}
		return true
	case pdf.Stream:
		return false // a stream is never direct
	default:
		return a.String() == b.String()
	}
}

// tail is the end of a revision, where startxref and %%EOF are.
func tail(b []byte) []byte { return b[max(0, len(b)-1024):] }

// idOf is the number of the object v is, or sits in.
func idOf(v pdf.Value) uint32 {
	p := v.GetPtr()
	return p.GetID()
}
