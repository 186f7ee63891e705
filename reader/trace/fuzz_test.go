package trace_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/trace"
)

// script encodes exchanges for FuzzTrace: length, command, length, answer
// (length FF: a transport error).
func script(t testing.TB, pairs ...string) []byte {
	var out []byte
	for i := 0; i+1 < len(pairs); i += 2 {
		c, r := testhex.Bytes(t, pairs[i]), testhex.Bytes(t, pairs[i+1])
		out = append(append(append(out, byte(len(c))), c...), byte(len(r)))
		out = append(out, r...)
	}
	return out
}

// mseShown is what an MSE:Set AT may show: DOs 80, 83, 84 in hex, any
// other as its tag and length.
var mseShown = regexp.MustCompile(`^(8[034]:[0-9A-F]*|[0-9A-F]+:\[\d+ bytes redacted\])( (8[034]:[0-9A-F]*|[0-9A-F]+:\[\d+ bytes redacted\]))*$`)

// FuzzTrace feeds arbitrary commands and answers through the trace: it must
// not panic, its exports must stay well-formed (one line per exchange), and
// data may show only where the allow-list says.
func FuzzTrace(f *testing.F) {
	f.Add(script(f, "00A4000C023F00", "9000", "00B09C0000", public+"9000", "00B0001000", public+"6105", "00C0000005", "0102039000"))
	f.Add(script(f, "0022C1A40F800A04007F00070202040202830102", "9000", "10860000027C0000", "7C0280009000"))
	f.Add(script(f, "00A4040C07A0000002471001", "9000", "00B0810000", secret+"9000", "0CB0000000", "6A82"))
	f.Add(script(f, "00A4020C02011C", "9000", "00B1000003540100", "5303010203 9000", "FF", ""))
	f.Fuzz(func(t *testing.T, data []byte) {
		type exchange struct{ cmd, resp []byte }
		var ex []exchange
		for len(data) > 0 && len(ex) < 64 {
			n := min(int(data[0]), len(data)-1)
			c := data[1 : 1+n]
			data = data[1+n:]
			var r []byte
			if len(data) > 0 {
				m := int(data[0])
				if m == 0xFF {
					r = nil // transport error
				} else {
					m = min(m, len(data)-1)
					r = append([]byte{}, data[1:1+m]...)
				}
				data = data[1+min(m, len(data)-1):]
			}
			ex = append(ex, exchange{c, r})
		}
		tr := trace.New("fuzz")
		var i int
		card := iso7816.TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
			e := ex[i]
			i++
			if e.resp == nil {
				return nil, chiperr.New(chiperr.Transport, "fuzz", "no answer")
			}
			return e.resp, nil
		})
		w := trace.Wrap(card, tr)
		for _, e := range ex {
			_, _ = w.Transmit(context.Background(), e.cmd)
		}
		entries := tr.Entries()
		if len(entries) != len(ex) {
			t.Fatalf("%d entries for %d exchanges", len(entries), len(ex))
		}
		shown := func(s string) bool { return s != "" && !strings.HasPrefix(s, "[") }
		for k, e := range entries {
			cmd, err := iso7816.ParseCommand(ex[k].cmd)
			plain := err == nil && cmd.CLA&0xEF == 0 // basic channel, no SM
			if shown(e.Data) {
				switch {
				case !plain:
					t.Fatalf("#%d: data %q shown for CLA %02X", k+1, e.Data, cmd.CLA)
				case cmd.INS == 0xA4:
					if e.Data != strings.ToUpper(hex.EncodeToString(cmd.Data)) {
						t.Fatalf("#%d: SELECT data %q", k+1, e.Data)
					}
				case cmd.INS == 0x22:
					if !mseShown.MatchString(e.Data) {
						t.Fatalf("#%d: MSE shows %q", k+1, e.Data)
					}
				default:
					t.Fatalf("#%d: data %q shown for INS %02X", k+1, e.Data, cmd.INS)
				}
			}
			if shown(e.ResponseData) {
				if !plain || (cmd.INS != 0xB0 && cmd.INS != 0xB1 && cmd.INS != 0xC0) {
					t.Fatalf("#%d: answer %q shown for % X", k+1, e.ResponseData, ex[k].cmd)
				}
				r, _ := iso7816.ParseResponse(ex[k].resp)
				if !strings.HasPrefix(e.ResponseData, strings.ToUpper(hex.EncodeToString(r.Data[:min(len(r.Data), 1024)]))) {
					t.Fatalf("#%d: answer %q is not the card's", k+1, e.ResponseData)
				}
			}
		}
		var text, js bytes.Buffer
		if err := tr.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(text.String(), "\n"); n != 8+len(ex) {
			t.Fatalf("%d lines of text for %d exchanges", n, len(ex))
		}
		if err := tr.WriteJSON(&js); err != nil || !json.Valid(js.Bytes()) {
			t.Fatalf("JSON: %v", err)
		}
	})
}
