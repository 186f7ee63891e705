package vpcd

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net"
	"testing"
	"time"
)

type echoCard struct{ resets int }

func (c *echoCard) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	return append(append([]byte{}, apdu...), 0x90, 0x00), nil
}
func (c *echoCard) ATR() []byte { return []byte{0x3B, 0x80, 0x80, 0x01, 0x01} }
func (c *echoCard) Reset()      { c.resets++ }

func frame(b []byte) []byte {
	out := binary.BigEndian.AppendUint16(nil, uint16(len(b)))
	return append(out, b...)
}

// TestFraming plays vpcd's side of the protocol against Serve.
func TestFraming(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	card := &echoCard{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln.Addr().String(), card) }()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	readFrame := func() []byte {
		var h [2]byte
		if _, err := io.ReadFull(conn, h[:]); err != nil {
			t.Fatal(err)
		}
		b := make([]byte, binary.BigEndian.Uint16(h[:]))
		if _, err := io.ReadFull(conn, b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	conn.Write(frame([]byte{ctrlPowerOn}))
	conn.Write(frame([]byte{ctrlATR}))
	if got := readFrame(); !bytes.Equal(got, card.ATR()) {
		t.Fatalf("ATR %X", got)
	}
	apdu := []byte{0x00, 0xA4, 0x04, 0x0C, 0x01, 0xAA}
	conn.Write(frame(apdu))
	if got := readFrame(); !bytes.Equal(got, append(apdu, 0x90, 0x00)) {
		t.Fatalf("response %X", got)
	}
	conn.Close()
	cancel() // Serve would otherwise connect again
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if card.resets != 1 {
		t.Fatalf("resets = %d, want 1", card.resets)
	}
}
