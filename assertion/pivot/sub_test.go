package pivot

import (
	"errors"
	"regexp"
	"testing"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

func camille() Identity {
	return Identity{GivenName: "CAMILLE MARIE", GivenNameArray: []string{"CAMILLE", "MARIE"}, FamilyName: "DÉMO",
		Birthdate: "1990-07-14", Gender: "female", Birthplace: "EXEMPLEVILLE (99)"}
}

// subForm is a sub's written form: 32 bytes in lowercase hex, then the version.
var subForm = regexp.MustCompile(`^[0-9a-f]{64}v1$`)

func TestPairwiseSub(t *testing.T) {
	base := PairwiseSub(testKey, "service.example", camille())
	if !subForm.MatchString(base) {
		t.Fatalf("sub %q is not 32 bytes in hex then v1", base)
	}
	if again := PairwiseSub(testKey, "service.example", camille()); again != base {
		t.Error("not deterministic")
	}
	// As the MRZ writes the names: the same person.
	mrz := camille()
	mrz.FamilyName = "DEMO"
	if PairwiseSub(testKey, "service.example", mrz) != base {
		t.Error("accents change the subject")
	}
	// Each field, the sector and the key make another subject.
	other := map[string]string{}
	vary := func(name string, key []byte, sector string, f func(*Identity)) {
		id := camille()
		f(&id)
		other[name] = PairwiseSub(key, sector, id)
	}
	nop := func(*Identity) {}
	vary("sector", testKey, "other.example", nop)
	vary("key", []byte("fedcba9876543210fedcba9876543210"), "service.example", nop)
	vary("family", testKey, "service.example", func(id *Identity) { id.FamilyName = "DEMOS" })
	vary("given", testKey, "service.example", func(id *Identity) { id.GivenNameArray = []string{"CAMILLE"} })
	vary("birthdate", testKey, "service.example", func(id *Identity) { id.Birthdate = "1990-07-15" })
	vary("gender", testKey, "service.example", func(id *Identity) { id.Gender = "" })
	vary("birthplace", testKey, "service.example", func(id *Identity) { id.Birthplace = "AILLEURS (99)" })
	vary("birthcountry", testKey, "service.example", func(id *Identity) { id.Birthcountry = France })
	// Fields are length-prefixed: moving a boundary is another identity.
	vary("boundary", testKey, "service.example", func(id *Identity) {
		id.FamilyName, id.GivenNameArray = "DEMOCAMILLE", []string{"MARIE"}
	})
	seen := map[string]string{base: "base"}
	for name, sub := range other {
		if prev, dup := seen[sub]; dup {
			t.Errorf("%s gives the same subject as %s", name, prev)
		}
		seen[sub] = name
	}
}

// Names in a script the MRZ does not write are kept, not transliterated to
// nothing: two Greek names are two subjects.
func TestSubOtherScripts(t *testing.T) {
	a, b := camille(), camille()
	a.FamilyName, b.FamilyName = "ΠΑΠΑΔΟΠΟΥΛΟΥ", "ΓΕΩΡΓΙΟΥ"
	if PairwiseSub(testKey, "s", a) == PairwiseSub(testKey, "s", b) {
		t.Fatal("two Greek family names share a subject")
	}
}

func TestCheckKey(t *testing.T) {
	if err := CheckKey(testKey); err != nil {
		t.Fatal(err)
	}
	for _, k := range [][]byte{nil, {}, testKey[:31]} {
		if err := CheckKey(k); !errors.Is(err, Missing) {
			t.Errorf("%d-byte key: %v", len(k), err)
		}
	}
}
