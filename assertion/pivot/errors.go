package pivot

import "github.com/cnie-reader/cnie-reader/internal/kinderr"

// Kind says why no pivot identity could be made from a verified result.
type Kind int

const (
	_ Kind = iota
	// Missing: a datum the pivot identity needs (family name, given
	// names, birth date) was not released, or the result is empty.
	Missing
	// BadName: a name is empty, too long, or holds characters that are no
	// letters of a name (controls, digits, fillers left over).
	BadName
	// BadDate: the birth date is partly unknown, impossible, or in the future.
	BadDate
	// BadGender: the sex field holds something other than M, F, X or '<'.
	BadGender
	// Inconsistent: the MRZ and DG11 disagree on the birth date.
	Inconsistent
	// BadGroup: a data group does not parse (the verifier checked its hash,
	// not its content).
	BadGroup

	numKinds
)

// Kinds lists every kind, in order.
func Kinds() []Kind { return kinderr.Kinds(numKinds) }

var names = [numKinds]string{
	Missing:      "pivot datum not released",
	BadName:      "unusable name",
	BadDate:      "unusable birth date",
	BadGender:    "unusable sex field",
	Inconsistent: "mrz and dg11 disagree",
	BadGroup:     "data group does not parse",
}

// Error names the kind in lowercase English, so a Kind works with errors.Is.
func (k Kind) Error() string { return kinderr.Name(names[:], k, "pivot error") }

// Scope puts "pivot" in front of the package's errors.
func (Kind) Scope() string { return "pivot" }

// Error is a pivot identity that could not be made; Detail never holds
// personal data (it names fields, not their values).
type Error = kinderr.Error[Kind]

// KindOf returns the kind of a pivot error, or 0.
func KindOf(err error) Kind { return kinderr.KindOf[Kind](err) }

func fail(k Kind, detail string) *Error { return kinderr.New(k, "", detail) }

func failErr(k Kind, detail string, err error) *Error {
	return &Error{Kind: k, Detail: detail, Err: err}
}
