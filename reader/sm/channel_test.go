package sm

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// fakeCard answers protected READ BINARY commands with Ne bytes of 0xAB,
// the way the virtual card will.
type fakeCard struct {
	mu      sync.Mutex
	s       *Session
	bareSW  []byte // when set, answer this bare status word instead
	lastErr error
}

func (f *fakeCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.bareSW != nil {
		return f.bareSW, nil
	}
	plain, err := f.s.UnprotectCommand(apdu)
	if err != nil {
		f.lastErr = err
		return testhex.MustBytes("6988"), nil
	}
	cmd, _ := iso7816.ParseCommand(plain)
	resp := iso7816.Response{Data: bytes.Repeat([]byte{0xAB}, cmd.Ne), SW: iso7816.SWOK}
	return f.s.ProtectResponse(resp.Bytes())
}

func TestChannel(t *testing.T) {
	ctx := context.Background()
	term, card := pair(t, suites[1])
	fc := &fakeCard{s: card}
	ch := Wrap(fc, term)
	var _ iso7816.Transmitter = ch

	for _, ne := range []int{1, 200, 256, 1000} {
		data, err := iso7816.DoOK(ctx, ch, iso7816.Command{INS: 0xB0, Ne: ne})
		if err != nil || len(data) != ne {
			t.Fatalf("Ne %d: %d bytes, %v", ne, len(data), err)
		}
	}

	// Chip Authentication: both sides restart with new AES-256 keys.
	term2, card2 := pair(t, suites[3])
	fc.mu.Lock()
	fc.s = card2
	fc.mu.Unlock()
	ch.Switch(term2)
	if ch.Session() != term2 {
		t.Fatal("Switch did not take")
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := iso7816.DoOK(ctx, ch, iso7816.Command{INS: 0xB0, Ne: 16}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if fc.lastErr != nil {
		t.Fatal(fc.lastErr)
	}
}

func TestChannelBareStatus(t *testing.T) {
	ctx := context.Background()
	term, card := pair(t, suites[0])
	fc := &fakeCard{s: card, bareSW: testhex.MustBytes("6988")}
	ch := Wrap(fc, term)
	r, err := iso7816.Do(ctx, ch, iso7816.Command{INS: 0xB0, Ne: 4})
	if err != nil || r.SW != 0x6988 {
		t.Fatalf("got %04X, %v", r.SW, err)
	}
	_, err = ch.Transmit(ctx, testhex.MustBytes("00B0000004"))
	wantKind(t, err, chiperr.Integrity)
}

func TestChannelErrors(t *testing.T) {
	term, _ := pair(t, suites[1])
	boom := errors.New("reader unplugged")
	ch := Wrap(iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) { return nil, boom }), term)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ch.Transmit(ctx, testhex.MustBytes("00B0000004"))
	wantKind(t, err, chiperr.Canceled)
	if term.Broken() {
		t.Fatal("a canceled context must not touch the session")
	}

	if _, err = ch.Transmit(context.Background(), testhex.MustBytes("00B0000004")); !errors.Is(err, boom) {
		t.Fatalf("transport error lost: %v", err)
	}
	if !term.Broken() {
		t.Fatal("session must be broken after a lost exchange")
	}

	_, err = Wrap(ch, nil).Transmit(context.Background(), testhex.MustBytes("00B0000004"))
	wantKind(t, err, chiperr.SecurityStatus)
}

// A card that cannot parse an extended-length APDU answers a bare 6700
// without unprotecting it, and a short-APDU reader fails the exchange before
// the card sees it: in both cases the session goes on once resumed.
func TestChannelResume(t *testing.T) {
	ctx := context.Background()
	for _, refusal := range []string{"bare 6700", "transport"} {
		t.Run(refusal, func(t *testing.T) {
			term, card := pair(t, suites[1])
			fc := &fakeCard{s: card}
			fail := true
			ch := Wrap(iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
				if !fail {
					return fc.Transmit(ctx, apdu)
				}
				fail = false
				if refusal == "transport" {
					return nil, chiperr.New(chiperr.Transport, "reader", "extended APDU refused")
				}
				return testhex.MustBytes("6700"), nil
			}), term)
			r, err := iso7816.Do(ctx, ch, iso7816.Command{INS: 0xB0, Ne: 1000})
			if refusal == "transport" {
				wantKind(t, err, chiperr.Transport)
			} else if err != nil || r.SW != 0x6700 {
				t.Fatalf("got %04X, %v", r.SW, err)
			}
			if !term.Broken() {
				t.Fatal("session not broken after an answer outside secure messaging")
			}
			if err := ch.Resume(); err != nil {
				t.Fatal(err)
			}
			if data, err := iso7816.DoOK(ctx, ch, iso7816.Command{INS: 0xB0, Ne: 200}); err != nil || len(data) != 200 {
				t.Fatalf("after Resume: %d bytes, %v (card: %v)", len(data), err, fc.lastErr)
			}
		})
	}
}

// Resume steps the counter back across a byte boundary, leaves an unbroken
// session alone and refuses a session broken by a wrong MAC.
func TestResume(t *testing.T) {
	ssc := testhex.MustBytes("00000000000000FF")
	s := mustSession(t, TDES, make([]byte, 16), make([]byte, 16), ssc)
	if _, err := s.Protect(testhex.MustBytes("00B0000004")); err != nil {
		t.Fatal(err)
	}
	if err := s.Resume(); err != nil || !bytes.Equal(s.SSC(), testhex.MustBytes("0000000000000100")) {
		t.Fatalf("unbroken session changed by Resume: SSC %X, %v", s.SSC(), err)
	}
	if _, err := s.Unprotect(testhex.MustBytes("6700")); err != nil {
		t.Fatal(err)
	}
	if err := s.Resume(); err != nil || !bytes.Equal(s.SSC(), ssc) || s.Broken() {
		t.Fatalf("SSC %X broken=%v after Resume (%v), want %X", s.SSC(), s.Broken(), err, ssc)
	}

	term, card := pair(t, suites[2])
	cmd, err := term.Protect(testhex.MustBytes("00B0000004"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := card.UnprotectCommand(cmd); err != nil {
		t.Fatal(err)
	}
	resp, _ := card.ProtectResponse(testhex.MustBytes("AABBCCDD9000"))
	resp[len(resp)-3] ^= 1 // a wrong MAC
	if _, err := term.Unprotect(resp); err == nil {
		t.Fatal("wrong MAC accepted")
	}
	wantKind(t, term.Resume(), chiperr.Integrity)
	term.Wipe()
	wantKind(t, term.Resume(), chiperr.Integrity)
}
