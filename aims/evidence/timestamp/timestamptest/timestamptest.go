// Package timestamptest is a time-stamping authority for tests: a test CA
// and a TSA certificate made on the spot, which sign RFC 3161 tokens and
// answer time-stamp requests over HTTP (for an [net/http/httptest]
// server on loopback). It is for tests only: its keys are made anew each
// time and never kept.
//
// It serves the tests of ISO/IEC 42001 clause 7.5.3 and control A.6.2.8
// that package timestamp and the evidence log make.
package timestamptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

var (
	oidSignedData        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningCertV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidSHA256            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSAWithSHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidExtKeyUsage       = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidTimeStamping      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	oidPolicy            = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}
)

// Options configures an [Authority].
type Options struct {
	// Name is the common name of the TSA certificate. Empty means
	// "Test TSA".
	Name string
	// Now tells the time the authority puts in its tokens. Nil means
	// [time.Now].
	Now func() time.Time
	// NoTimeStampingUsage makes a certificate whose extended key usage is
	// not time-stamping, which verifiers must refuse.
	NoTimeStampingUsage bool
}

// Authority is a test CA and TSA. It is safe for concurrent use.
type Authority struct {
	// CA is the test CA's certificate, which issued Cert.
	CA *x509.Certificate
	// Cert is the TSA's certificate.
	Cert *x509.Certificate
	// CertPEM is Cert in PEM.
	CertPEM []byte

	key *ecdsa.PrivateKey
	now func() time.Time

	mu       sync.Mutex
	serial   int64
	requests int
}

// New makes a test CA and a TSA certificate it issues, valid from a year
// before Now to ten years after.
func New(opts Options) (*Authority, error) {
	if opts.Name == "" {
		opts.Name = "Test TSA"
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	now := opts.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: opts.Name + " CA"},
		NotBefore:             now.Add(-365 * 24 * time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	usage := []asn1.ObjectIdentifier{oidTimeStamping}
	if opts.NoTimeStampingUsage {
		usage = []asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 3}} // code signing
	}
	eku, err := asn1.Marshal(usage)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:    big.NewInt(2),
		Subject:         pkix.Name{CommonName: opts.Name},
		NotBefore:       now.Add(-365 * 24 * time.Hour),
		NotAfter:        now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: oidExtKeyUsage, Critical: true, Value: eku}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &Authority{
		CA: ca, Cert: cert, CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		key: key, now: opts.Now,
	}, nil
}

// Requests returns the number of requests the authority answered.
func (a *Authority) Requests() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.requests
}

type messageImprint struct {
	HashAlgorithm pkix.AlgorithmIdentifier
	HashedMessage []byte
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time `asn1:"generalized"`
	Nonce          *big.Int  `asn1:"optional"`
}

type attribute struct {
	Type   asn1.ObjectIdentifier
	Values []asn1.RawValue `asn1:"set"`
}

type issuerAndSerial struct {
	Issuer asn1.RawValue
	Serial *big.Int
}

type signerInfo struct {
	Version            int
	SID                issuerAndSerial
	DigestAlgorithm    pkix.AlgorithmIdentifier
	SignedAttrs        asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          []byte
}

type encapsulatedContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     []byte `asn1:"explicit,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms []pkix.AlgorithmIdentifier `asn1:"set"`
	EncapContentInfo encapsulatedContentInfo
	Certificates     asn1.RawValue `asn1:"optional,tag:0"`
	SignerInfos      []signerInfo  `asn1:"set"`
}

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue // [0] EXPLICIT, built by hand
}

func rawOf(v any) (asn1.RawValue, error) {
	b, err := asn1.Marshal(v)
	return asn1.RawValue{FullBytes: b}, err
}

// Token returns a TimeStampToken (DER) over the SHA-256 digest, with the
// nonce if not nil, signed by the TSA.
func (a *Authority) Token(digest [sha256.Size]byte, nonce *big.Int) ([]byte, error) {
	a.mu.Lock()
	a.serial++
	serial := a.serial
	a.mu.Unlock()
	sha := pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue}
	content, err := asn1.Marshal(tstInfo{
		Version: 1, Policy: oidPolicy,
		MessageImprint: messageImprint{HashAlgorithm: sha, HashedMessage: digest[:]},
		SerialNumber:   big.NewInt(serial), GenTime: a.now().UTC().Truncate(time.Second), Nonce: nonce,
	})
	if err != nil {
		return nil, err
	}
	ctype, err := rawOf(oidTSTInfo)
	if err != nil {
		return nil, err
	}
	md := sha256.Sum256(content)
	mdigest, err := rawOf(md[:])
	if err != nil {
		return nil, err
	}
	ch := sha256.Sum256(a.Cert.Raw)
	// SigningCertificateV2 { certs SEQUENCE OF ESSCertIDv2 { certHash } }
	scert, err := rawOf(struct{ Certs []struct{ CertHash []byte } }{Certs: []struct{ CertHash []byte }{{CertHash: ch[:]}}})
	if err != nil {
		return nil, err
	}
	attrs, err := asn1.MarshalWithParams([]attribute{
		{Type: oidAttrContentType, Values: []asn1.RawValue{ctype}},
		{Type: oidAttrMessageDigest, Values: []asn1.RawValue{mdigest}},
		{Type: oidAttrSigningCertV2, Values: []asn1.RawValue{scert}},
	}, "set")
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(attrs)
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, h[:])
	if err != nil {
		return nil, err
	}
	implicit := append([]byte(nil), attrs...)
	implicit[0] = 0xa0
	sd, err := asn1.Marshal(signedData{
		Version:          3,
		DigestAlgorithms: []pkix.AlgorithmIdentifier{sha},
		EncapContentInfo: encapsulatedContentInfo{EContentType: oidTSTInfo, EContent: content},
		Certificates:     asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: a.Cert.Raw},
		SignerInfos: []signerInfo{{
			Version:            1,
			SID:                issuerAndSerial{Issuer: asn1.RawValue{FullBytes: a.Cert.RawIssuer}, Serial: a.Cert.SerialNumber},
			DigestAlgorithm:    sha,
			SignedAttrs:        asn1.RawValue{FullBytes: implicit},
			SignatureAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256},
			Signature:          sig,
		}},
	})
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(contentInfo{ContentType: oidSignedData, Content: asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: sd}})
}

type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
	Nonce          *big.Int              `asn1:"optional"`
	CertReq        bool                  `asn1:"optional,default:false"`
}

type pkiStatusInfo struct {
	Status int
}

type timeStampResp struct {
	Status         pkiStatusInfo
	TimeStampToken asn1.RawValue `asn1:"optional"`
}

// Response returns the DER TimeStampResp that answers the DER
// TimeStampReq req: granted with a token, or rejected (status 2) for a
// request that is not one over a SHA-256 digest.
func (a *Authority) Response(req []byte) ([]byte, error) {
	var r timeStampReq
	rest, err := asn1.Unmarshal(req, &r)
	if err != nil || len(rest) > 0 || r.Version != 1 || !r.MessageImprint.HashAlgorithm.Algorithm.Equal(oidSHA256) ||
		len(r.MessageImprint.HashedMessage) != sha256.Size {
		return asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 2}})
	}
	var d [sha256.Size]byte
	copy(d[:], r.MessageImprint.HashedMessage)
	token, err := a.Token(d, r.Nonce)
	if err != nil {
		return nil, err
	}
	return asn1.Marshal(timeStampResp{Status: pkiStatusInfo{Status: 0}, TimeStampToken: asn1.RawValue{FullBytes: token}})
}

// ServeHTTP answers an RFC 3161 request sent by HTTP POST with the
// content type application/timestamp-query.
func (a *Authority) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/timestamp-query" {
		http.Error(w, "want a POST of application/timestamp-query", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := a.Response(body)
	if err != nil {
		http.Error(w, fmt.Sprint(err), http.StatusInternalServerError)
		return
	}
	a.mu.Lock()
	a.requests++
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/timestamp-reply")
	_, _ = w.Write(resp)
}
