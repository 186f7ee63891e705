package files_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

const (
	fidDG1 = 0x0101
	sfiDG1 = 0x01
	fidDG2 = 0x0102
	sfiDG2 = 0x02
)

// A file that fits one chunk takes one READ BINARY, by short EF identifier
// (ISO/IEC 7816-4: P1 = 80|SFI, P2 = offset), with Le = the short chunk.
func TestReadFileOneAPDU(t *testing.T) {
	card := newFakeCard(t)
	dg1 := tlvFile(0x61, 91) // 61 5B ..., 93 bytes like a TD1 DG1
	card.add(fidDG1, sfiDG1, dg1)
	r := &files.Reader{T: card}
	got, err := r.ReadFile(context.Background(), fidDG1, sfiDG1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, dg1) {
		t.Fatal("content differs")
	}
	if len(card.raw) != 1 || !bytes.Equal(card.raw[0], testhex.Bytes(t, "00b08100df")) {
		t.Fatalf("APDUs % X, want one 00 B0 81 00 DF", card.raw)
	}
}

// Without an SFI the file is selected by FID first (00 A4 02 0C 02 FID).
func TestReadFileSelectsByFID(t *testing.T) {
	card := newFakeCard(t)
	dg1 := tlvFile(0x61, 91)
	card.add(fidDG1, 0, dg1)
	r := &files.Reader{T: card}
	got, err := r.ReadFile(context.Background(), fidDG1, 0)
	if err != nil || !bytes.Equal(got, dg1) {
		t.Fatalf("%v", err)
	}
	want := [][]byte{testhex.Bytes(t, "00a4020c020101"), testhex.Bytes(t, "00b00000df")}
	if len(card.raw) != 2 || !bytes.Equal(card.raw[0], want[0]) || !bytes.Equal(card.raw[1], want[1]) {
		t.Fatalf("APDUs % X, want % X", card.raw, want)
	}

	_, err = r.ReadFile(context.Background(), 0x0105, 0)
	if !errors.Is(err, chiperr.FileNotFound) {
		t.Errorf("absent file: %v, want FileNotFound", err)
	}
}

func TestReadFileSeveralChunks(t *testing.T) {
	card := newFakeCard(t)
	dg := tlvFile(0x75, 996) // 75 82 03 E4: 1000 bytes
	card.add(fidDG2, sfiDG2, dg)
	var progress [][2]int
	r := &files.Reader{T: card, Progress: func(fid uint16, done, total int) {
		if fid != fidDG2 {
			t.Errorf("progress for %04X", fid)
		}
		progress = append(progress, [2]int{done, total})
	}}
	got, err := r.ReadFile(context.Background(), fidDG2, sfiDG2)
	if err != nil || !bytes.Equal(got, dg) {
		t.Fatalf("err %v, equal %v", err, bytes.Equal(got, dg))
	}
	reads := card.reads()
	wantOff := []int{0, 223, 446, 669, 892}
	wantNe := []int{223, 223, 223, 223, 108}
	if len(reads) != len(wantOff) {
		t.Fatalf("%d reads, want %d", len(reads), len(wantOff))
	}
	for i, cmd := range reads {
		if cmd.INS != 0xB0 || offsetOf(t, cmd) != wantOff[i] || cmd.Ne != wantNe[i] || cmd.IsExtended() {
			t.Errorf("read %d: %v, want B0 at %d Ne %d", i, cmd, wantOff[i], wantNe[i])
		}
	}
	if reads[0].P1 != 0x80|sfiDG2 || reads[1].P1&0x80 != 0 {
		t.Error("only the first read goes by SFI")
	}
	wantProgress := [][2]int{{223, 1000}, {446, 1000}, {669, 1000}, {892, 1000}, {1000, 1000}}
	if len(progress) != len(wantProgress) {
		t.Fatalf("progress %v, want %v", progress, wantProgress)
	}
	for i := range progress {
		if progress[i] != wantProgress[i] {
			t.Fatalf("progress %v, want %v", progress, wantProgress)
		}
	}
}

// Above offset 32767 the reader switches to B1 with the offset in DO'54'
// (ISO/IEC 7816-4, data unit handling with odd INS: P1-P2 0000 = current EF, offset data object
// '54' in the command, discretionary data '53' in the answer). Offset 32767
// itself still fits the 15 bits of B0.
func TestReadFileOddINSAbove32767(t *testing.T) {
	card := newFakeCard(t)
	dg := tlvFile(0x75, 69995) // 75 83 01 11 6B: 70000 bytes
	card.add(fidDG2, sfiDG2, dg)
	r := &files.Reader{T: card, Chunk: 32767}
	got, err := r.ReadFile(context.Background(), fidDG2, sfiDG2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, dg) {
		t.Fatal("content differs")
	}
	if len(card.raw) != 3 {
		t.Fatalf("%d APDUs, want 3", len(card.raw))
	}
	// B0 at 7FFF, extended Le 7FFF.
	if want := testhex.Bytes(t, "00b07fff007fff"); !bytes.Equal(card.raw[1], want) {
		t.Errorf("second read % X, want % X", card.raw[1], want)
	}
	// B1, Lc 4, DO'54' 02 FFFE, Le = 4466 bytes + 4 for the DO'53' header.
	if want := testhex.Bytes(t, "00b10000000004"+"5402fffe"+"1176"); !bytes.Equal(card.raw[2], want) {
		t.Errorf("third read % X, want % X", card.raw[2], want)
	}
}

// Offsets beyond 65535 take a three-byte DO'54'; leading zero bytes are dropped.
func TestReadFileOddINSOffsets(t *testing.T) {
	card := newFakeCard(t)
	dg := tlvFile(0x75, 199995) // 200000 bytes
	card.add(fidDG2, sfiDG2, dg)
	r := &files.Reader{T: card, Chunk: files.ExtendedChunk}
	got, err := r.ReadFile(context.Background(), fidDG2, sfiDG2)
	if err != nil || !bytes.Equal(got, dg) {
		t.Fatalf("err %v", err)
	}
	reads := card.reads()
	want := []struct {
		ins  byte
		off  int
		do54 string
		ne   int
	}{
		{0xB0, 0, "", 0xFF00},
		{0xB1, 0xFF00, "5402ff00", 0xFF04},
		{0xB1, 0x1FE00, "540301fe00", 0xFF04},
		{0xB1, 0x2FD00, "540302fd00", 200000 - 0x2FD00 + 4},
	}
	if len(reads) != len(want) {
		t.Fatalf("%d reads, want %d", len(reads), len(want))
	}
	for i, w := range want {
		cmd := reads[i]
		if cmd.INS != w.ins || offsetOf(t, cmd) != w.off || cmd.Ne != w.ne {
			t.Errorf("read %d: %v at %d, want INS %02X at %d Ne %d", i, cmd, offsetOf(t, cmd), w.ins, w.off, w.ne)
		}
		if w.do54 != "" && !bytes.Equal(cmd.Data, testhex.Bytes(t, w.do54)) {
			t.Errorf("read %d: DO'54' % X, want %s", i, cmd.Data, w.do54)
		}
		if w.ins == 0xB1 && (cmd.P1 != 0 || cmd.P2 != 0) {
			t.Errorf("read %d: B1 with P1-P2 %02X%02X, want 0000", i, cmd.P1, cmd.P2)
		}
	}
}

// The size comes from the TLV header, whatever the length field's size
// (X.690 §8.1.3: short form, then 81, 82, 83 long forms); bytes after the
// TLV on the card are not returned.
func TestReadFileSizeFromHeader(t *testing.T) {
	for _, tc := range []struct {
		name  string
		tag   uint32
		n     int
		lenOf string // expected length octets
	}{
		{"short form", 0x61, 5, "05"},
		{"short form 127", 0x61, 127, "7f"},
		{"81", 0x6B, 200, "81c8"},
		{"82", 0x77, 300, "82012c"},
		{"83", 0x75, 65536, "83010000"},
		{"two-byte tag, 82", 0x7F61, 1000, "8203e8"},
		{"empty value", 0x6C, 0, "00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tlv := tlvFile(tc.tag, tc.n)
			tagLen := 1
			if tc.tag > 0xFF {
				tagLen = 2
			}
			if !bytes.HasPrefix(tlv[tagLen:], testhex.Bytes(t, tc.lenOf)) {
				t.Fatalf("test file has length % X", tlv[tagLen:tagLen+4])
			}
			card := newFakeCard(t)
			card.eofWarning = true
			card.add(0x0110, 0x10, append(append([]byte(nil), tlv...), bytes.Repeat([]byte{0xFF}, 300)...))
			r := &files.Reader{T: card}
			got, err := r.ReadFile(context.Background(), 0x0110, 0x10)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tlv) {
				t.Fatalf("got %d bytes, want the %d of the TLV", len(got), len(tlv))
			}
			// Nothing is read past the TLV: the last read ends at its end.
			reads := card.reads()
			// (B1 asks for 4 more bytes, for the DO'53' header.)
			last := reads[len(reads)-1]
			asked := last.Ne
			if last.INS == 0xB1 {
				asked -= 4
			}
			if len(reads) > 1 && offsetOf(t, last)+asked != len(tlv) {
				t.Errorf("last read at %d for %d bytes, file ends at %d", offsetOf(t, last), asked, len(tlv))
			}
		})
	}
}

// A header announcing 16 MiB fails with TooLarge before any buffer of that
// size exists.
func TestReadFileTooLarge(t *testing.T) {
	card := newFakeCard(t)
	card.add(fidDG2, sfiDG2, append(testhex.Bytes(t, "7583ffffff"), make([]byte, 100)...))
	r := &files.Reader{T: card, Chunk: files.ExtendedChunk}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := r.ReadFile(context.Background(), fidDG2, sfiDG2)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, chiperr.TooLarge) {
		t.Fatalf("err = %v, want TooLarge", err)
	}
	// The first chunk (65280 bytes) is fine, 16 MiB is not.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("allocated %d bytes for a refused file", grew)
	}
	if n := len(card.reads()); n != 1 {
		t.Errorf("%d reads, want 1: nothing after the header", n)
	}
}

// MaxFileSize is inclusive: a file of exactly that size is read, one more
// byte is refused.
func TestReadFileSizeLimit(t *testing.T) {
	card := newFakeCard(t)
	exact := tlvFile(0x75, files.MaxFileSize-5) // 75 83 xx xx xx: 5-byte header
	card.add(fidDG2, sfiDG2, exact)
	r := &files.Reader{T: card, Chunk: files.ExtendedChunk}
	got, err := r.ReadFile(context.Background(), fidDG2, sfiDG2)
	if err != nil || len(got) != files.MaxFileSize {
		t.Fatalf("file of MaxFileSize: %d bytes, %v", len(got), err)
	}
	card.add(fidDG2, sfiDG2, tlvFile(0x75, files.MaxFileSize-4))
	if _, err := r.ReadFile(context.Background(), fidDG2, sfiDG2); !errors.Is(err, chiperr.TooLarge) {
		t.Fatalf("MaxFileSize+1: %v, want TooLarge", err)
	}
}

func TestReadFileBadHeader(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		kind chiperr.Kind
	}{
		{"length field of 4 bytes", "758400000010" + "00000000", chiperr.TooLarge},
		{"indefinite length", "7580" + "0000", chiperr.Malformed},
		{"truncated tag", "7f", chiperr.Malformed},
		{"tag only", "75", chiperr.Malformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card := newFakeCard(t)
			card.add(fidDG2, sfiDG2, testhex.Bytes(t, tc.file))
			_, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want kind %d", err, tc.kind)
			}
		})
	}
	// An empty answer to the first read.
	card := newFakeCard(t)
	card.add(fidDG2, sfiDG2, tlvFile(0x75, 10))
	card.hook = func(n int, cmd iso7816.Command) []byte { return sw(iso7816.SWOK) }
	if _, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2); !errors.Is(err, chiperr.Malformed) {
		t.Fatalf("empty first answer: %v, want Malformed", err)
	}
}

// A card that answers 9000 with no data in the middle of a file ends the
// read with Malformed instead of asking again forever.
func TestReadFileEmptyAnswerMidFile(t *testing.T) {
	for _, odd := range []bool{false, true} {
		card := newFakeCard(t)
		card.add(fidDG2, sfiDG2, tlvFile(0x75, 40000))
		card.emptyFrom = 446
		chunk := 223
		if odd {
			card.emptyFrom, chunk = 32768+4096, 4096
		}
		_, err := (&files.Reader{T: card, Chunk: chunk}).ReadFile(context.Background(), fidDG2, sfiDG2)
		if !errors.Is(err, chiperr.Malformed) {
			t.Fatalf("odd=%v: err = %v, want Malformed", odd, err)
		}
		last := card.reads()[len(card.reads())-1]
		if offsetOf(t, last) != card.emptyFrom {
			t.Errorf("odd=%v: stopped after a read at %d, want %d", odd, offsetOf(t, last), card.emptyFrom)
		}
	}
}

// 6B00 past the end (the header lies about the size) surfaces as an error.
func TestReadFileShorterThanHeader(t *testing.T) {
	card := newFakeCard(t)
	f := tlvFile(0x75, 1000)
	card.add(fidDG2, sfiDG2, f[:600])
	_, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2)
	var se *iso7816.StatusError
	if !errors.As(err, &se) || se.SW != iso7816.SWWrongP1P2 || !errors.Is(err, chiperr.Status) {
		t.Fatalf("err = %v, want status 6B00", err)
	}
}

// B1 answers that are not a DO'53' are Malformed.
func TestReadFileBadOddAnswer(t *testing.T) {
	for _, answer := range []string{"9000", "5402000a9000", "53059000"} {
		card := newFakeCard(t)
		card.add(fidDG2, sfiDG2, tlvFile(0x75, 40000))
		card.hook = func(n int, cmd iso7816.Command) []byte {
			if cmd.INS == 0xB1 {
				return testhex.Bytes(t, answer)
			}
			return nil
		}
		_, err := (&files.Reader{T: card, Chunk: 8192}).ReadFile(context.Background(), fidDG2, sfiDG2)
		if !errors.Is(err, chiperr.Malformed) {
			t.Errorf("B1 answer %s: err = %v, want Malformed", answer, err)
		}
	}
}

// ctxFlip is a context whose Err the test sets from inside the card, so the
// cancellation lands exactly in the middle of a file.
type ctxFlip struct {
	context.Context
	err error
}

func (c *ctxFlip) Err() error { return c.err }

func TestReadFileCanceledMidFile(t *testing.T) {
	for _, tc := range []struct {
		err  error
		kind chiperr.Kind
	}{
		{context.Canceled, chiperr.Canceled},
		{context.DeadlineExceeded, chiperr.Timeout},
	} {
		card := newFakeCard(t)
		card.add(fidDG2, sfiDG2, tlvFile(0x75, 5000))
		ctx := &ctxFlip{Context: context.Background()}
		card.hook = func(n int, cmd iso7816.Command) []byte {
			if n == 2 {
				ctx.err = tc.err
			}
			return nil
		}
		_, err := (&files.Reader{T: card}).ReadFile(ctx, fidDG2, sfiDG2)
		if !errors.Is(err, tc.kind) || !errors.Is(err, tc.err) {
			t.Errorf("err = %v, want kind %d wrapping %v", err, tc.kind, tc.err)
		}
		if n := len(card.reads()); n != 2 {
			t.Errorf("%d reads after cancellation at the second, want 2", n)
		}
	}
}

// Some cards answer 6700 when Ne is above the file's size: the reader then
// probes the 8-byte header and asks for exactly what is left.
func TestReadFileWrongLengthFallsBackToProbe(t *testing.T) {
	card := newFakeCard(t)
	card.neWithinFile = true
	f := tlvFile(0x6B, 98) // 6B 62 ...: 100 bytes
	card.add(0x010B, 0x0B, f)
	var progress [][2]int
	r := &files.Reader{T: card, Progress: func(_ uint16, done, total int) { progress = append(progress, [2]int{done, total}) }}
	got, err := r.ReadFile(context.Background(), 0x010B, 0x0B)
	if err != nil || !bytes.Equal(got, f) {
		t.Fatalf("err %v", err)
	}
	want := [][]byte{testhex.Bytes(t, "00b08b00df"), testhex.Bytes(t, "00b08b0008"), testhex.Bytes(t, "00b000085c")}
	if len(card.raw) != len(want) {
		t.Fatalf("APDUs % X, want % X", card.raw, want)
	}
	for i := range want {
		if !bytes.Equal(card.raw[i], want[i]) {
			t.Errorf("APDU %d = % X, want % X", i, card.raw[i], want[i])
		}
	}
	if len(progress) != 2 || progress[0] != [2]int{8, 100} || progress[1] != [2]int{100, 100} {
		t.Errorf("progress %v", progress)
	}
}

// A card (or reader) that refuses any Ne above a limit: after the probe the
// next large read fails too, and the caller gets WrongLength to fall back
// to shorter chunks.
func TestReadFileWrongLengthReported(t *testing.T) {
	card := newFakeCard(t)
	card.maxNe = 100
	card.add(fidDG2, sfiDG2, tlvFile(0x75, 1000))
	_, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2)
	if !errors.Is(err, chiperr.WrongLength) {
		t.Fatalf("err = %v, want WrongLength", err)
	}
	if n := len(card.reads()); n != 3 {
		t.Errorf("%d reads, want 3 (chunk, probe, chunk)", n)
	}
}

// When the probe fails as well, the first error (the one that explains) is returned.
func TestReadFileProbeFails(t *testing.T) {
	card := newFakeCard(t)
	card.add(fidDG2, sfiDG2, tlvFile(0x75, 1000))
	card.hook = func(n int, cmd iso7816.Command) []byte {
		if n == 1 {
			return sw(iso7816.SWWrongLength)
		}
		return sw(iso7816.SWSMObjectsIncorrect)
	}
	_, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2)
	if !errors.Is(err, chiperr.WrongLength) {
		t.Fatalf("err = %v, want the first error (WrongLength)", err)
	}
	if len(card.raw) != 2 {
		t.Errorf("%d APDUs, want 2", len(card.raw))
	}
}

// With a chunk no larger than the probe there is nothing to fall back to.
func TestReadFileNoProbeForSmallChunk(t *testing.T) {
	card := newFakeCard(t)
	card.maxNe = 4
	card.add(fidDG2, sfiDG2, tlvFile(0x75, 10))
	_, err := (&files.Reader{T: card, Chunk: 8}).ReadFile(context.Background(), fidDG2, sfiDG2)
	if !errors.Is(err, chiperr.WrongLength) || len(card.raw) != 1 {
		t.Fatalf("err = %v after %d APDUs, want WrongLength after 1", err, len(card.raw))
	}
}

func TestReadFileStatusErrors(t *testing.T) {
	for _, tc := range []struct {
		sw   uint16
		kind chiperr.Kind
	}{
		{iso7816.SWSecurityStatus, chiperr.SecurityStatus},
		{iso7816.SWFileNotFound, chiperr.FileNotFound},
		{iso7816.SWSMObjectsMissing, chiperr.Integrity},
		{iso7816.SWNoPreciseDiagnosis, chiperr.Status},
	} {
		card := newFakeCard(t)
		card.add(fidDG2, sfiDG2, tlvFile(0x75, 10))
		card.hook = func(int, iso7816.Command) []byte { return sw(tc.sw) }
		_, err := (&files.Reader{T: card}).ReadFile(context.Background(), fidDG2, sfiDG2)
		if !errors.Is(err, tc.kind) {
			t.Errorf("%04X: err = %v, want kind %d", tc.sw, err, tc.kind)
		}
	}
	// A transport failure passes through with its kind.
	failing := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, chiperr.New(chiperr.CardRemoved, "test", "")
	})
	if _, err := (&files.Reader{T: failing}).ReadFile(context.Background(), fidDG2, sfiDG2); !errors.Is(err, chiperr.CardRemoved) {
		t.Errorf("transport error: %v", err)
	}
}

// A chunk above 65536 is clamped to the largest extended Le.
func TestReadFileChunkClamped(t *testing.T) {
	card := newFakeCard(t)
	card.add(fidDG2, sfiDG2, tlvFile(0x75, 100))
	if _, err := (&files.Reader{T: card, Chunk: 1 << 20}).ReadFile(context.Background(), fidDG2, sfiDG2); err != nil {
		t.Fatal(err)
	}
	if want := testhex.Bytes(t, "00b08200000000"); !bytes.Equal(card.raw[0], want) {
		t.Errorf("APDU % X, want % X", card.raw[0], want)
	}
}

// SELECT commands of ICAO 9303-10 (LDS1 application AID A0000002471001)
// and the master file 3F00.
func TestSelectCommands(t *testing.T) {
	card := newFakeCard(t)
	r := &files.Reader{T: card}
	if err := r.SelectApplication(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.SelectMaster(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := [][]byte{testhex.Bytes(t, "00a4040c07a0000002471001"), testhex.Bytes(t, "00a4000c023f00")}
	for i := range want {
		if !bytes.Equal(card.raw[i], want[i]) {
			t.Errorf("APDU %d = % X, want % X", i, card.raw[i], want[i])
		}
	}
	card.hook = func(int, iso7816.Command) []byte { return sw(iso7816.SWFileNotFound) }
	if err := r.SelectApplication(context.Background()); !errors.Is(err, chiperr.FileNotFound) {
		t.Errorf("SelectApplication on a card without it: %v", err)
	}
}
