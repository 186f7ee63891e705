package sm

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/subtle"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Session is one secure-messaging session: the two session keys and the send
// sequence counter (SSC), shared by terminal and card. The SSC is incremented
// before each command is protected or unprotected and before each response
// is protected or unprotected (ICAO 9303-11 §9.8.2).
//
// After any secure-messaging failure the session is broken: ICAO chips
// discard their session keys then, so every later Protect fails with
// chiperr.Integrity until a new access protocol runs. A Session is not safe
// for concurrent use; Channel serialises its users.
type Session struct {
	alg        Algorithm
	kEnc, kMac []byte
	enc        cipher.Block // 3DES-EDE2 or AES, keyed with kEnc
	mac1, mac2 cipher.Block // DES K1 and K2 of kMac (3DES); AES(kMac) in mac1 (AES)
	ssc        []byte
	broken     bool
	wiped      bool
	oddINS     bool // card side: the last unprotected command had an odd INS
	// unanswered: the last protected command got no protected answer (a
	// bare status word, or none at all), so the card may not have seen it.
	unanswered bool
}

// NewSession starts a session. 3DES takes 16-byte keys and an 8-byte SSC;
// AES takes keys of 16, 24 or 32 bytes (both the same length) and a 16-byte
// SSC. A nil ssc means zero (the value after PACE and Chip Authentication).
// The keys are copied; the caller may wipe its own copies.
func NewSession(alg Algorithm, kEnc, kMac, ssc []byte) (*Session, error) {
	const op = "SM session"
	bs := alg.BlockSize()
	if ssc == nil {
		ssc = make([]byte, bs)
	}
	if bs == 0 || len(ssc) != bs {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%v with a %d-byte SSC", alg, len(ssc))
	}
	s := &Session{
		alg:  alg,
		kEnc: append([]byte(nil), kEnc...),
		kMac: append([]byte(nil), kMac...),
		ssc:  append([]byte(nil), ssc...),
	}
	var err error
	switch alg {
	case TDES:
		if len(kEnc) != 16 || len(kMac) != 16 {
			return nil, chiperr.New(chiperr.Unsupported, op, "3DES keys must be 16 bytes")
		}
		// Two-key 3DES: K1 || K2 || K1.
		k := append(append([]byte(nil), kEnc...), kEnc[:8]...)
		s.enc, err = des.NewTripleDESCipher(k)
		clear(k)
		if err == nil {
			s.mac1, err = des.NewCipher(kMac[:8])
		}
		if err == nil {
			s.mac2, err = des.NewCipher(kMac[8:])
		}
	case AES:
		if len(kEnc) != len(kMac) {
			return nil, chiperr.New(chiperr.Unsupported, op, "AES keys of different lengths")
		}
		s.enc, err = aes.NewCipher(kEnc)
		if err == nil {
			s.mac1, err = aes.NewCipher(kMac)
		}
	}
	if err != nil {
		return nil, chiperr.Newf(chiperr.Unsupported, op, "%v key of %d bytes", alg, len(kEnc))
	}
	return s, nil
}

// Algorithm returns the cipher family of the session.
func (s *Session) Algorithm() Algorithm { return s.alg }

// SSC returns a copy of the current send sequence counter.
func (s *Session) SSC() []byte { return append([]byte(nil), s.ssc...) }

// Broken reports whether the session ended after a secure-messaging error
// or a Wipe.
func (s *Session) Broken() bool { return s.broken || s.wiped }

// Wipe zeroes the session keys and counter and ends the session.
func (s *Session) Wipe() {
	clear(s.kEnc)
	clear(s.kMac)
	clear(s.ssc)
	s.enc, s.mac1, s.mac2 = nil, nil, nil
	s.wiped = true
}

// usable fails when the session may no longer be used.
func (s *Session) usable(op string) error {
	switch {
	case s.wiped:
		return chiperr.New(chiperr.Integrity, op, "session keys wiped")
	case s.broken:
		return chiperr.New(chiperr.Integrity, op, "session ended after a secure messaging error")
	}
	return nil
}

// Resume takes the session back after the card refused the last command
// outside secure messaging (a bare status word, such as the 6700 of a card
// that cannot parse an extended-length APDU) or the reader could not carry
// it. The card then never unprotected the command, so the terminal steps
// its counter back and goes on with the same keys. Should the card have
// seen it after all, it finds the next MAC wrong and answers 6987 or 6988,
// which breaks the session again: the caller then opens a new one.
//
// An unbroken session is left as it is. A session that ended for another
// reason (a wrong MAC, a malformed answer, a Wipe) cannot be resumed.
func (s *Session) Resume() error {
	const op = "SM resume"
	switch {
	case s.wiped:
		return chiperr.New(chiperr.Integrity, op, "session keys wiped")
	case !s.broken:
		return nil
	case !s.unanswered:
		return chiperr.New(chiperr.Integrity, op, "session ended after a secure messaging error")
	}
	s.decSSC()
	s.broken, s.unanswered = false, false
	return nil
}

// fail marks the session broken and returns err, so that no further APDU
// goes out with an SSC the card no longer shares.
func (s *Session) fail(err error) error {
	s.broken = true
	return err
}

func (s *Session) decSSC() {
	for i := len(s.ssc) - 1; i >= 0; i-- {
		s.ssc[i]--
		if s.ssc[i] != 0xFF {
			return
		}
	}
}

func (s *Session) incSSC() {
	for i := len(s.ssc) - 1; i >= 0; i-- {
		s.ssc[i]++
		if s.ssc[i] != 0 {
			return
		}
	}
}

// iv is zero for 3DES and E(KSenc, SSC) for AES (ICAO 9303-11 §9.8.6.1).
func (s *Session) iv() []byte {
	iv := make([]byte, s.alg.BlockSize())
	if s.alg == AES {
		s.enc.Encrypt(iv, s.ssc)
	}
	return iv
}

// encrypt pads and encrypts plain data with the current SSC.
func (s *Session) encrypt(plain []byte) []byte {
	out := Pad(plain, s.alg.BlockSize())
	cipher.NewCBCEncrypter(s.enc, s.iv()).CryptBlocks(out, out)
	return out
}

// decrypt decrypts and unpads a cryptogram with the current SSC.
func (s *Session) decrypt(ct []byte, op string) ([]byte, error) {
	bs := s.alg.BlockSize()
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, chiperr.Newf(chiperr.Malformed, op, "cryptogram of %d bytes", len(ct))
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(s.enc, s.iv()).CryptBlocks(out, ct)
	plain, err := unpad(out, bs)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	return plain, nil
}

// mac computes the 8-byte MAC of SSC || data, padded with method 2.
func (s *Session) mac(data []byte) []byte {
	bs := s.alg.BlockSize()
	msg := make([]byte, 0, len(s.ssc)+len(data)+bs)
	msg = append(append(msg, s.ssc...), data...)
	msg = Pad(msg, bs)
	if s.alg == TDES {
		return retailMAC(s.mac1, s.mac2, msg)
	}
	return cmac(s.mac1, msg)[:8]
}

// checkMAC verifies a received MAC in constant time.
func (s *Session) checkMAC(data, got []byte, op string) error {
	if subtle.ConstantTimeCompare(s.mac(data), got) != 1 {
		return chiperr.New(chiperr.Integrity, op, "MAC does not verify")
	}
	return nil
}

// paddedHeader is the command header as it enters the MAC: CLA with the SM
// bits set, INS, P1, P2, padded to one block.
func (s *Session) paddedHeader(cla, ins, p1, p2 byte) []byte {
	return Pad([]byte{cla | 0x0C, ins, p1, p2}, s.alg.BlockSize())
}
