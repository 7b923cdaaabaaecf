// Package report owns the PDF report of an inspection: rendering it (gofpdf,
// bundled CJK font), embedding the inspection's full data as an attachment,
// signing it (digitorus/pdfsign, adbe.pkcs7.detached with DocMDP) and
// verifying it strictly, plus the inspectors' keys and the office CA.
//
// It knows the domain (inspect) but not the store: photos come through
// PhotoSource, which store.Store satisfies.
package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/digitorus/pdf"

	"mingcha/inspect"
)

// PayloadFormat names the version of the embedded JSON.
const PayloadFormat = "mingcha.report/1"

// AttachmentName is the file name of the embedded data in the PDF.
const AttachmentName = "inspection.json"

// maxPayload bounds what ExtractPayload decompresses from an untrusted PDF.
const maxPayload = 64 << 20

// ErrNoPayload reports a PDF without the embedded inspection data.
var ErrNoPayload = errors.New("the PDF carries no embedded inspection data")

// Payload is the machine-readable half of a report, embedded in the PDF as
// inspection.json: the inspection with its template snapshot, answers and
// photo hashes, the score as computed at export, and the audit tail.
type Payload struct {
	Format      string              `json:"format"`
	GeneratedAt time.Time           `json:"generated_at"`
	Inspection  *inspect.Inspection `json:"inspection"`
	Score       inspect.Score       `json:"score"`
	Audit       json.RawMessage     `json:"audit,omitempty"`
	// NotDigitallySigned are the inspectors who had no key on the laptop
	// at export (printed 未数字签名); a later co-signature adds theirs.
	NotDigitallySigned []string `json:"not_digitally_signed,omitempty"`
}

// Fingerprint is the short form printed in every page footer: the first 16
// hex digits of the SHA-256 of the embedded JSON.
func Fingerprint(payloadJSON []byte) string {
	sum := sha256.Sum256(payloadJSON)
	return hex.EncodeToString(sum[:])[:16]
}

// claims are what the rendered pages state and the PDF's Info dictionary
// repeats in machine-readable form (Keywords), so Verify can compare them
// with the embedded data.
type claims struct {
	ID, Unit, Score, Fingerprint string
}

const claimsPrefix = "mingcha-report "

func (c claims) keywords() string {
	v := url.Values{}
	v.Set("id", c.ID)
	v.Set("unit", c.Unit)
	v.Set("score", c.Score)
	v.Set("fp", c.Fingerprint)
	return claimsPrefix + v.Encode()
}

func parseClaims(keywords string) (claims, bool) {
	rest, ok := strings.CutPrefix(keywords, claimsPrefix)
	if !ok {
		return claims{}, false
	}
	v, err := url.ParseQuery(rest)
	if err != nil {
		return claims{}, false
	}
	return claims{ID: v.Get("id"), Unit: v.Get("unit"), Score: v.Get("score"), Fingerprint: v.Get("fp")}, true
}

func fmtScore(v float64) string { return fmt.Sprintf("%.2f", v) }

// ExtractPayload finds inspection.json among the PDF's embedded files and
// decodes it.
func ExtractPayload(data []byte) (*Payload, error) {
	raw, err := extractAttachment(data, AttachmentName)
	if err != nil {
		return nil, err
	}
	return decodePayload(raw)
}

func decodePayload(raw []byte) (*Payload, error) {
	var p Payload
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("embedded data is not valid JSON: %w", err)
	}
	if p.Format != PayloadFormat {
		return nil, fmt.Errorf("embedded data has format %q, not %q", p.Format, PayloadFormat)
	}
	if p.Inspection == nil {
		return nil, errors.New("embedded data has no inspection")
	}
	return &p, nil
}

// openPDF parses a PDF; the parser panics on some malformed input.
func openPDF(data []byte) (r *pdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("the file is not a readable PDF (%v)", p)
		}
	}()
	r, err = pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("the file is not a readable PDF: %w", err)
	}
	return r, nil
}

// extractAttachment returns the decoded bytes of the embedded file name,
// looked up in the catalog's /Names /EmbeddedFiles name tree.
func extractAttachment(data []byte, name string) (out []byte, err error) {
	r, err := openPDF(data)
	if err != nil {
		return nil, err
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("the PDF's embedded files cannot be read (%v)", p)
		}
	}()
	tree := r.Trailer().Key("Root").Key("Names").Key("EmbeddedFiles")
	if tree.IsNull() {
		return nil, ErrNoPayload
	}
	spec, ok := findName(tree, name, 0)
	if !ok {
		return nil, ErrNoPayload
	}
	stream := spec.Key("EF").Key("F")
	if stream.Kind() != pdf.Stream {
		return nil, fmt.Errorf("embedded file %s has no data stream", name)
	}
	rd := stream.Reader()
	defer rd.Close()
	b, err := io.ReadAll(io.LimitReader(rd, maxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("decompress embedded file %s: %w", name, err)
	}
	if len(b) > maxPayload {
		return nil, fmt.Errorf("embedded file %s is larger than %d MB", name, maxPayload>>20)
	}
	return b, nil
}

// findName searches a PDF name tree (leaf /Names arrays and /Kids).
func findName(node pdf.Value, name string, depth int) (pdf.Value, bool) {
	if depth > 16 {
		return pdf.Value{}, false
	}
	names := node.Key("Names")
	for i := 0; i+1 < names.Len(); i += 2 {
		// gofpdf keys its attachments "Attachement1"…; the file name
		// is in the file specification's /UF (or /F).
		spec := names.Index(i + 1)
		if names.Index(i).Text() == name || spec.Key("UF").Text() == name || spec.Key("F").Text() == name {
			return spec, true
		}
	}
	kids := node.Key("Kids")
	for i := 0; i < kids.Len(); i++ {
		if v, ok := findName(kids.Index(i), name, depth+1); ok {
			return v, true
		}
	}
	return pdf.Value{}, false
}
