// Package tamper builds the ways an attacker or an accident changes a
// signed report, for the tamper suites of the report package (Verify) and
// of the office import (e2e). Only tests import it.
package tamper

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"

	"mingcha/inspect"
	"mingcha/report"
)

// Case is one changed report and the reason Verify must give.
type Case struct {
	Name  string
	PDF   []byte
	Roots bool   // verify with the office CA as the only root
	Key   string // the reason's translation key; "" for any
}

// World is an office CA, keys for the inspection's two inspectors and an
// outsider, the report certified by the first inspector and co-signed by
// the second, and the cases made from them.
type World struct {
	CA                      *report.CA
	First, Second, Outsider *report.Identity // office-CA keys
	SelfSecond              *report.Identity // the second inspector's self-signed key
	Unsigned                []byte
	Signed                  []byte // certified by First
	Cosigned                []byte // and co-signed by Second
	Cases                   []Case
}

// Build makes the world from a signed inspection with at least two
// inspectors and one failed item (failItem); other is a signed report of
// another inspection whose signature is pasted into this one.
func Build(in *inspect.Inspection, photos report.PhotoSource, failItem string, other []byte) (*World, error) {
	if len(in.Inspectors) < 2 {
		return nil, fmt.Errorf("tamper: the inspection needs two inspectors")
	}
	w := &World{}
	var err error
	at := in.SignedAt
	if w.CA, err = report.NewCA("区效能办"); err != nil {
		return nil, err
	}
	unit := "区效能办"
	if w.First, err = w.CA.Issue(in.Inspectors[0], unit); err != nil {
		return nil, err
	}
	if w.Second, err = w.CA.Issue(in.Inspectors[1], unit); err != nil {
		return nil, err
	}
	if w.Outsider, err = w.CA.Issue("王五外人", unit); err != nil {
		return nil, err
	}
	if w.SelfSecond, err = report.NewSelfSigned(in.Inspectors[1], unit); err != nil {
		return nil, err
	}
	if w.Unsigned, err = report.Render(in, photos, report.RenderOptions{}); err != nil {
		return nil, err
	}
	if w.Signed, err = report.Sign(w.Unsigned, w.First, "", at); err != nil {
		return nil, err
	}
	if w.Cosigned, err = report.CosignAt(w.Signed, w.Second, at.Add(time.Hour)); err != nil {
		return nil, err
	}
	s := w.Signed
	b := &builder{err: nil}
	sigHex := contentsAt(s)
	sigEnd := sigHex + bytes.IndexByte(s[sigHex:], '>')
	kw := bytes.Index(s, []byte("/Keywords (")) + len("/Keywords (") + 20
	r := b.open(s)
	if b.err != nil {
		return nil, b.err
	}
	pg := r.Trailer().Key("Root").Key("Pages").Key("Kids").Index(0)
	page, contents := idOf(pg), idOf(pg.Key("Contents"))
	ef := idOf(embedded(r.Trailer().Key("Root").Key("Names").Key("EmbeddedFiles")))
	n := int(r.Trailer().Key("Size").Int64()) + 5
	contentAt := bytes.Index(s, fmt.Appendf(nil, "\n%d 0 obj\n", contents))
	contentAt += bytes.Index(s[contentAt:], []byte("stream\n")) + len("stream\n")

	// Changes by incremental update: page 1's text, an annotation on it,
	// the embedded inspection.json.
	text := b.update(s, map[int]string{contents: stream("BT /F1 48 Tf 300 700 Td (100) Tj ET")})
	annot := b.update(s, map[int]string{
		n:    "<< /Type /Annot /Subtype /FreeText /Rect [300 700 500 760] /Contents (100) /DA (/Helv 24 Tf 0 g) >>",
		page: strings.TrimSuffix(strings.TrimSpace(b.body(s, page)), ">>") + fmt.Sprintf("\n/Annots [%d 0 R]>>", n),
	})
	doctored := *in
	doctored.Unit.Name = "另一个单位"
	raw, _ := json.Marshal(&report.Payload{Format: report.PayloadFormat, GeneratedAt: at, Inspection: &doctored, Score: doctored.Score()})
	payload := b.update(s, map[int]string{ef: fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream", len(raw), raw)})

	// Another report's signature pasted over this one's.
	pasted := bytes.Clone(s)
	oh := contentsAt(other)
	src := other[oh : oh+bytes.IndexByte(other[oh:], '>')]
	src = src[:min(len(src), sigEnd-sigHex)]
	copy(pasted[sigHex:sigEnd], bytes.Repeat([]byte("0"), sigEnd-sigHex))
	copy(pasted[sigHex:], src)
	stripped := bytes.Clone(s)
	copy(stripped[sigHex:sigEnd], bytes.Repeat([]byte("0"), sigEnd-sigHex))

	// The DER is 30 82 hi lo …; the signature value proper is its end.
	derLen, _ := strconv.ParseUint(string(s[sigHex+4:sigHex+8]), 16, 16)
	sigValue := sigHex + 2*(4+int(derLen)-12)

	// Problems that leave out the failed item: a payload doctored before
	// signing, by a real inspector's key.
	noProblem := doctored
	noProblem.Unit = in.Unit
	noProblem.Problems = nil
	for _, p := range in.Problems {
		if p.ItemCode != failItem {
			noProblem.Problems = append(noProblem.Problems, p)
		}
	}
	var noProblemPDF []byte
	if pdfData, err := report.Render(&noProblem, photos, report.RenderOptions{}); err == nil {
		noProblemPDF, b.err = report.Sign(pdfData, w.First, "", at)
	} else {
		b.err = err
	}

	p1 := b.signP1(w.Unsigned, w.First, at)
	w.Cases = []Case{
		{"flipped byte in page content", flip(s, contentAt+40), true, "verify.content_changed"},
		{"flipped byte in Keywords", flip(s, kw), true, "verify.content_changed"},
		{"flipped byte in the signature's certificate", flipHex(s, sigHex+300), true, "verify.signature_unparsable"},
		{"flipped byte in the signature value", flipHex(s, sigValue), true, "verify.signature_invalid"},
		{"appended bytes", append(bytes.Clone(s), "% appended\n"...), true, "verify.appended"},
		{"appended newline", append(bytes.Clone(s), '\n'), true, "verify.appended"},
		{"appended NULs", append(bytes.Clone(s), make([]byte, 64)...), true, "verify.appended"},
		{"update changes page text", text, true, "verify.appended"},
		{"update adds an annotation", annot, true, "verify.appended"},
		{"update replaces inspection.json", payload, true, "verify.appended"},
		{"text update re-signed by a second office-CA key", b.approve(text, w.Second), true, "verify.update_not_signature"},
		{"annotation re-signed by a second office-CA key", b.approve(annot, w.Second), true, "verify.update_not_signature"},
		{"inspection.json replaced, re-signed by a second office-CA key", b.approve(payload, w.Second), true, "verify.update_not_signature"},
		{"text update re-signed by a self-signed key", b.approve(text, w.SelfSecond), false, "verify.update_not_signature"},
		{"inspection.json replaced, re-signed by a self-signed key", b.approve(payload, w.SelfSecond), false, "verify.update_not_signature"},
		{"signature of another report pasted in", pasted, false, "verify.content_changed"},
		{"signature stripped (zeroed)", stripped, true, ""},
		{"signature revision stripped", w.Unsigned, true, "verify.no_signature"},
		{"truncated to half", s[:len(s)/2], true, ""},
		{"truncated by 100 bytes", s[:len(s)-100], true, ""},
		{"truncated before %%EOF", s[:len(s)-6], true, "verify.truncated"},
		{"co-signed, then truncated", w.Cosigned[:len(w.Cosigned)-50], true, "verify.truncated"},
		{"problems omit a failed item", noProblemPDF, true, "verify.problem_missing"},
		{"signed by an office-CA key of a non-inspector", b.certify(w.Unsigned, w.Outsider, at), true, "verify.signer_not_inspector"},
		{"co-signed by a non-inspector", b.approve(s, w.Outsider), true, "verify.signer_not_inspector"},
		{"co-signed by a self-signed key, office CA set", b.approve(s, w.SelfSecond), true, "verify.not_office_ca"},
		{"co-signed twice by the same inspector", b.approve(w.Cosigned, w.Second), true, "verify.signed_twice"},
		{"DocMDP P=1 certification, co-signed", b.approve(p1, w.Second), true, "verify.docmdp_no_changes"},
		{"certified by a self-signed key, office CA set", b.certify(w.Unsigned, w.SelfSecond, at), true, "verify.not_office_ca"},
	}
	if b.err != nil {
		return nil, b.err
	}
	return w, nil
}

// SignP1 certifies with DocMDP P=1 ("no changes"), as Mingcha signed
// before co-signing: such a report must go on verifying on its own.
func SignP1(pdfData []byte, id *report.Identity, at time.Time) ([]byte, error) {
	b := &builder{}
	out := b.signP1(pdfData, id, at)
	return out, b.err
}

// builder keeps the first error, so that Build reads as a list.
type builder struct{ err error }

func (b *builder) open(data []byte) *pdf.Reader {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && b.err == nil {
		b.err = err
	}
	return r
}

// update appends an incremental update redefining or adding objs, its
// xref chained to the previous one, /Root and /Info kept.
func (b *builder) update(data []byte, objs map[int]string) []byte {
	r := b.open(data)
	if b.err != nil {
		return nil
	}
	tr := r.Trailer()
	root, info := tr.Key("Root").GetPtr(), tr.Key("Info").GetPtr()
	m := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(data[max(0, len(data)-1024):])
	if m == nil {
		b.err = fmt.Errorf("tamper: no startxref")
		return nil
	}
	size := tr.Key("Size").Int64()
	var out bytes.Buffer
	out.Write(data)
	out.WriteString("\n")
	offs := map[int]int{}
	var ids []int
	for id, body := range objs {
		ids = append(ids, id)
		offs[id] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", id, body)
		size = max(size, int64(id+1))
	}
	x := out.Len()
	out.WriteString("xref\n")
	for _, id := range ids {
		fmt.Fprintf(&out, "%d 1\n%010d 00000 n\r\n", id, offs[id])
	}
	fmt.Fprintf(&out, "trailer\n<<\n/Size %d\n/Root %d %d R\n/Info %d 0 R\n/Prev %s\n>>\nstartxref\n%d\n%%%%EOF\n",
		size, root.GetID(), root.GetGen(), info.GetID(), m[1], x)
	return out.Bytes()
}

// body is the text of object n's last definition.
func (b *builder) body(data []byte, n int) string {
	all := regexp.MustCompile(`(?s)\n`+strconv.Itoa(n)+` 0 obj\n(.*?)\nendobj`).FindAllSubmatch(data, -1)
	if len(all) == 0 {
		b.err = fmt.Errorf("tamper: object %d not found", n)
		return ""
	}
	return string(all[len(all)-1][1])
}

func (b *builder) sign(data []byte, id *report.Identity, kind sign.CertType, perm sign.DocMDPPerm, at time.Time) []byte {
	if b.err != nil || data == nil {
		return nil
	}
	r := b.open(data)
	if b.err != nil {
		return nil
	}
	var out bytes.Buffer
	err := sign.Sign(bytes.NewReader(data), &out, r, int64(len(data)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info:     sign.SignDataSignatureInfo{Name: "x", Date: at},
			CertType: kind, DocMDPPerm: perm,
		},
		Signer: id.Key, DigestAlgorithm: crypto.SHA256, Certificate: id.Cert,
		CertificateChains: [][]*x509.Certificate{append([]*x509.Certificate{id.Cert}, id.Chain...)},
	})
	if err != nil {
		b.err = err
		return nil
	}
	return out.Bytes()
}

// approve adds an approval signature without Cosign's checks, as an
// attacker's tool would.
func (b *builder) approve(data []byte, id *report.Identity) []byte {
	return b.sign(data, id, sign.ApprovalSignature, 0, time.Date(2024, 5, 15, 9, 0, 0, 0, time.UTC))
}

func (b *builder) certify(data []byte, id *report.Identity, at time.Time) []byte {
	return b.sign(data, id, sign.CertificationSignature, sign.AllowFillingExistingFormFieldsAndSignaturesPerms, at)
}

func (b *builder) signP1(data []byte, id *report.Identity, at time.Time) []byte {
	return b.sign(data, id, sign.CertificationSignature, sign.DoNotAllowAnyChangesPerms, at)
}

func contentsAt(s []byte) int {
	for _, p := range []string{"/Contents<", "/Contents <"} {
		if i := bytes.Index(s, []byte(p)); i >= 0 {
			return i + len(p)
		}
	}
	return 0
}

func embedded(tree pdf.Value) pdf.Value {
	names := tree.Key("Names")
	for i := 0; i+1 < names.Len(); i += 2 {
		spec := names.Index(i + 1)
		if spec.Key("UF").Text() == report.AttachmentName || spec.Key("F").Text() == report.AttachmentName {
			return spec.Key("EF").Key("F")
		}
	}
	return pdf.Value{}
}

func idOf(v pdf.Value) int {
	p := v.GetPtr()
	return int(p.GetID())
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x01
	return c
}

// flipHex changes one hex digit, keeping it hex.
func flipHex(b []byte, i int) []byte {
	c := bytes.Clone(b)
	if c[i] == 'a' {
		c[i] = 'b'
	} else {
		c[i] = 'a'
	}
	return c
}
