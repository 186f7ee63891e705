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
