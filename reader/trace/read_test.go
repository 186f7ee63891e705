package trace_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// fakeClock advances 1 ms per reading, so that timings are stable and no
// random run of digits can look like a CAN.
func fakeClock() func() time.Time {
	t := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Millisecond)
		return t
	}
}

// leaks finds personal bytes in an export: the given strings (as text or
// hex), and any 16-byte window of the given files, as raw bytes or as hex
// in either case, whatever the spacing.
type leaks struct {
	secrets []string
	windows map[string]bool
}

const window = 16

func newLeaks(secrets []string, files ...[]byte) *leaks {
	l := &leaks{secrets: secrets, windows: map[string]bool{}}
	for _, f := range files {
		for i := 0; i+window <= len(f); i++ {
			l.windows[string(f[i:i+window])] = true
		}
	}
	return l
}

func (l *leaks) check(t *testing.T, label, out string) {
	t.Helper()
	for _, f := range l.find(out) {
		t.Errorf("%s: %s", label, f)
	}
}

// find lists the leaks in out.
func (l *leaks) find(out string) []string {
	var found []string
	compact := strings.ToUpper(strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n:", r) {
			return -1
		}
		return r
	}, out))
	for _, s := range l.secrets {
		if strings.Contains(out, s) || strings.Contains(compact, strings.ToUpper(hex.EncodeToString([]byte(s)))) {
			found = append(found, fmt.Sprintf("%q appears (as text or hex)", s))
		}
	}
	for i := 0; i+window <= len(out); i++ {
		if l.windows[out[i:i+window]] {
			return append(found, fmt.Sprintf("16 raw bytes of a data group at offset %d", i))
		}
	}
	// Every run of hex digits, decoded at both nibble alignments.
	isHex := func(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' }
	for i := 0; i < len(compact); {
		j := i
		for j < len(compact) && isHex(compact[j]) {
			j++
		}
		if j == i {
			i++
			continue
		}
		for align := 0; align < 2 && i+align < j; align++ {
			run := compact[i+align : j]
			raw, _ := hex.DecodeString(run[:len(run)/2*2])
			for k := 0; k+window <= len(raw); k++ {
				if l.windows[string(raw[k:k+window])] {
					return append(found, fmt.Sprintf("16 bytes of a data group in hex near offset %d", i))
				}
			}
		}
		i = j
	}
	return found
}

// The detector itself must see a leak in every form it claims to.
func TestLeakDetector(t *testing.T) {
	file := make([]byte, 40)
	for i := range file {
		file[i] = byte(i*37 + 11)
	}
	l := newLeaks([]string{"123456"}, file)
	win := file[7 : 7+window]
	for name, out := range map[string]string{
		"raw":          "x" + string(win) + "y",
		"upper hex":    "data=" + strings.ToUpper(hex.EncodeToString(win)),
		"lower hex":    hex.EncodeToString(file),
		"odd nibble":   "A" + hex.EncodeToString(win),
		"spaced hex":   fmt.Sprintf("% X", win),
		"JSON hex":     fmt.Sprintf("{\"d\": \"%X\"}", win),
		"secret":       "CAN 123456",
		"secret (hex)": "31 32 33 34 35 36",
	} {
		if len(l.find(out)) == 0 {
			t.Errorf("%s: leak not found", name)
		}
	}
	if f := l.find(hex.EncodeToString(file[:window-1]) + " " + string(file[20:20+window-1])); len(f) != 0 {
		t.Errorf("15-byte pieces are not leaks: %v", f)
	}
}

// cardAccess reads EF.CardAccess from a fresh card, as anyone may.
func cardAccess(t *testing.T, profile string) []byte {
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := iso7816.DoOK(ctx, card, iso7816.Command{INS: 0xA4, P1: 0x00, P2: 0x0C, Data: []byte{0x3F, 0x00}}); err != nil {
		t.Fatal(err)
	}
	b, err := iso7816.DoOK(ctx, card, iso7816.Command{INS: 0xB0, P1: 0x9C, Ne: 256})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readThroughTrace reads a virtual card in full with a trace on the wire.
func readThroughTrace(t *testing.T, profile string, secret reader.Secret) (*reader.Document, *trace.Trace, string, string) {
	t.Helper()
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	tr := trace.New("CNIE Reader test")
	trace.SetClock(tr, fakeClock())
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	doc, err := reader.Read(ctx, trace.Wrap(card, tr), secret, reader.Options{})
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var text, js bytes.Buffer
	if err := tr.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := tr.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(js.Bytes()) {
		t.Fatal("WriteJSON wrote invalid JSON")
	}

	// The trace saw what the reader's own counter saw.
	sum := tr.Summary()
	if sum.Exchanges != doc.Stats.APDUs || sum.BytesSent != doc.Stats.BytesSent || sum.BytesReceived != doc.Stats.BytesReceived {
		t.Errorf("summary %+v disagrees with the reader's stats %+v", sum, doc.Stats)
	}
	if sum.Dropped != 0 || sum.Errors != 0 || len(tr.Entries()) != sum.Exchanges {
		t.Errorf("summary %+v, %d entries", sum, len(tr.Entries()))
	}
	// Nothing under secure messaging or in an authentication shows data.
	for _, e := range tr.Entries() {
		sensitive := e.SM || e.ResponseSM || strings.Contains(e.Name, "AUTHENTICATE") || e.Name == "GET CHALLENGE"
		for _, d := range []string{e.Data, e.ResponseData} {
			if sensitive && d != "" && !strings.HasPrefix(d, "[") {
				t.Errorf("#%d %s shows data %q", e.Index, e.Name, d)
			}
		}
	}
	return doc, tr, text.String(), js.String()
}

func allFiles(doc *reader.Document) [][]byte {
	files := [][]byte{doc.SOD}
	for n, b := range doc.DataGroups {
		if n != 14 || doc.CardAccess == nil {
			files = append(files, b)
			continue
		}
		// DG14 repeats EF.CardAccess's PACE infos, which are public: look
		// for the parts around them.
		for _, p := range doc.CardAccess.PACE {
			der, err := p.Marshal()
			if i := bytes.Index(b, der); err == nil && i >= 0 {
				files = append(files, b[:i])
				b = b[i+len(der):]
			}
		}
		files = append(files, b)
	}
	return files
}

// findEntry returns the first entry whose name starts with prefix.
func findEntry(t *testing.T, tr *trace.Trace, prefix string) trace.Entry {
	t.Helper()
	for _, e := range tr.Entries() {
		if strings.HasPrefix(e.Name, prefix) {
			return e
		}
	}
	t.Fatalf("no %q in the trace", prefix)
	return trace.Entry{}
}

func TestReadCNIERedacted(t *testing.T) {
	for _, profile := range []string{"cnie", "cnie-short"} {
		t.Run(profile, func(t *testing.T) {
			doc, tr, text, js := readThroughTrace(t, profile, reader.Secret{CAN: sim.DefaultCAN})
			if len(doc.DataGroups[2]) < 1000 || !bytes.Contains(doc.DataGroups[2], []byte{0xFF, 0xD8, 0xFF}) {
				t.Fatal("the read did not bring the JPEG face the test looks for")
			}
			l := newLeaks([]string{
				sim.DefaultCAN, "DEMO00001", "DEMO<<CAMILLE", "CAMILLE", "MARIE", "EXEMPLEVILLE",
				"19900714", "900714", "\xFF\xD8\xFF",
			}, allFiles(doc)...)
			l.check(t, "text", text)
			l.check(t, "JSON", js)

			// The allow-list does let public protocol information through.
			ca := findEntry(t, tr, "READ BINARY (SFI 1C, offset 0)")
			if want := strings.ToUpper(hex.EncodeToString(cardAccess(t, profile))); ca.ResponseData != want || ca.SM {
				t.Errorf("EF.CardAccess shows %q, want %q", ca.ResponseData, want)
			}
			mse := findEntry(t, tr, "MSE:Set AT (PACE) with CAN")
			if !strings.HasPrefix(mse.Data, "80:04007F0007020204") || !strings.Contains(mse.Data, "83:02") {
				t.Errorf("MSE:Set AT shows %q", mse.Data)
			}
			ga := findEntry(t, tr, "GENERAL AUTHENTICATE step 4 (PACE)")
			if ga.Chained || !findEntry(t, tr, "GENERAL AUTHENTICATE step 2 (PACE)").Chained {
				t.Error("PACE steps 1-3 are chained, step 4 is not")
			}
			findEntry(t, tr, "INTERNAL AUTHENTICATE")
			findEntry(t, tr, "SELECT (by AID)")
			for _, want := range []string{"APDU trace: CNIE Reader test", "date: 2026-01-02T03:04:05Z", "exchanges: ", "bytes: ", "SW 9000 (outer, SM)"} {
				if !strings.Contains(text, want) {
					t.Errorf("the text export lacks %q", want)
				}
			}
		})
	}
}

func TestReadPassportBACRedacted(t *testing.T) {
	p, err := sim.LookupProfile("passport")
	if err != nil {
		t.Fatal(err)
	}
	info := p.MRZInformation()
	doc, tr, text, js := readThroughTrace(t, "passport", reader.Secret{MRZ: info})
	l := newLeaks([]string{info, "L898902C3", "ERIKSSON", "ERIKSSON<<ANNA", "ANNA<MARIA", "740812"}, allFiles(doc)...)
	l.check(t, "text", text)
	l.check(t, "JSON", js)
	for _, name := range []string{"GET CHALLENGE", "EXTERNAL AUTHENTICATE", "INTERNAL AUTHENTICATE"} {
		e := findEntry(t, tr, name)
		if e.Data != "" && !strings.HasPrefix(e.Data, "[") || e.ResponseData != "" && !strings.HasPrefix(e.ResponseData, "[") {
			t.Errorf("%s shows data: %+v", name, e)
		}
	}
	if e := findEntry(t, tr, "READ BINARY (SFI 1C, offset 0)"); e.SW != 0x6A82 || e.SWMeaning != "file or application not found" {
		t.Errorf("a passport has no EF.CardAccess: %+v", e)
	}
}
