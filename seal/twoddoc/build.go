package twoddoc

import (
	"encoding/base32"
	"fmt"
)

// Build encodes a 2D-Doc payload: header, fields in the given order (only
// ID, Value and Truncated are used), US, and the Base32 (unpadded) signature
// that sign returns for the header and message. It is meant for tests and
// the demo card; SignECDSA gives a sign function for a private key.
//
// Fixed-length values must have their exact length; variable ones end with
// GS (RS when Truncated) except the last, which ends at the US.
func Build(h Header, fields []Field, sign func(data []byte) ([]byte, error)) ([]byte, error) {
	if sign == nil {
		return nil, newErr(BadInput, "no signer")
	}
	out, err := h.encode()
	if err != nil {
		return nil, err
	}
	for k, f := range fields {
		if len(f.ID) != 2 || !allUpperAlnum([]byte(f.ID)) {
			return nil, newErr(BadInput, "field %d: identifier must be 2 uppercase characters", k)
		}
		if err := checkChars(f.ID, []byte(f.Value)); err != nil {
			return nil, newErr(BadInput, "field %s: only printable ASCII", f.ID)
		}
		def, known := LookupField(h.Perimeter, f.ID)
		if !known {
			def = FieldDef{ID: f.ID}
		}
		out = append(out, f.ID...)
		out = append(out, f.Value...)
		if def.Fixed() {
			if len(f.Value) != def.Max || f.Truncated {
				return nil, newErr(BadInput, "field %s: fixed length %d, not truncatable", f.ID, def.Max)
			}
			continue
		}
		if def.Max > 0 && len(f.Value) > def.Max {
			return nil, newErr(BadInput, "field %s: longer than %d", f.ID, def.Max)
		}
		switch {
		case f.Truncated:
			out = append(out, RS)
		case k < len(fields)-1:
			out = append(out, GS)
		}
	}
	sig, err := sign(out)
	if err != nil {
		return nil, fmt.Errorf("2D-Doc: signing: %w", err)
	}
	if _, ok := curveForSignature(len(sig)); !ok {
		return nil, newErr(BadInput, "signer returned %d bytes", len(sig))
	}
	out = append(out, US)
	out = append(out, base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sig)...)
	if len(out) > MaxPayload {
		return nil, newErr(TooLarge, "%d bytes", len(out))
	}
	return out, nil
}
