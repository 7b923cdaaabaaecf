package report

import (
	"crypto/x509"

	"mingcha/inspect"
)

// OfficeVerifier is the check the 效能办 runs on every report it imports
// (store.ImportReports takes it): Verify with the office CA as the only
// trusted root when roots is set, and the embedded inspection on success.
// A rejected file yields Verify's reason, with its translation key.
func OfficeVerifier(roots *x509.CertPool) func(data []byte) (*inspect.SignedReport, *inspect.Error) {
	return func(data []byte) (*inspect.SignedReport, *inspect.Error) {
		v, err := Verify(data, VerifyOptions{Roots: roots})
		if err != nil {
			return nil, &inspect.Error{Code: inspect.ECodeInvalid, Message: err.Error()}
		}
		if !v.Valid {
			return nil, &inspect.Error{Code: inspect.ECodeInvalid, Key: v.ReasonKey, Params: v.ReasonParams, Message: v.Reason}
		}
		if v.Payload == nil || v.Payload.Inspection == nil {
			return nil, noPayload()
		}
		return &inspect.SignedReport{
			Inspection: v.Payload.Inspection, Signer: v.Signer, SignerUnit: v.SignerUnit,
			Trust: string(v.Trust), SigningTime: v.SigningTime, Signers: signerNames(v.Signers), PagesSHA256: v.PagesSHA256,
		}, nil
	}
}

func signerNames(ss []Signer) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}
