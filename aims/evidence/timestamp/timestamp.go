package timestamp

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors; see the package documentation.
var (
	// ErrVerification means that a token does not verify: it is over
	// another digest, signed by another certificate, changed, or signed by
	// a certificate that may not time-stamp.
	ErrVerification = errors.New("timestamp: verification failed")
	// ErrMalformed means that bytes are not a token, response or
	// certificate in the expected form.
	ErrMalformed = errors.New("timestamp: malformed input")
)

func malformedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}

func unverifiedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrVerification}, args...)...)
}

// Object identifiers.
var (
	oidSignedData        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidTSTInfo           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	oidAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningCert   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	oidAttrSigningCertV2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}

	oidSHA1   = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}

	oidRSA             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidEd25519         = asn1.ObjectIdentifier{1, 3, 101, 112}

	oidExtKeyUsage = asn1.ObjectIdentifier{2, 5, 29, 37}
)

// The ASN.1 structures of RFC 3161 and RFC 5652.
type (
	messageImprint struct {
		HashAlgorithm pkix.AlgorithmIdentifier
		HashedMessage []byte
	}
	timeStampReq struct {
		Version        int
		MessageImprint messageImprint
		ReqPolicy      asn1.ObjectIdentifier `asn1:"optional"`
		Nonce          *big.Int              `asn1:"optional"`
		CertReq        bool                  `asn1:"optional,default:false"`
	}
	pkiStatusInfo struct {
		Status       int
		StatusString []string       `asn1:"optional,utf8"`
		FailInfo     asn1.BitString `asn1:"optional"`
	}
	timeStampResp struct {
		Status         pkiStatusInfo
		TimeStampToken asn1.RawValue `asn1:"optional"`
	}
	// contentInfo and encapsulatedContentInfo hold their [0] EXPLICIT
	// members raw: see explicit0.
	contentInfo struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue
	}
	encapsulatedContentInfo struct {
		EContentType asn1.ObjectIdentifier
		EContent     asn1.RawValue
	}
	signedData struct {
		Version          int
		DigestAlgorithms asn1.RawValue
		EncapContentInfo encapsulatedContentInfo
		Certificates     asn1.RawValue `asn1:"optional,tag:0"`
		CRLs             asn1.RawValue `asn1:"optional,tag:1"`
		SignerInfos      []signerInfo  `asn1:"set"`
	}
	issuerAndSerial struct {
		Issuer asn1.RawValue
		Serial *big.Int
	}
	signerInfo struct {
		Version            int
		SID                asn1.RawValue
		DigestAlgorithm    pkix.AlgorithmIdentifier
		SignedAttrs        asn1.RawValue `asn1:"optional,tag:0"`
		SignatureAlgorithm pkix.AlgorithmIdentifier
		Signature          []byte
		UnsignedAttrs      asn1.RawValue `asn1:"optional,tag:1"`
	}
	attribute struct {
		Type   asn1.ObjectIdentifier
		Values asn1.RawValue
	}
	accuracy struct {
		Seconds int `asn1:"optional"`
		Millis  int `asn1:"optional,tag:0"`
		Micros  int `asn1:"optional,tag:1"`
	}
	tstInfo struct {
		Version        int
		Policy         asn1.ObjectIdentifier
		MessageImprint messageImprint
		SerialNumber   *big.Int
		GenTime        time.Time     `asn1:"generalized"`
		Accuracy       accuracy      `asn1:"optional"`
		Ordering       bool          `asn1:"optional,default:false"`
		Nonce          *big.Int      `asn1:"optional"`
		TSA            asn1.RawValue `asn1:"optional,tag:0"`
		Extensions     asn1.RawValue `asn1:"optional,tag:1"`
	}
)

// Digest returns the SHA-256 digest that a time-stamp of a checkpoint is
// over: that of the checkpoint's note text (the text that is signed,
// without the signature lines), so that cosignatures added later leave it
// unchanged.
func Digest(noteText []byte) [sha256.Size]byte {
	return sha256.Sum256(noteText)
}

// NewRequest returns the DER encoding of a TimeStampReq (RFC 3161 section
// 2.4.1) for the SHA-256 digest, asking the TSA to include its
// certificate. nonce may be nil.
func NewRequest(digest [sha256.Size]byte, nonce *big.Int) ([]byte, error) {
	req := timeStampReq{
		Version: 1,
		MessageImprint: messageImprint{
			HashAlgorithm: pkix.AlgorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
			HashedMessage: digest[:],
		},
		Nonce:   nonce,
		CertReq: true,
	}
	b, err := asn1.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("timestamp: request: %v", err)
	}
	return b, nil
}

// StatusError reports a TimeStampResp whose status is neither granted
// nor granted with modifications.
type StatusError struct {
	// Status is the PKIStatus (2 rejection, 3 waiting, 4 revocation
	// warning, 5 revocation notification).
	Status int
	// Text is the TSA's status string, if any.
	Text string
	// FailInfo is the bits of PKIFailureInfo set, by number.
	FailInfo []int
}

// Error describes the status.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("timestamp: the TSA did not grant the time-stamp (status %d", e.Status)
	if len(e.FailInfo) > 0 {
		s += fmt.Sprintf(", failure bits %v", e.FailInfo)
	}
	s += ")"
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}

// ParseResponse reads a DER TimeStampResp (RFC 3161 section 2.4.2) and
// returns its TimeStampToken, the DER of a CMS ContentInfo. A response
// not granted gives a [*StatusError]. It does not verify the token; see
// [Verify].
func ParseResponse(der []byte) ([]byte, error) {
	var resp timeStampResp
	rest, err := asn1.Unmarshal(der, &resp)
	if err != nil {
		return nil, malformedf("response: %v", err)
	}
	if len(rest) > 0 {
		return nil, malformedf("response: %d bytes after it", len(rest))
	}
	if s := resp.Status.Status; s != 0 && s != 1 {
		e := &StatusError{Status: s, Text: strings.Join(resp.Status.StatusString, "; ")}
		for i := 0; i < resp.Status.FailInfo.BitLength; i++ {
			if resp.Status.FailInfo.At(i) == 1 {
				e.FailInfo = append(e.FailInfo, i)
			}
		}
		return nil, e
	}
	if len(resp.TimeStampToken.FullBytes) == 0 {
		return nil, malformedf("response: granted, but holds no token")
	}
	return bytes.Clone(resp.TimeStampToken.FullBytes), nil
}

// Info is what a verified token says. It is a plain value.
type Info struct {
	// Time is the time at which the TSA says it saw the digest
	// (genTime).
	Time time.Time
	// Accuracy is the TSA's stated accuracy of Time, or zero.
	Accuracy time.Duration
	// Serial is the token's serial number, unique for the TSA.
	Serial *big.Int
	// Policy is the TSA policy under which the token was issued.
	Policy asn1.ObjectIdentifier
	// Nonce is the nonce of the request, or nil.
	Nonce *big.Int
	// Signer is the subject of the certificate that signed the token.
	Signer string
}

// parsed is a token taken apart.
type parsed struct {
	sd       signedData
	si       signerInfo
	tst      tstInfo
	econtent []byte
}

// maxToken bounds the size of a token or response read.
const maxToken = 1 << 20

// parseToken takes a TimeStampToken apart without verifying it.
func parseToken(token []byte) (*parsed, error) {
	if len(token) > maxToken {
		return nil, malformedf("token: %d bytes, more than %d", len(token), maxToken)
	}
	var ci contentInfo
	rest, err := asn1.Unmarshal(token, &ci)
	if err != nil {
		return nil, malformedf("token: %v", err)
	}
	if len(rest) > 0 {
		return nil, malformedf("token: %d bytes after it", len(rest))
	}
	if !ci.ContentType.Equal(oidSignedData) {
		return nil, malformedf("token: content type %v, want CMS SignedData", ci.ContentType)
	}
	inner, err := explicit0(ci.Content)
	if err != nil {
		return nil, err
	}
	p := new(parsed)
	if rest, err = asn1.Unmarshal(inner, &p.sd); err != nil {
		return nil, malformedf("token: signed data: %v", err)
	}
	if len(rest) > 0 {
		return nil, malformedf("token: bytes after the signed data")
	}
	if !p.sd.EncapContentInfo.EContentType.Equal(oidTSTInfo) {
		return nil, malformedf("token: content type %v, want TSTInfo", p.sd.EncapContentInfo.EContentType)
	}
	if p.sd.Version != 3 {
		return nil, malformedf("token: signed data version %d, want 3", p.sd.Version)
	}
	if len(p.sd.SignerInfos) != 1 {
		return nil, malformedf("token: %d signers, want the TSA alone", len(p.sd.SignerInfos))
	}
	p.si = p.sd.SignerInfos[0]
	if v := p.si.Version; v != 1 && v != 3 {
		return nil, malformedf("token: signer info version %d, want 1 or 3", v)
	}
	if len(p.sd.CRLs.FullBytes) > 0 {
		return nil, malformedf("token: carries revocation information, which is not supported")
	}
	if inner, err = explicit0(p.sd.EncapContentInfo.EContent); err != nil {
		return nil, err
	}
	if rest, err = asn1.Unmarshal(inner, &p.econtent); err != nil || len(rest) > 0 {
		return nil, malformedf("token: content is not one OCTET STRING")
	}
	if rest, err = asn1.Unmarshal(p.econtent, &p.tst); err != nil {
		return nil, malformedf("token: TSTInfo: %v", err)
	}
	if len(rest) > 0 {
		return nil, malformedf("token: bytes after the TSTInfo")
	}
	if p.tst.Version != 1 {
		return nil, malformedf("token: TSTInfo version %d, want 1", p.tst.Version)
	}
	if p.tst.SerialNumber == nil {
		return nil, malformedf("token: no serial number")
	}
	return p, nil
}

// explicit0 returns the content of a [0] EXPLICIT member, which must
// hold exactly one element.
func explicit0(v asn1.RawValue) ([]byte, error) {
	if v.Class != asn1.ClassContextSpecific || v.Tag != 0 || !v.IsCompound {
		return nil, malformedf("token: want a [0] member")
	}
	var one asn1.RawValue
	rest, err := asn1.Unmarshal(v.Bytes, &one)
	if err != nil || len(rest) > 0 {
		return nil, malformedf("token: a [0] member does not hold one element")
	}
	return v.Bytes, nil
}

// hashFor returns the hash of a digest algorithm.
func hashFor(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

func newHash(h crypto.Hash) hash.Hash {
	switch h {
	case crypto.SHA384:
		return sha512.New384()
	case crypto.SHA512:
		return sha512.New()
	}
	return sha256.New()
}

// signatureAlgorithm maps a signer's digest and signature algorithms to
// the x509 algorithm that checks the signature.
func signatureAlgorithm(h crypto.Hash, sig asn1.ObjectIdentifier) (x509.SignatureAlgorithm, bool) {
	rsa := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.SHA256WithRSA, crypto.SHA384: x509.SHA384WithRSA, crypto.SHA512: x509.SHA512WithRSA}
	ec := map[crypto.Hash]x509.SignatureAlgorithm{crypto.SHA256: x509.ECDSAWithSHA256, crypto.SHA384: x509.ECDSAWithSHA384, crypto.SHA512: x509.ECDSAWithSHA512}
	switch {
	case sig.Equal(oidRSA):
		return rsa[h], true
	case sig.Equal(oidSHA256WithRSA) && h == crypto.SHA256, sig.Equal(oidSHA384WithRSA) && h == crypto.SHA384,
		sig.Equal(oidSHA512WithRSA) && h == crypto.SHA512:
		return rsa[h], true
	case sig.Equal(oidECPublicKey):
		return ec[h], true
	case sig.Equal(oidECDSAWithSHA256) && h == crypto.SHA256, sig.Equal(oidECDSAWithSHA384) && h == crypto.SHA384,
		sig.Equal(oidECDSAWithSHA512) && h == crypto.SHA512:
		return ec[h], true
	case sig.Equal(oidEd25519):
		return x509.PureEd25519, true
	}
	return x509.UnknownSignatureAlgorithm, false
}

// Verify checks the TimeStampToken token offline: that it is over the
// SHA-256 digest, that it is signed by cert, the TSA's certificate, whose
// extended key usage must be time-stamping alone and critical, and that
// genTime falls within the certificate's validity. It returns what the
// token says. Errors match [ErrVerification] or [ErrMalformed].
//
// Verify does not check that cert chains to a root, nor revocation: the
// certificate given is the one trusted.
func Verify(token []byte, digest [sha256.Size]byte, cert *x509.Certificate) (*Info, error) {
	if cert == nil {
		return nil, fmt.Errorf("timestamp: verify: no TSA certificate")
	}
	if err := checkTSACert(cert); err != nil {
		return nil, err
	}
	p, err := parseToken(token)
	if err != nil {
		return nil, err
	}
	mi := p.tst.MessageImprint
	if !mi.HashAlgorithm.Algorithm.Equal(oidSHA256) {
		return nil, unverifiedf("the token's message imprint is not a SHA-256 digest (%v)", mi.HashAlgorithm.Algorithm)
	}
	if !bytes.Equal(mi.HashedMessage, digest[:]) {
		return nil, unverifiedf("the token is over another digest (%x), not %x", mi.HashedMessage, digest[:])
	}
	if err := checkSID(p.si.SID, cert); err != nil {
		return nil, err
	}
	h, ok := hashFor(p.si.DigestAlgorithm.Algorithm)
	if !ok {
		return nil, unverifiedf("the signer's digest algorithm %v is not supported", p.si.DigestAlgorithm.Algorithm)
	}
	alg, ok := signatureAlgorithm(h, p.si.SignatureAlgorithm.Algorithm)
	if !ok || alg == x509.UnknownSignatureAlgorithm {
		return nil, unverifiedf("the signature algorithm %v is not supported", p.si.SignatureAlgorithm.Algorithm)
	}
	if err := checkUnsigned(p, cert); err != nil {
		return nil, err
	}
	if !noParams(mi.HashAlgorithm) || !noParams(p.si.DigestAlgorithm) || !noParams(p.si.SignatureAlgorithm) {
		return nil, malformedf("token: algorithm parameters")
	}
	if len(p.si.SignedAttrs.FullBytes) == 0 {
		return nil, unverifiedf("the token has no signed attributes")
	}
	if err := checkSignedAttrs(p, h, cert); err != nil {
		return nil, err
	}
	// The signature is over the DER of the signed attributes with the
	// SET OF tag (RFC 5652 section 5.4).
	signed := bytes.Clone(p.si.SignedAttrs.FullBytes)
	signed[0] = 0x31
	if err := cert.CheckSignature(alg, signed, p.si.Signature); err != nil {
		return nil, unverifiedf("the token's signature does not verify with the certificate of %s: %v", cert.Subject, err)
	}
	t := p.tst.GenTime
	if t.Before(cert.NotBefore) || t.After(cert.NotAfter) {
		return nil, unverifiedf("the token's time %s is outside the validity of the certificate of %s (%s to %s)",
			t.UTC().Format(time.RFC3339), cert.Subject, cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339))
	}
	acc := time.Duration(p.tst.Accuracy.Seconds)*time.Second + time.Duration(p.tst.Accuracy.Millis)*time.Millisecond +
		time.Duration(p.tst.Accuracy.Micros)*time.Microsecond
	return &Info{Time: t.UTC(), Accuracy: acc, Serial: p.tst.SerialNumber, Policy: p.tst.Policy, Nonce: p.tst.Nonce,
		Signer: cert.Subject.String()}, nil
}

// checkUnsigned checks the parts of the signed data that the signature
// does not cover: the digest algorithms must be a set of algorithm
// identifiers that names the signer's, and the certificates carried, if
// any, must parse and include cert.
func checkUnsigned(p *parsed, cert *x509.Certificate) error {
	var algs []pkix.AlgorithmIdentifier
	rest, err := asn1.UnmarshalWithParams(p.sd.DigestAlgorithms.FullBytes, &algs, "set")
	if err != nil || len(rest) > 0 {
		return malformedf("token: digest algorithms")
	}
	found := false
	for _, a := range algs {
		if !noParams(a) {
			return malformedf("token: digest algorithm parameters")
		}
		found = found || a.Algorithm.Equal(p.si.DigestAlgorithm.Algorithm)
	}
	if !found {
		return malformedf("token: the digest algorithms do not name the signer's")
	}
	if len(p.sd.Certificates.FullBytes) == 0 {
		return nil
	}
	b, carried := p.sd.Certificates.Bytes, false
	for len(b) > 0 {
		var raw asn1.RawValue
		if b, err = asn1.Unmarshal(b, &raw); err != nil {
			return malformedf("token: certificates: %v", err)
		}
		c, err := x509.ParseCertificate(raw.FullBytes)
		if err != nil {
			return malformedf("token: certificates: %v", err)
		}
		carried = carried || c.Equal(cert)
	}
	if !carried {
		return unverifiedf("the token carries certificates, but not that of %s", cert.Subject)
	}
	return nil
}

// noParams reports whether an algorithm identifier has no parameters, or
// NULL ones, as every algorithm the package supports has.
func noParams(a pkix.AlgorithmIdentifier) bool {
	f := a.Parameters.FullBytes
	return len(f) == 0 || len(f) == 2 && f[0] == 0x05 && f[1] == 0
}

// checkTSACert checks that cert may time-stamp (RFC 3161 section 2.3).
func checkTSACert(cert *x509.Certificate) error {
	if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageTimeStamping || len(cert.UnknownExtKeyUsage) > 0 {
		return unverifiedf("the certificate of %s is not a TSA's: its extended key usage must be time-stamping alone", cert.Subject)
	}
	for _, e := range cert.Extensions {
		if e.Id.Equal(oidExtKeyUsage) && !e.Critical {
			return unverifiedf("the certificate of %s is not a TSA's: its extended key usage is not critical", cert.Subject)
		}
	}
	return nil
}

// checkSID checks that the signer identifier names cert.
func checkSID(sid asn1.RawValue, cert *x509.Certificate) error {
	switch {
	case sid.Class == asn1.ClassUniversal && sid.Tag == asn1.TagSequence:
		var ias issuerAndSerial
		if rest, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil || len(rest) > 0 || ias.Serial == nil {
			return malformedf("token: signer identifier")
		}
		if !bytes.Equal(ias.Issuer.FullBytes, cert.RawIssuer) || ias.Serial.Cmp(cert.SerialNumber) != 0 {
			return unverifiedf("the token is signed by another certificate (serial %s), not by that of %s (serial %s)",
				ias.Serial, cert.Subject, cert.SerialNumber)
		}
	case sid.Class == asn1.ClassContextSpecific && sid.Tag == 0:
		if len(cert.SubjectKeyId) == 0 || !bytes.Equal(sid.Bytes, cert.SubjectKeyId) {
			return unverifiedf("the token is signed by another key (%x), not by that of %s", sid.Bytes, cert.Subject)
		}
	default:
		return malformedf("token: signer identifier")
	}
	return nil
}

// checkSignedAttrs checks the content type, the message digest and the
// signing certificate attributes.
func checkSignedAttrs(p *parsed, h crypto.Hash, cert *x509.Certificate) error {
	var attrs []attribute
	rest, err := asn1.UnmarshalWithParams(p.si.SignedAttrs.FullBytes, &attrs, "set,tag:0")
	if err != nil || len(rest) > 0 {
		return malformedf("token: signed attributes")
	}
	var ctype, mdigest, scert bool
	for _, a := range attrs {
		switch {
		case a.Type.Equal(oidAttrContentType):
			var oid asn1.ObjectIdentifier
			if err := oneValue(a, &oid); err != nil || !oid.Equal(oidTSTInfo) || ctype {
				return unverifiedf("the signed content type is not TSTInfo")
			}
			ctype = true
		case a.Type.Equal(oidAttrMessageDigest):
			var d []byte
			hh := newHash(h)
			hh.Write(p.econtent)
			if err := oneValue(a, &d); err != nil || !bytes.Equal(d, hh.Sum(nil)) || mdigest {
				return unverifiedf("the signed message digest is not that of the token's content: the token was changed")
			}
			mdigest = true
		case a.Type.Equal(oidAttrSigningCert), a.Type.Equal(oidAttrSigningCertV2):
			if err := checkSigningCert(a, cert); err != nil {
				return err
			}
			scert = true
		}
	}
	switch {
	case !ctype:
		return unverifiedf("the token's signed attributes have no content type")
	case !mdigest:
		return unverifiedf("the token's signed attributes have no message digest")
	case !scert:
		return unverifiedf("the token's signed attributes do not name the signing certificate")
	}
	return nil
}

// oneValue decodes the single value of an attribute.
func oneValue(a attribute, v any) error {
	var vals []asn1.RawValue
	rest, err := asn1.UnmarshalWithParams(a.Values.FullBytes, &vals, "set")
	if err != nil || len(rest) > 0 || len(vals) != 1 {
		return malformedf("attribute %v: want one value", a.Type)
	}
	if rest, err := asn1.Unmarshal(vals[0].FullBytes, v); err != nil || len(rest) > 0 {
		return malformedf("attribute %v: %v", a.Type, err)
	}
	return nil
}

// checkSigningCert checks an ESS signing-certificate attribute (RFC 2634,
// RFC 5035): its first certificate hash must be that of cert.
func checkSigningCert(a attribute, cert *x509.Certificate) error {
	var sc struct {
		Certs []asn1.RawValue
		Rest  asn1.RawValue `asn1:"optional"`
	}
	if err := oneValue(a, &sc); err != nil || len(sc.Certs) == 0 {
		return malformedf("token: signing certificate attribute")
	}
	var hashOID asn1.ObjectIdentifier
	var certHash []byte
	if a.Type.Equal(oidAttrSigningCert) {
		var id struct {
			CertHash []byte
			Rest     asn1.RawValue `asn1:"optional"`
		}
		if rest, err := asn1.Unmarshal(sc.Certs[0].FullBytes, &id); err != nil || len(rest) > 0 {
			return malformedf("token: signing certificate")
		}
		hashOID, certHash = oidSHA1, id.CertHash
	} else {
		// ESSCertIDv2: the hash algorithm is optional, SHA-256 by default.
		var seq asn1.RawValue
		if rest, err := asn1.Unmarshal(sc.Certs[0].FullBytes, &seq); err != nil || len(rest) > 0 {
			return malformedf("token: signing certificate v2")
		}
		inner := seq.Bytes
		hashOID = oidSHA256
		var first asn1.RawValue
		rest, err := asn1.Unmarshal(inner, &first)
		if err != nil {
			return malformedf("token: signing certificate v2")
		}
		if first.Tag == asn1.TagSequence {
			var alg pkix.AlgorithmIdentifier
			if _, err := asn1.Unmarshal(first.FullBytes, &alg); err != nil {
				return malformedf("token: signing certificate v2 hash algorithm")
			}
			hashOID = alg.Algorithm
			if _, err := asn1.Unmarshal(rest, &first); err != nil {
				return malformedf("token: signing certificate v2")
			}
		}
		if first.Tag != asn1.TagOctetString || first.Class != asn1.ClassUniversal {
			return malformedf("token: signing certificate v2 hash")
		}
		certHash = first.Bytes
	}
	var sum []byte
	if hashOID.Equal(oidSHA1) {
		s := sha1.Sum(cert.Raw)
		sum = s[:]
	} else if h, ok := hashFor(hashOID); ok {
		hh := newHash(h)
		hh.Write(cert.Raw)
		sum = hh.Sum(nil)
	} else {
		return unverifiedf("the signing certificate's hash algorithm %v is not supported", hashOID)
	}
	if !bytes.Equal(sum, certHash) {
		return unverifiedf("the token names another signing certificate, not that of %s", cert.Subject)
	}
	return nil
}

// ParseCertificate reads a TSA certificate in PEM (the first CERTIFICATE
// block) or DER.
func ParseCertificate(b []byte) (*x509.Certificate, error) {
	if blk, _ := pem.Decode(b); blk != nil {
		if blk.Type != "CERTIFICATE" {
			return nil, malformedf("certificate: PEM block %q, want CERTIFICATE", blk.Type)
		}
		b = blk.Bytes
	}
	c, err := x509.ParseCertificate(b)
	if err != nil {
		return nil, malformedf("certificate: %v", err)
	}
	return c, nil
}

// Client asks a TSA for time-stamps over HTTP. It is safe for concurrent
// use.
type Client struct {
	// URL is the TSA's address, which the user names. Nothing else is
	// contacted.
	URL string
	// HTTPClient sends the requests. Nil means [http.DefaultClient].
	HTTPClient *http.Client
	// Cert, if set, is the TSA's certificate: each token is verified with
	// it before Timestamp returns it. Nil means that tokens are checked
	// only for the digest and nonce asked.
	Cert *x509.Certificate
}

// Timestamp asks the TSA for a time-stamp of the SHA-256 digest and
// returns the TimeStampToken (DER). The request carries a random nonce,
// which the token must repeat.
func (c *Client) Timestamp(ctx context.Context, digest [sha256.Size]byte) ([]byte, error) {
	if c.URL == "" {
		return nil, fmt.Errorf("timestamp: no TSA URL")
	}
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, fmt.Errorf("timestamp: nonce: %w", err)
	}
	reqDER, err := NewRequest(digest, nonce)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(reqDER))
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	req.Header.Set("Content-Type", "application/timestamp-query")
	req.Header.Set("Accept", "application/timestamp-reply")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("timestamp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxToken+1))
	if err != nil {
		return nil, fmt.Errorf("timestamp: read the response of %s: %w", c.URL, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("timestamp: %s answered %s", c.URL, resp.Status)
	}
	token, err := ParseResponse(body)
	if err != nil {
		return nil, err
	}
	p, err := parseToken(token)
	if err != nil {
		return nil, err
	}
	if p.tst.Nonce == nil || p.tst.Nonce.Cmp(nonce) != 0 {
		return nil, unverifiedf("the TSA's token does not repeat the request's nonce")
	}
	if !bytes.Equal(p.tst.MessageImprint.HashedMessage, digest[:]) {
		return nil, unverifiedf("the TSA's token is over another digest")
	}
	if c.Cert != nil {
		if _, err := Verify(token, digest, c.Cert); err != nil {
			return nil, err
		}
	}
	return token, nil
}
