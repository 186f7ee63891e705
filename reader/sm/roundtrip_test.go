package sm

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

type suite struct {
	name string
	alg  Algorithm
	key  int
}

var suites = []suite{{"3DES", TDES, 16}, {"AES-128", AES, 16}, {"AES-192", AES, 24}, {"AES-256", AES, 32}}

// pair returns a terminal and a card session sharing random keys and SSC.
func pair(t testing.TB, s suite) (term, card *Session) {
	t.Helper()
	kEnc, kMac, ssc := make([]byte, s.key), make([]byte, s.key), make([]byte, s.alg.BlockSize())
	rand.Read(kEnc)
	rand.Read(kMac)
	rand.Read(ssc)
	return mustSession(t, s.alg, kEnc, kMac, ssc), mustSession(t, s.alg, kEnc, kMac, ssc)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func TestRoundTrip(t *testing.T) {
	cmds := []struct {
		name     string
		cmd      iso7816.Command
		extended bool // protected APDU must be extended
		respLen  int
	}{
		{"case 1", iso7816.Command{INS: 0x44}, false, 0},
		{"case 2 short", iso7816.Command{INS: 0xB0, Ne: 4}, false, 4},
		{"case 2 Ne 256", iso7816.Command{INS: 0xB0, P1: 0x01, Ne: 256}, false, 256},
		{"case 3", iso7816.Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{0x01, 0x1E}}, false, 0},
		{"case 4 block-sized data", iso7816.Command{INS: 0x86, Data: randBytes(16), Ne: 16}, false, 15},
		{"odd INS READ BINARY", iso7816.Command{INS: 0xB1, Data: []byte{0x54, 0x02, 0x7F, 0xFF}, Ne: 256}, false, 17},
		{"Ne 300", iso7816.Command{INS: 0xB0, Ne: 300}, true, 300},
		{"Lc 1000, Ne 65536", iso7816.Command{INS: 0xD6, Data: randBytes(1000), Ne: 65536, Extended: true}, true, 1000},
		{"odd INS, Lc 1000", iso7816.Command{INS: 0xB1, Data: randBytes(1000), Ne: 65536, Extended: true}, true, 4000},
		{"Ne 65536, 65536 bytes", iso7816.Command{INS: 0xB0, Ne: 65536}, true, 65536},
		{"chained CLA", iso7816.Command{CLA: 0x10, INS: 0x2A, Data: randBytes(200)}, false, 0},
	}
	for _, s := range suites {
		term, card := pair(t, s)
		for _, c := range cmds {
			t.Run(s.name+"/"+c.name, func(t *testing.T) {
				plainCmd, err := c.cmd.Bytes()
				if err != nil {
					t.Fatal(err)
				}
				prot, err := term.Protect(plainCmd)
				if err != nil {
					t.Fatal(err)
				}
				pc, err := iso7816.ParseCommand(prot)
				if err != nil {
					t.Fatal(err)
				}
				if pc.CLA != c.cmd.CLA|0x0C || pc.IsExtended() != c.extended {
					t.Fatalf("protected CLA %02X extended %v", pc.CLA, pc.IsExtended())
				}
				if wantNe := map[bool]int{false: 256, true: 65536}[c.extended]; pc.Ne != wantNe {
					t.Fatalf("protected Ne %d, want %d", pc.Ne, wantNe)
				}
				if len(c.cmd.Data) > 0 {
					want := map[bool]byte{false: 0x87, true: 0x85}[c.cmd.INS&1 == 1]
					if pc.Data[0] != want {
						t.Fatalf("cryptogram tag %02X, want %02X", pc.Data[0], want)
					}
				}
				got, err := card.UnprotectCommand(prot)
				if err != nil || !bytes.Equal(got, plainCmd) {
					t.Fatalf("card got %X, %v", got, err)
				}
				plainResp := iso7816.Response{Data: randBytes(c.respLen), SW: 0x6282}.Bytes()
				presp, err := card.ProtectResponse(plainResp)
				if err != nil {
					t.Fatal(err)
				}
				if c.respLen > 0 && c.cmd.INS&1 == 1 && presp[0] != 0x85 {
					t.Fatalf("response to odd INS uses tag %02X", presp[0])
				}
				back, err := term.Unprotect(presp)
				if err != nil || !bytes.Equal(back, plainResp) {
					t.Fatalf("terminal got %d bytes, %v", len(back), err)
				}
			})
		}
		if !bytes.Equal(term.SSC(), card.SSC()) {
			t.Errorf("%s: SSCs diverged", s.name)
		}
	}
}

// exchange protects a READ BINARY on the terminal and answers it on the card.
func exchange(t *testing.T, term, card *Session) []byte {
	t.Helper()
	prot, err := term.Protect(testhex.MustBytes("00B0000010"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := card.UnprotectCommand(prot); err != nil {
		t.Fatal(err)
	}
	resp, err := card.ProtectResponse(append(randBytes(16), 0x90, 0x00))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestTamperedResponse(t *testing.T) {
	for _, s := range suites {
		for _, c := range []struct {
			name   string
			change func([]byte) []byte
			kinds  []chiperr.Kind
		}{
			{"flipped MAC bit", func(r []byte) []byte { r[len(r)-3] ^= 1; return r }, []chiperr.Kind{chiperr.Integrity}},
			{"flipped ciphertext bit", func(r []byte) []byte { r[5] ^= 0x40; return r }, []chiperr.Kind{chiperr.Integrity}},
			{"flipped status in DO99", func(r []byte) []byte { r[len(r)-13] ^= 1; return r }, []chiperr.Kind{chiperr.Integrity}},
			{"truncated MAC", func(r []byte) []byte { return append(r[:len(r)-3], 0x90, 0x00) }, []chiperr.Kind{chiperr.Malformed}},
			{"MAC object removed", func(r []byte) []byte { return append(r[:len(r)-12], 0x90, 0x00) }, []chiperr.Kind{chiperr.Malformed}},
			{"one byte", func(r []byte) []byte { return r[:1] }, []chiperr.Kind{chiperr.Malformed}},
			{"bare 9000", func(r []byte) []byte { return r[len(r)-2:] }, []chiperr.Kind{chiperr.Integrity}},
		} {
			t.Run(s.name+"/"+c.name, func(t *testing.T) {
				term, card := pair(t, s)
				resp := c.change(exchange(t, term, card))
				_, err := term.Unprotect(resp)
				wantKind(t, err, c.kinds...)
				_, err = term.Protect(testhex.MustBytes("00B0000001"))
				wantKind(t, err, chiperr.Integrity)
			})
		}
		t.Run(s.name+"/wrong SSC", func(t *testing.T) {
			term, card := pair(t, s)
			card.incSSC()
			prot, _ := term.Protect(testhex.MustBytes("00B0000001"))
			_, err := card.UnprotectCommand(prot)
			wantKind(t, err, chiperr.Integrity)
			term, card = pair(t, s)
			resp := exchange(t, term, card)
			term.incSSC()
			_, err = term.Unprotect(resp)
			wantKind(t, err, chiperr.Integrity)
		})
	}
}

func TestTamperedCommand(t *testing.T) {
	for _, s := range suites {
		for _, c := range []struct {
			name   string
			change func([]byte) []byte
			kinds  []chiperr.Kind
		}{
			{"flipped MAC bit", func(p []byte) []byte { p[len(p)-2] ^= 0x80; return p }, []chiperr.Kind{chiperr.Integrity}},
			{"flipped ciphertext bit", func(p []byte) []byte { p[9] ^= 1; return p }, []chiperr.Kind{chiperr.Integrity}},
			{"flipped header", func(p []byte) []byte { p[2] ^= 1; return p }, []chiperr.Kind{chiperr.Integrity}},
			{"SM bits cleared", func(p []byte) []byte { p[0] = 0; return p }, []chiperr.Kind{chiperr.Malformed}},
			{"truncated", func(p []byte) []byte { return p[:len(p)-4] }, []chiperr.Kind{chiperr.Malformed}},
			{"header only", func(p []byte) []byte { return p[:4] }, []chiperr.Kind{chiperr.Malformed}},
		} {
			t.Run(s.name+"/"+c.name, func(t *testing.T) {
				term, card := pair(t, s)
				prot, err := term.Protect(testhex.MustBytes("00A4020C02011E"))
				if err != nil {
					t.Fatal(err)
				}
				_, err = card.UnprotectCommand(c.change(prot))
				wantKind(t, err, c.kinds...)
				_, err = card.ProtectResponse(testhex.MustBytes("9000"))
				wantKind(t, err, chiperr.Integrity)
			})
		}
	}
}

// forged builds a response whose MAC is valid for the terminal's next SSC,
// so that the checks after the MAC are exercised.
func forged(term *Session, dos []byte) []byte {
	mirror := *term
	mirror.ssc = term.SSC()
	mirror.incSSC()
	return append(appendDO(append([]byte(nil), dos...), tagMAC, mirror.mac(dos)), 0x90, 0x00)
}

// encryptedFor encrypts raw blocks (no padding added) with the IV the
// terminal will use for its next response.
func encryptedFor(term *Session, raw []byte) []byte {
	mirror := *term
	mirror.ssc = term.SSC()
	mirror.incSSC()
	out := append([]byte(nil), raw...)
	iv := mirror.iv()
	for i := 0; i < len(out); i += len(iv) {
		for j := range iv {
			out[i+j] ^= iv[j]
		}
		mirror.enc.Encrypt(out[i:i+len(iv)], out[i:i+len(iv)])
		copy(iv, out[i:i+len(iv)])
	}
	return out
}

func TestMalformedButAuthentic(t *testing.T) {
	status := appendDO(nil, tagStatus, []byte{0x90, 0x00})
	for _, s := range suites {
		bs := s.alg.BlockSize()
		cases := []struct {
			name string
			dos  func(term *Session) []byte
		}{
			{"no status", func(*Session) []byte { return nil }},
			{"duplicated status", func(*Session) []byte { return append(append([]byte(nil), status...), status...) }},
			{"unknown object", func(*Session) []byte { return append(appendDO(nil, 0x81, []byte{1}), status...) }},
			{"status of 1 byte", func(*Session) []byte { return appendDO(nil, tagStatus, []byte{0x90}) }},
			{"85 and 87", func(*Session) []byte {
				return append(appendDO(appendDO(nil, tagCryptoOdd, make([]byte, bs)), tagCryptoEven, []byte{1}, make([]byte, bs)), status...)
			}},
			{"padding indicator 02", func(*Session) []byte {
				return append(appendDO(nil, tagCryptoEven, []byte{2}, make([]byte, bs)), status...)
			}},
			{"cryptogram not whole blocks", func(*Session) []byte {
				return append(appendDO(nil, tagCryptoEven, []byte{1}, make([]byte, bs+1)), status...)
			}},
			{"empty cryptogram", func(*Session) []byte { return append(appendDO(nil, tagCryptoEven, []byte{1}), status...) }},
			{"bad padding", func(term *Session) []byte {
				return append(appendDO(nil, tagCryptoEven, []byte{1}, encryptedFor(term, bytes.Repeat([]byte{0x41}, bs))), status...)
			}},
			{"padding longer than a block", func(term *Session) []byte {
				raw := make([]byte, 2*bs)
				raw[0] = 0x80
				return append(appendDO(nil, tagCryptoEven, []byte{1}, encryptedFor(term, raw)), status...)
			}},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%s", s.name, c.name), func(t *testing.T) {
				term, _ := pair(t, s)
				_, err := term.Unprotect(forged(term, c.dos(term)))
				wantKind(t, err, chiperr.Malformed)
				if !term.Broken() {
					t.Error("session not broken")
				}
			})
		}
		// The same forging accepts a well-formed response: the negative
		// cases above fail for the reason they name, not for the MAC.
		term, _ := pair(t, s)
		ok := append(appendDO(nil, tagCryptoEven, []byte{1}, encryptedFor(term, Pad([]byte{7}, bs))), status...)
		if got, err := term.Unprotect(forged(term, ok)); err != nil || !bytes.Equal(got, testhex.MustBytes("079000")) {
			t.Errorf("%s: forged valid response: %X, %v", s.name, got, err)
		}
	}
}

func TestBareStatus(t *testing.T) {
	term, _ := pair(t, suites[1])
	if _, err := term.Protect(testhex.MustBytes("00B0000004")); err != nil {
		t.Fatal(err)
	}
	got, err := term.Unprotect(testhex.MustBytes("6987"))
	if err != nil || !bytes.Equal(got, testhex.MustBytes("6987")) {
		t.Fatalf("bare 6987: %X, %v", got, err)
	}
	if !term.Broken() {
		t.Fatal("session not broken after bare 6987")
	}
	_, err = term.Protect(testhex.MustBytes("00B0000004"))
	wantKind(t, err, chiperr.Integrity)
}

func TestProtectRejects(t *testing.T) {
	term, _ := pair(t, suites[0])
	_, err := term.Protect(testhex.MustBytes("0CB0000004"))
	wantKind(t, err, chiperr.Malformed)
	_, err = term.Protect(testhex.MustBytes("00B0"))
	wantKind(t, err, chiperr.WrongLength)
	// 65535 plain bytes no longer fit once padded and wrapped.
	big, _ := iso7816.Command{INS: 0xD6, Data: make([]byte, 65535)}.Bytes()
	_, err = term.Protect(big)
	wantKind(t, err, chiperr.TooLarge)
}

func TestWipe(t *testing.T) {
	term, _ := pair(t, suites[1])
	kEnc := term.kEnc
	term.Wipe()
	if !bytes.Equal(kEnc, make([]byte, 16)) || !term.Broken() {
		t.Error("keys not zeroed")
	}
	_, err := term.Protect(testhex.MustBytes("00B0000004"))
	wantKind(t, err, chiperr.Integrity)
	_, err = term.Unprotect(testhex.MustBytes("9000"))
	wantKind(t, err, chiperr.Integrity)
}

func TestSSCWraps(t *testing.T) {
	s := mustSession(t, TDES, make([]byte, 16), make([]byte, 16), testhex.MustBytes("FFFFFFFFFFFFFFFF"))
	s.incSSC()
	if !bytes.Equal(s.SSC(), make([]byte, 8)) {
		t.Errorf("SSC = %X", s.SSC())
	}
}

func TestNewSessionErrors(t *testing.T) {
	k16, k24 := make([]byte, 16), make([]byte, 24)
	for _, c := range []struct {
		name            string
		alg             Algorithm
		kEnc, kMac, ssc []byte
	}{
		{"3DES 24-byte key", TDES, k24, k24, nil},
		{"3DES 16-byte SSC", TDES, k16, k16, make([]byte, 16)},
		{"AES 8-byte SSC", AES, k16, k16, make([]byte, 8)},
		{"AES 20-byte key", AES, make([]byte, 20), make([]byte, 20), nil},
		{"AES mixed lengths", AES, k16, k24, nil},
		{"unknown algorithm", Algorithm(0), k16, k16, nil},
	} {
		if _, err := NewSession(c.alg, c.kEnc, c.kMac, c.ssc); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	s := mustSession(t, AES, k24, k24, nil)
	if s.Algorithm() != AES || !bytes.Equal(s.SSC(), make([]byte, 16)) {
		t.Error("nil SSC must be 16 zero bytes for AES")
	}
}
