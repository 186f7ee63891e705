package trace

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
)

// MaxEntries bounds the memory of a trace: exchanges beyond it are counted
// in the Summary but not kept.
const MaxEntries = 10000

// DefaultTool names the tool in the header of a trace made without New.
const DefaultTool = "CNIE Reader (version not set)"

// StatusWord is SW1 SW2; it prints (and encodes in JSON) as 4 hex digits.
type StatusWord uint16

func (sw StatusWord) String() string { return fmt.Sprintf("%04X", uint16(sw)) }

// MarshalText writes the status word as "9000".
func (sw StatusWord) MarshalText() ([]byte, error) { return []byte(sw.String()), nil }

// UnmarshalText reads a status word written by MarshalText.
func (sw *StatusWord) UnmarshalText(b []byte) error {
	v, err := strconv.ParseUint(string(b), 16, 16)
	if len(b) != 4 || err != nil {
		return chiperr.Newf(chiperr.Malformed, "parse status word", "%q is not 4 hex digits", clip(b))
	}
	*sw = StatusWord(v)
	return nil
}

func clip(b []byte) []byte {
	return b[:min(len(b), 8)]
}

// Meaning describes the status word in plain language (ISO/IEC 7816-4).
func (sw StatusWord) Meaning() string { return describeSW(uint16(sw)) }

// Entry is one exchange. Data fields hold hex of public bytes only, or
// "[N bytes redacted]" (see the package documentation).
type Entry struct {
	Index    int           `json:"index"`       // 1-based, in the order the commands were sent
	Start    time.Duration `json:"start_ns"`    // since the trace's first command
	Duration time.Duration `json:"duration_ns"` // waiting for the card
	Name     string        `json:"command"`     // plain-language name, e.g. "GET CHALLENGE"
	Header   string        `json:"header"`      // CLA INS P1 P2 in hex (empty for an APDU shorter than that)
	Lc       int           `json:"lc"`
	Ne       int           `json:"ne"` // 0: no Le field
	Extended bool          `json:"extended,omitempty"`
	SM       bool          `json:"secure_messaging,omitempty"` // CLA bits 0C
	Chained  bool          `json:"chained,omitempty"`          // CLA bit 10
	Data     string        `json:"command_data,omitempty"`

	ResponseLen  int    `json:"response_len"` // data bytes, without SW1 SW2
	ResponseData string `json:"response_data,omitempty"`
	// ResponseSM: the answer is protected, so SW is the outer status word.
	ResponseSM bool       `json:"response_sm,omitempty"`
	SW         StatusWord `json:"sw,omitempty"`
	SWMeaning  string     `json:"sw_meaning,omitempty"`
	// Error is the transport error (or malformed answer) instead of a response.
	Error string `json:"error,omitempty"`
}

// SWCount is how often one status word came back.
type SWCount struct {
	SW      StatusWord `json:"sw"`
	Meaning string     `json:"meaning"`
	Count   int        `json:"count"`
}

// Summary totals every exchange, including those beyond MaxEntries.
type Summary struct {
	Exchanges     int           `json:"exchanges"`
	Dropped       int           `json:"dropped"` // not kept: beyond MaxEntries
	Protected     int           `json:"protected"`
	Errors        int           `json:"errors"` // transport errors and malformed answers
	BytesSent     int           `json:"bytes_sent"`
	BytesReceived int           `json:"bytes_received"`
	CardTime      time.Duration `json:"card_time_ns"` // sum of the exchanges' durations
	Elapsed       time.Duration `json:"elapsed_ns"`   // first command to last answer
	StatusWords   []SWCount     `json:"status_words"`
	// Concurrent: two exchanges overlapped, so all data was redacted from then on.
	Concurrent bool `json:"concurrent,omitempty"`
}

// Trace records exchanges. It is safe for concurrent use; the zero value
// is ready (with DefaultTool as the tool name).
type Trace struct {
	mu       sync.Mutex
	tool     string
	now      func() time.Time // tests replace the clock
	t0       time.Time        // the first command
	date     time.Time        // wall-clock date of the first command
	last     time.Time        // the last answer
	next     int              // index of the next command
	inflight int
	entries  []Entry
	sum      Summary
	sws      map[uint16]int
	st       state
}

// New returns an empty trace whose exports name tool (e.g. "CNIE Reader 1.2.0").
func New(tool string) *Trace {
	return &Trace{tool: tool}
}

// Wrap returns a Transmitter that records every exchange through t in tr.
// It belongs directly above the physical transport, below
// iso7816.WithResponseHandling, so that GET RESPONSE rounds are seen. A nil
// tr returns t itself.
func Wrap(t iso7816.Transmitter, tr *Trace) iso7816.Transmitter {
	if tr == nil {
		return t
	}
	return &tracer{t: t, tr: tr}
}

type tracer struct {
	t  iso7816.Transmitter
	tr *Trace
}

func (w *tracer) Transmit(ctx context.Context, apdu []byte) ([]byte, error) {
	index, start := w.tr.begin()
	resp, err := w.t.Transmit(ctx, apdu)
	w.tr.end(index, start, apdu, resp, err)
	return resp, err
}

func (tr *Trace) clock() time.Time {
	if tr.now != nil {
		return tr.now()
	}
	return time.Now()
}

func (tr *Trace) begin() (int, time.Time) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	now := tr.clock()
	if tr.t0.IsZero() {
		tr.t0, tr.date = now, now.UTC()
	}
	tr.inflight++
	if tr.inflight > 1 {
		// Which answer belongs to which command is no longer sure, nor is
		// the card's state: stop trusting the allow-list for good.
		tr.sum.Concurrent = true
	}
	tr.next++
	return tr.next, now
}

func (tr *Trace) end(index int, start time.Time, apdu, resp []byte, err error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	now := tr.clock()
	tr.inflight--
	tr.st.concurrent = tr.sum.Concurrent
	e := tr.st.observe(apdu, resp, err)
	e.Index = index
	e.Start = start.Sub(tr.t0)
	e.Duration = now.Sub(start)
	if now.After(tr.last) {
		tr.last = now
	}

	s := &tr.sum
	s.Exchanges++
	s.BytesSent += len(apdu)
	s.BytesReceived += len(resp)
	s.CardTime += e.Duration
	s.Elapsed = tr.last.Sub(tr.t0)
	if e.SM || e.ResponseSM {
		s.Protected++
	}
	if e.Error != "" {
		s.Errors++
	} else {
		if tr.sws == nil {
			tr.sws = map[uint16]int{}
		}
		tr.sws[uint16(e.SW)]++
	}
	if len(tr.entries) < MaxEntries {
		tr.entries = append(tr.entries, e)
	} else {
		s.Dropped++
	}
}

// Entries returns a copy of the recorded exchanges (at most MaxEntries).
func (tr *Trace) Entries() []Entry {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.entries)
}

// Summary returns the totals of every exchange so far.
func (tr *Trace) Summary() Summary {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.summaryLocked()
}

func (tr *Trace) summaryLocked() Summary {
	s := tr.sum
	s.StatusWords = make([]SWCount, 0, len(tr.sws))
	for sw, n := range tr.sws {
		s.StatusWords = append(s.StatusWords, SWCount{SW: StatusWord(sw), Meaning: describeSW(sw), Count: n})
	}
	slices.SortFunc(s.StatusWords, func(a, b SWCount) int { return int(a.SW) - int(b.SW) })
	return s
}
