package aims

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"testing"
	"testing/fstest"
)

// TestBudget checks the weighted semaphore that bounds the bytes being
// decoded: units are handed out in order, and a waiter that gives up
// leaves the others served.
func TestBudget(t *testing.T) {
	ctx := context.Background()
	b := &budget{free: 10}
	if err := b.acquire(ctx, 6); err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 3)
	wait := func(n int) {
		if err := b.acquire(ctx, n); err == nil {
			got <- n
		}
	}
	go wait(5) // waits for the 6
	// A waiter that gives up before it is served.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := b.acquire(cancelled, 8); !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire(cancelled) = %v, want context.Canceled", err)
	}
	b.release(6)
	if n := <-got; n != 5 {
		t.Fatalf("acquired %d, want 5", n)
	}
	b.release(5)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.free != 10 || len(b.waiters) != 0 {
		t.Errorf("budget = %d free, %d waiting, want 10 free, 0 waiting", b.free, len(b.waiters))
	}
}

// FuzzResolve checks that a link resolves, if at all, to a path inside
// the file system that holds no link, whatever the links hold.
func FuzzResolve(f *testing.F) {
	for _, s := range [][2]string{
		{"c.yaml", "a"}, {"../a/c.yaml", "."}, {"/etc/passwd", ".."}, {"../../x", "a/../.."}, {"d/c.yaml", "a"},
		{"d/../../a/c.yaml", "../a"}, {"./././c.yaml", "d"}, {"b.yaml", "a/b.yaml"}, {"", ""}, {"d", "/"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, first, second string) {
		fsys := fstest.MapFS{
			"a/c.yaml": {Data: []byte("x")},
			"a/b.yaml": {Mode: fs.ModeSymlink, Data: []byte(first)},
			"a/d":      {Mode: fs.ModeSymlink, Data: []byte(second)},
			"e/f.yaml": {Data: []byte("y")},
		}
		target, problem, err := resolve(fsys, "a/b.yaml")
		if err != nil || problem != "" {
			return
		}
		if !fs.ValidPath(target) {
			t.Fatalf("resolve() = %q, not a valid path in the file system", target)
		}
		for p := target; p != "."; p = path.Dir(p) {
			info, err := fs.Lstat(fsys, p)
			if err != nil || info.Mode().Type() == fs.ModeSymlink {
				t.Fatalf("resolve() = %q, whose %q is a link or missing (%v)", target, p, err)
			}
		}
	})
}
