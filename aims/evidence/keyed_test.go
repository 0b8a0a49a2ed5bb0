package evidence_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
)

// testSecret returns the 32 bytes 0, 1, …, 31 plus extra more.
func testSecret(extra int) []byte {
	b := make([]byte, 32+extra)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func mustContentKey(t testing.TB, secret []byte) *evidence.ContentKey {
	t.Helper()
	k, err := evidence.NewContentKey(secret)
	if err != nil {
		t.Fatalf("NewContentKey() = %v", err)
	}
	return k
}

func TestNewContentKey(t *testing.T) {
	tests := []struct {
		name    string
		secret  []byte
		wantErr error
	}{
		{"nil", nil, evidence.ErrInvalid},
		{"16 bytes", make([]byte, 16), evidence.ErrInvalid},
		{"31 bytes", make([]byte, 31), evidence.ErrInvalid},
		{"32 bytes", make([]byte, 32), nil},
		{"64 bytes", make([]byte, 64), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := evidence.NewContentKey(tt.secret)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("NewContentKey(%d bytes) = %v, want %v", len(tt.secret), err, tt.wantErr)
			}
		})
	}
}

// TestContentKeyKnownAnswer pins the key derivation, the digest and the
// pseudonym, which verifiers of stored evidence depend on. The values
// were computed independently with Python's hmac module.
func TestContentKeyKnownAnswer(t *testing.T) {
	k := mustContentKey(t, testSecret(0))
	if got, want := k.ID(), "ad68d6d6"; got != want {
		t.Errorf("ID() = %s, want %s", got, want)
	}
	want := evidence.Content{HMACSHA256: "a8849d26abb337dee0a64b7b3bbc8d8c22abaf0cdcf23041878928c287a8b0a5", KeyID: "ad68d6d6", Length: 7}
	if diff := cmp.Diff(want, k.Digest([]byte("decline"))); diff != "" {
		t.Errorf("Digest(decline) mismatch (-want +got):\n%s", diff)
	}
	if got, want := k.Pseudonym("jane.doe@example.com"), "hmac-sha256:b6c8aa085b5899549c088d1fcd11de8a593da1d95b2fa510287ca15f78585834"; got != want {
		t.Errorf("Pseudonym() = %s, want %s", got, want)
	}
}

// TestKeyedDigestResistsGuessing shows why keyed digests exist: the
// plain digest of a one-word outcome is found by hashing the three
// possible words, the keyed one is not, yet the key holder can match it.
func TestKeyedDigestResistsGuessing(t *testing.T) {
	words := []string{"decline", "approve", "refer"}
	k := mustContentKey(t, testSecret(0))
	other := mustContentKey(t, testSecret(1))
	guess := func(c evidence.Content) string {
		for _, w := range words {
			if d := evidence.DigestContent([]byte(w)); d.SHA256 == c.SHA256 || d.SHA256 == c.HMACSHA256 {
				return w
			}
		}
		return ""
	}
	for _, word := range words {
		t.Run(word, func(t *testing.T) {
			plain := evidence.DigestContent([]byte(word))
			if got := guess(plain); got != word {
				t.Fatalf("guessing a plain digest found %q, want %q: the test of the attack is broken", got, word)
			}
			keyed := k.Digest([]byte(word))
			if err := keyed.Validate(); err != nil || !keyed.Keyed() {
				t.Fatalf("Digest(%s) = %+v: Validate() = %v, Keyed() = %v, want a valid keyed digest", word, keyed, err, keyed.Keyed())
			}
			if got := guess(keyed); got != "" {
				t.Errorf("guessing a keyed digest with SHA-256 found %q, want nothing", got)
			}
			for _, w := range words {
				if got, want := k.Matches([]byte(w), keyed), w == word; got != want {
					t.Errorf("Matches(%s, Digest(%s)) = %v, want %v", w, word, got, want)
				}
			}
			if !k.Matches([]byte(word), plain) {
				t.Errorf("Matches(%s, DigestContent(%s)) = false, want true: a plain digest matches without a key", word, word)
			}
			if other.Matches([]byte(word), keyed) {
				t.Errorf("another key Matches(%s, Digest(%s)) = true, want false", word, word)
			}
		})
	}
}

func TestContentKeyMatchesRejects(t *testing.T) {
	k := mustContentKey(t, testSecret(0))
	b := []byte("decline")
	good := k.Digest(b)
	tests := []struct {
		name string
		c    evidence.Content
	}{
		{"zero", evidence.Content{}},
		{"wrong length", evidence.Content{HMACSHA256: good.HMACSHA256, KeyID: good.KeyID, Length: 8}},
		{"wrong key id", evidence.Content{HMACSHA256: good.HMACSHA256, KeyID: "00000000", Length: 7}},
		{"no key id", evidence.Content{HMACSHA256: good.HMACSHA256, Length: 7}},
		{"upper-case digest", evidence.Content{HMACSHA256: strings.ToUpper(good.HMACSHA256), KeyID: good.KeyID, Length: 7}},
		{"both digests", evidence.Content{SHA256: evidence.DigestContent(b).SHA256, HMACSHA256: good.HMACSHA256, KeyID: good.KeyID, Length: 7}},
		{"keyed digest as plain", evidence.Content{SHA256: good.HMACSHA256, Length: 7}},
		{"plain digest as keyed", evidence.Content{HMACSHA256: evidence.DigestContent(b).SHA256, KeyID: good.KeyID, Length: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if k.Matches(b, tt.c) {
				t.Errorf("Matches(%q, %+v) = true, want false", b, tt.c)
			}
		})
	}
}

func TestContentKeyDeterministic(t *testing.T) {
	a, b := mustContentKey(t, testSecret(0)), mustContentKey(t, testSecret(0))
	c := mustContentKey(t, testSecret(1))
	if a.ID() != b.ID() || a.Digest([]byte("x")) != b.Digest([]byte("x")) || a.Pseudonym("jane") != b.Pseudonym("jane") {
		t.Error("two keys from one secret differ, want the same id, digests and pseudonyms")
	}
	if a.ID() == c.ID() || a.Pseudonym("jane") == c.Pseudonym("jane") {
		t.Error("keys from two secrets share an id or a pseudonym, want them different")
	}
	if a.Pseudonym("jane") == a.Pseudonym("john") {
		t.Error("Pseudonym(jane) = Pseudonym(john), want them different")
	}
	p := a.Pseudonym("jane")
	if !strings.HasPrefix(p, evidence.PseudonymPrefix) || strings.TrimPrefix(p, evidence.PseudonymPrefix) == a.Digest([]byte("jane")).HMACSHA256 {
		t.Errorf("Pseudonym(jane) = %s, want %s and a hash unrelated to Digest(jane)", p, evidence.PseudonymPrefix)
	}
	if got := a.Pseudonym(""); got != "" {
		t.Errorf("Pseudonym(\"\") = %q, want \"\"", got)
	}
}

// TestContentKeyDoesNotLeak checks that printing or logging a key shows
// its id and nothing of the key.
func TestContentKeyDoesNotLeak(t *testing.T) {
	k := mustContentKey(t, testSecret(0))
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("key", "key", k)
	for _, got := range []string{fmt.Sprint(k), fmt.Sprintf("%+v", k), fmt.Sprintf("%#v", k), logged.String()} {
		if !strings.Contains(got, k.ID()) || strings.Contains(got, "[") || strings.Contains(got, "0x") {
			t.Errorf("key printed as %q, want its id only", got)
		}
	}
	if want := "evidence.ContentKey(" + k.ID() + ")"; fmt.Sprint(k) != want {
		t.Errorf("String() = %s, want %s", fmt.Sprint(k), want)
	}
}

// validContents are the seeds of TestContentValidate and
// FuzzContentJSON.
var validContents = map[string]evidence.Content{
	"plain": evidence.DigestContent([]byte("hello world")),
	"keyed": {HMACSHA256: "a8849d26abb337dee0a64b7b3bbc8d8c22abaf0cdcf23041878928c287a8b0a5", KeyID: "ad68d6d6", Length: 7},
	"empty": evidence.DigestContent(nil),
}

func TestContentValidate(t *testing.T) {
	plain, keyed := validContents["plain"], validContents["keyed"]
	tests := []struct {
		name    string
		c       evidence.Content
		wantErr error
	}{
		{"plain", plain, nil},
		{"keyed", keyed, nil},
		{"empty content", validContents["empty"], nil},
		{"zero", evidence.Content{}, evidence.ErrInvalid},
		{"length only", evidence.Content{Length: 3}, evidence.ErrInvalid},
		{"both digests", evidence.Content{SHA256: plain.SHA256, HMACSHA256: keyed.HMACSHA256, KeyID: keyed.KeyID}, evidence.ErrInvalid},
		{"short plain", evidence.Content{SHA256: "abc"}, evidence.ErrInvalid},
		{"upper-case plain", evidence.Content{SHA256: strings.ToUpper(plain.SHA256)}, evidence.ErrInvalid},
		{"plain with key id", evidence.Content{SHA256: plain.SHA256, KeyID: keyed.KeyID}, evidence.ErrInvalid},
		{"short keyed", evidence.Content{HMACSHA256: "abc", KeyID: keyed.KeyID}, evidence.ErrInvalid},
		{"keyed without key id", evidence.Content{HMACSHA256: keyed.HMACSHA256}, evidence.ErrInvalid},
		{"keyed with bad key id", evidence.Content{HMACSHA256: keyed.HMACSHA256, KeyID: "AD68D6D6"}, evidence.ErrInvalid},
		{"key id only", evidence.Content{KeyID: keyed.KeyID}, evidence.ErrInvalid},
		{"negative length", evidence.Content{SHA256: plain.SHA256, Length: -1}, evidence.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); !errors.Is(err, tt.wantErr) {
				t.Errorf("%+v.Validate() = %v, want %v", tt.c, err, tt.wantErr)
			}
		})
	}
}

// TestContentJSON checks that a plain digest is written as it always
// was, and a keyed one with its own names.
func TestContentJSON(t *testing.T) {
	tests := []struct {
		name string
		c    evidence.Content
		want string
	}{
		{"plain", validContents["plain"], `{"sha256":"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9","length":11}`},
		{"keyed", validContents["keyed"], `{"hmacSha256":"a8849d26abb337dee0a64b7b3bbc8d8c22abaf0cdcf23041878928c287a8b0a5","keyId":"ad68d6d6","length":7}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.c)
			if err != nil || string(got) != tt.want {
				t.Fatalf("Marshal() = %s, %v, want %s", got, err, tt.want)
			}
			var back evidence.Content
			if err := json.Unmarshal(got, &back); err != nil || back != tt.c {
				t.Errorf("Unmarshal(%s) = %+v, %v, want %+v", got, back, err, tt.c)
			}
		})
	}
}

func TestContentSubject(t *testing.T) {
	plain, keyed := validContents["plain"], validContents["keyed"]
	if s := plain.Subject("a.txt"); s.Validate() != nil || s.Digest["sha256"] != plain.SHA256 {
		t.Errorf("plain Subject() = %+v, want a valid subject with the sha256 digest", s)
	}
	s := keyed.Subject("a.txt")
	if err := s.Validate(); !errors.Is(err, evidence.ErrInvalid) {
		t.Errorf("keyed Subject().Validate() = %v, want ErrInvalid: a keyed digest is no in-toto subject", err)
	}
	if len(s.Digest) != 0 {
		t.Errorf("keyed Subject() = %+v, want no digest", s)
	}
}

// FuzzContentJSON checks that any Content decoded from JSON either fails
// Validate or is exactly one kind of digest that survives a round trip,
// and that Matches never accepts it for other bytes than those digested.
func FuzzContentJSON(f *testing.F) {
	for _, c := range validContents {
		b, err := json.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"sha256":"00","hmacSha256":"00","keyId":"x","length":-1}`))
	k := mustContentKey(f, testSecret(0))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c evidence.Content
		if err := json.Unmarshal(data, &c); err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			if !errors.Is(err, evidence.ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error matching ErrInvalid", err)
			}
			return
		}
		if (c.SHA256 == "") == (c.HMACSHA256 == "") || c.Keyed() != (c.KeyID != "") {
			t.Fatalf("valid %+v is not exactly one kind of digest", c)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back evidence.Content
		if err := json.Unmarshal(b, &back); err != nil || back != c {
			t.Fatalf("round trip of %+v = %+v, %v", c, back, err)
		}
		if k.Matches(data, c) {
			t.Fatalf("Matches(fuzz input, %+v) = true: the input is JSON of its own digest", c)
		}
	})
}
