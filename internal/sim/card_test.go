package sim

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/access/bac"
	"github.com/cnie-reader/cnie-reader/reader/access/pace"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// APDUs of ICAO 9303-10 and ISO/IEC 7816-4 used below.
const (
	selectApp      = "00a4040c07a0000002471001" // SELECT eMRTD application by AID
	selectMF       = "00a4000c023f00"           // SELECT master file
	selectCardAcc  = "00a4020c02011c"           // SELECT EF.CardAccess
	selectCOM      = "00a4020c02011e"           // SELECT EF.COM
	readCurrent256 = "00b0000000"               // READ BINARY, offset 0, Le 00
	readDG1BySFI   = "00b0810000"               // READ BINARY, SFI 01, Le 00
)

// newCard builds the card of a profile, without its fault wrapper.
func newCard(t testing.TB, name string) *Card {
	t.Helper()
	chip, err := NewNamed(name)
	if err != nil {
		t.Fatalf("profile %s: %v", name, err)
	}
	switch c := chip.(type) {
	case *Card:
		return c
	case *faultyCard:
		return c.Card
	}
	t.Fatalf("unexpected chip type %T", chip)
	return nil
}

// send transmits a raw APDU and splits the answer.
func send(t testing.TB, tr iso7816.Transmitter, apdu []byte) iso7816.Response {
	t.Helper()
	out, err := tr.Transmit(context.Background(), apdu)
	if err != nil {
		t.Fatalf("% X: %v", apdu, err)
	}
	r, err := iso7816.ParseResponse(out)
	if err != nil {
		t.Fatalf("% X: %v", apdu, err)
	}
	return r
}

func sendHex(t testing.TB, tr iso7816.Transmitter, apdu string) iso7816.Response {
	t.Helper()
	return send(t, tr, testhex.Bytes(t, apdu))
}

func wantSW(t testing.TB, r iso7816.Response, sw uint16, what string) {
	t.Helper()
	if r.SW != sw {
		t.Fatalf("%s: SW %04X, want %04X", what, r.SW, sw)
	}
}

// fileData returns what the card holds for a file.
func fileData(t testing.TB, c *Card, fid uint16, inApp bool) []byte {
	t.Helper()
	for _, f := range c.files {
		if f.fid == fid && f.inApp == inApp {
			return f.data
		}
	}
	t.Fatalf("no file %04X (inApp %v)", fid, inApp)
	return nil
}

// paceChannel runs PACE with the CAN through the terminal side
// (reader/access/pace) and returns the secure channel on top of the card,
// with 61XX handling below it as in the real reader.
func paceChannel(t testing.TB, c *Card) *sm.Channel {
	t.Helper()
	pw, err := pace.CAN(DefaultCAN)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Profile().PACE[0]
	res, err := pace.Authenticate(context.Background(), c, p.OID, p.ParamID, pw, nil)
	if err != nil {
		t.Fatalf("PACE: %v", err)
	}
	return sm.Wrap(iso7816.WithResponseHandling(c), res.Session)
}

func TestSelectApplication(t *testing.T) {
	c := newCard(t, "cnie")
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	if !c.appSelected {
		t.Error("application not selected")
	}
	wantSW(t, sendHex(t, c, "00a4040c07a0000002471002"), iso7816.SWFileNotFound, "SELECT of another AID")
	wantSW(t, sendHex(t, c, "00a4040c05a000000247"), iso7816.SWFileNotFound, "SELECT of a truncated AID")
	wantSW(t, sendHex(t, c, "00a4080c"), iso7816.SWIncorrectP1P2, "SELECT by path")
}

func TestCardAccessInMasterFile(t *testing.T) {
	c := newCard(t, "cnie")
	want := fileData(t, c, 0x011C, false)
	if _, err := lds.ParseSecurityInfos(want); err != nil {
		t.Fatalf("EF.CardAccess does not parse: %v", err)
	}
	wantSW(t, sendHex(t, c, selectMF), iso7816.SWOK, "SELECT MF")
	wantSW(t, sendHex(t, c, selectCardAcc), iso7816.SWOK, "SELECT EF.CardAccess")
	r := sendHex(t, c, readCurrent256)
	wantSW(t, r, iso7816.SWOK, "READ BINARY EF.CardAccess")
	if !bytes.Equal(r.Data, want) {
		t.Errorf("EF.CardAccess = % X, want % X", r.Data, want)
	}
	// By its short EF identifier 1C, and at an offset.
	r = sendHex(t, c, "00b09c0000")
	wantSW(t, r, iso7816.SWOK, "READ BINARY SFI 1C")
	if !bytes.Equal(r.Data, want) {
		t.Error("EF.CardAccess by SFI differs")
	}
	r = sendHex(t, c, "00b0000304")
	if r.SW != iso7816.SWOK || !bytes.Equal(r.Data, want[3:7]) {
		t.Errorf("offset 3, 4 bytes: % X %04X", r.Data, r.SW)
	}
	// Past the end: 6B00; at the end: nothing.
	wantSW(t, send(t, c, []byte{0x00, 0xB0, 0x00, byte(len(want) + 1), 0x00}), iso7816.SWWrongP1P2, "offset past the end")

	// EF.CardAccess is in the MF, not in the application.
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	wantSW(t, sendHex(t, c, selectCardAcc), iso7816.SWFileNotFound, "EF.CardAccess in the application")
	wantSW(t, sendHex(t, c, "00b09c0000"), iso7816.SWFileNotFound, "SFI 1C in the application")
}

func TestReadBeforeAccessControl(t *testing.T) {
	c := newCard(t, "cnie")
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	wantSW(t, sendHex(t, c, readDG1BySFI), iso7816.SWSecurityStatus, "DG1 by SFI before PACE")
	wantSW(t, sendHex(t, c, "00a4020c020101"), iso7816.SWOK, "SELECT DG1")
	wantSW(t, sendHex(t, c, readCurrent256), iso7816.SWSecurityStatus, "DG1 before PACE")
	wantSW(t, sendHex(t, c, selectCOM), iso7816.SWOK, "SELECT EF.COM")
	wantSW(t, sendHex(t, c, readCurrent256), iso7816.SWSecurityStatus, "EF.COM before PACE")
	wantSW(t, sendHex(t, c, "00b1000000"), iso7816.SWWrongData, "B1 without DO'54'")
	wantSW(t, sendHex(t, c, "00b1000003540100 00"), iso7816.SWSecurityStatus, "B1 on EF.COM before PACE")
	// Nothing selected: no current file.
	c.Reset()
	wantSW(t, sendHex(t, c, readCurrent256), iso7816.SWFileNotFound, "READ BINARY without a current file")
}

func TestUnknownINS(t *testing.T) {
	c := newCard(t, "cnie")
	for _, apdu := range []string{"00ff0000", "00200001", "00e2000000", "00840000 08"} {
		// GET CHALLENGE (84) is BAC only: the CNIE does PACE.
		wantSW(t, sendHex(t, c, apdu), iso7816.SWINSNotSupported, apdu)
	}
	p := newCard(t, "passport")
	if r := sendHex(t, p, "0084000008"); r.SW != iso7816.SWOK || len(r.Data) != 8 {
		t.Errorf("GET CHALLENGE on the passport: % X %04X", r.Data, r.SW)
	}
}

func TestMalformedAPDU(t *testing.T) {
	c := newCard(t, "cnie")
	for _, apdu := range []string{"", "00", "00a404", "00a4040c05a000"} {
		wantSW(t, sendHex(t, c, apdu), iso7816.SWWrongLength, "malformed "+apdu)
	}
}

func TestExtendedLength(t *testing.T) {
	const readCardAccessExt = "00b09c00000000" // READ BINARY SFI 1C, extended Le 0000
	short := newCard(t, "cnie-short")
	wantSW(t, sendHex(t, short, readCardAccessExt), iso7816.SWWrongLength, "extended APDU on cnie-short")
	wantSW(t, sendHex(t, short, "00b09c00000100"), iso7816.SWWrongLength, "extended Le 256 on cnie-short")
	wantSW(t, sendHex(t, short, "00a4040c000007a0000002471001"), iso7816.SWWrongLength, "extended Lc on cnie-short")
	wantSW(t, sendHex(t, short, "00b09c0000"), iso7816.SWOK, "short APDU on cnie-short")

	ext := newCard(t, "cnie")
	r := sendHex(t, ext, readCardAccessExt)
	wantSW(t, r, iso7816.SWOK, "extended APDU on cnie")
	if !bytes.Equal(r.Data, fileData(t, ext, 0x011C, false)) {
		t.Error("extended read differs")
	}
}

// The 61XX chain of ISO/IEC 7816-4 (GET RESPONSE after SW1 61, T=1 with short APDUs),
// driven through the helpers: a 600-byte answer to a short command comes
// as 256 bytes + 6100 (256 or more left), 256 + 6158, then 88 + 9000.
func TestChainHelpers(t *testing.T) {
	c := newCard(t, "cnie")
	data := make([]byte, 600)
	for i := range data {
		data[i] = byte(i)
	}
	out := append(append([]byte{}, data...), 0x90, 0x00)
	shortCmd := iso7816.Command{INS: 0xB0, Ne: 256}

	first := c.chain(out, shortCmd)
	if len(first) != 258 || !bytes.Equal(first[:256], data[:256]) || !bytes.Equal(first[256:], []byte{0x61, 0x00}) {
		t.Fatalf("first part: %d bytes ending % X", len(first), first[len(first)-2:])
	}
	second := c.getResponse(256)
	if len(second) != 258 || !bytes.Equal(second[:256], data[256:512]) || !bytes.Equal(second[256:], []byte{0x61, 88}) {
		t.Fatalf("second part: %d bytes ending % X", len(second), second[len(second)-2:])
	}
	third := c.getResponse(88)
	if !bytes.Equal(third, append(append([]byte{}, data[512:]...), 0x90, 0x00)) {
		t.Fatalf("third part: %d bytes ending % X", len(third), third[len(third)-2:])
	}
	if c.pending != nil {
		t.Error("pending kept after the last part")
	}
	if got := c.getResponse(256); !bytes.Equal(got, []byte{0x69, 0x85}) {
		t.Errorf("GET RESPONSE with nothing pending: % X, want 6985", got)
	}

	// A smaller Le than announced is served in pieces, the status kept to the end.
	c.pending = append(append([]byte{}, data[:10]...), 0x62, 0x82)
	if got := c.getResponse(4); !bytes.Equal(got, []byte{0, 1, 2, 3, 0x61, 6}) {
		t.Errorf("partial GET RESPONSE: % X", got)
	}
	if got := c.getResponse(256); !bytes.Equal(got, []byte{4, 5, 6, 7, 8, 9, 0x62, 0x82}) {
		t.Errorf("rest: % X", got)
	}

	// No chaining for an extended command or a short answer.
	if got := c.chain(out, iso7816.Command{INS: 0xB0, Ne: 600}); !bytes.Equal(got, out) || c.pending != nil {
		t.Error("an extended command's answer was chained")
	}
	exact := append(make([]byte, 256), 0x90, 0x00)
	if got := c.chain(exact, shortCmd); !bytes.Equal(got, exact) || c.pending != nil {
		t.Error("a 256-byte answer was chained")
	}
}

// Through Transmit: GET RESPONSE (00 C0 00 00 Le) serves the rest; any
// other command forgets it.
func TestChainThroughTransmit(t *testing.T) {
	c := newCard(t, "cnie")
	data := append(bytes.Repeat([]byte{0xA5}, 300), 0x90, 0x00)
	c.mu.Lock()
	first := c.chain(data, iso7816.Command{INS: 0xB0, Ne: 256})
	c.mu.Unlock()
	if first[256] != 0x61 || first[257] != 44 {
		t.Fatalf("first part ends % X", first[256:])
	}
	r := sendHex(t, c, "00c000002c")
	if r.SW != iso7816.SWOK || len(r.Data) != 44 {
		t.Fatalf("GET RESPONSE: %d bytes, %04X", len(r.Data), r.SW)
	}

	c.mu.Lock()
	c.chain(data, iso7816.Command{INS: 0xB0, Ne: 256})
	c.mu.Unlock()
	wantSW(t, sendHex(t, c, selectMF), iso7816.SWOK, "SELECT MF")
	wantSW(t, sendHex(t, c, "00c000002c"), iso7816.SWConditionsNotSatisfied, "GET RESPONSE after another command")
}

// Under secure messaging a short READ BINARY of 256 plaintext bytes has a
// protected answer of about 290 bytes: the card chains it with 61XX, GET
// RESPONSE (in clear) reassembles it below the secure channel, the MAC
// verifies, and the session goes on.
func TestChainedProtectedRead(t *testing.T) {
	c := newCard(t, "cnie")
	pw, err := pace.CAN(DefaultCAN)
	if err != nil {
		t.Fatal(err)
	}
	p := c.Profile().PACE[0]
	res, err := pace.Authenticate(context.Background(), c, p.OID, p.ParamID, pw, nil)
	if err != nil {
		t.Fatal(err)
	}
	var wire [][]byte // raw answers of the card
	rec := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		out, err := c.Transmit(ctx, apdu)
		wire = append(wire, out)
		return out, err
	})
	ch := sm.Wrap(iso7816.WithResponseHandling(rec), res.Session)
	wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
	dg2 := fileData(t, c, 0x0102, true)
	wire = nil
	r := sendHex(t, ch, "00b0820000") // DG2 by SFI, Le 00 = 256 bytes
	wantSW(t, r, iso7816.SWOK, "protected READ BINARY of DG2")
	if !bytes.Equal(r.Data, dg2[:256]) {
		t.Fatal("reassembled DG2 chunk differs")
	}
	if len(wire) < 2 || wire[0][len(wire[0])-2] != 0x61 || len(wire[0]) != 258 {
		t.Fatalf("the card did not chain: %d answers, first of %d bytes", len(wire), len(wire[0]))
	}
	// The session survived the GET RESPONSE in clear.
	r = sendHex(t, ch, "00b0000010")
	if r.SW != iso7816.SWOK || !bytes.Equal(r.Data, dg2[:16]) {
		t.Fatalf("next protected read: %04X", r.SW)
	}
}

func TestPACEThenRead(t *testing.T) {
	c := newCard(t, "cnie")
	ch := paceChannel(t, c)
	if !c.granted || c.session == nil {
		t.Fatal("PACE did not grant access")
	}
	wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
	r := sendHex(t, ch, readDG1BySFI)
	wantSW(t, r, iso7816.SWOK, "protected READ DG1")
	if !bytes.Equal(r.Data, fileData(t, c, 0x0101, true)) {
		t.Error("DG1 differs")
	}
	// DG3 needs Terminal Authentication, which the sim never grants.
	wantSW(t, sendHex(t, ch, "00b0830000"), iso7816.SWSecurityStatus, "DG3 (EAC)")
	// An absent data group.
	wantSW(t, sendHex(t, ch, "00b0850000"), iso7816.SWFileNotFound, "DG5")
}

// Whole files through the reader's file layer, over secure messaging:
// extended chunks with B1 above 32767 on the large photo, short chunks on
// the card that refuses extended length.
func TestReadFilesOverSM(t *testing.T) {
	for _, tc := range []struct {
		profile string
		chunk   int
	}{
		{"cnie-largephoto", files.ExtendedChunk},
		{"cnie-largephoto", 8192},
		{"cnie-short", files.ShortChunk},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			c := newCard(t, tc.profile)
			ch := paceChannel(t, c)
			r := &files.Reader{T: ch, Chunk: tc.chunk}
			if err := r.SelectApplication(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, dg := range []lds.DataGroup{1, 2, 11, 14} {
				got, err := r.ReadFile(context.Background(), dg.FileID(), dg.SFI())
				if err != nil {
					t.Fatalf("%v: %v", dg, err)
				}
				if !bytes.Equal(got, fileData(t, c, dg.FileID(), true)) {
					t.Fatalf("%v differs", dg)
				}
			}
			if dg2 := fileData(t, c, 0x0102, true); tc.profile == "cnie-largephoto" && len(dg2) <= 32767 {
				t.Errorf("DG2 of %d bytes does not reach the B1 range", len(dg2))
			}
		})
	}
}

func TestBACThenRead(t *testing.T) {
	c := newCard(t, "passport")
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	s, err := bac.Authenticate(context.Background(), c, c.Profile().MRZInformation(), nil)
	if err != nil {
		t.Fatalf("BAC: %v", err)
	}
	ch := sm.Wrap(iso7816.WithResponseHandling(c), s)
	r := sendHex(t, ch, readDG1BySFI)
	if r.SW != iso7816.SWOK || !bytes.Equal(r.Data, fileData(t, c, 0x0101, true)) {
		t.Fatalf("DG1 after BAC: %04X", r.SW)
	}
	// A wrong MRZ is refused.
	c.Reset()
	if _, err := bac.Authenticate(context.Background(), c, "L898902C<369080619406236", nil); !errors.Is(err, chiperr.AccessDenied) {
		t.Errorf("BAC with a wrong MRZ: %v, want AccessDenied", err)
	}
}

func TestWrongCAN(t *testing.T) {
	c := newCard(t, "cnie")
	pw, _ := pace.CAN("654321")
	p := c.Profile().PACE[0]
	if _, err := pace.Authenticate(context.Background(), c, p.OID, p.ParamID, pw, nil); !errors.Is(err, chiperr.AccessDenied) {
		t.Fatalf("PACE with a wrong CAN: %v, want AccessDenied", err)
	}
	if c.granted || c.session != nil {
		t.Fatal("a failed PACE granted access")
	}
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	wantSW(t, sendHex(t, c, readDG1BySFI), iso7816.SWSecurityStatus, "DG1 after a failed PACE")
}

// A plain command ends secure messaging (ICAO 9303-11 §9.8): the next
// protected command finds no session.
func TestPlainCommandEndsSM(t *testing.T) {
	c := newCard(t, "cnie")
	ch := paceChannel(t, c)
	wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
	wantSW(t, sendHex(t, ch, readDG1BySFI), iso7816.SWOK, "protected READ")

	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "plain SELECT")
	if c.session != nil || c.granted {
		t.Fatal("the plain command left the session open")
	}
	r := sendHex(t, ch, readDG1BySFI)
	if r.SW != iso7816.SWSMObjectsMissing && r.SW != iso7816.SWSMObjectsIncorrect {
		t.Fatalf("protected command after the plain one: %04X, want 6987 or 6988", r.SW)
	}
	// Access is gone in clear too.
	wantSW(t, sendHex(t, c, readDG1BySFI), iso7816.SWSecurityStatus, "plain READ after the session ended")
}

// A protected command whose MAC is wrong ends the session with 6988; the
// following (correct) one gets 6987.
func TestTamperedCommandEndsSM(t *testing.T) {
	c := newCard(t, "cnie")
	pw, _ := pace.CAN(DefaultCAN)
	p := c.Profile().PACE[0]
	res, err := pace.Authenticate(context.Background(), c, p.OID, p.ParamID, pw, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The channel and the hand-protected commands below share the session (and its SSC).
	wantSW(t, sendHex(t, sm.Wrap(c, res.Session), selectApp), iso7816.SWOK, "protected SELECT")
	prot, err := res.Session.Protect(testhex.Bytes(t, readDG1BySFI))
	if err != nil {
		t.Fatal(err)
	}
	prot[len(prot)-2] ^= 0x01 // last MAC byte (before Le)
	wantSW(t, send(t, c, prot), iso7816.SWSMObjectsIncorrect, "tampered MAC")
	if c.session != nil || c.granted {
		t.Fatal("session kept after a bad MAC")
	}
	prot, err = res.Session.Protect(testhex.Bytes(t, readDG1BySFI))
	if err != nil {
		t.Fatal(err)
	}
	wantSW(t, send(t, c, prot), iso7816.SWSMObjectsMissing, "protected command after the session ended")
}

func TestResetDropsAccess(t *testing.T) {
	c := newCard(t, "cnie")
	ch := paceChannel(t, c)
	wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
	wantSW(t, sendHex(t, ch, readDG1BySFI), iso7816.SWOK, "protected READ")

	c.Reset()
	if c.session != nil || c.granted || c.appSelected || c.current != nil || c.pending != nil {
		t.Fatal("Reset kept some state")
	}
	r := sendHex(t, ch, readDG1BySFI)
	if r.SW != iso7816.SWSMObjectsMissing {
		t.Errorf("protected READ after Reset: %04X, want 6987", r.SW)
	}
	wantSW(t, sendHex(t, c, selectApp), iso7816.SWOK, "SELECT eMRTD AID")
	wantSW(t, sendHex(t, c, readDG1BySFI), iso7816.SWSecurityStatus, "plain READ after Reset")

	// A new PACE opens the card again.
	ch = paceChannel(t, c)
	wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
	wantSW(t, sendHex(t, ch, readDG1BySFI), iso7816.SWOK, "protected READ after a new PACE")
}

func TestTransmitCanceled(t *testing.T) {
	c := newCard(t, "cnie")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Transmit(ctx, testhex.Bytes(t, selectApp)); !errors.Is(err, chiperr.Canceled) {
		t.Fatalf("err = %v, want Canceled", err)
	}
}

// ISO/IEC 7816-3:2006 §8.2.5: TCK makes the XOR of T0 .. TCK zero. PC/SC
// Part 3 §3.1.3.2.3 builds a contactless ATR as 3B 8n 80 01 + historical bytes + TCK.
func TestATR(t *testing.T) {
	atr := newCard(t, "cnie").ATR()
	var x byte
	for _, b := range atr[1:] {
		x ^= b
	}
	if x != 0 {
		t.Errorf("ATR % X: XOR of T0..TCK = %02X, want 00", atr, x)
	}
	n := int(atr[1] & 0x0F)
	if atr[0] != 0x3B || atr[1]&0xF0 != 0x80 || atr[2] != 0x80 || atr[3] != 0x01 || len(atr) != 4+n+1 {
		t.Errorf("ATR % X is not 3B 8n 80 01 hist TCK", atr)
	}
	if !bytes.Contains(atr, []byte("DEMO")) {
		t.Error("the historical bytes do not say DEMO")
	}
}

// Every profile personalises, and its EF.COM lists exactly the data groups
// whose files exist (ICAO 9303-10, EF.COM tag list).
func TestEveryProfile(t *testing.T) {
	names := ProfileNames()
	if !slices.IsSorted(names) || !slices.Contains(names, DefaultProfile) || !slices.Contains(names, "cnie-short") {
		t.Fatalf("ProfileNames() = %v", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			c := newCard(t, name)
			if c.Profile().Name != name {
				t.Errorf("profile named %q", c.Profile().Name)
			}
			com, err := lds.ParseCOM(fileData(t, c, 0x011E, true))
			if err != nil {
				t.Fatalf("EF.COM: %v", err)
			}
			var present []lds.DataGroup
			for _, f := range c.files {
				if dg, ok := lds.DataGroupByFileID(f.fid); ok && f.inApp {
					present = append(present, dg)
					if f.sfi != dg.SFI() {
						t.Errorf("%v: SFI %02X, want %02X", dg, f.sfi, dg.SFI())
					}
				}
			}
			slices.Sort(present)
			listed := slices.Clone(com.DataGroups)
			slices.Sort(listed)
			if !slices.Equal(listed, present) {
				t.Errorf("EF.COM lists %v, files exist for %v", listed, present)
			}
			fileData(t, c, 0x011D, true) // EF.SOD
			hasCardAccess := slices.ContainsFunc(c.files, func(f *file) bool { return f.fid == 0x011C && !f.inApp })
			if hasCardAccess != (len(c.Profile().PACE) > 0) {
				t.Errorf("EF.CardAccess present %v with %d PACE protocols", hasCardAccess, len(c.Profile().PACE))
			}
		})
	}
	if _, err := NewNamed("no-such-profile"); err == nil {
		t.Error("unknown profile accepted")
	}
}

// PACE works on every PACE profile (curves, DH, IM, 3DES) through the
// terminal side, and DG1 then reads.
func TestPACEEveryProfile(t *testing.T) {
	for _, name := range ProfileNames() {
		p, _ := LookupProfile(name)
		if len(p.PACE) == 0 || p.Fault != NoFault {
			continue
		}
		t.Run(name, func(t *testing.T) {
			c := newCard(t, name)
			ch := paceChannel(t, c)
			wantSW(t, sendHex(t, ch, selectApp), iso7816.SWOK, "protected SELECT")
			r := sendHex(t, ch, readDG1BySFI)
			if r.SW != iso7816.SWOK || !bytes.Equal(r.Data, fileData(t, c, 0x0101, true)) {
				t.Fatalf("DG1: %04X", r.SW)
			}
		})
	}
}

func TestFaultNames(t *testing.T) {
	for f, name := range faultNames {
		if f.String() != name {
			t.Errorf("%d: %q", f, f.String())
		}
		if f == NoFault {
			continue
		}
		p, err := LookupProfile("fault-" + name)
		if err != nil || p.Fault != f {
			t.Errorf("profile fault-%s: %v", name, err)
		}
	}
}
