package sm

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// fuzzSessions returns a 3DES session at the Appendix D.4 state and an
// AES-128 session of the EAC worked example.
func fuzzSessions(t *testing.T) []*Session {
	return []*Session{
		mustSession(t, TDES, d4KSEnc, d4KSMac, d4SSC),
		mustSession(t, AES, weKSEnc, weKSMac, nil),
	}
}

func checkErr(t *testing.T, err error) {
	if err != nil && chiperr.KindOf(err) == 0 {
		t.Fatalf("error without a chip error kind: %v", err)
	}
}

func FuzzUnprotect(f *testing.F) {
	for _, v := range appendixD4 {
		f.Add(testhex.MustBytes(v.protResp))
	}
	f.Add(testhex.MustBytes("6987"))
	f.Add(testhex.MustBytes("8783FFFFFF0199029000"))
	f.Fuzz(func(t *testing.T, resp []byte) {
		for _, s := range fuzzSessions(t) {
			out, err := s.Unprotect(resp)
			checkErr(t, err)
			if err == nil && len(out) < 2 {
				t.Fatal("plain response without status word")
			}
		}
	})
}

// FuzzUnprotectForged signs the fuzzed data objects with a valid MAC, so
// that decryption and unpadding see hostile input too.
func FuzzUnprotectForged(f *testing.F) {
	f.Add(testhex.MustBytes("8709019FF0EC34F992265199029000"))
	f.Add(testhex.MustBytes("99029000"))
	f.Add(testhex.MustBytes("85100000000000000000000000000000000099029000"))
	f.Fuzz(func(t *testing.T, dos []byte) {
		if len(dos) > 600 {
			return // long inputs add nothing here and make minimizing slow
		}
		for _, s := range fuzzSessions(t) {
			_, err := s.Unprotect(forged(s, dos))
			checkErr(t, err)
		}
	})
}

func FuzzUnprotectCommand(f *testing.F) {
	for _, v := range appendixD4 {
		f.Add(testhex.MustBytes(v.protCmd))
	}
	for _, v := range workedExampleEAC {
		f.Add(testhex.MustBytes(v.protCmd))
	}
	f.Add(testhex.MustBytes("0CB000000000"))
	f.Fuzz(func(t *testing.T, cmd []byte) {
		for _, s := range fuzzSessions(t) {
			_, err := s.UnprotectCommand(cmd)
			checkErr(t, err)
		}
	})
}

func FuzzUnpad(f *testing.F) {
	f.Add(testhex.MustBytes("0180"))
	f.Add(testhex.MustBytes("800000"))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := Unpad(b)
		checkErr(t, err)
		if err == nil && (len(out) >= len(b) || b[len(out)] != 0x80) {
			t.Fatal("Unpad accepted input without its 80 marker")
		}
	})
}
