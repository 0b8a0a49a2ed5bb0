package bundle_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/bundle"
)

// FuzzParseManifest checks that ParseManifest never panics, that every
// error is a manifest *Error matching ErrMalformed, and that a manifest
// it accepts survives a round trip through Marshal.
func FuzzParseManifest(f *testing.F) {
	paths, vkey := segmentedLog(f, 1, 2, 2)
	good, _ := writeBundle(f, paths, vkey)
	manifest := entries(f, good)[0].data
	f.Add(manifest)
	f.Add(bytes.Replace(manifest, []byte(`"records": 5`), []byte(`"records": 6`), 1))
	f.Add(bytes.Replace(manifest, []byte(`"name": "log.vkey"`), []byte(`"name": "../log.vkey"`), 1))
	f.Add(bytes.Replace(manifest, []byte(`"formatVersion": 1`), []byte(`"formatVersion": 1e400`), 1))
	var ringed bytes.Buffer
	if _, err := bundle.Write(context.Background(), &ringed, paths, &bundle.WriteOptions{KeyRing: &evidence.KeyRing{Keys: []evidence.RingKey{{Key: vkey}}}}); err != nil {
		f.Fatal(err)
	}
	f.Add(entries(f, ringed.Bytes())[0].data)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":"aimskit-evidence-bundle","formatVersion":1,"a~b/c":0}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`[{"files":[1]}]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := bundle.ParseManifest(b)
		if err != nil {
			var be *bundle.Error
			if !errors.As(err, &be) || be.Problem != bundle.ProblemManifest || !errors.Is(err, bundle.ErrMalformed) {
				t.Fatalf("ParseManifest() = %v, want a manifest *bundle.Error", err)
			}
			return
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("Marshal() = %v", err)
		}
		m2, err := bundle.ParseManifest(out)
		if err != nil {
			t.Fatalf("ParseManifest(Marshal()) = %v", err)
		}
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Errorf("round trip (-first +second):\n%s", diff)
		}
	})
}

// FuzzCheck checks that reading a bundle never panics, that every
// problem with it is a *bundle.Error (alone or joined), and that a
// bundle it accepts lists exactly the files it holds.
func FuzzCheck(f *testing.F) {
	paths, vkey := segmentedLog(f, 1, 2, 2)
	good, _ := writeBundle(f, paths, vkey)
	es := entries(f, good)
	f.Add(good)
	f.Add(good[:1024])
	f.Add(tarBytes(f, append(es, file("../x", []byte("x")))...))
	f.Add(tarBytes(f, append(es, es[1])...))
	f.Add(tarBytes(f, es[1:]...))
	f.Add(tarBytes(f, append(es[:2:2], es[3:]...)...))
	f.Add([]byte("not a tar"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := bundle.Check(bytes.NewReader(b), &bundle.ReadOptions{MaxFileSize: 1 << 20, MaxFiles: 64})
		if err != nil {
			var be *bundle.Error
			if !errors.As(err, &be) {
				t.Fatalf("Check() = %v, want a *bundle.Error", err)
			}
			if !errors.Is(err, bundle.ErrMalformed) && !errors.Is(err, bundle.ErrMismatch) {
				t.Fatalf("Check() = %v, matches neither ErrMalformed nor ErrMismatch", err)
			}
			return
		}
		names := map[string]bool{}
		for _, e := range entries(t, b) {
			names[e.name()] = true
		}
		if len(names) != len(m.Files)+1 {
			t.Errorf("Check() accepted %d entries, the manifest lists %d files", len(names), len(m.Files))
		}
		for _, f := range m.Files {
			if !names[f.Name] {
				t.Errorf("Check() accepted a bundle without %s", f.Name)
			}
		}
	})
}
