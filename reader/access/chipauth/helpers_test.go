package chipauth

import (
	"context"
	"crypto/rand"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/sm"
)

// RFC 5114 §2.2, "2048-bit MODP Group with 224-bit Prime Order Subgroup"
// (also PACE standardized domain parameter id 1, ICAO 9303-11 Table 6).
// TestRFC5114Group checks the copy: p and q prime, q | p-1, g of order q.
var (
	rfc5114P = testhex.MustInt("AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75E6FA141DF95A56DB" +
		"AF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A66D3F8152AD6AC2129037C9EDEFDA4DF8" +
		"D91E8FEF55B7394B7AD5B7D0B6C12207C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708" +
		"B3BF8A317091883681286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A074" +
		"15987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8BE60E69CC928B2B9" +
		"C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29E3FB73C16B8E75B97EF363E2FFA31F71" +
		"CF9DE5384E71B81C0AC4DFFE0C10E64F")
	rfc5114G = testhex.MustInt("AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3A6824A4E10B9A6F0" +
		"DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652BE5E9001A8D66AD7C17669101999024A" +
		"F4D027275AC1348BB8A762D0521BC98AE247150422EA1ED409939D54DA7460CDB5F6C6B250717CBE" +
		"F180EB34118E98D119529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8AC" +
		"B70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381B539CCE3409D13CD" +
		"566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD7B5A0F1C71CFFF4C19C418E1F6EC0179" +
		"81BC087F2A7065B384B890D3191F2BFA")
	rfc5114Q = testhex.MustInt("801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB")
)

func curve(t testing.TB, name string) *ecc.Curve {
	t.Helper()
	c, ok := ecc.ByName(name)
	if !ok {
		t.Fatalf("no curve %s", name)
	}
	return c
}

func ecKey(t testing.TB, name string) *PrivateKey {
	t.Helper()
	k, err := GenerateECKey(rand.Reader, curve(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func dhKey(t testing.TB) *PrivateKey {
	t.Helper()
	k, err := GenerateDHKey(rand.Reader, rfc5114P, rfc5114G, rfc5114Q)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func protocol(t testing.TB, name string) Protocol {
	t.Helper()
	for _, p := range Protocols() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no protocol %s", name)
	return Protocol{}
}

// card is a virtual card in miniature: secure messaging on the card side, a
// CA Chip, and READ BINARY answering a fixed text so a test can check that
// both ends share the session after CA.
type card struct {
	t       testing.TB
	session *sm.Session
	chip    *Chip
	log     []iso7816.Command
}

var fileText = []byte("after CA")

func (c *card) Transmit(_ context.Context, apdu []byte) ([]byte, error) {
	plain, err := c.session.UnprotectCommand(apdu)
	if err != nil {
		// A chip that cannot verify a command answers in plain and drops SM.
		return []byte{0x69, 0x88}, nil
	}
	cmd, err := iso7816.ParseCommand(plain)
	if err != nil {
		c.t.Fatalf("card: %v", err)
	}
	c.log = append(c.log, cmd)
	var resp iso7816.Response
	var next *sm.Session
	switch {
	case c.chip.Handles(cmd):
		resp, next = c.chip.Handle(cmd)
	case cmd.INS == 0xB0:
		resp = iso7816.Response{Data: fileText, SW: iso7816.SWOK}
	default:
		resp = iso7816.Response{SW: iso7816.SWINSNotSupported}
	}
	out, err := c.session.ProtectResponse(resp.Bytes())
	if err != nil {
		c.t.Fatalf("card: %v", err)
	}
	if next != nil {
		c.session = next
	}
	return out, nil
}

// pair opens a secure channel between a terminal and a card holding chip,
// as BAC or PACE would have left it.
func pair(t testing.TB, chip *Chip) (*sm.Channel, *card) {
	t.Helper()
	k := make([]byte, 16)
	rand.Read(k)
	ts, err := sm.NewSession(sm.AES, k, k, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := sm.NewSession(sm.AES, k, k, nil)
	c := &card{t: t, session: cs, chip: chip}
	return sm.Wrap(c, ts), c
}

// readBack reads through the channel and checks the card's answer.
func readBack(ctx context.Context, ch iso7816.Transmitter) error {
	data, err := iso7816.DoOK(ctx, ch, iso7816.Command{INS: 0xB0, Ne: 256})
	if err != nil {
		return err
	}
	if string(data) != string(fileText) {
		return errBadRead
	}
	return nil
}

type testErr string

func (e testErr) Error() string { return string(e) }

const errBadRead = testErr("read back the wrong data")
