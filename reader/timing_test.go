package reader_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// slowCard delays its answer to the commands match picks, as a real chip
// does during PACE after wrong attempts. It gives up when the reader does.
type slowCard struct {
	t     iso7816.Transmitter
	match func(apdu []byte) bool
	delay time.Duration
}

func (s slowCard) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if s.match(apdu) {
		select {
		case <-time.After(s.delay):
		case <-ctx.Done():
			return nil, chiperr.Wrap(chiperr.Timeout, "slow card", ctx.Err())
		}
	}
	return s.t.Transmit(ctx, apdu)
}

// firstGA is PACE's first General Authenticate (the encrypted nonce).
func firstGA(apdu []byte) bool {
	return len(apdu) >= 7 && apdu[0] == 0x10 && apdu[1] == 0x86 && apdu[5] == 0x7C && apdu[6] == 0x00
}

// protectedRead is a READ BINARY under secure messaging.
func protectedRead(apdu []byte) bool {
	return len(apdu) >= 2 && apdu[0]&0x0C == 0x0C && (apdu[1] == 0xB0 || apdu[1] == 0xB1)
}

// photoRead is the first READ BINARY of DG2 (by its SFI, 02).
func photoRead(apdu []byte) bool {
	return protectedRead(apdu) && len(apdu) >= 3 && apdu[1] == 0xB0 && apdu[2] == 0x82
}

// progressLog records the reports of a read.
type progressLog struct {
	mu sync.Mutex
	p  []reader.Progress
}

func (l *progressLog) add(p reader.Progress) {
	l.mu.Lock()
	l.p = append(l.p, p)
	l.mu.Unlock()
}

// slow returns the steps of the reports with Slow set, and whether a report
// without it followed the last of them.
func (l *progressLog) slow() (steps []reader.Step, cleared bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, p := range l.p {
		if p.Slow {
			steps = append(steps, p.Step)
			cleared = i+1 < len(l.p) && !l.p[i+1].Slow
		}
	}
	return steps, cleared
}

// onlyAccessControl tells whether every step is access control.
func onlyAccessControl(steps []reader.Step) bool {
	return !slices.ContainsFunc(steps, func(s reader.Step) bool { return s != reader.StepConnect })
}

// The thresholds in these tests stand for the real 5 s, 15 s and 60 s.
const (
	testNotice = 40 * time.Millisecond
	testFiles  = 100 * time.Millisecond
	testAccess = 2 * time.Second
	cardDelay  = 250 * time.Millisecond
)

// During PACE the reader waits longer than for a file, and says why once
// the card has been silent for a while.
func TestReadWaitsForSlowPACE(t *testing.T) {
	card, _ := sim.NewNamed("cnie")
	log := &progressLog{}
	doc, err := reader.Read(context.Background(), slowCard{t: card, match: firstGA, delay: cardDelay}, reader.Secret{CAN: sim.DefaultCAN},
		reader.Options{APDUTimeout: testFiles, AccessTimeout: testAccess, SlowNotice: testNotice, Progress: log.add})
	if err != nil {
		t.Fatal(err)
	}
	// Under a loaded machine (-race) other PACE steps may pass the notice too.
	slow, cleared := log.slow()
	if len(slow) == 0 || !onlyAccessControl(slow) || !cleared {
		t.Errorf("slow reports at steps %v (cleared after: %v), want them during access control, then cleared", slow, cleared)
	}
	if doc.Access.Protocol != "PACE" {
		t.Errorf("access %+v", doc.Access)
	}
}

// A BAC chip waits the same way.
func TestReadWaitsForSlowBAC(t *testing.T) {
	card, _ := sim.NewNamed("passport")
	log := &progressLog{}
	externalAuth := func(apdu []byte) bool { return len(apdu) >= 2 && apdu[0] == 0x00 && apdu[1] == 0x82 }
	_, err := reader.Read(context.Background(), slowCard{t: card, match: externalAuth, delay: cardDelay}, secretFor(card.Profile()),
		reader.Options{APDUTimeout: testFiles, AccessTimeout: testAccess, SlowNotice: testNotice, Progress: log.add})
	if err != nil {
		t.Fatal(err)
	}
	if slow, cleared := log.slow(); len(slow) == 0 || !onlyAccessControl(slow) || !cleared {
		t.Errorf("slow reports at steps %v (cleared after: %v), want them during access control, then cleared", slow, cleared)
	}
}

func TestReadTimeouts(t *testing.T) {
	cases := []struct {
		name  string
		match func([]byte) bool
		opts  reader.Options
		slow  bool // reports with Slow set
	}{
		// Access control still ends: a card silent past AccessTimeout has gone.
		{"PACE past its limit", firstGA, reader.Options{APDUTimeout: testAccess, AccessTimeout: testFiles, SlowNotice: testNotice}, true},
		// Files keep their shorter limit, and no notice about wrong attempts.
		{"file past its limit", photoRead, reader.Options{APDUTimeout: testFiles, AccessTimeout: testAccess, SlowNotice: testNotice}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			card, _ := sim.NewNamed("cnie")
			log := &progressLog{}
			tc.opts.Progress = log.add
			_, err := reader.Read(context.Background(), slowCard{t: card, match: tc.match, delay: cardDelay}, reader.Secret{CAN: sim.DefaultCAN}, tc.opts)
			// Had the other limit applied, the card's answer would have come in time.
			if !errors.Is(err, chiperr.Timeout) {
				t.Fatalf("got %v, want Timeout", err)
			}
			if slow, _ := log.slow(); !onlyAccessControl(slow) || (tc.slow && len(slow) == 0) {
				t.Errorf("slow reports at steps %v, want them during access control only (and some: %v)", slow, tc.slow)
			}
		})
	}
}
