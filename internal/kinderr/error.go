package kinderr

import "errors"

// Error is a failure of one operation, classified by a kind of family K.
type Error[K Kind] struct {
	Kind   K
	Op     string // what was being done, e.g. "PACE: General Authenticate"
	Detail string // technical detail for support (never personal data)
	Err    error  // the cause, if any
}

// Error reads "op: kind (detail): cause", with the family's scope in front
// of op when its kind has one. It says the kind once when the cause is an
// error of the same family and kind ("op: inner op: kind (detail)"), and
// the cause once when the detail already is its text.
func (e *Error[K]) Error() string {
	if inner, ok := e.Err.(*Error[K]); ok && e.Detail == "" && inner.Kind == e.Kind {
		if e.Op == "" {
			return inner.Error()
		}
		return e.scopedOp() + ": " + inner.Error()
	}
	s := e.Kind.Error()
	if op := e.scopedOp(); op != "" {
		s = op + ": " + s
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	if e.Err != nil {
		if cause := e.Err.Error(); cause != e.Detail {
			s += ": " + cause
		}
	}
	return s
}

// scopedOp is Op behind the family's scope, if the kind has one.
func (e *Error[K]) scopedOp() string {
	s, ok := any(e.Kind).(interface{ Scope() string })
	if !ok {
		return e.Op
	}
	if e.Op == "" {
		return s.Scope()
	}
	return s.Scope() + " " + e.Op
}

// Unwrap returns the cause.
func (e *Error[K]) Unwrap() error { return e.Err }

// Is matches the error's own kind, and through the kind's Is method, when
// it has one, the kind of another family it links to (see the package doc).
func (e *Error[K]) Is(target error) bool {
	if t, ok := target.(K); ok {
		return t == e.Kind
	}
	if l, ok := any(e.Kind).(interface{ Is(error) bool }); ok {
		return l.Is(target)
	}
	return false
}

// KindOf returns the kind of the first error of family K in err's chain,
// or 0 when there is none.
func KindOf[K Kind](err error) K {
	var e *Error[K]
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}
