package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aimskit/aimskit/aims/evidence"
	"github.com/aimskit/aimskit/aims/evidence/evidencetest"
	"github.com/aimskit/aimskit/aims/store"
	"github.com/aimskit/aimskit/aims/store/pgstore"
	"github.com/aimskit/aimskit/aims/store/pgstore/pgtest"
)

const example = "../../examples/credit-scoring/governance"

func runPG(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, exitError, "Usage:"},
		{[]string{"help"}, exitOK, "Usage:"},
		{[]string{"frobnicate"}, exitError, `unknown command "frobnicate"`},
		{[]string{"migrate"}, exitError, "no database: give --dsn or set DATABASE_URL"},
		{[]string{"export"}, exitError, "want 1 arguments, got 0"},
		{[]string{"import", "--dsn", "postgres://x", "dir"}, exitError, "--actor is required"},
		{[]string{"migrate", "--dsn", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=1"}, exitError, "aimskit-pg migrate:"},
		{[]string{"migrate", "--dsn", "postgres://u:secret@%zz"}, exitError, "invalid DSN"},
	} {
		code, out, errOut := runPG(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("aimskit-pg %q = %d, %q %q; want %d with %q", tc.args, code, out, errOut, tc.code, tc.want)
		}
		if strings.Contains(out+errOut, "secret") {
			t.Errorf("aimskit-pg %q shows the password: %s", tc.args, errOut)
		}
	}
}

func TestCommands(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.Schema(t, dsn)
	env := map[string]string{"DATABASE_URL": dsn}
	ctx := t.Context()

	if code, out, errOut := runPG(t, env, "migrate", "--schema", schema); code != exitOK || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate = %d: %s%s", code, out, errOut)
	}
	code, out, errOut := runPG(t, env, "import", "--schema", schema, "--actor", "ops@example.com", example)
	if code != exitOK || !strings.Contains(out, "imported") {
		t.Fatalf("import = %d: %s%s", code, out, errOut)
	}
	st, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	docs, err := st.List(ctx, store.Filter{Kind: "AISystem"})
	if err != nil || len(docs) != 2 || docs[0].UpdatedBy != "ops@example.com" {
		t.Fatalf("after import, List(AISystem) = %d documents (%v)", len(docs), err)
	}

	// A broken folder is not imported.
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "x.yaml"), []byte("apiVersion: aimskit.dev/v1alpha1\nkind: AISystem\nname: 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runPG(t, env, "import", "--schema", schema, "--actor", "ops", bad); code != exitInvalid || !strings.Contains(errOut, "x.yaml") {
		t.Errorf("import of a broken folder = %d: %s", code, errOut)
	}

	// Export and verify the shared evidence log.
	pub, priv, err := evidence.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := evidence.NewNoteSigner("fleet.example.com", priv)
	if err != nil {
		t.Fatal(err)
	}
	log, err := pgstore.OpenLog(ctx, dsn, &pgstore.LogOptions{Schema: schema, Signer: signer, CheckpointEvery: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close(ctx)
	for i := 0; i < 250; i += 50 {
		var recs []*evidence.Record
		for j := range 50 {
			recs = append(recs, evidencetest.Record(i+j))
		}
		if _, err := log.Append(ctx, recs...); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	pubPEM, err := evidence.MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pubFile := filepath.Join(dir, "fleet.pub")
	if err := os.WriteFile(pubFile, pubPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runPG(t, env, "verify", "--schema", schema, "--pub", pubFile, "--origin", "fleet.example.com")
	if code != exitOK || !strings.Contains(out, "intact: 250 records, 2 signed checkpoints, 200 records anchored") {
		t.Errorf("verify = %d: %s%s", code, out, errOut)
	}
	if code, _, errOut := runPG(t, env, "verify", "--schema", schema, "--pub", pubFile, "--origin", "someone.else"); code != exitError || !strings.Contains(errOut, `not "someone.else"`) {
		t.Errorf("verify with the wrong origin = %d: %s; want exit 2 naming both origins", code, errOut)
	}
	file := filepath.Join(dir, "audit.jsonl")
	code, out, errOut = runPG(t, env, "export", "--schema", schema, "--from", "120", "--to", "230", file)
	if code != exitOK || !strings.Contains(out, "exported 110 records") {
		t.Fatalf("export = %d: %s%s", code, out, errOut)
	}
	vkey, err := evidence.NoteVerifierKey("fleet.example.com", pub)
	if err != nil {
		t.Fatal(err)
	}
	start, err := evidence.ReadStartFile(file + evidence.StartSuffix)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := evidence.VerifyFile(ctx, file, &evidence.VerifyOptions{Key: vkey, Start: start, MaxUnanchored: -1})
	if err != nil || rep.Start != 120 || rep.Records != 110 || rep.Anchored != 200 {
		t.Errorf("VerifyFile(export) = %+v, %v", rep, err)
	}

	// A row changed by hand is found.
	pgtest.Exec(t, dsn, "SET session_replication_role = replica; UPDATE "+schema+".evidence SET line = convert_to(replace(convert_from(line, 'UTF8'), '\"outcome\":\"', '\"outcome\":\"x'), 'UTF8') WHERE idx = 42")
	if code, _, errOut := runPG(t, env, "verify", "--schema", schema); code != exitInvalid || !strings.Contains(errOut, "TAMPERED at record 43") {
		t.Errorf("verify of an edited log = %d: %s", code, errOut)
	}
}
