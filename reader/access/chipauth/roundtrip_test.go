package chipauth

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

func TestRFC5114Group(t *testing.T) {
	if !rfc5114P.ProbablyPrime(16) || !rfc5114Q.ProbablyPrime(16) {
		t.Fatal("p or q not prime")
	}
	if new(big.Int).Mod(new(big.Int).Sub(rfc5114P, big.NewInt(1)), rfc5114Q).Sign() != 0 {
		t.Fatal("q does not divide p-1")
	}
	if new(big.Int).Exp(rfc5114G, rfc5114Q, rfc5114P).Cmp(big.NewInt(1)) != 0 {
		t.Fatal("g not of order q")
	}
	if rfc5114P.BitLen() != 2048 || rfc5114Q.BitLen() != 224 {
		t.Fatal("wrong sizes")
	}
}

func TestProtocolTable(t *testing.T) {
	cases := []struct {
		oid  []int
		name string
		kb   int
	}{
		{[]int{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 1}, "id-CA-DH-3DES-CBC-CBC", 16},
		{[]int{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 4}, "id-CA-DH-AES-CBC-CMAC-256", 32},
		{[]int{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 1}, "id-CA-ECDH-3DES-CBC-CBC", 16},
		{[]int{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 2}, "id-CA-ECDH-AES-CBC-CMAC-128", 16},
		{[]int{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 3}, "id-CA-ECDH-AES-CBC-CMAC-192", 24},
	}
	for _, c := range cases {
		p, ok := ProtocolByOID(c.oid)
		if !ok || p.Name != c.name || p.KeyBytes != c.kb {
			t.Errorf("%v: got %+v", c.oid, p)
		}
	}
	for _, bad := range [][]int{{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 5}, {0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}, {0, 4, 0, 127, 0, 7, 2, 2, 3}} {
		if _, ok := ProtocolByOID(bad); ok {
			t.Errorf("%v accepted", bad)
		}
	}
	if len(Protocols()) != 8 {
		t.Errorf("%d protocols", len(Protocols()))
	}
	// DG14 without ChipAuthenticationInfo: 3DES (ICAO 9303-11 §6.2).
	if p, _ := ProtocolByOID(DefaultOID(PublicKey{Curve: curve(t, "P-256")})); p.Name != "id-CA-ECDH-3DES-CBC-CBC" {
		t.Errorf("default EC: %s", p.Name)
	}
	if p, _ := ProtocolByOID(DefaultOID(PublicKey{P: rfc5114P})); p.Name != "id-CA-DH-3DES-CBC-CBC" {
		t.Errorf("default DH: %s", p.Name)
	}
}

// TestRoundTrip runs CA between the terminal and the chip side over secure
// messaging, switches both ends and reads a file under the new keys: that
// only works when both derived the same keys.
func TestRoundTrip(t *testing.T) {
	keys := map[string]*PrivateKey{
		"P-256":           ecKey(t, "P-256"),
		"brainpoolP256r1": ecKey(t, "brainpoolP256r1"),
		"brainpoolP384r1": ecKey(t, "brainpoolP384r1"),
		"DH-2048-224":     dhKey(t),
	}
	ciphers := []string{"3DES-CBC-CBC", "AES-CBC-CMAC-128", "AES-CBC-CMAC-192", "AES-CBC-CMAC-256"}
	if testing.Short() {
		ciphers = []string{"3DES-CBC-CBC", "AES-CBC-CMAC-128", "AES-CBC-CMAC-256"}
	}
	for keyName, key := range keys {
		for _, cph := range ciphers {
			agreement := "ECDH"
			if !key.Public.IsEC() {
				agreement = "DH"
			}
			p := protocol(t, "id-CA-"+agreement+"-"+cph)
			for _, withID := range []bool{false, true} {
				name := keyName + "/" + cph
				if withID {
					name += "/keyID"
				}
				t.Run(name, func(t *testing.T) {
					var id *int
					if withID {
						v := 300 // two bytes on the wire
						id = &v
					}
					chip, err := NewChip(key, p.OID, id)
					if err != nil {
						t.Fatal(err)
					}
					ch, c := pair(t, chip)
					ctx := context.Background()
					s, err := Authenticate(ctx, ch, p.OID, id, key.Public, nil)
					if err != nil {
						t.Fatal(err)
					}
					if s.Algorithm() != p.Cipher {
						t.Fatalf("session %v, want %v", s.Algorithm(), p.Cipher)
					}
					if !bytes.Equal(s.SSC(), make([]byte, p.Cipher.BlockSize())) {
						t.Fatalf("SSC %X, want zero", s.SSC())
					}
					ch.Switch(s)
					if err := readBack(ctx, ch); err != nil {
						t.Fatal(err)
					}
					checkCommands(t, c.log, p, withID)
				})
			}
		}
	}
}

// checkCommands checks the APDUs the terminal sent against ICAO 9303-11 §6.2.
func checkCommands(t *testing.T, log []iso7816.Command, p Protocol, withID bool) {
	t.Helper()
	if p.UsesKAT() {
		if len(log) != 2 || log[0].INS != 0x22 || log[0].P1 != 0x41 || log[0].P2 != 0xA6 || log[0].Ne != 0 {
			t.Fatalf("want MSE:Set KAT then READ BINARY, got %v", log)
		}
		if log[0].Data[0] != 0x91 || bytes.Contains(log[0].Data[2:], []byte{0x84, 0x02, 0x01, 0x2C}) != withID {
			t.Errorf("Set KAT data %X", log[0].Data)
		}
		return
	}
	if len(log) != 3 || log[0].P2 != 0xA4 || log[1].INS != 0x86 || log[1].Ne != 256 {
		t.Fatalf("want MSE:Set AT, General Authenticate, READ BINARY; got %v", log)
	}
	want := append([]byte{0x80, byte(len(ber.OIDContents(p.OID)))}, ber.OIDContents(p.OID)...)
	if withID {
		want = append(want, 0x84, 0x02, 0x01, 0x2C)
	}
	if !bytes.Equal(log[0].Data, want) {
		t.Errorf("Set AT data %X, want %X", log[0].Data, want)
	}
	if log[1].Data[0] != 0x7C {
		t.Errorf("GA data %X", log[1].Data)
	}
}

// TestSharedSecret checks, without secure messaging, that the secret the
// terminal derives is the chip's, for EC and DH.
func TestSharedSecret(t *testing.T) {
	noQ, err := GenerateDHKey(nil, rfc5114P, rfc5114G, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []*PrivateKey{ecKey(t, "brainpoolP256r1"), dhKey(t), noQ} {
		oid := DefaultOID(key.Public)
		var sent []byte
		tr := iso7816.TransmitFunc(func(_ context.Context, apdu []byte) ([]byte, error) {
			cmd, _ := iso7816.ParseCommand(apdu)
			dos, err := parseDOs(cmd.Data, "")
			if err != nil || dos[0].Tag != 0x91 {
				t.Fatalf("bad Set KAT %X", apdu)
			}
			sent = dos[0].Value
			return []byte{0x90, 0x00}, nil
		})
		secret, _, err := authenticate(context.Background(), tr, oid, nil, key.Public, nil)
		if err != nil {
			t.Fatal(err)
		}
		chipSecret, err := key.sharedSecret(sent, "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(secret, chipSecret) {
			t.Fatalf("secrets differ")
		}
		want := 32
		if !key.Public.IsEC() {
			want = 256 // |p|
		}
		if len(secret) != want {
			t.Errorf("secret of %d bytes, want %d", len(secret), want)
		}
	}
}

// TestClonedChip: a chip that accepts CA without the private key of DG14
// cannot read the next command, and the terminal sees an Integrity failure.
func TestClonedChip(t *testing.T) {
	genuine := ecKey(t, "P-256")
	clone, _ := NewChip(ecKey(t, "P-256"), protocol(t, "id-CA-ECDH-AES-CBC-CMAC-128").OID, nil)
	ch, _ := pair(t, clone)
	ctx := context.Background()
	s, err := Authenticate(ctx, ch, clone.Protocol.OID, nil, genuine.Public, nil)
	if err != nil {
		t.Fatal(err)
	}
	ch.Switch(s)
	if err := readBack(ctx, ch); !errors.Is(err, chiperr.Integrity) {
		t.Fatalf("got %v, want Integrity", err)
	}
}

func TestTerminalRejects(t *testing.T) {
	ctx := context.Background()
	ec := ecKey(t, "P-256")
	dh := dhKey(t)
	ecdhAES := protocol(t, "id-CA-ECDH-AES-CBC-CMAC-128").OID
	dhAES := protocol(t, "id-CA-DH-AES-CBC-CMAC-128").OID
	offCurve := append([]byte(nil), ec.Public.Point...)
	offCurve[len(offCurve)-1] ^= 1
	neg := -1
	nothing := iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
		t.Fatal("a command was sent")
		return nil, nil
	})
	cases := []struct {
		name string
		oid  []int
		key  PublicKey
		id   *int
		kind chiperr.Kind
	}{
		{"unknown protocol", []int{1, 2, 3}, ec.Public, nil, chiperr.Unsupported},
		{"EC protocol, DH key", ecdhAES, dh.Public, nil, chiperr.Malformed},
		{"DH protocol, EC key", dhAES, ec.Public, nil, chiperr.Malformed},
		{"point off the curve", ecdhAES, PublicKey{Curve: ec.Public.Curve, Point: offCurve}, nil, chiperr.Integrity},
		{"truncated point", ecdhAES, PublicKey{Curve: ec.Public.Curve, Point: ec.Public.Point[:20]}, nil, chiperr.Malformed},
		{"DH y = 1", dhAES, PublicKey{P: rfc5114P, G: rfc5114G, Q: rfc5114Q, Y: big.NewInt(1)}, nil, chiperr.Integrity},
		{"DH y = p-1", dhAES, PublicKey{P: rfc5114P, G: rfc5114G, Q: rfc5114Q, Y: new(big.Int).Sub(rfc5114P, big.NewInt(1))}, nil, chiperr.Integrity},
		{"DH y outside subgroup", dhAES, PublicKey{P: rfc5114P, G: rfc5114G, Q: rfc5114Q, Y: big.NewInt(3)}, nil, chiperr.Integrity},
		{"DH q not dividing p-1", dhAES, PublicKey{P: rfc5114P, G: rfc5114G, Q: new(big.Int).Add(rfc5114Q, big.NewInt(2)), Y: dh.Public.Y}, nil, chiperr.Malformed},
		{"DH small modulus", dhAES, PublicKey{P: big.NewInt(23), G: big.NewInt(5), Y: big.NewInt(4)}, nil, chiperr.Unsupported},
		{"DH no group", dhAES, PublicKey{Y: big.NewInt(4)}, nil, chiperr.Malformed},
		{"negative key id", ecdhAES, ec.Public, &neg, chiperr.Malformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Authenticate(ctx, nothing, c.oid, c.id, c.key, nil)
			if chiperr.KindOf(err) != c.kind {
				t.Fatalf("got %v, want kind %v", err, c.kind)
			}
		})
	}
}

// scripted answers each command with the next canned response.
func scripted(resps ...[]byte) iso7816.Transmitter {
	i := 0
	return iso7816.TransmitFunc(func(context.Context, []byte) ([]byte, error) {
		if i >= len(resps) {
			return nil, chiperr.New(chiperr.Transport, "test", "no more responses")
		}
		i++
		return resps[i-1], nil
	})
}

func TestTerminalCardAnswers(t *testing.T) {
	ctx := context.Background()
	ec := ecKey(t, "brainpoolP384r1")
	aes := protocol(t, "id-CA-ECDH-AES-CBC-CMAC-256").OID
	tdes := protocol(t, "id-CA-ECDH-3DES-CBC-CBC").OID
	ok := []byte{0x90, 0x00}
	cases := []struct {
		name  string
		oid   []int
		resps [][]byte
		kind  chiperr.Kind // 0: success
	}{
		{"KAT ok", tdes, [][]byte{ok}, 0},
		{"KAT refused 6A80", tdes, [][]byte{{0x6A, 0x80}}, chiperr.Status},
		{"KAT security status", tdes, [][]byte{{0x69, 0x82}}, chiperr.SecurityStatus},
		{"KAT with data", tdes, [][]byte{{1, 2, 0x90, 0x00}}, chiperr.Malformed},
		{"AT then empty GA", aes, [][]byte{ok, ok}, 0},
		{"AT then 7C00", aes, [][]byte{ok, {0x7C, 0x00, 0x90, 0x00}}, 0},
		{"AT refused", aes, [][]byte{{0x6A, 0x88}}, chiperr.Status},
		{"GA refused", aes, [][]byte{ok, {0x6A, 0x80}}, chiperr.Status},
		{"GA CA v2 nonce", aes, [][]byte{ok, {0x7C, 0x04, 0x81, 0x02, 1, 2, 0x90, 0x00}}, chiperr.Unsupported},
		{"GA wrong tag", aes, [][]byte{ok, {0x7D, 0x00, 0x90, 0x00}}, chiperr.Malformed},
		{"GA truncated", aes, [][]byte{ok, {0x7C, 0x05, 0x80, 0x90, 0x00}}, chiperr.Malformed},
		{"GA trailing bytes", aes, [][]byte{ok, {0x7C, 0x00, 0x00, 0x90, 0x00}}, chiperr.Malformed},
		{"no status word", aes, [][]byte{{0x90}}, chiperr.Malformed},
		{"card gone", aes, nil, chiperr.Transport},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Authenticate(ctx, scripted(c.resps...), c.oid, nil, ec.Public, nil)
			if c.kind == 0 {
				if err != nil || s == nil {
					t.Fatalf("got %v", err)
				}
				return
			}
			if chiperr.KindOf(err) != c.kind {
				t.Fatalf("got %v, want kind %v", err, c.kind)
			}
		})
	}
}
