package chipauth

import (
	"bytes"
	"context"
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// No published Chip Authentication worked example was found (ICAO 9303-11
// has none for CA; TR-03105 gives test cases without key material). The key
// agreement of CA is plain ECKA-DH, so this known-answer test uses the ECDH
// example of RFC 7027 Appendix A.1 (brainpoolP256r1): the chip holds dA, the
// terminal's ephemeral key is dB, and both must find x(Z).
const (
	rfc7027dA  = "81DB1EE100150FF2EA338D708271BE38300CB54241D79950F77B063039804F1D"
	rfc7027QAx = "44106E913F92BC02A1705D9953A8414DB95E1AAA49E81D9E85F929A8E3100BE5"
	rfc7027QAy = "8AB4846F11CACCB73CE49CBDD120F5A900A69FD32C272223F789EF10EB089BDC"
	rfc7027dB  = "55E40BC41E37E3E2AD25C3C6654511FFA8474A91A0032087593852D3E7D76BD3"
	rfc7027QBx = "8D2D688C6CF93E1160AD04CC4429117DC2C41825E1E9FCA0ADDD34E6F1B39F7B"
	rfc7027QBy = "990C57520812BE512641E47034832106BC7D3E8DD0E4C7F1136D7006547CEC6A"
	rfc7027Zx  = "89AFC39D41D3B327814B80940B042590F96556EC91E6AE7939BCE31F3A18BF2B"
)

func TestKnownAnswerRFC7027(t *testing.T) {
	c := curve(t, "brainpoolP256r1")
	chipKey := &PrivateKey{
		Public: PublicKey{Curve: c, Point: testhex.Bytes(t, "04"+rfc7027QAx+rfc7027QAy)},
		D:      testhex.Bytes(t, rfc7027dA),
	}
	wantPub := testhex.Bytes(t, "04"+rfc7027QBx+rfc7027QBy)
	wantZ := testhex.Bytes(t, rfc7027Zx)

	for _, name := range []string{"id-CA-ECDH-3DES-CBC-CBC", "id-CA-ECDH-AES-CBC-CMAC-128"} {
		p := protocol(t, name)
		chip, err := NewChip(chipKey, p.OID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var chipSecret []byte
		tr := iso7816.TransmitFunc(func(_ context.Context, apdu []byte) ([]byte, error) {
			cmd, err := iso7816.ParseCommand(apdu)
			if err != nil {
				t.Fatal(err)
			}
			// The terminal's public key is dB·G of RFC 7027.
			if cmd.INS == 0x22 && cmd.P2 == 0xA6 && !bytes.Equal(cmd.Data, append([]byte{0x91, 0x41}, wantPub...)) {
				t.Errorf("Set KAT data %X", cmd.Data)
			}
			if cmd.INS == 0x86 && !bytes.Equal(cmd.Data, append([]byte{0x7C, 0x43, 0x80, 0x41}, wantPub...)) {
				t.Errorf("GA data %X", cmd.Data)
			}
			secret, sw := chip.handle(cmd)
			if secret != nil {
				chipSecret = secret
				if cmd.INS == 0x86 {
					return []byte{0x7C, 0x00, 0x90, 0x00}, nil
				}
			}
			return []byte{byte(sw >> 8), byte(sw)}, nil
		})
		secret, _, err := authenticate(context.Background(), tr, p.OID, nil, chipKey.Public, bytes.NewReader(testhex.Bytes(t, rfc7027dB)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(secret, wantZ) || !bytes.Equal(chipSecret, wantZ) {
			t.Fatalf("%s: terminal %X chip %X, want %X", name, secret, chipSecret, wantZ)
		}
	}
}
