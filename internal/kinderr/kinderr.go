package kinderr

import (
	"fmt"
	"strconv"
)

// Kind is what a family's kind type must be: a small integer, numbered from
// 1, that names itself, so that it can be an errors.Is target.
type Kind interface {
	~int
	error
}

// Kinds lists the kinds from 1 up to end, excluded: a family ends its
// constants with an unexported end marker, so that a kind added above the
// marker is listed at once (the tests that word each kind walk this list).
func Kinds[K Kind](end K) []K {
	if end < 1 {
		return nil
	}
	out := make([]K, 0, int(end)-1)
	for k := K(1); k < end; k++ {
		out = append(out, k)
	}
	return out
}

// Name is the name of k in the family's table, or fallback followed by the
// number when the table has none (a kind beyond the list, or zero).
func Name[K Kind](names []string, k K, fallback string) string {
	if k > 0 && int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return fallback + " " + strconv.Itoa(int(k))
}

// Links is the one-line body of a kind's Is method: true when target is the
// kind want of the other family (never for its zero kind, which means "none").
func Links[T Kind](target error, want T) bool {
	t, ok := target.(T)
	return ok && want != 0 && t == want
}

// New returns an Error of kind k.
func New[K Kind](k K, op, detail string) *Error[K] {
	return &Error[K]{Kind: k, Op: op, Detail: detail}
}

// Newf is New with a formatted detail.
func Newf[K Kind](k K, op, format string, args ...any) *Error[K] {
	return &Error[K]{Kind: k, Op: op, Detail: fmt.Sprintf(format, args...)}
}

// Wrap returns an Error of kind k caused by err, or nil when err is nil. An
// error of the same family in err's chain keeps its kind: the wrapper only
// adds context.
func Wrap[K Kind](k K, op string, err error) error {
	if err == nil {
		return nil
	}
	if inner := KindOf[K](err); inner != 0 {
		k = inner
	}
	return &Error[K]{Kind: k, Op: op, Err: err}
}
