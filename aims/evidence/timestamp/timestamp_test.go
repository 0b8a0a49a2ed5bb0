package timestamp_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aimskit/aimskit/aims/evidence/timestamp"
	"github.com/aimskit/aimskit/aims/evidence/timestamp/timestamptest"
)

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newAuthority(t *testing.T, opts timestamptest.Options) *timestamptest.Authority {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return fixedNow }
	}
	a, err := timestamptest.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const checkpointText = "example.com/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"

// TestStampOverHTTPVerifiesOffline asks a local test authority over
// HTTP, then verifies the token with its certificate alone.
func TestStampOverHTTPVerifiesOffline(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	srv := httptest.NewServer(a)
	defer srv.Close()
	digest := timestamp.Digest([]byte(checkpointText))
	c := &timestamp.Client{URL: srv.URL, HTTPClient: srv.Client(), Cert: a.Cert}
	token, err := c.Timestamp(context.Background(), digest)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close() // offline from here on
	cert, err := timestamp.ParseCertificate(a.CertPEM)
	if err != nil {
		t.Fatal(err)
	}
	info, err := timestamp.Verify(token, digest, cert)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Time.Equal(fixedNow) {
		t.Errorf("time %v, want %v", info.Time, fixedNow)
	}
	if info.Nonce == nil || info.Serial == nil || info.Signer != "CN=Test TSA" {
		t.Errorf("info %+v", info)
	}
}

func TestTokenOverAnotherCheckpointIsRefused(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	token, err := a.Token(timestamp.Digest([]byte(checkpointText)), nil)
	if err != nil {
		t.Fatal(err)
	}
	other := timestamp.Digest([]byte("example.com/log\n43\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	if _, err := timestamp.Verify(token, other, a.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token over another checkpoint: %v, want ErrVerification", err)
	}
}

func TestTamperedTokenIsRefused(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	digest := timestamp.Digest([]byte(checkpointText))
	token, err := a.Token(digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := timestamp.Verify(token, digest, a.Cert); err != nil {
		t.Fatal(err)
	}
	// Flip every byte in turn: none may verify, none may panic.
	for i := range token {
		bad := append([]byte(nil), token...)
		bad[i] ^= 0x01
		if _, err := timestamp.Verify(bad, digest, a.Cert); err == nil {
			t.Fatalf("token with byte %d flipped verifies", i)
		}
	}
	// Cut at every length.
	for n := range token {
		if _, err := timestamp.Verify(token[:n], digest, a.Cert); err == nil {
			t.Fatalf("token cut to %d bytes verifies", n)
		}
	}
}

func TestTokenByAnotherCertificateIsRefused(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	b := newAuthority(t, timestamptest.Options{Name: "Other TSA"})
	digest := timestamp.Digest([]byte(checkpointText))
	token, err := b.Token(digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := timestamp.Verify(token, digest, a.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token by another TSA: %v, want ErrVerification", err)
	}
	// Same name and serial, another key: the signing-certificate
	// attribute and the signature refuse it.
	c := newAuthority(t, timestamptest.Options{})
	if _, err := timestamp.Verify(token, digest, c.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token checked with a look-alike certificate: %v, want ErrVerification", err)
	}
	token, err = a.Token(digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := timestamp.Verify(token, digest, c.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token checked with a look-alike certificate: %v, want ErrVerification", err)
	}
}

func TestCertificateWithoutTimeStampingUsageIsRefused(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{NoTimeStampingUsage: true})
	digest := timestamp.Digest([]byte(checkpointText))
	token, err := a.Token(digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := timestamp.Verify(token, digest, a.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token by a certificate without time-stamping usage: %v, want ErrVerification", err)
	}
	if _, err := timestamp.Verify(token, digest, a.CA); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token checked with the CA certificate: %v, want ErrVerification", err)
	}
}

func TestTokenOutsideTheCertificateValidityIsRefused(t *testing.T) {
	now := fixedNow
	a := newAuthority(t, timestamptest.Options{Now: func() time.Time { return now }})
	now = fixedNow.Add(20 * 365 * 24 * time.Hour)
	digest := timestamp.Digest([]byte(checkpointText))
	token, err := a.Token(digest, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := timestamp.Verify(token, digest, a.Cert); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("token after the certificate expired: %v, want ErrVerification", err)
	}
}

func TestClientRefusesAWrongAnswer(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	digest := timestamp.Digest([]byte(checkpointText))
	// A TSA that answers with a token over another digest, or without the
	// nonce asked.
	stale, err := a.Token(timestamp.Digest([]byte("other")), big.NewInt(7))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resp, err := a.Response(nil) // a rejection
		if r.URL.Path == "/stale" {
			resp, err = wrapGranted(stale)
		}
		if err != nil {
			t.Error(err)
		}
		_, _ = w.Write(resp)
	}))
	defer srv.Close()
	c := &timestamp.Client{URL: srv.URL + "/stale", HTTPClient: srv.Client()}
	if _, err := c.Timestamp(context.Background(), digest); !errors.Is(err, timestamp.ErrVerification) {
		t.Fatalf("stale token: %v, want ErrVerification", err)
	}
	c.URL = srv.URL + "/reject"
	var se *timestamp.StatusError
	if _, err := c.Timestamp(context.Background(), digest); !errors.As(err, &se) || se.Status != 2 {
		t.Fatalf("rejection: %v, want a StatusError of status 2", err)
	}
	if _, err := (&timestamp.Client{}).Timestamp(context.Background(), digest); err == nil {
		t.Fatal("a client without a URL contacted something")
	}
}

// wrapGranted wraps a token in a granted TimeStampResp.
func wrapGranted(token []byte) ([]byte, error) {
	// SEQUENCE { SEQUENCE { INTEGER 0 }, token }
	status := []byte{0x30, 0x03, 0x02, 0x01, 0x00}
	body := append(status, token...)
	return append(derLength([]byte{0x30}, len(body)), body...), nil
}

func derLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n < 0x100:
		return append(dst, 0x81, byte(n))
	default:
		return append(dst, 0x82, byte(n>>8), byte(n))
	}
}

func TestRequestIsDER(t *testing.T) {
	a := newAuthority(t, timestamptest.Options{})
	d := sha256.Sum256([]byte("x"))
	req, err := timestamp.NewRequest(d, big.NewInt(99))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := a.Response(req)
	if err != nil {
		t.Fatal(err)
	}
	token, err := timestamp.ParseResponse(resp)
	if err != nil {
		t.Fatal(err)
	}
	info, err := timestamp.Verify(token, d, a.Cert)
	if err != nil {
		t.Fatal(err)
	}
	if info.Nonce.Int64() != 99 {
		t.Errorf("nonce %v, want 99", info.Nonce)
	}
}

func FuzzVerify(f *testing.F) {
	a, err := timestamptest.New(timestamptest.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		f.Fatal(err)
	}
	digest := timestamp.Digest([]byte(checkpointText))
	token, err := a.Token(digest, big.NewInt(1))
	if err != nil {
		f.Fatal(err)
	}
	resp, err := wrapGranted(token)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(token)
	f.Add(resp)
	f.Add([]byte{0x30, 0x00})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = timestamp.ParseResponse(b)
		if _, err := timestamp.Verify(b, digest, a.Cert); err == nil && string(b) != string(token) {
			// Another encoding of the same signed content could verify
			// only if it carries the same signature over the same
			// attributes; anything else is a forgery.
			if _, err := timestamp.Verify(b, timestamp.Digest([]byte("other")), a.Cert); err == nil {
				t.Fatal("a token verifies for two digests")
			}
		}
	})
}
