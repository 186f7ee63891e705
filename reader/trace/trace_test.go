package trace_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// step is one exchange: the command, and the card's answer or a transport error.
type step struct {
	cmd, resp string
	err       error
}

// replay answers the commands of a script in order, whatever they are.
func replay(t *testing.T, steps []step) *trace.Trace {
	t.Helper()
	tr := trace.New("test")
	trace.SetClock(tr, fakeClock())
	var i int
	card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		s := steps[i]
		i++
		if s.err != nil {
			return nil, s.err
		}
		return testhex.Bytes(t, s.resp), nil
	})
	w := trace.Wrap(card, tr)
	for _, s := range steps {
		_, _ = w.Transmit(context.Background(), testhex.Bytes(t, s.cmd))
	}
	return tr
}

// Public stands for bytes the allow-list must let through; secret for
// bytes it must not.
const (
	public = "3114 3012 060A 04007F00070202040202 020102 02010D"
	secret = "61 5B 5F1F 58 49443C46524144454D4F3030303031"
)

var hexPublic = strings.ReplaceAll(public, " ", "")

func TestAllowList(t *testing.T) {
	selectMF := step{"00A4000C 02 3F00", "9000", nil}
	ok := func(cmd string) step { return step{cmd, "9000", nil} }
	pub := func(cmd string) step { return step{cmd, public + " 9000", nil} }
	sec := func(cmd string) step { return step{cmd, secret + " 9000", nil} }
	for _, tc := range []struct {
		name  string
		steps []step
		shown []bool // per step: is the response data shown?
	}{
		{"EF.CardAccess by SFI", []step{selectMF, pub("00B09C00 00"), pub("00B00010 10")}, []bool{false, true, true}},
		{"EF.CardAccess by SFI, before any SELECT", []step{pub("00B09C00 00")}, []bool{true}},
		{"EF.CardAccess by FID", []step{ok("00A4020C 02 011C"), pub("00B00000 00")}, []bool{false, true}},
		{"EF.ATR/INFO by FID", []step{ok("00A4000C 02 2F01"), pub("00B00000 00")}, []bool{false, true}},
		{"EF.ATR/INFO by SFI is not on the list (SFI 01 is DG1 in the application)", []step{sec("00B08100 00")}, []bool{false}},
		{"another file of the MF", []step{ok("00A4020C 02 011D"), sec("00B00000 00")}, []bool{false, false}},
		{"a plain DG1 in the application (a passport without BAC)",
			[]step{ok("00A4040C 07 A0000002471001"), sec("00B08100 00"), sec("00B00010 10")}, []bool{false, false, false}},
		{"SFI 1C once an application may be current",
			[]step{ok("00A4040C 07 A0000002471001"), sec("00B09C00 00")}, []bool{false, false}},
		{"FID 011C once an application may be current",
			[]step{ok("00A4040C 07 A0000002471001"), ok("00A4020C 02 011C"), sec("00B00000 00")}, []bool{false, false, false}},
		{"SELECT MF makes EF.CardAccess public again",
			[]step{ok("00A4040C 07 A0000002471001"), selectMF, ok("00A4020C 02 011C"), pub("00B00000 00")}, []bool{false, false, false, true}},
		{"a failed SELECT of EF.CardAccess leaves the previous file",
			[]step{ok("00A4020C 02 0101"), {"00A4020C 02 011C", "6A82", nil}, sec("00B00000 00")}, []bool{false, false, false}},
		{"a failed SELECT MF does not open the list", []step{ok("00A4040C 07 A0000002471001"),
			{"00A4000C 02 3F00", "6A82", nil}, sec("00B09C00 00")}, []bool{false, false, false}},
		{"another logical channel: its selection is not followed", []step{ok("00A4040C 07 A0000002471001"),
			ok("01A4000C 02 3F00"), ok("01A4020C 02 011C"), pub("01B00000 00"), sec("00B00000 00")}, []bool{false, false, false, false, false}},
		{"under secure messaging", []step{selectMF, sec("0CB09C00 00")}, []bool{false, false}},
		{"after a protected command", []step{ok("00A4020C 02 011C"), sec("0CA4040C 00"), sec("00B00000 00")}, []bool{false, false, false}},
		{"after an authentication command", []step{ok("00A4020C 02 011C"), sec("00840000 08"), sec("00B00000 00")}, []bool{false, false, false}},
		{"after a transport error", []step{ok("00A4020C 02 011C"),
			{"00B00000 00", "", chiperr.New(chiperr.Transport, "reader", "gone")}, sec("00B00000 00")}, []bool{false, false, false}},
		{"after a malformed answer", []step{ok("00A4020C 02 011C"), {"00B00000 00", "90", nil}, sec("00B00000 00")}, []bool{false, false, false}},
		{"after a proprietary class", []step{ok("00A4020C 02 011C"), sec("FFCA0000 00"), sec("00B00000 00")}, []bool{false, false, false}},
		{"odd READ BINARY of EF.CardAccess", []step{ok("00A4020C 02 011C"), pub("00B10000 03 540100 00")}, []bool{false, true}},
		{"odd READ BINARY naming another file", []step{ok("00A4020C 02 011C"), sec("00B10101 03 540100 00")}, []bool{false, false}},
		{"GET RESPONSE continues a public answer", []step{
			{"00B09C00 00", public + " 6116", nil}, {"00C00000 16", public + " 9000", nil}}, []bool{true, true}},
		{"GET RESPONSE continues a protected answer", []step{selectMF, ok("00A4020C 02 011C"),
			{"0CB00000 00", secret + " 6116", nil}, {"00C00000 16", secret + " 9000", nil}}, []bool{false, false, false, false}},
		{"GET RESPONSE out of the blue", []step{ok("00A4020C 02 011C"), sec("00C00000 16")}, []bool{false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries := replay(t, tc.steps).Entries()
			if len(entries) != len(tc.steps) {
				t.Fatalf("%d entries for %d exchanges", len(entries), len(tc.steps))
			}
			for i, e := range entries {
				shown := e.ResponseData == hexPublic
				if shown != tc.shown[i] || (!shown && e.ResponseData != "" && !strings.HasPrefix(e.ResponseData, "[")) {
					t.Errorf("#%d %s: response data %q, shown %v want %v", e.Index, e.Name, e.ResponseData, shown, tc.shown[i])
				}
			}
		})
	}
}

func TestCommandData(t *testing.T) {
	for _, tc := range []struct{ cmd, name, data string }{
		{"00A4040C 07 A0000002471001", "SELECT eMRTD application", "A0000002471001"},
		{"00A4040C 10 A0000002471001A0000002471001AABB", "SELECT application", "A0000002471001A0000002471001AABB"},
		{"00A4040C 11 A0000002471001A0000002471001AABBCC", "SELECT application", "[17 bytes redacted]"},
		{"00A4020C 02 011E", "SELECT EF.COM", "011E"},
		{"00A4020C 02 0101", "SELECT file 0101", "0101"},
		{"00A4000C", "SELECT MF", ""},
		{"0CA4020C 0B 870901AABBCCDDEEFF0011 00", "SELECT (by file id)", "[11 bytes redacted]"},
		{"0022C1A4 0F 800A04007F00070202040202 830101", "MSE:Set AT (PACE) with MRZ", "80:04007F00070202040202 83:01"},
		// A CHAT (TA) is not on the list: tag and length only.
		{"0022C1A4 16 800A04007F00070202040202 830103 7F4C0406020102", "MSE:Set AT (PACE) with PIN",
			"80:04007F00070202040202 83:03 7F4C:[4 bytes redacted]"},
		{"0022C1A4 04 80FF0102", "MSE:Set AT (PACE)", "[4 bytes redacted]"}, // not TLV
		{"002241A6 05 9103AABBCC", "MSE:Set KAT (CA)", "[5 bytes redacted]"},
		{"002241A4 0F 800A04007F00070202030202 840101", "MSE:Set AT (CA)", "80:04007F00070202030202 84:01"},
		{"00860000 04 7C028000 00", "GENERAL AUTHENTICATE", "[4 bytes redacted]"},
		{"00840000 08", "GET CHALLENGE", ""},
		{"00820000 28 " + strings.Repeat("AB", 40) + " 28", "EXTERNAL AUTHENTICATE", "[40 bytes redacted]"},
		{"00880000 08 0102030405060708 00", "INTERNAL AUTHENTICATE", "[8 bytes redacted]"},
		{"00C00000 10", "GET RESPONSE", ""},
		{"0CB09E00 00", "READ BINARY (SFI 1E, offset 0)", ""},
		{"00B001BE 00", "READ BINARY (offset 446)", ""},
		{"0CB10000 03 540180 00", "READ BINARY (odd INS)", "[3 bytes redacted]"},
		{"002A00BE 02 AABB", "PSO:Verify Certificate (TA)", "[2 bytes redacted]"},
		{"00D60000 01 AA", "UPDATE BINARY", "[1 bytes redacted]"},
		{"00EE0000 01 AA", "INS EE", "[1 bytes redacted]"},
		{"80CA9F7F 00", "proprietary command (CLA 80 INS CA)", ""},
		{"FFCA0000 04 AABBCCDD", "proprietary command (CLA FF INS CA)", "[4 bytes redacted]"},
		{"01A4000C 02 3F00", "SELECT MF", "[2 bytes redacted]"},
		{"41A4040C 07 A0000002471001", "SELECT eMRTD application", "[7 bytes redacted]"},
		{"00A404", "malformed command (3 bytes)", ""},
		{"00A4040C 05 A000", "malformed command (7 bytes)", "[3 bytes redacted]"},
	} {
		e := replay(t, []step{{tc.cmd, "9000", nil}}).Entries()[0]
		if e.Name != tc.name || e.Data != tc.data {
			t.Errorf("%s: %q data %q, want %q data %q", tc.cmd, e.Name, e.Data, tc.name, tc.data)
		}
	}
}

func TestHeaderFields(t *testing.T) {
	e := replay(t, []step{{"1C860000 000005 7C03800100 0100", "AABB 6982", nil}}).Entries()[0]
	if e.Header != "1C860000" || e.Lc != 5 || e.Ne != 256 || !e.Extended || !e.SM || !e.Chained ||
		e.ResponseLen != 2 || e.ResponseData != "[2 bytes redacted]" || !e.ResponseSM ||
		e.SW != 0x6982 || e.SWMeaning != "security status not satisfied" || e.Error != "" {
		t.Errorf("%+v", e)
	}
	if e.Name != "GENERAL AUTHENTICATE step 1" {
		t.Errorf("name %q", e.Name)
	}
}

// GENERAL AUTHENTICATE steps are numbered along the chain (CLA bit 10),
// which a GET RESPONSE does not break and any other command ends.
func TestGeneralAuthenticateSteps(t *testing.T) {
	ga := func(cla string) step { return step{cla + "860000 02 7C00 00", "7C00 9000", nil} }
	var names []string
	for _, e := range replay(t, []step{
		{"0022C1A4 03 830102", "9000", nil}, ga("10"), ga("10"), {"00C00000 10", "9000", nil}, ga("10"), ga("00"),
		{"0C2241A4 03 AABBCC", "9000", nil}, ga("0C"),
		{"00A4000C", "9000", nil}, ga("00"),
	}).Entries() {
		names = append(names, e.Name)
	}
	want := []string{"MSE:Set AT (PACE) with CAN", "GENERAL AUTHENTICATE step 1 (PACE)", "GENERAL AUTHENTICATE step 2 (PACE)",
		"GET RESPONSE", "GENERAL AUTHENTICATE step 3 (PACE)", "GENERAL AUTHENTICATE step 4 (PACE)",
		"MSE:Set AT (CA)", "GENERAL AUTHENTICATE (CA)", "SELECT MF", "GENERAL AUTHENTICATE (CA)"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("names\n%q\nwant\n%q", names, want)
	}
}

// The decorator changes nothing that passes through it.
func TestPassThrough(t *testing.T) {
	answer := []byte{0x01, 0x02, 0x90, 0x00}
	fail := chiperr.New(chiperr.CardRemoved, "reader", "card left the field")
	var seen []byte
	card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		seen = apdu
		if apdu[1] == 0xB0 {
			return nil, fail
		}
		return answer, nil
	})
	if trace.Wrap(card, nil) == nil {
		t.Fatal("Wrap(t, nil) must return t")
	}
	tr := trace.New("test")
	w := trace.Wrap(card, tr)
	cmd := []byte{0x00, 0xA4, 0x00, 0x0C}
	resp, err := w.Transmit(context.Background(), cmd)
	if err != nil || !bytes.Equal(resp, answer) || &seen[0] != &cmd[0] || !bytes.Equal(cmd, []byte{0x00, 0xA4, 0x00, 0x0C}) {
		t.Errorf("got % X, %v", resp, err)
	}
	if _, err := w.Transmit(context.Background(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00}); err != fail {
		t.Errorf("error %v, want the transport's own", err)
	}
	e := tr.Entries()[1]
	if !strings.Contains(e.Error, "card left the field") || e.SW != 0 {
		t.Errorf("transport error entry %+v", e)
	}
	if s := tr.Summary(); s.Errors != 1 || s.Exchanges != 2 || s.BytesSent != 9 || s.BytesReceived != 4 {
		t.Errorf("summary %+v", s)
	}
}

func TestErrorTextOnOneLine(t *testing.T) {
	long := errors.New("line one\nline two\x00\x1b[31m" + strings.Repeat("x", 1000))
	e := replay(t, []step{{"00A4000C", "", long}}).Entries()[0]
	if strings.ContainsAny(e.Error, "\n\x00\x1b") || len(e.Error) > 310 || !strings.HasPrefix(e.Error, "line one?line two") {
		t.Errorf("error text %q", e.Error)
	}
}

func TestMaxEntries(t *testing.T) {
	tr := trace.New("test")
	card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) { return []byte{0x90, 0x00}, nil })
	w := trace.Wrap(card, tr)
	for range trace.MaxEntries + 5 {
		_, _ = w.Transmit(context.Background(), []byte{0x00, 0x84, 0x00, 0x00, 0x08})
	}
	s := tr.Summary()
	if n := len(tr.Entries()); n != trace.MaxEntries || s.Dropped != 5 || s.Exchanges != trace.MaxEntries+5 ||
		len(s.StatusWords) != 1 || s.StatusWords[0].Count != trace.MaxEntries+5 {
		t.Errorf("%d entries, summary %+v", n, s)
	}
	var text bytes.Buffer
	if err := tr.WriteText(&text); err != nil || !strings.Contains(text.String(), "5 not kept beyond the first 10000") {
		t.Errorf("the header must say entries were dropped (%v)", err)
	}
}

// Once two exchanges overlap, the trace cannot pair answers with commands
// nor follow the card: it shows no data at all from then on.
func TestConcurrentUseRedactsEverything(t *testing.T) {
	tr := trace.New("test")
	inside, release := make(chan struct{}), make(chan struct{})
	card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		if apdu[1] == 0x84 {
			inside <- struct{}{}
			<-release
		}
		return append(testhex.Bytes(t, public), 0x90, 0x00), nil
	})
	w := trace.Wrap(card, tr)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { _, _ = w.Transmit(ctx, []byte{0x00, 0x84, 0x00, 0x00, 0x08}) })
	}
	<-inside
	<-inside
	close(release)
	wg.Wait()
	_, _ = w.Transmit(ctx, testhex.Bytes(t, "00A4000C 02 3F00"))
	_, _ = w.Transmit(ctx, testhex.Bytes(t, "00B09C00 00"))
	entries := tr.Entries()
	if e := entries[len(entries)-1]; e.ResponseData == hexPublic || entries[2].Data != "[2 bytes redacted]" {
		t.Errorf("data shown after concurrent use: %+v / %+v", entries[2], e)
	}
	if !tr.Summary().Concurrent {
		t.Error("the summary must say the trace saw concurrent use")
	}
	// And many goroutines at once must be safe (run with -race).
	for range 8 {
		wg.Go(func() {
			for range 20 {
				_, _ = w.Transmit(ctx, testhex.Bytes(t, "00B09C00 00"))
				_ = tr.Summary()
				_ = tr.Entries()
			}
		})
	}
	wg.Wait()
	if n := tr.Summary().Exchanges; n != 4+160 {
		t.Errorf("%d exchanges", n)
	}
}

func TestExports(t *testing.T) {
	tr := replay(t, []step{
		{"00A4000C 02 3F00", "9000", nil},
		{"00B09C00 00", public + " 9000", nil},
		{"0CB09E00 00", secret + " 9000", nil},
		{"0CB09D00 00", "6A82", nil},
		{"00B00000 00", "", chiperr.New(chiperr.Timeout, "reader", "no answer")},
	})
	var text, js bytes.Buffer
	if err := tr.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	for _, want := range []string{
		"APDU trace: test", "date: 2026-01-02T03:04:05Z", "exchanges: 5 (2 under secure messaging, 1 errors)",
		"bytes: 77 total (27 sent, 50 received)", "time: 9.000 ms total, 5.000 ms waiting for the card",
		"status words: 6A82 x1 (file or application not found); 9000 x3 (normal processing);",
		"redaction: ",
		"READ BINARY (SFI 1C, offset 0) -> 22 bytes " + hexPublic + ", SW 9000 normal processing",
		"0CB09E00 Lc=0 Ne=256 SM", "-> 20 bytes [20 bytes redacted], SW 9000 (outer, SM) normal processing",
		"-> 0 bytes, SW 6A82 (outer, SM) file or application not found",
		"READ BINARY (offset 0) -> ERROR ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if n := len(lines); n != 8+5 {
		t.Errorf("%d lines, want a header of 8 and 5 exchanges", n)
	}
	if err := tr.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Format  string
		Tool    string
		Date    string
		Summary trace.Summary
		Entries []map[string]any
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != trace.Format || doc.Tool != "test" || doc.Date != "2026-01-02T03:04:05Z" ||
		doc.Summary.Exchanges != 5 || len(doc.Entries) != 5 || doc.Entries[1]["sw"] != "9000" ||
		doc.Entries[1]["response_data"] != hexPublic || doc.Entries[2]["response_data"] != "[20 bytes redacted]" {
		t.Errorf("JSON %s", js.String())
	}
	if strings.Contains(js.String(), strings.ReplaceAll(secret, " ", "")[10:]) {
		t.Error("secret bytes in the JSON")
	}
}

func TestZeroValue(t *testing.T) {
	var tr trace.Trace
	var text, js bytes.Buffer
	if err := tr.WriteText(&text); err != nil || !strings.Contains(text.String(), trace.DefaultTool) ||
		!strings.Contains(text.String(), "exchanges: 0") {
		t.Errorf("%v\n%s", err, text.String())
	}
	if err := tr.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"entries": []`) {
		t.Errorf("%v\n%s", err, js.String())
	}
}

func TestStatusWordText(t *testing.T) {
	var sw trace.StatusWord
	if err := sw.UnmarshalText([]byte("6A82")); err != nil || sw != 0x6A82 || sw.String() != "6A82" ||
		sw.Meaning() != "file or application not found" {
		t.Errorf("%v %v", sw, err)
	}
	for _, bad := range []string{"", "9", "900", "90000", "+900", "-900", "zz00", "0x90"} {
		if err := sw.UnmarshalText([]byte(bad)); !errors.Is(err, chiperr.Malformed) {
			t.Errorf("%q: %v, want Malformed", bad, err)
		}
	}
}

// A hostile card cannot make one entry hold more than a bounded amount.
func TestPublicDataBounded(t *testing.T) {
	big := strings.Repeat("AB", 3000)
	e := replay(t, []step{{"00B09C00 000BB8", big + "9000", nil}}).Entries()[0]
	if e.ResponseLen != 3000 || !strings.HasSuffix(e.ResponseData, " [1976 more bytes not kept]") || len(e.ResponseData) > 2100 {
		t.Errorf("%d bytes, data of %d characters ending %q", e.ResponseLen, len(e.ResponseData), e.ResponseData[len(e.ResponseData)-30:])
	}
}
