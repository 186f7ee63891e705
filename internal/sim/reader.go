package sim

import (
	"context"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// ShortAPDUReader stands for a reader that can carry short APDUs only (the
// ACR122U and other PN533-based readers: 271-byte messages at most). An
// extended-length command never reaches the card: the reader fails the
// exchange, as PC/SC does with such readers, with a transport error.
type ShortAPDUReader struct {
	Card iso7816.Transmitter
}

// Transmit refuses extended-length commands and passes the others on.
func (r ShortAPDUReader) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	if cmd, err := iso7816.ParseCommand(apdu); err == nil && cmd.IsExtended() {
		return nil, chiperr.New(chiperr.Transport, "reader", "extended-length APDU refused by a short-APDU reader")
	}
	return r.Card.Transmit(ctx, apdu)
}
