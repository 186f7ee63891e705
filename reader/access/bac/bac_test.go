package bac

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// ICAO Doc 9303-11 Appendix D.1-D.3 (BAC) and the first step of D.4, as in
// /work/shared/vectors/icao-9303-p11-worked-examples.json.
const (
	dMRZ        = "L898902C<369080619406236"
	dKSeed      = "239AB9CB282DAF66231DC5A4DF6BFBAE"
	dKEnc       = "AB94FDECF2674FDFB9B391F85D7F76F2"
	dKMac       = "7962D9ECE03D1ACD4C76089DCE131543"
	dRndIC      = "4608F91988702212"
	dRndIFD     = "781723860C06C226"
	dKIFD       = "0B795240CB7049B01C19B33E32804F0B"
	dEIFD       = "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"
	dMIFD       = "5F1448EEA8AD90A7"
	dChipAnswer = "46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449"
	dKIC        = "0B4F80323EB3191CB04970CB4052790B"
	dSSC        = "887022120C06C226"
	// D.4: SELECT EF.COM under KS_enc/KS_mac and the SSC above.
	d4Plain = "00A4020C02011E"
	d4Prot  = "0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"
)

func wantKind(t *testing.T, err error, k chiperr.Kind) {
	t.Helper()
	if !errors.Is(err, k) {
		t.Fatalf("error %v (kind %d), want kind %d", err, chiperr.KindOf(err), k)
	}
}

func TestKeysAppendixD(t *testing.T) {
	seed := KeySeed(dMRZ)
	if !bytes.Equal(seed, testhex.MustBytes(dKSeed)) {
		t.Fatalf("K_seed = %X", seed)
	}
	kEnc, kMac := Keys(seed)
	if !bytes.Equal(kEnc, testhex.MustBytes(dKEnc)) || !bytes.Equal(kMac, testhex.MustBytes(dKMac)) {
		t.Fatalf("K_enc = %X, K_mac = %X", kEnc, kMac)
	}
}

// script is a card that expects exact commands and gives canned answers.
type script struct {
	t     *testing.T
	steps [][2]string // command, answer
}

func (s *script) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	if len(s.steps) == 0 {
		s.t.Fatalf("unexpected command %X", apdu)
	}
	step := s.steps[0]
	s.steps = s.steps[1:]
	if step[0] != "" && !bytes.Equal(apdu, testhex.MustBytes(step[0])) {
		s.t.Fatalf("command %X, want %s", apdu, step[0])
	}
	return testhex.MustBytes(step[1]), nil
}

func TestAuthenticateAppendixD(t *testing.T) {
	card := &script{t: t, steps: [][2]string{
		{"0084000008", dRndIC + "9000"},
		{"0082000028" + dEIFD + dMIFD + "28", dChipAnswer + "9000"},
	}}
	rnd := bytes.NewReader(testhex.MustBytes(dRndIFD + dKIFD))
	s, err := Authenticate(context.Background(), card, dMRZ, rnd)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.SSC(), testhex.MustBytes(dSSC)) || s.Algorithm() != sm.TDES {
		t.Fatalf("SSC %X", s.SSC())
	}
	// KS_enc and KS_mac are right if the D.4 SELECT protects byte for byte.
	if p, err := s.Protect(testhex.MustBytes(d4Plain)); err != nil || !bytes.Equal(p, testhex.MustBytes(d4Prot)) {
		t.Fatalf("protected SELECT %X, %v", p, err)
	}
}

func TestChipAppendixD(t *testing.T) {
	chip := NewChip(dMRZ, bytes.NewReader(testhex.MustBytes(dRndIC+dKIC)))
	if ch := chip.GetChallenge(); !bytes.Equal(ch, testhex.MustBytes(dRndIC)) {
		t.Fatalf("challenge %X", ch)
	}
	resp, s, err := chip.ExternalAuthenticate(testhex.MustBytes(dEIFD + dMIFD))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp, testhex.MustBytes(dChipAnswer)) || !bytes.Equal(s.SSC(), testhex.MustBytes(dSSC)) {
		t.Fatalf("answer %X, SSC %X", resp, s.SSC())
	}
	if p, err := s.UnprotectCommand(testhex.MustBytes(d4Prot)); err != nil || !bytes.Equal(p, testhex.MustBytes(d4Plain)) {
		t.Fatalf("card reads the D.4 SELECT as %X, %v", p, err)
	}
}

// chipCard serves a Chip over APDUs, the way the virtual card will.
type chipCard struct {
	chip   *Chip
	s      *sm.Session
	tamper func([]byte) []byte
}

func (c *chipCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	cmd, err := iso7816.ParseCommand(apdu)
	if err != nil {
		return testhex.MustBytes("6700"), nil
	}
	switch cmd.INS {
	case 0x84:
		return append(c.chip.GetChallenge(), 0x90, 0x00), nil
	case 0x82:
		resp, s, err := c.chip.ExternalAuthenticate(cmd.Data)
		if err != nil {
			return testhex.MustBytes("6300"), nil
		}
		c.s = s
		if c.tamper != nil {
			resp = c.tamper(resp)
		}
		return append(resp, 0x90, 0x00), nil
	}
	return testhex.MustBytes("6D00"), nil
}

func TestRoundTrip(t *testing.T) {
	for i := 0; i < 20; i++ {
		card := &chipCard{chip: NewChip(dMRZ, nil)}
		s, err := Authenticate(context.Background(), card, dMRZ, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.SSC(), card.s.SSC()) {
			t.Fatal("SSCs differ")
		}
		data := make([]byte, 100)
		rand.Read(data)
		p, _ := s.Protect(append(testhex.MustBytes("00D6000064"), data...))
		plain, err := card.s.UnprotectCommand(p)
		if err != nil || !bytes.Equal(plain[5:], data) {
			t.Fatalf("card read %X, %v", plain, err)
		}
		r, _ := card.s.ProtectResponse(testhex.MustBytes("9000"))
		if out, err := s.Unprotect(r); err != nil || !bytes.Equal(out, testhex.MustBytes("9000")) {
			t.Fatalf("terminal read %X, %v", out, err)
		}
	}
}

func TestWrongMRZ(t *testing.T) {
	card := &chipCard{chip: NewChip(dMRZ, nil)}
	_, err := Authenticate(context.Background(), card, "L898902C<369080619406245", nil)
	wantKind(t, err, chiperr.AccessDenied)
	for _, sw := range []string{"6982", "6300", "6A80"} {
		card := &script{t: t, steps: [][2]string{{"", dRndIC + "9000"}, {"", sw}}}
		_, err := Authenticate(context.Background(), card, dMRZ, nil)
		wantKind(t, err, chiperr.AccessDenied)
	}
}

func TestTamperedChipAnswer(t *testing.T) {
	for name, tamper := range map[string]func([]byte) []byte{
		"flipped cryptogram bit": func(r []byte) []byte { r[3] ^= 4; return r },
		"flipped MAC bit":        func(r []byte) []byte { r[39] ^= 1; return r },
	} {
		t.Run(name, func(t *testing.T) {
			card := &chipCard{chip: NewChip(dMRZ, nil), tamper: tamper}
			_, err := Authenticate(context.Background(), card, dMRZ, nil)
			wantKind(t, err, chiperr.Integrity)
		})
	}
	// A correctly MACed answer that does not echo RND.IFD (a replayed one).
	kEnc, kMac := Keys(KeySeed(dMRZ))
	replay := seal(kEnc, kMac, testhex.MustBytes(dRndIC+"0000000000000000"+dKIC))
	card := &script{t: t, steps: [][2]string{{"", dRndIC + "9000"}, {"", hex.EncodeToString(replay) + "9000"}}}
	_, err := Authenticate(context.Background(), card, dMRZ, nil)
	wantKind(t, err, chiperr.Integrity)
}

func TestMalformedAnswers(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps [][2]string
		kind  chiperr.Kind
	}{
		{"short challenge", [][2]string{{"", "46089000"}}, chiperr.Malformed},
		{"no status word", [][2]string{{"", "90"}}, chiperr.Malformed},
		{"GET CHALLENGE refused", [][2]string{{"", "6D00"}}, chiperr.Status},
		{"short answer", [][2]string{{"", dRndIC + "9000"}, {"", dChipAnswer[:60] + "9000"}}, chiperr.Malformed},
		{"long answer", [][2]string{{"", dRndIC + "9000"}, {"", dChipAnswer + "00" + "9000"}}, chiperr.Malformed},
	} {
		_, err := Authenticate(context.Background(), &script{t: t, steps: c.steps}, dMRZ, nil)
		if !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want kind %d", c.name, err, c.kind)
		}
	}
}

func TestBadInputAndRandomFailure(t *testing.T) {
	for _, mrz := range []string{"", "L898902C<36908061940623", "l898902c<369080619406236", "L898902C 369080619406236"} {
		_, err := Authenticate(context.Background(), &script{t: t}, mrz, nil)
		wantKind(t, err, chiperr.BadInput)
	}
	card := &script{t: t, steps: [][2]string{{"", dRndIC + "9000"}}}
	if _, err := Authenticate(context.Background(), card, dMRZ, bytes.NewReader(make([]byte, 10))); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("short random source: %v", err)
	}
}

func TestChipRejects(t *testing.T) {
	chip := NewChip(dMRZ, bytes.NewReader(testhex.MustBytes(dRndIC+dKIC+dRndIC)))
	_, _, err := chip.ExternalAuthenticate(testhex.MustBytes(dEIFD + dMIFD))
	wantKind(t, err, chiperr.SecurityStatus) // no challenge yet
	chip.GetChallenge()
	_, _, err = chip.ExternalAuthenticate(testhex.MustBytes(dEIFD))
	wantKind(t, err, chiperr.WrongLength)
	// The failed attempt consumed the challenge: the right answer now fails.
	_, _, err = chip.ExternalAuthenticate(testhex.MustBytes(dEIFD + dMIFD))
	wantKind(t, err, chiperr.SecurityStatus)

	// Wrong MAC, and a right MAC over the wrong RND.IC.
	chip = NewChip(dMRZ, nil)
	chip.GetChallenge()
	bad := testhex.MustBytes(dEIFD + dMIFD)
	bad[39] ^= 1
	_, _, err = chip.ExternalAuthenticate(bad)
	wantKind(t, err, chiperr.AccessDenied)
	chip.GetChallenge() // random, not D's RND.IC
	_, _, err = chip.ExternalAuthenticate(testhex.MustBytes(dEIFD + dMIFD))
	wantKind(t, err, chiperr.AccessDenied)

	if NewChip(dMRZ, bytes.NewReader(nil)).GetChallenge() != nil {
		t.Error("GetChallenge must return nil when the random source fails")
	}
}
