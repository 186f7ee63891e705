package demo

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
)

// SeededReader returns a deterministic io.Reader (ChaCha8 keyed by the
// SHA-256 of seed) for reproducible demo material. Never use it for real keys.
func SeededReader(seed string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte(seed)))
}
