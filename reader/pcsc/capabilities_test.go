package pcsc

import "testing"

func TestRememberExtended(t *testing.T) {
	if _, known := ExtendedKnown("Test Reader 00 00"); known {
		t.Fatal("known before anything was learnt")
	}
	RememberExtended("Test Reader 00 00", false)
	if works, known := ExtendedKnown("Test Reader 00 00"); !known || works {
		t.Errorf("works=%v known=%v, want false true", works, known)
	}
	RememberExtended("Test Reader 00 00", true)
	if works, _ := ExtendedKnown("Test Reader 00 00"); !works {
		t.Error("not updated")
	}
}
