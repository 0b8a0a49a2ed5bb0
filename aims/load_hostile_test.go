package aims_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/aimskit/aimskit/aims"
	"github.com/aimskit/aimskit/document"
)

// okSystem is a valid AI system document.
var okSystem = []byte(system("11111111-1111-4111-8111-111111111111", "ok"))

// problemsOf returns "file: message" of each problem of err.
func problemsOf(t testing.TB, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *document.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is a %T, want a *document.Error", err, err)
	}
	var got []string
	for _, p := range de.Problems {
		got = append(got, p.File+": "+p.Message)
	}
	return got
}

func TestLoadSkipsFilesThatAreNotRegular(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.yaml":     {Data: okSystem},
		"pipe.yaml":   {Mode: fs.ModeNamedPipe},
		"tty.yml":     {Mode: fs.ModeDevice | fs.ModeCharDevice},
		"socket.json": {Mode: fs.ModeSocket},
	}
	f, err := aims.Load(context.Background(), fsys)
	if err != nil {
		t.Fatalf("Load() error = %v", err)
	}
	if len(f.Systems) != 1 {
		t.Errorf("Load() loaded %d systems, want 1", len(f.Systems))
	}
	var got []string
	for _, n := range f.Notes {
		got = append(got, n.String())
	}
	want := []string{
		"pipe.yaml: skipped: not a regular file but a named pipe",
		"socket.json: skipped: not a regular file but a socket",
		"tty.yml: skipped: not a regular file but a device",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load() notes mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadSymlinks(t *testing.T) {
	link := func(target string) *fstest.MapFile {
		return &fstest.MapFile{Mode: fs.ModeSymlink, Data: []byte(target)}
	}
	fsys := fstest.MapFS{
		"ok.yaml":              {Data: okSystem},
		"shared/system.txt":    {Data: []byte(system("22222222-2222-4222-8222-222222222222", "shared"))},
		"inside.yaml":          link("shared/system.txt"),
		"sub/up.yaml":          link("../shared/./system.txt"),
		"leak.yaml":            link("../secret.env"),
		"absolute.yaml":        link("/etc/passwd"),
		"chain.yaml":           link("sub/hop"),
		"sub/hop":              link("../../secret.env"),
		"through-dir.yaml":     link("outside/secret.yaml"),
		"outside":              link("/etc"),
		"loop.yaml":            link("loop.yaml"),
		"dangling.yaml":        link("missing.yaml"),
		"to-folder.yaml":       link("shared"),
		"to-pipe.yaml":         link("pipe"),
		"pipe":                 {Mode: fs.ModeNamedPipe},
		"linkdir":              link(".."),
		"sub/deeper/back.json": link("../../../outside.json"),
	}
	f, err := aims.Load(context.Background(), fsys)
	want := []string{
		"absolute.yaml: symbolic link leaves the folder",
		"chain.yaml: symbolic link leaves the folder",
		"dangling.yaml: symbolic link leads to no file",
		"leak.yaml: symbolic link leaves the folder",
		"loop.yaml: too many levels of symbolic links",
		"sub/deeper/back.json: symbolic link leaves the folder",
		"through-dir.yaml: symbolic link leaves the folder",
		"sub/up.yaml: duplicate id 22222222-2222-4222-8222-222222222222: inside.yaml already defines an AI system with it",
	}
	if diff := cmp.Diff(want, problemsOf(t, err)); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s", diff)
	}
	if f == nil || len(f.Systems) != 2 || f.File(f.Systems[0]) != "inside.yaml" {
		t.Fatalf("Load() folder = %+v, want ok.yaml and the link inside.yaml", f)
	}
	var notes []string
	for _, n := range f.Notes {
		notes = append(notes, n.String())
	}
	wantNotes := []string{
		"to-folder.yaml: skipped: not a regular file but a folder",
		"to-pipe.yaml: skipped: not a regular file but a named pipe",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("Load() notes mismatch (-want +got):\n%s", diff)
	}
}

// TestLoadSymlinkOutOfDirFS checks, on a real folder, that a link to a
// file outside it is refused unread: the error does not show its content.
func TestLoadSymlinkOutOfDirFS(t *testing.T) {
	tmp := t.TempDir()
	secret := filepath.Join(tmp, "secret.env")
	if err := os.WriteFile(secret, []byte("apiVersion: aimskit.dev/v1alpha1\nkind: DB_PASSWORD=hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "governance")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.yaml"), okSystem, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "absolute.yaml")); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
	if err := os.Symlink(filepath.Join("..", "secret.env"), filepath.Join(dir, "relative.yaml")); err != nil {
		t.Fatal(err)
	}
	_, err := aims.Load(context.Background(), os.DirFS(dir))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("Load() error = %v, want the links refused unread", err)
	}
	want := []string{"absolute.yaml: symbolic link leaves the folder", "relative.yaml: symbolic link leaves the folder"}
	if diff := cmp.Diff(want, problemsOf(t, err)); diff != "" {
		t.Errorf("Load() problems mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadEmptyFolder(t *testing.T) {
	tests := []struct {
		name string
		fsys fstest.MapFS
	}{
		{"empty", fstest.MapFS{}},
		{"no documents", fstest.MapFS{"README.md": {Data: []byte("# governance")}, ".aimskit/x.yaml": {Data: okSystem}}},
		{"only a pipe", fstest.MapFS{"pipe.yaml": {Mode: fs.ModeNamedPipe}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := aims.Load(context.Background(), tt.fsys)
			if !errors.Is(err, aims.ErrNoDocuments) || f != nil {
				t.Errorf("Load() = %v, %v, want nil, ErrNoDocuments", f, err)
			}
		})
	}
}

// TestLoadNamesEscaped checks that a file name cannot forge lines or
// terminal output in the error.
func TestLoadNamesEscaped(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.yaml":                                {Data: okSystem},
		"x.yaml\nok.yaml: all valid\x1b[2K.yaml": {Data: []byte("apiVersion: [\n")},
	}
	_, err := aims.Load(context.Background(), fsys)
	if err == nil {
		t.Fatal("Load() error = nil")
	}
	want := `"x.yaml\nok.yaml: all valid\x1b[2K.yaml":/apiVersion: invalid YAML: the list opened here with [ is not closed with ] (line 1, column 13)`
	if got := err.Error(); got != want {
		t.Errorf("Load() error = %s, want %s", got, want)
	}
}

// BenchmarkLoadDense loads a folder of 16 documents of 1 MB that are as
// dense as YAML allows, a flow list of ones: B/op is what they cost.
func BenchmarkLoadDense(b *testing.B) {
	fsys := fstest.MapFS{}
	data := []byte("[" + strings.Repeat("1,", 1<<19-2) + "1]")
	for i := range 16 {
		fsys[string(rune('a'+i))+".yaml"] = &fstest.MapFile{Data: data}
	}
	l, err := aims.NewLoader(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := l.Load(context.Background(), fsys); !errors.Is(err, document.ErrInvalid) {
			b.Fatalf("Load() error = %v", err)
		}
	}
}
