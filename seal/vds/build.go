package vds

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/reader/ber"
)

// Build encodes and signs a seal; it serves tests and the simulator. Each
// field is written from Raw when set, else from Text by its Kind (an MRZ
// may hold "\n" between lines; when the header's profile truncates that
// MRZ, the characters beyond what it keeps are dropped). Tags must be
// unique and below 0xFF. The signer must hold an ECDSA key (Public() an
// *ecdsa.PublicKey, on a NIST or brainpool curve); the hash follows the
// curve size and the signature is stored as r || s.
func Build(h Header, fields []Field, signer crypto.Signer) ([]byte, error) {
	out, err := encodeSigned(h, fields)
	if err != nil {
		return nil, err
	}
	sig, err := signPlain(signer, out)
	if err != nil {
		return nil, err
	}
	out = append(out, signatureTag)
	out = append(out, ber.EncodeLength(len(sig))...)
	out = append(out, sig...)
	if len(out) > MaxSize {
		return nil, newErrf(BadInput, "build", "seal of %d bytes (max %d)", len(out), MaxSize)
	}
	return out, nil
}

// encodeSigned encodes the header and the message zone: the signed bytes.
func encodeSigned(h Header, fields []Field) ([]byte, error) {
	const op = "build"
	out, err := h.encode()
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, newErr(BadInput, op, "no document feature")
	}
	prof, _ := ProfileFor(h.FeatureRef, h.Category)
	seen := map[byte]bool{}
	for _, f := range fields {
		if f.Tag == signatureTag || seen[f.Tag] {
			return nil, newErrf(BadInput, op, "tag %#02x reserved or repeated", f.Tag)
		}
		seen[f.Tag] = true
		val := f.Raw
		if val == nil {
			if val, err = encodeValue(prof, f); err != nil {
				return nil, err
			}
		}
		if len(val) > 0xFFFF {
			return nil, newErrf(BadInput, op, "tag %#02x value of %d bytes", f.Tag, len(val))
		}
		out = append(out, f.Tag)
		out = append(out, ber.EncodeLength(len(val))...)
		out = append(out, val...)
	}
	return out, nil
}

// signPlain signs data and returns r || s, each on the order's byte length.
func signPlain(signer crypto.Signer, data []byte) ([]byte, error) {
	const op = "sign"
	if signer == nil {
		return nil, newErr(BadInput, op, "no signer")
	}
	pub, ok := signer.Public().(*ecdsa.PublicKey)
	if !ok || pub == nil || pub.Curve == nil {
		return nil, newErrf(UnsupportedKey, op, "%T", signer.Public())
	}
	hf := HashFor(pub.Curve.Params().BitSize)
	hh := hf.New()
	hh.Write(data)
	der, err := signer.Sign(rand.Reader, hh.Sum(nil), hf)
	if err != nil {
		return nil, &Error{Kind: BadInput, Op: op, Err: err}
	}
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &rs); err != nil || len(rest) > 0 || rs.R == nil || rs.S == nil {
		return nil, newErr(BadInput, op, "signer did not return a DER ECDSA signature")
	}
	n := (pub.Curve.Params().N.BitLen() + 7) / 8
	if rs.R.Sign() <= 0 || rs.S.Sign() <= 0 || rs.R.BitLen() > 8*n || rs.S.BitLen() > 8*n {
		return nil, newErr(BadInput, op, "signature values out of range")
	}
	sig := make([]byte, 2*n)
	rs.R.FillBytes(sig[:n])
	rs.S.FillBytes(sig[n:])
	return sig, nil
}

// encodeValue turns a field's Text into bytes by its Kind.
func encodeValue(p *Profile, f Field) ([]byte, error) {
	op := fmt.Sprintf("build tag %#02x", f.Tag)
	switch f.Kind {
	case KindC40:
		return EncodeC40(f.Text)
	case KindMRZ:
		s := strings.NewReplacer("\r", "", "\n", "").Replace(f.Text)
		if p != nil {
			if sp, ok := p.Feature(f.Tag); ok && sp.MRZChars > 0 && len(s) > sp.MRZChars {
				s = s[:sp.MRZChars]
			}
		}
		return EncodeC40(s)
	case KindUTF8:
		if !utf8.ValidString(f.Text) {
			return nil, newErr(BadInput, op, "not UTF-8")
		}
		return []byte(f.Text), nil
	case KindDate:
		t, err := time.Parse("2006-01-02", f.Text)
		if err != nil {
			return nil, newErr(BadInput, op, "date is not YYYY-MM-DD")
		}
		return EncodeDate(t)
	case KindInt:
		v, err := strconv.ParseUint(f.Text, 10, 8)
		if err != nil {
			return nil, newErr(BadInput, op, "not an integer 0..255")
		}
		return []byte{byte(v)}, nil
	case KindDuration:
		var y, m, d uint8
		if _, err := fmt.Sscanf(f.Text, "P%dY%dM%dD", &y, &m, &d); err != nil {
			return nil, newErr(BadInput, op, "duration is not PnYnMnD")
		}
		return []byte{d, m, y}, nil
	}
	b, err := hex.DecodeString(f.Text)
	if err != nil {
		return nil, newErr(BadInput, op, "binary text is not hex")
	}
	return b, nil
}
