package aims

import (
	"context"
	"errors"
	"testing"
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
