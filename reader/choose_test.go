package reader

import (
	"encoding/asn1"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

func TestChoosePACE(t *testing.T) {
	info := func(mapping, cipher, param int) lds.PACEInfo {
		return lds.PACEInfo{Protocol: lds.ProtocolOID(oids.PACE, mapping, cipher), Version: 2, ParameterID: &param}
	}
	const dhGM, ecdhGM, dhIM, ecdhIM, ecdhCAM = 1, 2, 3, 4, 6
	cases := []struct {
		name   string
		offers []lds.PACEInfo
		want   asn1.ObjectIdentifier // nil: nothing usable
	}{
		{"ECDH before DH", []lds.PACEInfo{info(dhGM, 2, 2), info(ecdhGM, 2, 13)}, lds.ProtocolOID(oids.PACE, ecdhGM, 2)},
		{"GM before IM", []lds.PACEInfo{info(ecdhIM, 4, 13), info(ecdhGM, 2, 13)}, lds.ProtocolOID(oids.PACE, ecdhGM, 2)},
		{"AES before 3DES", []lds.PACEInfo{info(ecdhGM, 1, 13), info(ecdhGM, 2, 13)}, lds.ProtocolOID(oids.PACE, ecdhGM, 2)},
		{"longer key first", []lds.PACEInfo{info(ecdhGM, 2, 13), info(ecdhGM, 4, 17)}, lds.ProtocolOID(oids.PACE, ecdhGM, 4)},
		{"CAM alone is not chosen", []lds.PACEInfo{info(ecdhCAM, 2, 13)}, nil},
		{"unknown protocol", []lds.PACEInfo{{Protocol: asn1.ObjectIdentifier{1, 2, 3}}}, nil},
		{"none", nil, nil},
	}
	for _, tc := range cases {
		got, ok := choosePACE(&lds.SecurityInfos{PACE: tc.offers})
		switch {
		case tc.want == nil && ok:
			t.Errorf("%s: chose %v", tc.name, got.Protocol)
		case tc.want != nil && (!ok || !got.Protocol.Equal(tc.want)):
			t.Errorf("%s: chose %v (%v), want %v", tc.name, got.Protocol, ok, tc.want)
		}
	}
	if _, ok := choosePACE(nil); ok {
		t.Error("chose a protocol without EF.CardAccess")
	}
}
