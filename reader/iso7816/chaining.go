package iso7816

import (
	"context"
	"slices"
)

// maxGetResponse bounds how many 61XX rounds one command may trigger, so a
// card that keeps announcing "more data" cannot keep the reader forever.
const maxGetResponse = 512

// WithResponseHandling wraps a raw transport so that 61XX (more data: send
// GET RESPONSE) and 6CXX (wrong Le: resend with the right one) are resolved
// before the caller sees the response. It belongs directly above the
// physical transport, below secure messaging.
func WithResponseHandling(t Transmitter) Transmitter {
	return TransmitFunc(func(ctx context.Context, apdu []byte) ([]byte, error) {
		resp, err := t.Transmit(ctx, apdu)
		if err != nil {
			return nil, err
		}
		r, err := ParseResponse(resp)
		if err != nil {
			return nil, err
		}
		if r.SW1() == 0x6C && len(apdu) >= 4 {
			cmd, perr := ParseCommand(apdu)
			if perr == nil {
				cmd.Ne = neShort(r.SW2())
				again, berr := cmd.Bytes()
				if berr != nil {
					return nil, berr
				}
				if resp, err = t.Transmit(ctx, again); err != nil {
					return nil, err
				}
				if r, err = ParseResponse(resp); err != nil {
					return nil, err
				}
			}
		}
		if r.SW1() != 0x61 || len(apdu) < 4 {
			return resp, nil // nothing to chain (or no command to take the class from)
		}
		data := slices.Clone(r.Data)
		cla := apdu[0] &^ 0x0C // GET RESPONSE is never protected by SM
		for i := 0; r.SW1() == 0x61; i++ {
			if i >= maxGetResponse {
				return nil, &StatusError{SW: r.SW}
			}
			get, _ := Command{CLA: cla, INS: 0xC0, Ne: neShort(r.SW2())}.Bytes()
			if resp, err = t.Transmit(ctx, get); err != nil {
				return nil, err
			}
			if r, err = ParseResponse(resp); err != nil {
				return nil, err
			}
			data = append(data, r.Data...)
		}
		return Response{Data: data, SW: r.SW}.Bytes(), nil
	})
}

// Do encodes cmd, transmits it and decodes the response. It does not turn a
// non-9000 status into an error: callers decide which statuses they accept
// (use Response.Err).
func Do(ctx context.Context, t Transmitter, cmd Command) (Response, error) {
	b, err := cmd.Bytes()
	if err != nil {
		return Response{}, err
	}
	resp, err := t.Transmit(ctx, b)
	if err != nil {
		return Response{}, err
	}
	return ParseResponse(resp)
}

// DoOK is Do that fails on any status word other than 9000.
func DoOK(ctx context.Context, t Transmitter, cmd Command) ([]byte, error) {
	r, err := Do(ctx, t, cmd)
	if err != nil {
		return nil, err
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return r.Data, nil
}
