package pcsc

import "sync"

// Extended-length support is learnt per reader (the card rarely matters:
// ICAO chips all take extended APDUs; readers differ) and remembered for
// the life of the process, so only the first read with a short-only reader
// pays for the failed extended attempt.
var (
	capMu    sync.Mutex
	extended = map[string]bool{}
)

// RememberExtended records whether extended-length APDUs worked through
// the named reader.
func RememberExtended(reader string, works bool) {
	capMu.Lock()
	defer capMu.Unlock()
	extended[reader] = works
}

// ExtendedKnown says what was learnt about the named reader: works is
// meaningful only when known is true.
func ExtendedKnown(reader string) (works, known bool) {
	capMu.Lock()
	defer capMu.Unlock()
	works, known = extended[reader]
	return works, known
}
