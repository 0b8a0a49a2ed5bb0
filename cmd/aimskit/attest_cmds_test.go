package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/attest"
)

// creditSystem is the id of the AI system of the example folder.
const creditSystem = "6f1c2a4e-3b7d-4c8e-9a1f-2d5b8e7c4a10"

// attestFixture makes, in a temporary folder, a release key pair with
// keygen and a bundle of two gate decisions with gate --attest. It returns
// the folder, the key prefix and the bundle's path.
func attestFixture(t *testing.T) (dir, prefix, bundle string) {
	t.Helper()
	dir = t.TempDir()
	prefix = filepath.Join(dir, "release")
	if code, _, stderr := runCLI(t, "keygen", "--out", prefix); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	bundle = filepath.Join(dir, "release.intoto.jsonl")
	for _, date := range []string{"2026-11-28", "2026-11-29"} {
		code, _, stderr := runCLI(t, "gate", "--system", "Consumer credit scoring", "--to", "deployment", "--date", date,
			"--key", prefix+".key", "--attest", bundle, example)
		if code != exitOK {
			t.Fatalf("gate --attest = %d: %s", code, stderr)
		}
	}
	return dir, prefix, bundle
}

// publicKeyID returns the key id of the public key in path.
func publicKeyID(tb testing.TB, path string) string {
	tb.Helper()
	v, err := readPublicKey(path)
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := v.KeyID()
	return id
}

// readEnvelopes reads the envelopes of a bundle.
func readEnvelopes(tb testing.TB, path string) []*attest.Envelope {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	envs, err := attest.ReadBundle(f)
	if err != nil {
		tb.Fatal(err)
	}
	return envs
}

// statementOf decodes the statement of env without verifying it.
func statementOf(tb testing.TB, env *attest.Envelope) *attest.Statement {
	tb.Helper()
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		tb.Fatal(err)
	}
	var st attest.Statement
	if err := json.Unmarshal(payload, &st); err != nil {
		tb.Fatal(err)
	}
	return &st
}

// resign signs st with the private key in prefix.key.
func resign(tb testing.TB, prefix string, st *attest.Statement) *attest.Envelope {
	tb.Helper()
	signer, _, err := readPrivateKey(prefix + ".key")
	if err != nil {
		tb.Fatal(err)
	}
	env, err := attest.SignStatement(tb.Context(), signer, st)
	if err != nil {
		tb.Fatal(err)
	}
	return env
}

// writeFile writes b to name in dir and returns its path.
func writeFile(tb testing.TB, dir, name string, b []byte) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// writeBundle writes envs as a bundle named name in dir and returns its
// path.
func writeBundle(tb testing.TB, dir, name string, envs ...*attest.Envelope) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := attest.WriteBundle(&buf, envs...); err != nil {
		tb.Fatal(err)
	}
	return writeFile(tb, dir, name, buf.Bytes())
}

// readFile returns the content of path.
func readFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestVerifyAttestationCommand(t *testing.T) {
	dir, prefix, bundle := attestFixture(t)
	pub := prefix + ".pub"
	releaseKey := publicKeyID(t, pub)
	if code, _, stderr := runCLI(t, "keygen", "--out", filepath.Join(dir, "other")); code != exitOK {
		t.Fatalf("keygen = %d: %s", code, stderr)
	}
	otherPub := filepath.Join(dir, "other.pub")
	otherKey := publicKeyID(t, otherPub)
	envs := readEnvelopes(t, bundle)

	// A byte of the first payload flipped; the second envelope is intact.
	flipped := *envs[0]
	payload, err := base64.StdEncoding.DecodeString(flipped.Payload)
	if err != nil {
		t.Fatal(err)
	}
	payload[len(payload)/2] ^= 0x01
	flipped.Payload = base64.StdEncoding.EncodeToString(payload)
	flippedBundle := writeBundle(t, dir, "flipped.intoto.jsonl", &flipped, envs[1])

	// The predicate edited to an outcome the schema does not allow, and
	// signed again with the release key.
	st := statementOf(t, envs[0])
	var pred map[string]any
	if err := json.Unmarshal(st.Predicate, &pred); err != nil {
		t.Fatal(err)
	}
	pred["outcome"] = "approved"
	if st.Predicate, err = json.Marshal(pred); err != nil {
		t.Fatal(err)
	}
	schemaBundle := writeBundle(t, dir, "schema.intoto.jsonl", resign(t, prefix, st))

	// The statement about a release artifact as well, as a release
	// pipeline would sign it.
	artifact := writeFile(t, dir, "credit-gbm-3.2.0.onnx", []byte("model weights"))
	otherArtifact := writeFile(t, dir, "credit-gbm-3.1.0.onnx", []byte("older model weights"))
	st = statementOf(t, envs[0])
	st.Subject = append(st.Subject, evidence.DigestContent([]byte("model weights")).Subject("credit-gbm-3.2.0.onnx"))
	artifactBundle := writeBundle(t, dir, "artifact.intoto.jsonl", resign(t, prefix, st))

	empty := writeFile(t, dir, "empty.intoto.jsonl", nil)
	notBundle := filepath.Join(example, "ai-system-credit-scoring.yaml")
	lastLineBad := writeFile(t, dir, "bad.intoto.jsonl", append(readFile(t, bundle), []byte("{\"payloadType\":\n")...))

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr []string
	}{
		{"valid", []string{bundle, "--pub", pub}, exitOK, []string{
			bundle + ":1: verified: " + attest.PredicateGateDecision + " about model:credit-gbm@3.2.0, dataset:loan-book-2019-2025: allow, system " + creditSystem + ", verification-and-validation -> deployment",
			bundle + ":2: verified: ",
			bundle + ": 2 envelopes verified with key " + releaseKey,
			"give --artifact",
		}, nil},
		{"wrong key", []string{"--pub", otherPub, bundle}, exitInvalid, nil, []string{
			bundle + ":1: key: signed by key " + releaseKey + ", not by the given key " + otherKey,
			bundle + ":2: key: signed by key " + releaseKey,
			bundle + ": 2 of 2 envelopes do not verify",
		}},
		{"payload byte flipped", []string{"--pub", pub, flippedBundle}, exitInvalid,
			[]string{flippedBundle + ":2: verified: "},
			[]string{flippedBundle + ":1: signature: signature does not verify", flippedBundle + ": 1 of 2 envelopes do not verify"}},
		{"predicate against the schema, signed by the release key", []string{"--pub", pub, schemaBundle}, exitInvalid, nil,
			[]string{schemaBundle + ":1: predicate at /predicate/outcome: "}},
		{"artifact named by a subject", []string{"--pub", pub, "--artifact", artifact, artifactBundle}, exitOK,
			[]string{artifactBundle + ":1: verified: " + attest.PredicateGateDecision + " about model:credit-gbm@3.2.0, dataset:loan-book-2019-2025, credit-gbm-3.2.0.onnx: allow"}, nil},
		{"artifact named by no subject", []string{"--pub", pub, "--artifact", artifact, "--artifact", otherArtifact, artifactBundle}, exitInvalid, nil,
			[]string{artifactBundle + ":1: artifact at /subject: artifact \"" + otherArtifact + "\" (sha256:" + evidence.DigestContent([]byte("older model weights")).SHA256 + ") matches no subject",
				`"model:credit-gbm@3.2.0" (sha256:9f2d6c1b`, `"credit-gbm-3.2.0.onnx" (sha256:`}},
		{"artifact in no statement of the gate", []string{"--pub", pub, "--artifact", artifact, bundle}, exitInvalid, nil,
			[]string{bundle + ":1: artifact at /subject: ", bundle + ":2: artifact at /subject: "}},
		{"not a bundle", []string{"--pub", pub, notBundle}, exitError, nil, []string{notBundle + ": ", "bundle line 1"}},
		{"malformed last line", []string{"--pub", pub, lastLineBad}, exitError, nil, []string{lastLineBad + ": ", "bundle line 3"}},
		{"empty bundle", []string{"--pub", pub, empty}, exitError, nil, []string{empty + ": ", "no envelopes"}},
		{"missing bundle", []string{"--pub", pub, filepath.Join(dir, "missing.intoto.jsonl")}, exitError, nil, []string{"missing.intoto.jsonl"}},
		{"missing artifact", []string{"--pub", pub, "--artifact", filepath.Join(dir, "missing.onnx"), bundle}, exitError, nil, []string{"missing.onnx"}},
		{"private key for --pub", []string{"--pub", prefix + ".key", bundle}, exitError, nil, []string{prefix + ".key", "PUBLIC KEY"}},
		{"no --pub", []string{bundle}, exitError, nil, []string{"want --pub KEY and one BUNDLE"}},
		{"two bundles", []string{"--pub", pub, bundle, bundle}, exitError, nil, []string{"want --pub KEY and one BUNDLE"}},
		{"unknown format", []string{"--pub", pub, "--format", "xml", bundle}, exitError, nil, []string{`unknown format "xml"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"evidence", "verify-attestation"}, tt.args...)...)
			if code != tt.wantCode {
				t.Errorf("exit = %d, want %d; stdout:\n%s\nstderr:\n%s", code, tt.wantCode, stdout, stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
		})
	}
}

func TestVerifyAttestationJSON(t *testing.T) {
	dir, prefix, bundle := attestFixture(t)
	artifact := writeFile(t, dir, "release.tar.gz", []byte("release"))
	tests := []struct {
		name         string
		args         []string
		wantCode     int
		wantVerified bool
		wantProblems []string
	}{
		{"verified", []string{"--pub", prefix + ".pub", "--format", "json", bundle}, exitOK, true, []string{"", ""}},
		{"artifact missing", []string{"--pub", prefix + ".pub", "--format", "json", "--artifact", artifact, bundle}, exitInvalid, false, []string{"artifact", "artifact"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, append([]string{"evidence", "verify-attestation"}, tt.args...)...)
			if code != tt.wantCode {
				t.Fatalf("exit = %d, want %d: %s", code, tt.wantCode, stderr)
			}
			var got struct {
				Bundle    string `json:"bundle"`
				KeyID     string `json:"keyId"`
				Verified  bool   `json:"verified"`
				Envelopes []struct {
					Line      int               `json:"line"`
					KeyID     string            `json:"keyId"`
					Statement *attest.Statement `json:"statement"`
					Problems  []struct {
						Check   string `json:"check"`
						Pointer string `json:"pointer"`
						Message string `json:"message"`
					} `json:"problems"`
				} `json:"envelopes"`
			}
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout)
			}
			if got.Bundle != bundle || got.KeyID != publicKeyID(t, prefix+".pub") || got.Verified != tt.wantVerified {
				t.Errorf("bundle, key id, verified = %q, %q, %v; want %q, the release key, %v", got.Bundle, got.KeyID, got.Verified, bundle, tt.wantVerified)
			}
			if len(got.Envelopes) != len(tt.wantProblems) {
				t.Fatalf("%d envelopes, want %d", len(got.Envelopes), len(tt.wantProblems))
			}
			for i, e := range got.Envelopes {
				check := ""
				if len(e.Problems) > 0 {
					check = e.Problems[0].Check
				}
				if e.Line != i+1 || e.KeyID != got.KeyID || e.Statement == nil || check != tt.wantProblems[i] {
					t.Errorf("envelope %d: line %d, key id %q, statement %v, problem %q; want line %d, the release key, a statement, problem %q",
						i, e.Line, e.KeyID, e.Statement != nil, check, i+1, tt.wantProblems[i])
				}
			}
		})
	}
}

func TestEvidenceUsageNamesVerifyAttestation(t *testing.T) {
	code, stdout, _ := runCLI(t, "evidence", "--help")
	if code != exitOK || !strings.Contains(stdout, "aimskit evidence verify-attestation --pub KEY [--artifact FILE ...] BUNDLE.intoto.jsonl") {
		t.Errorf("evidence --help = %d, usage lacks verify-attestation:\n%s", code, stdout)
	}
	if code, _, _ := runCLI(t, "evidence", "verify-attestation", "-h"); code != exitOK {
		t.Errorf("evidence verify-attestation -h = %d, want %d", code, exitOK)
	}
}
