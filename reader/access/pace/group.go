package pace

import (
	"io"
)

// group hides the difference between elliptic curves and DH groups. Elements
// travel in their wire encoding (uncompressed point, or y on the length of
// p) so that what is hashed, compared and sent is always the same bytes.
type group interface {
	// generator is the standard generator of the domain parameters.
	generator() []byte
	// decode validates an element received from the peer and returns it in
	// canonical encoding. It is the gate for every untrusted element.
	decode(b []byte) ([]byte, error)
	// generate draws a private key and returns it with priv·gen.
	generate(rnd io.Reader, gen []byte) (priv, pub []byte, err error)
	// mul returns priv·elem (elem already validated).
	mul(priv, elem []byte) ([]byte, error)
	// mapGeneric is the Generic Mapping: s·G + H.
	mapGeneric(s, h []byte) ([]byte, error)
	// secret is the key agreement output K (x coordinate, or y^x on |p| bytes).
	secret(priv, peer []byte) ([]byte, error)
	// tokenTag is the tag of the public value in the token's data object.
	tokenTag() uint32
	// tokenValue is the public value as the token's data object carries it.
	tokenValue(pub []byte) []byte
	// maxElement bounds the encoded length of an element.
	maxElement() int
}
