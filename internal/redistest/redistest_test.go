package redistest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the real redis-server runs in the full run")
	}
	s := StartReal(t)
	if !s.Real || !strings.HasPrefix(s.URL(), "redis://127.0.0.1:") {
		t.Fatalf("server %+v, URL %s", s, s.URL())
	}
	if err := ping(s.Addr); err != nil {
		t.Fatalf("PING: %v", err)
	}
	// Two servers of two tests do not share a port.
	other := StartReal(t)
	if other.Addr == s.Addr {
		t.Fatalf("two servers on %s", s.Addr)
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	if err := ping(other.Addr); err == nil {
		t.Fatal("the server still answers after Close")
	}
	if err := other.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
}

func TestMiniServer(t *testing.T) {
	s := StartMini(t)
	if s.Real {
		t.Fatal("miniredis says it is real")
	}
	if err := ping(s.Addr); err != nil {
		t.Fatalf("PING: %v", err)
	}
	s.Wait(time.Hour) // moves miniredis's clock, returns at once
}

// TestMissingServerFails: without redis-server, Launch says how to install
// it (and so StartReal fails the test: no silent skip).
func TestMissingServerFails(t *testing.T) {
	t.Setenv("REDIS_SERVER", "/nonexistent/redis-server")
	_, err := Launch(t.TempDir())
	if err == nil {
		t.Fatal("Launch succeeded without a redis-server")
	}
	t.Setenv("REDIS_SERVER", "")
	t.Setenv("PATH", t.TempDir())
	_, err = Launch(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "make deps") {
		t.Fatalf("Launch without redis-server in PATH: %v", err)
	}
}

// TestServerThatCannotStart: a binary that exits at once is reported with
// its reason, not waited for until the timeout.
func TestServerThatCannotStart(t *testing.T) {
	exits := filepath.Join(t.TempDir(), "exits")
	if err := os.WriteFile(exits, []byte("#!/bin/sh\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("REDIS_SERVER", exits)
	start := time.Now()
	if _, err := Launch(t.TempDir()); err == nil || !strings.Contains(err.Error(), "exited at start") {
		t.Fatalf("Launch of a server that exits: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("took %s", d)
	}
}
