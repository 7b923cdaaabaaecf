package report

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	pkcs12 "software.sslmate.com/src/go-pkcs12"

	"mingcha/inspect"
)

// ErrWrongPassphrase reports a key file that the given passphrase does not open.
var ErrWrongPassphrase = errors.New("the passphrase does not open this key file")

// ErrNotCA reports a key file whose certificate cannot issue others (an
// inspector's or the office's own key given where the root CA belongs).
var ErrNotCA = errors.New("the certificate in this key file is not a CA")

// ErrNotP12 reports a file that is not a PKCS#12 key file (.p12) at all.
var ErrNotP12 = errors.New("not a PKCS#12 key file")

// ErrNoPassphrase refuses to store a private key without encryption.
var ErrNoPassphrase = errors.New("a passphrase is required: private keys are never stored unencrypted")

// oidDocumentSigning is the RFC 9336 Document Signing extended key usage,
// which Go's x509 has no constant for.
var oidDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// Identity is an inspector's signing key and certificate. Chain holds the
// issuing certificates (the office CA), empty for a self-signed identity.
type Identity struct {
	Cert  *x509.Certificate
	Key   *ecdsa.PrivateKey
	Chain []*x509.Certificate
}

// SelfSigned reports whether the identity certifies itself.
func (id *Identity) SelfSigned() bool {
	return len(id.Chain) == 0 && selfSigned(id.Cert)
}

// CA is an office (效能办) root certificate authority.
type CA struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// certValidity: inspectors' certificates and the CA outlive the reports they
// sign by years, and the laptops are offline, so there is no renewal flow.
const certValidity = 10 * 365 * 24 * time.Hour

func serial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
}

func subject(name, unit string) pkix.Name {
	n := pkix.Name{CommonName: strings.TrimSpace(name)}
	if u := strings.TrimSpace(unit); u != "" {
		n.Organization = []string{u}
	}
	return n
}

// signerTemplate is the certificate of an inspector: digital signature and
// content commitment, Document Signing and e-mail protection EKUs (pdfsign's
// verifier and Acrobat accept either).
func signerTemplate(name, unit string, now time.Time) (*x509.Certificate, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("the certificate needs the inspector's name")
	}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	return &x509.Certificate{
		SerialNumber:       sn,
		Subject:            subject(name, unit),
		NotBefore:          now.Add(-24 * time.Hour),
		NotAfter:           now.Add(certValidity),
		KeyUsage:           x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:        []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage: []asn1.ObjectIdentifier{oidDocumentSigning},
	}, nil
}

// NewSelfSigned creates a P-256 key and a self-signed certificate naming the
// inspector and their unit.
func NewSelfSigned(name, unit string) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl, err := signerTemplate(name, unit, time.Now())
	if err != nil {
		return nil, err
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{Cert: cert, Key: key}, nil
}

// NewCA creates an office root CA.
func NewCA(name string) (*CA, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("the CA needs a name")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	sn, err := serial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          sn,
		Subject:               pkix.Name{CommonName: strings.TrimSpace(name)},
		NotBefore:             now.Add(-24 * time.Hour),
		NotAfter:              now.Add(2 * certValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &CA{Cert: cert, Key: key}, nil
}

// Issue creates a key for an inspector and a certificate signed by the CA.
func (ca *CA) Issue(name, unit string) (*Identity, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl, err := signerTemplate(name, unit, time.Now())
	if err != nil {
		return nil, err
	}
	tmpl.AuthorityKeyId = ca.Cert.SubjectKeyId
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.Key)
	if err != nil {
		return nil, fmt.Errorf("issue certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Identity{Cert: cert, Key: key, Chain: []*x509.Certificate{ca.Cert}}, nil
}

// Pool returns a pool holding the CA certificate, for VerifyOptions.Roots.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// CertPEM is the CA certificate in PEM, the file handed to verifiers.
func (ca *CA) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Cert.Raw})
}

// MarshalP12 encrypts the identity as PKCS#12 (AES-256, PBKDF2) with the passphrase.
func (id *Identity) MarshalP12(passphrase string) ([]byte, error) {
	if passphrase == "" {
		return nil, ErrNoPassphrase
	}
	return pkcs12.Modern.Encode(id.Key, id.Cert, id.Chain, passphrase)
}

// LoadP12 opens an identity encrypted with MarshalP12 (or any PKCS#12 file
// holding an ECDSA key).
func LoadP12(data []byte, passphrase string) (*Identity, error) {
	key, cert, chain, err := pkcs12.DecodeChain(data, passphrase)
	if err != nil {
		if errors.Is(err, pkcs12.ErrIncorrectPassword) {
			return nil, ErrWrongPassphrase
		}
		// Anything else the decoder says (ASN.1 structure, unknown
		// content type) means the bytes are no PKCS#12 file.
		return nil, ErrNotP12
	}
	ek, ok := key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("read key file: the key is %T, not ECDSA", key)
	}
	return &Identity{Cert: cert, Key: ek, Chain: chain}, nil
}

// MarshalP12 encrypts the CA key and certificate with the passphrase.
func (ca *CA) MarshalP12(passphrase string) ([]byte, error) {
	if passphrase == "" {
		return nil, ErrNoPassphrase
	}
	return pkcs12.Modern.Encode(ca.Key, ca.Cert, nil, passphrase)
}

// LoadCA opens a CA written by (*CA).MarshalP12.
func LoadCA(data []byte, passphrase string) (*CA, error) {
	id, err := LoadP12(data, passphrase)
	if err != nil {
		return nil, err
	}
	if !id.Cert.IsCA {
		return nil, ErrNotCA
	}
	return &CA{Cert: id.Cert, Key: id.Key}, nil
}

// ParseCertPool reads PEM certificates (an office-ca.pem) into a pool.
func ParseCertPool(pemData []byte) (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	n := 0
	for {
		var b *pem.Block
		b, pemData = pem.Decode(pemData)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, inspect.Errorf(inspect.ECodeInvalid, "ca.bad_certificate", map[string]any{"Detail": err.Error()},
				"read CA certificate: %s", err.Error())
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, inspect.Errorf(inspect.ECodeInvalid, "ca.no_certificate", nil, "read CA certificate: no PEM certificate found")
	}
	return pool, nil
}

// selfSigned reports whether cert is signed by its own key. (CheckSignatureFrom
// refuses a parent that is not a CA, which an inspector's certificate is not.)
func selfSigned(cert *x509.Certificate) bool {
	return bytes.Equal(cert.RawIssuer, cert.RawSubject) &&
		cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature) == nil
}
