package report

import (
	"errors"
	"strings"
	"time"

	"github.com/digitorus/pdfsign/sign"

	"mingcha/inspect"
)

// ErrNotInspector refuses a co-signing key whose holder is not one of the
// report's inspectors.
var ErrNotInspector = errors.New("the key's holder is not one of the report's inspectors")

// Cosign adds one inspector's signature to a signed report, as an
// incremental update that adds only the signature (the pattern the
// certification's DocMDP P=2 allows and Verify accepts). The report must
// verify as it is; the key's certificate must name one of its inspectors
// who has not signed yet.
func Cosign(pdfData []byte, id *Identity) ([]byte, error) {
	return CosignAt(pdfData, id, time.Now())
}

// CosignAt is Cosign with the signing time given.
func CosignAt(pdfData []byte, id *Identity, signedAt time.Time) ([]byte, error) {
	if id == nil || id.Cert == nil || id.Key == nil {
		return nil, errors.New("cosign: no signing identity")
	}
	v, err := Verify(pdfData, VerifyOptions{})
	if err != nil {
		return nil, err
	}
	if !v.Valid {
		// Verify's own reason, so that it reaches the user translated.
		return nil, &inspect.Error{Code: inspect.ECodeInvalid, Key: v.ReasonKey, Params: v.ReasonParams, Message: v.Reason}
	}
	if v.Payload == nil || v.Payload.Inspection == nil {
		return nil, noPayload()
	}
	name := strings.TrimSpace(id.Cert.Subject.CommonName)
	in := v.Payload.Inspection
	if !isInspector(in, name) {
		return nil, inspect.Errorf(inspect.ECodeInvalid, "cosign.not_inspector",
			map[string]any{"Signer": name, "Inspectors": strings.Join(in.Inspectors, ", ")},
			"%s is not one of the report's inspectors (%s); only they can co-sign it", name, strings.Join(in.Inspectors, ", "))
	}
	for _, s := range v.Signers {
		if s.Name == name {
			return nil, inspect.Errorf(inspect.ECodeConflict, "cosign.already_signed", map[string]any{"Signer": name},
				"%s has already signed this report", name)
		}
	}
	if signedAt.IsZero() {
		signedAt = time.Now()
	}
	out, err := sign1(pdfData, id, name, "检查报告会签 / co-signature", signedAt, sign.ApprovalSignature)
	if err != nil {
		return nil, err
	}
	// What we wrote must be what we accept.
	if again, err := Verify(out, VerifyOptions{}); err != nil || !again.Valid {
		reason := "unknown"
		if again != nil {
			reason = again.Reason
		}
		return nil, errors.New("cosign: the co-signed report does not verify: " + reason)
	}
	return out, nil
}

// SignAll signs a rendered report with every identity in turn: the first
// certifies it, each further one co-signs. It is the export of an
// inspection whose inspectors hold several keys on this laptop.
func SignAll(pdfData []byte, ids []*Identity, signer string, signedAt time.Time) ([]byte, error) {
	if len(ids) == 0 {
		return nil, errors.New("sign: no signing identity")
	}
	out, err := Sign(pdfData, ids[0], signer, signedAt)
	if err != nil {
		return nil, err
	}
	for _, id := range ids[1:] {
		if out, err = CosignAt(out, id, signedAt); err != nil {
			return nil, err
		}
	}
	return out, nil
}
