package sim

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// splitAPDUs cuts a fuzz input into at most 16 APDUs, each prefixed by one
// length byte; FF takes the rest of the input (so extended APDUs occur).
func splitAPDUs(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 && len(out) < 16 {
		n := int(b[0])
		b = b[1:]
		if n == 0xFF || n > len(b) {
			n = len(b)
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// twinSessions are the two ends of one AES session with fixed keys, so that
// the fuzzer can reach the commands that need access (reads, Chip and
// Active Authentication) without running PACE for every input.
func twinSessions(t *testing.T) (card, terminal *sm.Session) {
	kEnc := bytes.Repeat([]byte{0x11}, 16)
	kMac := bytes.Repeat([]byte{0x22}, 16)
	card, err := sm.NewSession(sm.AES, kEnc, kMac, nil)
	if err != nil {
		t.Fatal(err)
	}
	terminal, err = sm.NewSession(sm.AES, kEnc, kMac, nil)
	if err != nil {
		t.Fatal(err)
	}
	return card, terminal
}

func seedAPDUs(apdus ...string) []byte {
	var out []byte
	for _, a := range apdus {
		b := testhex.MustBytes(a)
		out = append(out, byte(len(b)))
		out = append(out, b...)
	}
	return out
}

// FuzzCardTransmit sends random APDUs to a fresh "cnie" card. Whatever they
// are, the card never panics and always answers with at least a status
// word. With mode&1 the card starts with an open secure-messaging session
// and each APDU that parses is protected first, so the fuzzer reaches the
// file system and the authentication commands behind access control.
func FuzzCardTransmit(f *testing.F) {
	pace := "0022c1a40f800a04007f00070202040202830102" // MSE:Set AT, PACE ECDH-GM AES-128, CAN
	f.Add(byte(0), seedAPDUs(selectApp, readDG1BySFI, "00a4000c023f00", "00b09c0000"))
	f.Add(byte(0), seedAPDUs(pace, "10860000027c0000", "10860000067c0481020102", "00c0000000"))
	f.Add(byte(0), seedAPDUs("00b1000003540100", "00b100000454020000", "00b0000000", "00c0000010"))
	f.Add(byte(0), seedAPDUs("0084000008", "0082000028"+strings.Repeat("00", 40), "00880000080102030405060708"))
	f.Add(byte(1), seedAPDUs(selectApp, readDG1BySFI, "00b0820000", "00b1000004540280 00 00"))
	f.Add(byte(1), seedAPDUs(selectApp, "00b0820000", "00c0000000", "00b0000010"))
	f.Add(byte(1), seedAPDUs("002241a4", "00880000080102030405060708", "0086000000"))
	f.Add(byte(1), seedAPDUs(selectApp, "00b10000055403ffffff00", "00b0ff0000"))
	f.Add(byte(1), []byte{0xFF, 0x00, 0xB0, 0x82, 0x00, 0x00, 0x00, 0x00})

	chip, err := NewNamed("cnie")
	if err != nil {
		f.Fatal(err)
	}
	base := chip.(*Card)
	f.Fuzz(func(t *testing.T, mode byte, input []byte) {
		c := &Card{profile: base.profile, keys: base.keys, files: base.files}
		var term *sm.Session
		if mode&1 == 1 {
			c.session, term = twinSessions(t)
			c.granted = true
		}
		for _, apdu := range splitAPDUs(input) {
			wire := apdu
			if term != nil && len(apdu) >= 4 && apdu[0]&0x0C == 0 && apdu[1] != 0xC0 {
				if prot, err := term.Protect(apdu); err == nil {
					wire = prot
				}
			}
			out, err := c.Transmit(context.Background(), wire)
			if err != nil {
				t.Fatalf("% X: %v", wire, err)
			}
			if len(out) < 2 {
				t.Fatalf("% X: answer % X has no status word", wire, out)
			}
			if term != nil && len(out) > 2 && !term.Broken() {
				_, _ = term.Unprotect(out) // keeps the twin's SSC in step when it can
			}
		}
	})
}

// TestTwinSessionsReachFiles checks the fuzz harness itself: with the twin
// sessions a protected READ BINARY does reach the data groups.
func TestTwinSessionsReachFiles(t *testing.T) {
	c := newCard(t, "cnie")
	var term *sm.Session
	c.session, term = twinSessions(t)
	c.granted = true
	ch := sm.Wrap(c, term)
	wantSW(t, sendHex(t, ch, selectApp), 0x9000, "protected SELECT")
	r := sendHex(t, ch, readDG1BySFI)
	if r.SW != 0x9000 || !bytes.Equal(r.Data, fileData(t, c, 0x0101, true)) {
		t.Fatalf("DG1 through the twin sessions: %04X", r.SW)
	}
}
