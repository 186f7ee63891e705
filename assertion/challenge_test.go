package assertion

import (
	"encoding/hex"
	"testing"
)

// TestChallengeVector pins the wire format of the Active Authentication
// challenge, which a service recomputes on its own side: a change of format
// must show here. The expected values were computed outside Go, with
//
//	python3 -c 'import hashlib,struct
//	n=b"3q9GkV1-nonce"; c=b"https://service.example/cb"; sod=b"\x77\x82 EF.SOD bytes"
//	m=b"cnie-reader AA challenge v1\0"+struct.pack(">I",len(n))+n+struct.pack(">I",len(c))+c
//	m+=hashlib.sha256(sod).digest()+bytes([1,11,14,15])
//	print(hashlib.sha256(m).hexdigest()[:16])'
//
// and again with the shell alone:
//
//	sodh=$(printf '\x77\x82 EF.SOD bytes' | sha256sum | cut -c1-64)
//	{ printf 'cnie-reader AA challenge v1\0'; printf '\x00\x00\x00\x0d3q9GkV1-nonce'
//	  printf '\x00\x00\x00\x1ahttps://service.example/cb'; echo -n $sodh | xxd -r -p
//	  printf '\x01\x0b\x0e\x0f'; } | sha256sum | cut -c1-16
//
// (the second case likewise, with nonce "n", an empty client_id, an empty
// EF.SOD and no group). The groups are given out of order: the challenge
// sorts them.
func TestChallengeVector(t *testing.T) {
	cases := []struct {
		nonce, clientID string
		sod             []byte
		groups          []int
		want            string
	}{
		{"3q9GkV1-nonce", "https://service.example/cb", []byte("\x77\x82 EF.SOD bytes"), []int{15, 1, 14, 11}, "3e94c3f6cead6b10"},
		{"n", "", nil, nil, "32fb8d804e384d3e"},
	}
	for _, c := range cases {
		got := hex.EncodeToString(Challenge(c.nonce, c.clientID, c.sod, c.groups))
		if got != c.want {
			t.Errorf("Challenge(%q, %q, …, %v) = %s, want %s", c.nonce, c.clientID, c.groups, got, c.want)
		}
	}
}
