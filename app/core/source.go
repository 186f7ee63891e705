package core

import (
	"context"
	"strings"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
)

// Source is where a card comes from.
type Source interface {
	// Name is what the user sees ("ACS ACR1252 …", "carte de démonstration").
	Name() string
	// Demo reports the built-in virtual card: its results are DEMO.
	Demo() bool
	// Connect waits until a card is there (ctx cancels the wait) and
	// returns a connection to it.
	Connect(ctx context.Context) (*Connection, error)
}

// Connection is an open card.
type Connection struct {
	iso7816.Transmitter
	// ShortOnly: the reader is known not to carry extended-length APDUs.
	ShortOnly bool
	// Reader is the PC/SC reader name; empty for the in-process demo card.
	Reader string
	// Demo is the virtual card, whose demo trust anchors the verification
	// may use; nil for a real reader.
	Demo  sim.Chip
	close func() error
}

// Close disconnects the card.
func (c *Connection) Close() error {
	if c.close == nil {
		return nil
	}
	return c.close()
}

// DemoSource is the built-in virtual card, in-process: no reader needed.
type DemoSource struct {
	// Profile is the virtual card's profile; sim.DefaultProfile when empty.
	Profile string
}

func (d DemoSource) Name() string { return "DEMO" }
func (d DemoSource) Demo() bool   { return true }

// Connect gives a freshly powered virtual card.
func (d DemoSource) Connect(ctx context.Context) (*Connection, error) {
	if err := ctx.Err(); err != nil {
		return nil, chiperr.Wrap(chiperr.Canceled, "demo card", err)
	}
	name := d.Profile
	if name == "" {
		name = sim.DefaultProfile
	}
	card, err := sim.NewNamed(name)
	if err != nil {
		return nil, err
	}
	return &Connection{Transmitter: card, Demo: card}, nil
}

// DemoCAN is the public CAN of the demo card's profile, shown as a hint.
func (d DemoSource) DemoCAN() string {
	name := d.Profile
	if name == "" {
		name = sim.DefaultProfile
	}
	if p, err := sim.LookupProfile(name); err == nil {
		return p.CAN
	}
	return ""
}

// DemoMRZ is what the DEMO card's MRZ gives to open it without the CAN:
// document number, birth date and expiry date (YYMMDD).
func (d DemoSource) DemoMRZ() (doc, birth, expiry string) {
	name := d.Profile
	if name == "" {
		name = sim.DefaultProfile
	}
	p, err := sim.LookupProfile(name)
	if err != nil {
		return "", "", ""
	}
	return p.MRZ.DocumentNumber, p.MRZ.BirthDate.String(), p.MRZ.ExpiryDate.String()
}

// ReaderSource is one PC/SC reader.
type ReaderSource struct {
	Reader string
	// Waiting, when set, is called once if Connect finds no card on the
	// reader and starts waiting for one (the command line says so).
	Waiting func()
}

func (r ReaderSource) Name() string { return r.Reader }
func (r ReaderSource) Demo() bool   { return false }

// Connect waits for a card on the reader and connects to it, remembering
// what is known of the reader's extended-length support.
func (r ReaderSource) Connect(ctx context.Context) (*Connection, error) {
	pc, err := pcsc.Establish()
	if err != nil {
		return nil, err
	}
	card, err := pc.Connect(r.Reader)
	if chiperr.KindOf(err) == chiperr.NoCard {
		if r.Waiting != nil {
			r.Waiting()
		}
		if err = pc.WaitForCard(ctx, r.Reader); err == nil {
			card, err = pc.Connect(r.Reader)
		}
	}
	if err != nil {
		pc.Close()
		return nil, err
	}
	c := &Connection{Transmitter: card, Reader: r.Reader, close: func() error {
		err := card.Close()
		pc.Close()
		return err
	}}
	if works, known := pcsc.ExtendedKnown(r.Reader); known && !works {
		c.ShortOnly = true
	}
	if q, ok := pcsc.LookupQuirks(r.Reader, 0, 0); ok && !q.ExtendedLength {
		c.ShortOnly = true // a short-only model: skip the failing extended attempt
	}
	return c, nil
}

// IsVirtualReader tells vsmartcard's vpcd slots ("Virtual PCD 00 00"),
// which a developer machine has without any reader plugged in. An empty
// one is not a reader a citizen can use.
func IsVirtualReader(name string) bool {
	return strings.HasPrefix(name, "Virtual PCD")
}
