package pace

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

func wantKind(t *testing.T, err error, k chiperr.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %v", k)
	}
	if !errors.Is(err, k) {
		t.Fatalf("error %v (kind %v), want kind %v", err, chiperr.KindOf(err), k)
	}
}

// mrzCheck is the ICAO 9303-3 check digit (weights 7, 3, 1).
func mrzCheck(s string) string {
	sum := 0
	for i, r := range s {
		v := 0
		switch {
		case r >= '0' && r <= '9':
			v = int(r - '0')
		case r >= 'A' && r <= 'Z':
			v = int(r-'A') + 10
		}
		sum += v * []int{7, 3, 1}[i%3]
	}
	return string(rune('0' + sum%10))
}

func mrzInfo(doc, dob, doe string) string {
	return doc + mrzCheck(doc) + dob + mrzCheck(dob) + doe + mrzCheck(doe)
}

// step is one scripted exchange: the command the terminal must send and
// the chip's answer (data and status word).
type step struct {
	cmd  string
	resp string
}

// script replays a trace, failing the test on any command that differs.
func script(t *testing.T, steps []step) iso7816.Transmitter {
	i := 0
	return iso7816.TransmitFunc(func(_ context.Context, apdu []byte) ([]byte, error) {
		t.Helper()
		if i >= len(steps) {
			t.Fatalf("unexpected APDU %X", apdu)
		}
		s := steps[i]
		i++
		if s.cmd != "" && !bytes.Equal(apdu, testhex.MustBytes(s.cmd)) {
			t.Errorf("APDU %d:\n got  %X\n want %s", i, apdu, strings.ReplaceAll(s.cmd, " ", ""))
		}
		return testhex.MustBytes(s.resp), nil
	})
}

// link connects a terminal to a Chip, recording the APDUs and the chip's
// session. tamper, when set, may rewrite the chip's response to command n.
type link struct {
	chip    *Chip
	trace   [][]byte
	sess    *sm.Session
	tamper  func(n int, resp []byte) []byte
	n       int
	cmdHook func(n int, apdu []byte) []byte
}

func (l *link) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	if l.cmdHook != nil {
		apdu = l.cmdHook(l.n, apdu)
	}
	l.trace = append(l.trace, append([]byte(nil), apdu...))
	cmd, err := iso7816.ParseCommand(apdu)
	if err != nil {
		return nil, err
	}
	resp, done := l.chip.Handle(cmd)
	if done != nil {
		l.sess = done
	}
	out := resp.Bytes()
	if l.tamper != nil {
		out = l.tamper(l.n, out)
	}
	l.n++
	return out, nil
}

// sameKeys checks that two sessions hold the same keys and SSC by
// protecting the same command with both.
func sameKeys(t *testing.T, a, b *sm.Session) {
	t.Helper()
	apdu := testhex.MustBytes("00A4020C02011E")
	pa, err := a.Protect(apdu)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := b.Protect(apdu)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pa, pb) {
		t.Fatalf("sessions differ:\n%X\n%X", pa, pb)
	}
}

func mustSession(t *testing.T, alg sm.Algorithm, kEnc, kMac []byte) *sm.Session {
	t.Helper()
	s, err := sm.NewSession(alg, kEnc, kMac, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
