// Package redistest starts a Redis server for tests: a real redis-server
// process of the test's own, on a free loopback port, with its files in a
// temporary directory, killed at the end; or, under -short, miniredis in
// the test's process for speed. A missing redis-server fails the test: it
// is installed by `make deps` (the Debian package redis-server), never
// replaced by a skip.
package redistest

import (
	"fmt"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// Server is a Redis server that lives as long as a test (or a test binary).
type Server struct {
	// Addr is host:port on the loopback interface.
	Addr string
	// Real is true for a redis-server process, false for miniredis.
	Real bool

	proc *process             // a real server
	mini *miniredis.Miniredis // miniredis
}

// URL is the server's address as a store URL: redis://127.0.0.1:port/0.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Wait lets d pass for the server's keys: a real server's time passes by
// itself; miniredis's clock only moves when told.
func (s *Server) Wait(d time.Duration) {
	if s.mini != nil {
		s.mini.FastForward(d)
		return
	}
	time.Sleep(d)
}

// Close stops the server and waits for its process to end.
func (s *Server) Close() error {
	if s.mini != nil {
		s.mini.Close()
		return nil
	}
	return s.proc.stop()
}

// Start returns a server for tb, stopped by tb's cleanup: miniredis under
// -short, a real redis-server otherwise.
func Start(tb testing.TB) *Server {
	tb.Helper()
	if testing.Short() {
		return StartMini(tb)
	}
	return StartReal(tb)
}

// StartReal returns a real redis-server for tb, even under -short (for
// tests of several processes that must see the real thing). It fails tb
// when redis-server is not installed.
func StartReal(tb testing.TB) *Server {
	tb.Helper()
	s, err := Launch(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("redistest: %v", err)
		}
	})
	return s
}

// StartMini returns a miniredis for tb.
func StartMini(tb testing.TB) *Server {
	tb.Helper()
	m, err := miniredis.Run()
	if err != nil {
		tb.Fatalf("redistest: miniredis: %v", err)
	}
	tb.Cleanup(m.Close)
	return &Server{Addr: m.Addr(), mini: m}
}

// Launch starts a real redis-server with its files in dir (a TestMain's
// temporary directory, say); the caller closes it.
func Launch(dir string) (*Server, error) {
	path, err := serverPath()
	if err != nil {
		return nil, err
	}
	var last error
	// The port is free when chosen, but another process may take it before
	// redis-server binds it: try again with another.
	for range 5 {
		p, err := startProcess(path, dir)
		if err == nil {
			return &Server{Addr: p.addr, Real: true, proc: p}, nil
		}
		last = err
	}
	return nil, fmt.Errorf("redistest: %w", last)
}

// StartSentinel starts a real Redis Sentinel (redis-server --sentinel)
// that watches master under the name master, for tb; its address is the
// one a redis-sentinel:// URL names.
func StartSentinel(tb testing.TB, master *Server, name string) *Server {
	tb.Helper()
	if !master.Real {
		tb.Fatal("redistest: a sentinel watches a real redis-server")
	}
	path, err := serverPath()
	if err != nil {
		tb.Fatal(err)
	}
	var last error
	for range 5 {
		p, err := startSentinel(path, tb.TempDir(), master.Addr, name)
		if err == nil {
			s := &Server{Addr: p.addr, Real: true, proc: p}
			tb.Cleanup(func() { _ = s.Close() })
			return s
		}
		last = err
	}
	tb.Fatalf("redistest: sentinel: %v", last)
	return nil
}
