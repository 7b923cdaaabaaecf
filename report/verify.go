package report

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/verify"
	"github.com/digitorus/pkcs7"

	"mingcha/inspect"
)

// Trust says who vouches for the signing certificate.
type Trust string

const (
	TrustOfficeCA   Trust = "office-ca"   // issued by the configured office CA
	TrustSelfSigned Trust = "self-signed" // the inspector's own certificate
	TrustUnknown    Trust = "unknown"     // issued by a CA that is not configured
)

// VerifyOptions configure Verify.
type VerifyOptions struct {
	// Roots are the office CA certificates. When set, a certificate they
	// did not issue makes the report invalid.
	Roots *x509.CertPool
	// AcceptBulletins also accepts a signed 通报 (it embeds bulletin.json
	// instead of an inspection); Verification.Kind tells which it was.
	AcceptBulletins bool
}

// Signer is one digital signature of a report, in file order: the first
// certifies it, each later one is a co-signature.
type Signer struct {
	Name        string // the certificate's common name
	Unit        string // the certificate's organization
	SigningTime time.Time
	Trust       Trust
	Certificate *x509.Certificate
}

// Verification is the outcome of Verify.
type Verification struct {
	Valid       bool
	Reason      string // one sentence: why it is invalid, or what was checked
	Signer      string // the certifying signer: the certificate's common name
	SignerUnit  string // the certifying certificate's organization
	SigningTime time.Time
	Trust       Trust
	Signatures  int
	Signers     []Signer // every signature that was read, the certifier first
	// PagesSHA256 is the digest of what the pages show (fonts, images and
	// content streams): equal for two files that show the same pages.
	PagesSHA256 string
	ReportID    string
	Unit        string
	Score       float64
	Payload     *Payload
	Kind        string // "report", "bulletin" or "notice" (整改通知书)

	// ReasonKey names Reason in assets/translations ("verify.…"), with
	// ReasonParams for its template; Reason is the English fallback.
	ReasonKey    string
	ReasonParams map[string]any
}

// Verify checks a signed report strictly, on top of pdfsign's verifier: at
// least one signature; each one parses and is cryptographically valid; the
// last one covers the file up to its last byte (nothing appended, no
// incremental update after signing); the certificate chains to
// opts.Roots when set; the embedded data is present and agrees with what
// the report states (id, unit, score and footer fingerprint).
//
// An invalid report is not an error: Verify returns Valid false and the
// Reason. The error is for the caller's mistakes only (nil input).
func Verify(data []byte, opts VerifyOptions) (v *Verification, err error) {
	if data == nil {
		return nil, errors.New("verify: no PDF data")
	}
	v = &Verification{}
	defer func() {
		if p := recover(); p != nil {
			v = &Verification{}
			v.setReason(bad("verify.unreadable", map[string]any{"Detail": fmt.Sprint(p)}, "the file cannot be read as a PDF (%v)", p))
			err = nil
		}
	}()
	reason := verify1(data, opts, v)
	v.Valid = reason == nil
	if v.Valid {
		names := v.SignerNames()
		reason = bad("verify.valid", map[string]any{"Signer": names}, "signed by %s, no byte changed since signing, embedded data matches the report", names)
	}
	v.setReason(reason)
	return v, nil
}

// SignerNames lists the signers' names, "张三, 李小明".
func (v *Verification) SignerNames() string {
	names := make([]string, len(v.Signers))
	for i, s := range v.Signers {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

func (v *Verification) setReason(r *inspect.Error) {
	v.Reason, v.ReasonKey, v.ReasonParams = r.Message, r.Key, r.Params
}

// bad is a reason a report is refused: its translation key (see
// assets/translations), the template's parameters and the English sentence.
func bad(key string, params map[string]any, format string, args ...any) *inspect.Error {
	return inspect.Errorf(inspect.ECodeInvalid, key, params, format, args...)
}

// detail wraps a lower-level error whose text is the whole reason.
func detail(key string, err error) *inspect.Error {
	return bad(key, map[string]any{"Detail": err.Error()}, "%s", err.Error())
}

type sigDict struct {
	byteRange [4]int64
	contents  []byte
	name      string
	when      time.Time
}

// MaxReportSize bounds what Verify reads: a report with a hundred photos is
// about 30 MB, so anything much larger is not one, and parsing it would
// only cost the verifier time and memory.
const MaxReportSize = 256 << 20

// maxObjects bounds the objects Verify looks at: a report has a few per
// page and photo (about 70 with 20 photos); a file of a million empty
// objects would otherwise take seconds per check.
const maxObjects = 20000

func verify1(data []byte, opts VerifyOptions, v *Verification) *inspect.Error {
	if len(data) > MaxReportSize {
		return bad("verify.too_large", map[string]any{"Size": len(data) >> 20, "Max": MaxReportSize >> 20},
			"the file is %d MB, larger than any report (%d MB at most)", len(data)>>20, MaxReportSize>>20)
	}
	// Checked on the raw bytes first, so that an appended update is named
	// as such even when it leaves the file unreadable.
	if end, ok := lastByteRangeEnd(data); ok && end < int64(len(data)) {
		return appended(int64(len(data)) - end)
	} else if ok && end > int64(len(data)) {
		return bad("verify.truncated", map[string]any{"Bytes": end - int64(len(data))},
			"the file is cut short (bytes missing from what was signed: %d)", end-int64(len(data)))
	}
	r, err := openPDF(data)
	if err != nil {
		return detail("verify.not_pdf", err)
	}
	sigs, reason := findSignatures(r)
	if reason != nil {
		return reason
	}
	v.Signatures = len(sigs)
	if len(sigs) == 0 {
		return bad("verify.no_signature", nil, "the report has no digital signature")
	}

	for _, s := range sigs {
		if reason := checkByteRange(data, s); reason != nil {
			return reason
		}
	}
	last := sigs[0]
	for _, s := range sigs {
		if sigEnd(s) > sigEnd(last) {
			last = s
		}
	}
	if end := sigEnd(last); end != int64(len(data)) {
		return appended(int64(len(data)) - end)
	}
	revs, pages, reason := checkRevisions(data, sigs)
	if reason != nil {
		return reason
	}
	v.PagesSHA256 = pages

	// Every signature's certificate, in revision order; the report's
	// signer, trust and time are the certifier's.
	for _, rev := range revs {
		p7, err := pkcs7.Parse(rev.sig.contents)
		if err != nil {
			return bad("verify.signature_unparsable", map[string]any{"Detail": oneLine(err.Error())}, "the signature cannot be parsed (%s); ask the sender for the original file", oneLine(err.Error()))
		}
		cert := p7.GetOnlySigner()
		if cert == nil {
			return bad("verify.no_certificate", nil, "the signature names no signing certificate")
		}
		// The signature over exactly its byte range, checked here rather
		// than read from pdfsign's report, which names one error for all.
		br := rev.sig.byteRange
		p7.Content = append(bytes.Clone(data[br[0]:br[0]+br[1]]), data[br[2]:br[2]+br[3]]...)
		if err := p7.Verify(); err != nil {
			if strings.Contains(strings.ToLower(err.Error()), "digest") {
				return contentChanged()
			}
			name := strings.TrimSpace(cert.Subject.CommonName)
			return bad("verify.signature_invalid", map[string]any{"Signer": name, "Detail": oneLine(err.Error())},
				"the signature of %s is not valid (%s); ask the sender for the original file", name, oneLine(err.Error()))
		}
		sg := Signer{Name: strings.TrimSpace(cert.Subject.CommonName), SigningTime: rev.sig.when, Certificate: cert,
			Trust: trustOf(cert, p7.Certificates, opts.Roots)}
		if len(cert.Subject.Organization) > 0 {
			sg.Unit = cert.Subject.Organization[0]
		}
		v.Signers = append(v.Signers, sg)
	}
	// pdfsign's verifier as a second opinion: it must find every
	// signature and call each valid.
	resp, err := verify.VerifyWithOptions(bytes.NewReader(data), int64(len(data)), &verify.VerifyOptions{
		AllowedEKUs:         []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection, x509.ExtKeyUsageAny},
		AllowUntrustedRoots: true, // trust is decided below, against opts.Roots
	})
	if err != nil {
		return bad("verify.signature_unchecked", map[string]any{"Detail": oneLine(err.Error())}, "the signature cannot be checked (%s); ask the sender for the original file", oneLine(err.Error()))
	}
	if len(resp.Signers) != len(sigs) {
		n := len(sigs) - len(resp.Signers)
		return bad("verify.signatures_unparsed", map[string]any{"Bad": n, "Total": len(sigs)},
			"%d of %d signatures cannot be parsed", n, len(sigs))
	}
	for _, s := range resp.Signers {
		if !s.ValidSignature {
			return bad("verify.signature_rejected", map[string]any{"Detail": oneLine(resp.Error)}, "a signature fails the second, independent check (%s); ask the sender for the original file", oneLine(resp.Error))
		}
	}

	first := v.Signers[0]
	v.Signer, v.SignerUnit, v.SigningTime, v.Trust = first.Name, first.Unit, first.SigningTime, first.Trust
	for _, sg := range v.Signers {
		if opts.Roots != nil && sg.Trust != TrustOfficeCA {
			return bad("verify.not_office_ca", map[string]any{"Signer": sg.Name}, "the certificate of %s was not issued by the office CA", sg.Name)
		}
	}
	for i, sg := range v.Signers {
		for _, o := range v.Signers[:i] {
			if o.Name == sg.Name {
				return bad("verify.signed_twice", map[string]any{"Signer": sg.Name}, "%s signed the report twice", sg.Name)
			}
		}
	}

	raw, err := extractAttachment(data, AttachmentName)
	if err != nil {
		if errors.Is(err, ErrNoPayload) {
			if opts.AcceptBulletins {
				if b, berr := extractAttachment(data, BulletinAttachment); berr == nil {
					if !json.Valid(b) {
						return bad("verify.bulletin_json", nil, "the bulletin's embedded data is not valid JSON")
					}
					v.Kind = "bulletin"
					return nil
				}
				if n, nerr := extractAttachment(data, NoticeAttachment); nerr == nil {
					if !json.Valid(n) {
						return bad("verify.bulletin_json", nil, "the notice's embedded data is not valid JSON")
					}
					v.Kind = "notice" // 整改通知书, signed by the office like a 通报
					return nil
				}
			}
			return noPayload()
		}
		return bad("verify.embedded_unreadable", map[string]any{"Detail": oneLine(err.Error())}, "the embedded inspection data cannot be read (%s); ask the sender for the original file", oneLine(err.Error()))
	}
	v.Kind = "report"
	p, err := decodePayload(raw)
	if err != nil {
		return bad("verify.embedded_invalid", map[string]any{"Detail": oneLine(err.Error())}, "the embedded inspection data is not what this Mingcha reads (%s); ask the sender for the original file, or update Mingcha if the sender's is newer", oneLine(err.Error()))
	}
	v.Payload = p
	v.ReportID, v.Unit, v.Score = p.Inspection.ID, p.Inspection.Unit.Name, p.Score.Value
	for _, sg := range v.Signers {
		if !isInspector(p.Inspection, sg.Name) {
			return bad("verify.signer_not_inspector", map[string]any{"Signer": sg.Name, "Inspectors": strings.Join(p.Inspection.Inspectors, ", ")},
				"%s signed the report but is not one of its inspectors (%s)", sg.Name, strings.Join(p.Inspection.Inspectors, ", "))
		}
	}
	c, ok := parseClaims(r.Trailer().Key("Info").Key("Keywords").Text())
	if !ok {
		return bad("verify.no_claims", nil, "the report does not state its id, unit and score in a form that can be checked")
	}
	switch {
	case c.Fingerprint != Fingerprint(raw):
		return bad("verify.fingerprint_mismatch", map[string]any{"Embedded": Fingerprint(raw), "Stated": c.Fingerprint},
			"the embedded data (fingerprint %s) is not the data the report was printed from (%s)", Fingerprint(raw), c.Fingerprint)
	case c.ID != p.Inspection.ID:
		return bad("verify.id_mismatch", map[string]any{"Stated": c.ID, "Embedded": p.Inspection.ID},
			"the report says id %s but the embedded data is inspection %s", c.ID, p.Inspection.ID)
	case c.Unit != p.Inspection.Unit.Name:
		return bad("verify.unit_mismatch", map[string]any{"Stated": c.Unit, "Embedded": p.Inspection.Unit.Name},
			"the report names unit %s but the embedded data names %s", c.Unit, p.Inspection.Unit.Name)
	case c.Score != fmtScore(p.Score.Value):
		return bad("verify.score_mismatch", map[string]any{"Stated": c.Score, "Embedded": fmtScore(p.Score.Value)},
			"the report says score %s but the embedded data says %s", c.Score, fmtScore(p.Score.Value))
	}
	again := p.Inspection.Score()
	switch {
	case fmtScore(again.Value) != fmtScore(p.Score.Value):
		return bad("verify.score_recomputed", map[string]any{"Computed": fmtScore(again.Value), "Stated": fmtScore(p.Score.Value)},
			"the embedded answers give score %s, not the %s the report states", fmtScore(again.Value), fmtScore(p.Score.Value))
	case again.Rating != p.Score.Rating:
		return bad("verify.rating_recomputed", map[string]any{"Computed": again.Rating, "Stated": p.Score.Rating},
			"the embedded answers give the rating %s, not the %s the report states", again.Rating, p.Score.Rating)
	case again.Veto != p.Score.Veto:
		return bad("verify.veto_recomputed", nil, "the report's veto (rated unsatisfactory whatever the score) does not follow from the embedded answers")
	}
	return checkProblems(p.Inspection)
}

// isInspector: the certificate's name is one of the inspection's inspectors.
func isInspector(in *inspect.Inspection, name string) bool {
	for _, n := range in.Inspectors {
		if strings.TrimSpace(n) == name && name != "" {
			return true
		}
	}
	return false
}

// contentChanged is the one line for a signature whose digest does not
// match the signed bytes.
func contentChanged() *inspect.Error {
	return bad("verify.content_changed", nil, "the file was changed after signing: the signed bytes no longer match the signature")
}

// oneLine keeps a library's message to one line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// appended is the reason for bytes after the last signed byte.
func appended(n int64) *inspect.Error {
	return bad("verify.appended", map[string]any{"Bytes": n}, "bytes added after the signature: %d (changed after signing)", n)
}

// noPayload is why a signed PDF that is not a report is refused.
func noPayload() *inspect.Error {
	return bad("verify.no_payload", nil, "the report carries no embedded inspection data")
}

// findSignatures lists every signature dictionary in the file, including
// ones pdfsign's verifier would skip because they do not parse.
func findSignatures(r *pdf.Reader) ([]sigDict, *inspect.Error) {
	var out []sigDict
	if n := len(r.Xref()); n > maxObjects {
		return nil, bad("verify.too_many_objects", map[string]any{"Objects": n, "Max": maxObjects},
			"the file has %d objects, far more than a report (%d at most)", n, maxObjects)
	}
	for _, x := range r.Xref() {
		obj := r.Resolve(x.Ptr(), x.Ptr())
		if obj.Kind() != pdf.Dict {
			continue
		}
		if obj.Key("Type").Name() != "Sig" && obj.Key("Filter").Name() != "Adobe.PPKLite" && obj.Key("ByteRange").IsNull() {
			continue
		}
		if obj.Key("ByteRange").IsNull() && obj.Key("Contents").IsNull() {
			continue
		}
		if f := obj.Key("Filter").Name(); f != "Adobe.PPKLite" {
			return nil, bad("verify.signature_handler", map[string]any{"Handler": strconv.Quote(f)}, "a signature uses handler %q, not Adobe.PPKLite", f)
		}
		if sf := obj.Key("SubFilter").Name(); sf != "adbe.pkcs7.detached" && sf != "ETSI.CAdES.detached" {
			return nil, bad("verify.signature_format", map[string]any{"Format": strconv.Quote(sf)}, "a signature uses format %q, not adbe.pkcs7.detached", sf)
		}
		br := obj.Key("ByteRange")
		if br.Len() != 4 {
			return nil, bad("verify.byte_range_shape", nil, "a signature's byte range is not two ranges")
		}
		var s sigDict
		for i := range 4 {
			s.byteRange[i] = br.Index(i).Int64()
		}
		s.contents = []byte(obj.Key("Contents").RawString())
		s.name = obj.Key("Name").Text()
		if m := obj.Key("M").Text(); m != "" {
			s.when, _ = parsePDFDate(m)
		}
		out = append(out, s)
	}
	return out, nil
}

// checkByteRange requires the two signed ranges to cover the whole file
// except exactly the hex string holding the signature.
func checkByteRange(data []byte, s sigDict) *inspect.Error {
	a, b, c, d := s.byteRange[0], s.byteRange[1], s.byteRange[2], s.byteRange[3]
	n := int64(len(data))
	if a != 0 || b <= 0 || c <= b || d < 0 || c+d > n {
		return bad("verify.byte_range_start", nil, "a signature's byte range does not cover the file from its first byte")
	}
	if data[b] != '<' || data[c-1] != '>' {
		return bad("verify.byte_range_gap", nil, "a signature's byte range leaves out more than the signature itself")
	}
	for _, ch := range data[b+1 : c-1] {
		if !isHex(ch) {
			return bad("verify.byte_range_gap", nil, "a signature's byte range leaves out more than the signature itself")
		}
	}
	return nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// trustOf checks the chain at verification time: the signing time in the
// PDF is the signer's own claim, and certificates outlive reports by years.
func trustOf(cert *x509.Certificate, certs []*x509.Certificate, roots *x509.CertPool) Trust {
	inter := x509.NewCertPool()
	for _, c := range certs {
		if !c.Equal(cert) {
			inter.AddCert(c)
		}
	}
	if roots != nil {
		o := x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
		if _, err := cert.Verify(o); err == nil {
			return TrustOfficeCA
		}
	}
	if selfSigned(cert) {
		return TrustSelfSigned
	}
	return TrustUnknown
}

// parsePDFDate reads D:YYYYMMDDHHmmSS+HH'mm'.
func parsePDFDate(s string) (time.Time, error) {
	if len(s) >= 2 && s[:2] == "D:" {
		s = s[2:]
	}
	for _, layout := range []string{"20060102150405-07'00'", "20060102150405Z07'00'", "20060102150405Z", "20060102150405-0700", "20060102150405"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad PDF date %q", s)
}

var byteRangeRE = regexp.MustCompile(`/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]`)

// lastByteRangeEnd finds the furthest end of any /ByteRange in the raw file.
func lastByteRangeEnd(data []byte) (int64, bool) {
	var end int64
	found := false
	for _, m := range byteRangeRE.FindAllSubmatch(data, -1) {
		c, err1 := strconv.ParseInt(string(m[3]), 10, 64)
		d, err2 := strconv.ParseInt(string(m[4]), 10, 64)
		if err1 == nil && err2 == nil && c+d > end {
			end, found = c+d, true
		}
	}
	return end, found
}
