package chiperr

// Sentences are what one kind of failure says: to the holder (FR, EN) and
// to support staff (HintFR, HintEN).
type Sentences struct{ FR, EN, HintFR, HintEN string }

// Text is any package's own type of Sentences (a local type keeps its
// table's literals short without vet's unkeyed-fields warning).
type Text interface {
	~struct{ FR, EN, HintFR, HintEN string }
}

// Catalog words the kinds of one package's errors. Every package with its
// own error kinds (this one, pki, assertion) looks its sentences up the
// same way, so messages and hints read alike everywhere.
type Catalog[K comparable, T Text] struct {
	Texts map[K]T
	// Unknown is said of a kind missing from Texts.
	Unknown Sentences
}

func (c Catalog[K, T]) of(k K) Sentences {
	if s, ok := c.Texts[k]; ok {
		return Sentences(s)
	}
	return c.Unknown
}

// Message is the holder's sentence for k, in "fr" or "en" (French by default).
func (c Catalog[K, T]) Message(k K, lang string) string {
	s := c.of(k)
	if lang == "en" {
		return s.EN
	}
	return s.FR
}

// Hint is the support sentence for k, followed by the technical detail.
func (c Catalog[K, T]) Hint(k K, lang, detail string) string {
	s := c.of(k)
	h := s.HintFR
	if lang == "en" {
		h = s.HintEN
	}
	if detail != "" {
		h += " [" + detail + "]"
	}
	return h
}
