package chiperr

import "testing"

func TestCatalog(t *testing.T) {
	type local Sentences
	c := Catalog[string, local]{Texts: map[string]local{"a": {"fr a", "en a", "hint fr a", "hint en a"}},
		Unknown: Sentences{FR: "inconnu", EN: "unknown", HintFR: "?", HintEN: "??"}}
	for _, tc := range []struct{ got, want string }{
		{c.Message("a", "fr"), "fr a"}, {c.Message("a", "en"), "en a"}, {c.Message("a", "de"), "fr a"},
		{c.Hint("a", "en", "6982"), "hint en a [6982]"}, {c.Hint("a", "fr", ""), "hint fr a"},
		{c.Message("b", "en"), "unknown"}, {c.Hint("b", "fr", "x"), "? [x]"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
