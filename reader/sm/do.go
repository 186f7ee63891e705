package sm

import (
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Tags of the secure-messaging data objects (ISO/IEC 7816-4 §10.2).
const (
	tagCryptoOdd  = 0x85 // cryptogram, odd INS (plain value BER-TLV encoded)
	tagCryptoEven = 0x87 // padding-content indicator 01 then cryptogram
	tagLe         = 0x97 // protected Le
	tagStatus     = 0x99 // protected status word
	tagMAC        = 0x8E // cryptographic checksum
)

// maxDOLen bounds one data object: an extended APDU carries at most 65536
// bytes, plus the padding indicator and a block of padding.
const maxDOLen = 65536 + 1 + 16

// maxDOs bounds how many data objects one APDU body may hold; a valid one
// has at most three.
const maxDOs = 4

// dataObject is one SM data object inside an APDU body.
type dataObject struct {
	tag   byte
	value []byte
	start int // offset of the tag in the body
}

// appendDO appends a data object with a BER length.
func appendDO(dst []byte, tag byte, parts ...[]byte) []byte {
	return ber.AppendElement(dst, uint32(tag), parts...)
}

// smBody is an APDU body split into its SM data objects.
type smBody struct {
	crypto   *dataObject // DO'85' or DO'87'
	le       []byte      // value of DO'97' (commands)
	status   []byte      // value of DO'99' (responses)
	macInput []byte      // every byte before DO'8E'
	mac      []byte      // value of DO'8E'
}

// parseBody splits body into data objects. Only the tags in allowed may
// appear, each at most once, DO'85' and DO'87' not together, and DO'8E'
// (8 bytes) must come last: it covers exactly the bytes before it.
func parseBody(body []byte, allowed []byte, op string) (smBody, error) {
	bad := func(detail string) (smBody, error) {
		return smBody{}, chiperr.New(chiperr.Malformed, op, detail)
	}
	dos, err := parseDOs(body, op)
	if err != nil {
		return smBody{}, err
	}
	if len(dos) == 0 {
		return bad("no secure messaging data objects")
	}
	last := dos[len(dos)-1]
	if last.tag != tagMAC {
		return bad("MAC object missing or not last")
	}
	if len(last.value) != 8 {
		return bad("MAC object of wrong length")
	}
	b := smBody{macInput: body[:last.start], mac: last.value}
	seen := map[byte]bool{}
	for i := range dos[:len(dos)-1] {
		d := &dos[i]
		ok := false
		for _, t := range allowed {
			ok = ok || t == d.tag
		}
		if !ok {
			return bad("unexpected data object")
		}
		if seen[d.tag] {
			return bad("duplicated data object")
		}
		seen[d.tag] = true
		switch d.tag {
		case tagCryptoOdd, tagCryptoEven:
			if b.crypto != nil {
				return bad("two cryptograms")
			}
			b.crypto = d
		case tagLe:
			b.le = d.value
		case tagStatus:
			b.status = d.value
		}
	}
	return b, nil
}

// parseDOs reads a sequence of one-byte-tag data objects filling b.
func parseDOs(b []byte, op string) ([]dataObject, error) {
	bad := func(detail string) ([]dataObject, error) {
		return nil, chiperr.New(chiperr.Malformed, op, detail)
	}
	var out []dataObject
	for i := 0; i < len(b); {
		if len(out) == maxDOs {
			return bad("too many data objects")
		}
		start := i
		tag := b[i]
		if tag&0x1F == 0x1F {
			return bad("unexpected data object") // no SM tag takes two bytes
		}
		h, l, err := ber.HeaderLength(b[i:])
		if err != nil {
			// An oversized length field is just a broken object here.
			return nil, &chiperr.Error{Kind: chiperr.Malformed, Op: op, Err: err}
		}
		i += h
		if l > maxDOLen {
			return nil, chiperr.Newf(chiperr.TooLarge, op, "data object of %d bytes", l)
		}
		if l > len(b)-i {
			return bad("data object longer than the APDU")
		}
		out = append(out, dataObject{tag: tag, value: b[i : i+l], start: start})
		i += l
	}
	return out, nil
}
