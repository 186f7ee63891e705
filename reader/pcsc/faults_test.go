package pcsc_test

import (
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/sim/vpcd"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// asRoot runs a command as root (directly, or through sudo without a password).
func asRoot(t testing.TB, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if os.Geteuid() != 0 {
		cmd = exec.Command("sudo", append([]string{"-n", name}, args...)...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v\n%s (the pcscd restart test needs root or password-less sudo)", name, args, err, out)
	}
}

func pcscdRunning() bool {
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if comm, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && strings.TrimSpace(string(comm)) == "pcscd" {
			return true
		}
	}
	return false
}

func vpcdListening() bool {
	c, err := net.DialTimeout("tcp", vpcdSlot0, 200*time.Millisecond)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}

// pcscd stopped and started again: the Client notices, says so with a typed
// error, and recovers by itself; a card served again is read.
func TestPCSCDRestart(t *testing.T) {
	needPCSCD(t) // pcscd must be there to begin with
	var client pcsc.Client
	t.Cleanup(client.Close) // after the cleanups of insert, which use its context
	if err := client.Do(func(c *pcsc.Context) error { _, err := c.Readers(); return err }); err != nil {
		t.Fatalf("before restart: %v", err)
	}
	t.Cleanup(func() { // leave pcscd running for the other tests, whatever happens
		if !pcscdRunning() {
			asRoot(t, "pcscd")
			waitFor(t, "vpcd listens again", vpcdListening)
		}
	})
	asRoot(t, "pkill", "-x", "pcscd")
	waitFor(t, "pcscd has stopped", func() bool { return !pcscdRunning() })

	err := client.Do(func(c *pcsc.Context) error { _, err := c.Readers(); return err })
	if !errors.Is(err, chiperr.NoService) {
		t.Fatalf("with pcscd stopped: %v, want NoService", err)
	}
	var ce *chiperr.Error
	// app/problem's hint for NoService names pcscd (tested there).
	if !errors.As(err, &ce) || ce.Kind != chiperr.NoService {
		t.Errorf("not a NoService chip error: %v", err)
	}

	asRoot(t, "pcscd")
	waitFor(t, "vpcd listens again", vpcdListening)
	var ctx *pcsc.Context
	waitFor(t, "the client works again", func() bool {
		err := client.Do(func(c *pcsc.Context) error {
			ctx = c
			_, err := c.States() // a call that reaches the daemon
			return err
		})
		return err == nil
	})

	card := insert(t, ctx, "cnie")
	if _, err := reader.Read(context.Background(), card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
		t.Fatalf("read after the restart: %v", err)
	}
}

// A card removed during a read: the read stops with CardRemoved; the card
// put back is read again with the same reader, after a reconnection.
func TestRetryAfterRemoval(t *testing.T) {
	pc := needPCSCD(t)
	card, err := sim.NewNamed("fault-removed")
	if err != nil {
		t.Fatal(err)
	}
	serve := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- vpcd.Serve(ctx, vpcdSlot0, card) }()
		return func() { cancel(); <-done }
	}
	stop := serve()
	name := readerNamed(t, pc, slot0)
	waitCtx, cancelWait := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancelWait()
	if err := pc.WaitForCard(waitCtx, name); err != nil {
		t.Fatalf("wait for the card: %v", err)
	}
	conn, err := pc.Connect(name)
	if err != nil {
		t.Fatal(err)
	}
	_, err = reader.Read(context.Background(), conn, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	conn.Close()
	stop()
	waitAbsent(t, pc)
	if !errors.Is(err, chiperr.CardRemoved) {
		t.Fatalf("got %v, want CardRemoved", err)
	}

	// The holder puts the card back.
	stop = serve()
	defer func() { stop(); waitAbsent(t, pc) }()
	if err := pc.WaitForCard(waitCtx, name); err != nil {
		t.Fatalf("wait for the card put back: %v", err)
	}
	conn, err = pc.Connect(name)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := reader.Read(context.Background(), conn, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
		t.Fatalf("read after putting the card back: %v", err)
	}
	// A reset (another application, or our own retry) is recovered by Reconnect.
	if err := conn.Reconnect(); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	if _, err := reader.Read(context.Background(), conn, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{}); err != nil {
		t.Fatalf("read after reconnect: %v", err)
	}
}

// WaitForChange sees a card arrive and leave.
func TestWaitForChange(t *testing.T) {
	pc := needPCSCD(t)
	waitAbsent(t, pc)
	before, err := pc.States()
	if err != nil {
		t.Fatal(err)
	}
	card, _ := sim.NewNamed("cnie")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Serve(ctx, vpcdSlot0, card) }()
	waitCtx, cancelWait := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancelWait()
	after, err := pc.WaitForChange(waitCtx, before)
	if err != nil {
		t.Fatalf("wait for change: %v", err)
	}
	present := false
	for _, s := range after {
		if strings.HasPrefix(s.Name, slot0) && s.Present && len(s.ATR) > 0 {
			present = true
		}
	}
	if !present {
		t.Errorf("no card seen after the change: %+v", after)
	}
	cancel()
	<-done
	gone, err := pc.WaitForChange(waitCtx, after)
	if err != nil {
		t.Fatalf("wait for removal: %v", err)
	}
	for _, s := range gone {
		if strings.HasPrefix(s.Name, slot0) && s.Present {
			t.Errorf("card still present: %+v", s)
		}
	}
	time.Sleep(time.Second) // as waitAbsent: let pcscd settle before the next card
	// A cancelled wait returns promptly with Canceled.
	cctx, ccancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); ccancel() }()
	if _, err := pc.WaitForChange(cctx, gone); !errors.Is(err, chiperr.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
}
