// Package pivot turns a verified assertion (assertion/verifier.Result)
// into the "identité pivot" that FranceConnect-shaped OpenID Connect
// clients expect: given_name (and given_name_array), family_name,
// birthdate, gender, birthplace and birthcountry. It also says what was
// proven, as acr and amr values of this project's own, and computes the
// pairwise subject identifier from the pivot identity.
//
// Every claim comes from data the State signed, and [Identity.Provenance]
// says for each one whether it is that signed value as is ([Verified]) or
// obtained from it by a rule this package states ([Derived]): the MRZ's
// names are transliterated without accents and may be truncated, its
// birth year has two digits. DG11's full names and full date of birth are
// preferred when the card has them and they were released.
//
// What the card does not hold is never guessed: the INSEE commune code of
// the birthplace is not on the card (birthplace is the signed text), and
// birthcountry is given only when the place of birth names it.
package pivot
