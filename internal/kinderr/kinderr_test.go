package kinderr

import (
	"errors"
	"fmt"
	"testing"
)

// base is a family without scope or link, like chiperr.
type base int

const (
	baseBroken base = iota + 1
	baseLate
	numBase
)

var baseNames = [numBase]string{baseBroken: "broken", baseLate: "late"}

func (k base) Error() string { return Name(baseNames[:], k, "base error") }

// leaf is a scoped family whose kinds link to base's, like seal/vds.
type leaf int

const leafTorn, leafAlone leaf = 1, 2

func (k leaf) Error() string {
	return Name([]string{leafTorn: "torn", leafAlone: "alone"}, k, "leaf error")
}
func (leaf) Scope() string     { return "leaf" }
func (k leaf) Is(t error) bool { return Links(t, map[leaf]base{leafTorn: baseBroken}[k]) }

func TestKindsAndNames(t *testing.T) {
	if got := fmt.Sprint(Kinds(numBase)); got != "[broken late]" {
		t.Errorf("Kinds = %s", got)
	}
	if got := Kinds(base(0)); got != nil {
		t.Errorf("Kinds(0) = %v", got)
	}
	for _, k := range []base{0, numBase, 99} {
		if got, want := k.Error(), fmt.Sprintf("base error %d", int(k)); got != want {
			t.Errorf("name of %d = %q, want %q", int(k), got, want)
		}
	}
}

func TestErrorText(t *testing.T) {
	cause := errors.New("eof")
	for _, c := range []struct {
		err  error
		want string
	}{
		{New(baseBroken, "", ""), "broken"},
		{New(baseBroken, "read", "tag 5F1F"), "read: broken (tag 5F1F)"},
		{&Error[base]{Kind: baseLate, Op: "read", Detail: "x", Err: cause}, "read: late (x): eof"},
		{&Error[base]{Kind: baseLate, Detail: "eof", Err: cause}, "late (eof)"},
		{Wrap(baseLate, "outer", New(baseBroken, "inner", "d")), "outer: inner: broken (d)"},
		{Wrap(baseLate, "", New(baseBroken, "inner", "")), "inner: broken"},
		{Wrap(baseLate, "outer", fmt.Errorf("ctx: %w", New(baseBroken, "", ""))), "outer: broken: ctx: broken"},
		{New(leafTorn, "", "d"), "leaf: torn (d)"},
		{New(leafTorn, "header", ""), "leaf header: torn"},
		{Wrap(leafTorn, "build", New(leafTorn, "header", "")), "leaf build: leaf header: torn"},
		{Newf(leafAlone, "zone", "tag %#02x", 0xff), "leaf zone: alone (tag 0xff)"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%q, want %q", got, c.want)
		}
	}
}

func TestIsAndKindOf(t *testing.T) {
	torn := fmt.Errorf("ctx: %w", New(leafTorn, "op", ""))
	if !errors.Is(torn, leafTorn) || errors.Is(torn, leafAlone) {
		t.Error("own kind not matched")
	}
	if !errors.Is(torn, baseBroken) || errors.Is(torn, baseLate) {
		t.Error("linked kind not matched")
	}
	if errors.Is(New(leafAlone, "", ""), base(0)) {
		t.Error("an unlinked kind matched the zero kind")
	}
	if KindOf[leaf](torn) != leafTorn || KindOf[base](torn) != 0 || KindOf[leaf](nil) != 0 {
		t.Error("KindOf")
	}
	if Wrap(baseBroken, "op", nil) != nil {
		t.Error("Wrap(nil) is not nil")
	}
	var e *Error[base]
	if !errors.As(Wrap(baseBroken, "op", torn), &e) || e.Kind != baseBroken || !errors.Is(e, leafTorn) {
		t.Error("a wrapped error of another family is lost")
	}
}
