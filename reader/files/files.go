// Package files selects and reads elementary files on an ICAO chip in as
// few READ BINARY commands as the reader and the card allow.
//
// The strategy, learnt from what breaks in the field:
//   - ask for a large chunk at offset 0 (extended length when the transport
//     allows it): most data groups then arrive in a single exchange;
//   - learn the file's size from its TLV header and read what is missing;
//   - above offset 32767 switch to the odd READ BINARY (B1) with a DO'54'
//     offset, because B0 carries the offset in 15 bits only;
//   - if the card or the reader refuses the length (6700, or a transport
//     that cannot carry extended APDUs), report it (chiperr.WrongLength or
//     chiperr.Transport) so the caller can go on with short APDUs; taking
//     the secure messaging session back (sm.Channel.Resume), or opening a
//     new one when the card dropped it, is the caller's job.
package files

import (
	"context"
	"errors"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Chunk sizes of one READ BINARY, as plaintext under secure messaging.
const (
	// ShortChunk is the largest plaintext whose protected response still
	// fits a short APDU's 256 bytes: 223 bytes pad to 224, plus DO'87'
	// (4 bytes of header), DO'99' (4) and DO'8E' (10) = 242.
	ShortChunk = 223
	// ExtendedChunk leaves room for the same overhead below 65536.
	ExtendedChunk = 0xFF00
	// MaxFileSize bounds any file: a card announcing more is faulty or hostile.
	MaxFileSize = ber.MaxLength
	// headerProbe is enough to read any TLV header (4-byte tag, 4-byte length).
	headerProbe = 8
	maxB0Offset = 0x7FFF
)

// eMRTDApplication is the LDS1 application identifier (ICAO 9303-10 §3.2).
var eMRTDApplication = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

// Reader reads files through a Transmitter (usually a secure channel).
type Reader struct {
	T iso7816.Transmitter
	// Chunk is the plaintext size requested per READ BINARY; 0 means ShortChunk.
	Chunk int
	// Progress, if set, is called after each exchange with the bytes read so far and the file's size.
	Progress func(fid uint16, done, total int)
}

func (r *Reader) chunk() int {
	if r.Chunk <= 0 {
		return ShortChunk
	}
	return min(r.Chunk, iso7816.MaxExtendedNe)
}

// SelectApplication selects the eMRTD application (needed after BAC or PACE
// on cards where the master file is current).
func (r *Reader) SelectApplication(ctx context.Context) error {
	_, err := iso7816.DoOK(ctx, r.T, iso7816.Command{INS: 0xA4, P1: 0x04, P2: 0x0C, Data: eMRTDApplication})
	return chiperr.Wrap(chiperr.Status, "SELECT eMRTD application", err)
}

// SelectMaster selects the master file, where EF.CardAccess lives.
func (r *Reader) SelectMaster(ctx context.Context) error {
	_, err := iso7816.DoOK(ctx, r.T, iso7816.Command{INS: 0xA4, P1: 0x00, P2: 0x0C, Data: []byte{0x3F, 0x00}})
	return chiperr.Wrap(chiperr.Status, "SELECT master file", err)
}

// Select selects an elementary file by its file identifier.
func (r *Reader) Select(ctx context.Context, fid uint16) error {
	_, err := iso7816.DoOK(ctx, r.T, iso7816.Command{INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{byte(fid >> 8), byte(fid)}})
	return chiperr.Wrap(chiperr.Status, "SELECT file", err)
}

// ReadFile reads a whole TLV-structured file. With sfi > 0 the first READ
// BINARY selects the file by its short EF identifier (saving one SELECT);
// with sfi == 0 the file is selected by fid first.
func (r *Reader) ReadFile(ctx context.Context, fid uint16, sfi byte) ([]byte, error) {
	if sfi == 0 {
		if err := r.Select(ctx, fid); err != nil {
			return nil, err
		}
	}
	first, err := r.readB0(ctx, sfi, 0, r.chunk())
	if errors.Is(err, chiperr.WrongLength) && r.chunk() > headerProbe {
		// Some cards refuse an Ne larger than the file: learn the size
		// first. If that fails too (the refusal may have ended secure
		// messaging), the first error is the one that explains.
		var perr error
		if first, perr = r.readB0(ctx, sfi, 0, headerProbe); perr != nil {
			return nil, err
		}
		err = nil
	}
	if err != nil {
		return nil, err
	}
	hdr, vlen, err := ber.HeaderLength(first)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, "read file header", err)
	}
	total := hdr + vlen
	if total > MaxFileSize {
		return nil, chiperr.Newf(chiperr.TooLarge, "read file", "file %04X announces %d bytes (limit %d)", fid, total, MaxFileSize)
	}
	if len(first) > total {
		first = first[:total]
	}
	// Grow with the data that really arrives: a header is only a claim.
	buf := make([]byte, len(first), min(total, len(first)+4*r.chunk()))
	copy(buf, first)
	r.report(fid, len(buf), total)
	for len(buf) < total {
		if err := ctx.Err(); err != nil {
			return nil, contextError(err)
		}
		n := min(r.chunk(), total-len(buf))
		var part []byte
		if len(buf) <= maxB0Offset {
			part, err = r.readB0(ctx, 0, len(buf), n)
		} else {
			part, err = r.readB1(ctx, len(buf), n)
		}
		if err != nil {
			return nil, err
		}
		if len(part) == 0 {
			return nil, chiperr.Newf(chiperr.Malformed, "read file", "file %04X ended at %d of %d bytes", fid, len(buf), total)
		}
		if len(part) > total-len(buf) {
			part = part[:total-len(buf)]
		}
		buf = append(buf, part...)
		r.report(fid, len(buf), total)
	}
	return buf, nil
}

func (r *Reader) report(fid uint16, done, total int) {
	if r.Progress != nil {
		r.Progress(fid, done, total)
	}
}

// readB0 is READ BINARY with the offset in P1-P2 (or the SFI in P1).
func (r *Reader) readB0(ctx context.Context, sfi byte, offset, ne int) ([]byte, error) {
	cmd := iso7816.Command{INS: 0xB0, P1: byte(offset >> 8), P2: byte(offset), Ne: ne}
	if sfi > 0 {
		cmd.P1, cmd.P2 = 0x80|sfi&0x1F, byte(offset)
	}
	return r.read(ctx, cmd)
}

// readB1 is the odd READ BINARY: the offset travels in DO'54' and the data
// comes back in DO'53' (ISO/IEC 7816-4 §11.3.3), for offsets above 32767.
func (r *Reader) readB1(ctx context.Context, offset, ne int) ([]byte, error) {
	off := []byte{byte(offset >> 16), byte(offset >> 8), byte(offset)}
	for len(off) > 1 && off[0] == 0 {
		off = off[1:]
	}
	// Leave room for the DO'53' header in the answer, without turning a
	// short read into an extended one.
	limit := iso7816.MaxExtendedNe
	if r.chunk() <= iso7816.MaxShortNe {
		limit = iso7816.MaxShortNe
	}
	cmd := iso7816.Command{INS: 0xB1, Data: ber.Encode(0x54, off), Ne: min(ne+4, limit)}
	resp, err := r.read(ctx, cmd)
	if err != nil {
		return nil, err
	}
	do, _, err := ber.ParseTLV(resp)
	if err != nil || do.Tag != 0x53 {
		return nil, chiperr.New(chiperr.Malformed, "READ BINARY (B1)", "answer is not a DO'53'")
	}
	return do.Value, nil
}

func (r *Reader) read(ctx context.Context, cmd iso7816.Command) ([]byte, error) {
	resp, err := iso7816.Do(ctx, r.T, cmd)
	if err != nil {
		return nil, err
	}
	switch resp.SW {
	case iso7816.SWOK, iso7816.SWEndOfFileWarning:
		return resp.Data, nil
	}
	return nil, chiperr.Wrap(chiperr.Status, "READ BINARY", resp.Err())
}

// contextError turns a context error into the matching chip error.
func contextError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return chiperr.Wrap(chiperr.Timeout, "read file", err)
	}
	return chiperr.Wrap(chiperr.Canceled, "read file", err)
}
