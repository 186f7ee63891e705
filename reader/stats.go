package reader

import (
	"context"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// Stats counts what crossed the wire between the reader and the card.
type Stats struct {
	APDUs         int           `json:"apdus"`
	BytesSent     int           `json:"bytes_sent"`
	BytesReceived int           `json:"bytes_received"`
	CardTime      time.Duration `json:"card_time_ns"` // time spent waiting for the card
	Extended      bool          `json:"extended_length"`
	Chunk         int           `json:"read_chunk"`
}

// counter is a Transmitter decorator that fills Stats; it sits directly on
// the transport (above the per-exchange time limits of timing.go), so it
// counts protected bytes as they really travel.
type counter struct {
	t  iso7816.Transmitter
	mu sync.Mutex
	s  Stats
}

func (c *counter) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	start := time.Now()
	resp, err := c.t.Transmit(ctx, apdu)
	c.mu.Lock()
	c.s.APDUs++
	c.s.BytesSent += len(apdu)
	c.s.BytesReceived += len(resp)
	c.s.CardTime += time.Since(start)
	c.mu.Unlock()
	return resp, err
}

func (c *counter) stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.s
}
