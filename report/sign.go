package report

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/digitorus/pdfsign/sign"
)

// Sign adds a certifying digital signature to a rendered report:
// adbe.pkcs7.detached over SHA-256 with the inspector's key, DocMDP P=2
// (the only change allowed is another signature: the co-signatures of the
// other inspectors, see Cosign), an invisible field, no time-stamp server
// (offline).
func Sign(pdfData []byte, id *Identity, signer string, signedAt time.Time) ([]byte, error) {
	return SignWithReason(pdfData, id, signer, "检查报告签发 / inspection report", signedAt)
}

// SignWithReason is Sign with the signature's stated reason, e.g.
// "通报签发 / bulletin" for the 效能办's 通报.
func SignWithReason(pdfData []byte, id *Identity, signer, reason string, signedAt time.Time) (out []byte, err error) {
	return sign1(pdfData, id, signer, reason, signedAt, sign.CertificationSignature)
}

func sign1(pdfData []byte, id *Identity, signer, reason string, signedAt time.Time, kind sign.CertType) (out []byte, err error) {
	if id == nil || id.Cert == nil || id.Key == nil {
		return nil, errors.New("sign: no signing identity")
	}
	if signedAt.IsZero() {
		signedAt = time.Now()
	}
	if strings.TrimSpace(signer) == "" {
		signer = id.Cert.Subject.CommonName
	}
	rdr, err := openPDF(pdfData)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("sign: %v", p)
		}
	}()
	chain := append([]*x509.Certificate{id.Cert}, id.Chain...)
	var buf bytes.Buffer
	err = sign.Sign(bytes.NewReader(pdfData), &buf, rdr, int64(len(pdfData)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info: sign.SignDataSignatureInfo{
				Name:   pdfSafe(signer),
				Reason: pdfSafe(reason),
				Date:   signedAt,
			},
			CertType:   kind,
			DocMDPPerm: sign.AllowFillingExistingFormFieldsAndSignaturesPerms,
		},
		Signer:            id.Key,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       id.Cert,
		CertificateChains: [][]*x509.Certificate{chain},
	})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return buf.Bytes(), nil
}

// pdfSafe works around pdfsign writing non-ASCII text as raw UTF-16 inside
// a literal string without escaping: a code unit holding the byte of "(",
// ")", "\" or CR would break the PDF. Such text is left out (the signer's
// name is in the certificate anyway).
func pdfSafe(s string) string {
	for _, r := range s {
		if r >= 0x80 {
			for _, u := range utf16.Encode([]rune(s)) {
				for _, b := range []byte{byte(u >> 8), byte(u)} {
					if b == '(' || b == ')' || b == '\\' || b == '\r' {
						return ""
					}
				}
			}
			return s
		}
	}
	return s
}
