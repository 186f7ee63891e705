package demoservice

import (
	"testing"
	"time"
)

func TestPendingLoginsOnceExpiryAndBound(t *testing.T) {
	now := time.Now()
	l := newPendingLogins(2, time.Minute)
	l.put("a", pendingLogin{State: "sa"}, now)
	if p, ok := l.take("a", now); !ok || p.State != "sa" {
		t.Fatalf("take a: %v %+v", ok, p)
	}
	if _, ok := l.take("a", now); ok {
		t.Error("a login was taken twice")
	}
	l.put("b", pendingLogin{}, now)
	if _, ok := l.take("b", now.Add(2*time.Minute)); ok {
		t.Error("an expired login was taken")
	}
	// Full: the login closest to expiry makes room.
	l.put("c", pendingLogin{}, now)
	l.put("d", pendingLogin{}, now.Add(time.Second))
	l.put("e", pendingLogin{}, now.Add(2*time.Second))
	if _, ok := l.take("c", now.Add(3*time.Second)); ok {
		t.Error("the oldest login was kept past the bound")
	}
	for _, id := range []string{"d", "e"} {
		if _, ok := l.take(id, now.Add(3*time.Second)); !ok {
			t.Errorf("login %s lost", id)
		}
	}
}
