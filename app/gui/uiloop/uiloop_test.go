package uiloop

import (
	"context"
	"sync/atomic"
	"testing"
)

func TestOneAtATimeInOrder(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l := Start(ctx)
	var running, maxRunning atomic.Int32
	var order []int
	done := make(chan struct{})
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 100; i++ {
				l.Do(func() {
					if n := running.Add(1); n > maxRunning.Load() {
						maxRunning.Store(n)
					}
					running.Add(-1)
				})
			}
			done <- struct{}{}
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
	for i := 0; i < 5; i++ {
		l.Run(func() {
			order = append(order, i)
			l.Do(func() { order = append(order, 100+i) }) // queued from the loop: no deadlock
		})
	}
	l.Run(func() {})
	if maxRunning.Load() != 1 {
		t.Errorf("%d functions ran at once", maxRunning.Load())
	}
	want := []int{0, 100, 1, 101, 2, 102, 3, 103, 4, 104}
	if len(order) != len(want) {
		t.Fatalf("order %v", order)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("order %v, want %v", order, want)
		}
	}
}

// Once its context ends the loop runs nothing more: what was queued is
// dropped, Wait returns after the function in progress, and Run and Flush
// do not block (a test's window must not be drawn once its app is gone).
func TestStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	l := Start(ctx)
	started, release := make(chan struct{}), make(chan struct{})
	var ran atomic.Int32
	l.Do(func() { close(started); <-release; ran.Add(1) })
	l.Do(func() { ran.Add(1) })
	<-started
	cancel()
	close(release)
	l.Wait()
	if n := ran.Load(); n != 1 {
		t.Errorf("%d functions ran, want only the one in progress", n)
	}
	l.Run(func() { ran.Add(1) })
	l.Flush()
	if n := ran.Load(); n != 1 {
		t.Errorf("a function ran after the stop")
	}
}
