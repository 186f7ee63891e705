package lds

import "testing"

func TestDataGroupNumbering(t *testing.T) {
	// Doc 9303 Part 10 Table 34 (tags) and §3.10 (file and short file ids).
	tags := map[DataGroup]uint32{1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 11: 0x6B, 12: 0x6C, 14: 0x6E, 15: 0x6F, 16: 0x70}
	for dg, tag := range tags {
		if dg.Tag() != tag {
			t.Errorf("%v tag %X, want %X", dg, dg.Tag(), tag)
		}
	}
	for dg := DataGroup(1); dg <= 16; dg++ {
		if d, ok := DataGroupByTag(dg.Tag()); !ok || d != dg {
			t.Errorf("%v: tag round trip", dg)
		}
		if d, ok := DataGroupByFileID(dg.FileID()); !ok || d != dg || dg.FileID() != 0x0100+uint16(dg) {
			t.Errorf("%v: file id %04X", dg, dg.FileID())
		}
		if d, ok := DataGroupBySFI(dg.SFI()); !ok || d != dg {
			t.Errorf("%v: SFI %02X", dg, dg.SFI())
		}
	}
	if DataGroup(1).String() != "DG1" || DataGroup(14).FileID() != 0x010E || DataGroup(15).SFI() != 0x0F {
		t.Error("DG1/DG14/DG15")
	}
	for _, bad := range []DataGroup{0, 17, -1} {
		if bad.Valid() || bad.Tag() != 0 || bad.FileID() != 0 || bad.SFI() != 0 {
			t.Errorf("%d should be invalid", bad)
		}
	}
	if _, ok := DataGroupByTag(TagSOD); ok {
		t.Error("77 is EF.SOD, not a data group")
	}
	if _, ok := DataGroupByFileID(FIDCOM); ok {
		t.Error("011E is EF.COM")
	}
	if _, ok := DataGroupBySFI(SFICOM); ok {
		t.Error("1E is EF.COM")
	}
}
