package viewmodel

import (
	"errors"
	"time"

	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// sealGuide turns each camera frame's outcome into the one sentence shown
// under the clerk's preview: what to change while holding the card
// ("move closer", "tilt the card"). The line changes at most five times a
// second, and a "code found" reason is kept for a second through frames
// that found nothing (a hand-held card is lost on one frame, found on the
// next: the line must not flicker between the two).
type sealGuide struct {
	shown     error     // the reason on screen; nil: none
	shownCode scan.Code // its code
	changed   time.Time // when the line last changed
	found     error     // the last "code found" reason seen...
	foundAt   time.Time // ...and when
}

const (
	guideEvery     = 200 * time.Millisecond // the line changes at most this often
	guideKeepFound = time.Second            // a found reason outlives frames without a code
)

// frame takes one frame's outcome (nil: the frame gave a code) at now, and
// says whether the line changed.
func (g *sealGuide) frame(err error, now time.Time) bool {
	if err == nil { // read: the scan ends, the line goes
		changed := g.shown != nil
		*g = sealGuide{}
		return changed
	}
	code := guideReason(err)
	if code == 0 {
		return false // not a reason the clerk can act on: keep the line
	}
	want, wantErr := code, err
	if code != scan.NoCode {
		g.found, g.foundAt = err, now
	} else if g.found != nil && now.Sub(g.foundAt) < guideKeepFound {
		want, wantErr = guideReason(g.found), g.found
	}
	if want == g.shownCode {
		return false
	}
	if !g.changed.IsZero() && now.Sub(g.changed) < guideEvery {
		return false // too soon: a later frame brings it
	}
	g.shown, g.shownCode, g.changed = wantErr, want, now
	return true
}

// guideReason is the scan's reason for a frame without a code, when it is
// one the clerk can act on; 0 otherwise.
func guideReason(err error) scan.Code {
	var code scan.Code
	var e *scan.Error
	switch {
	case errors.As(err, &e):
		code = e.Kind
	case errors.As(err, &code):
	}
	switch code {
	case scan.NoCode, scan.Blurred, scan.TooSmall, scan.Glare, scan.Damaged:
		return code
	}
	return 0
}
