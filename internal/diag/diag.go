// Package diag answers the support question "why does reading not work
// here?": it looks at the system (OS, pcscd, kernel modules that steal NFC
// readers), at every reader and card, runs a self-test of the whole read
// path on the virtual card, and turns what it found into findings, each with
// the next step to take. Findings are codes and arguments, not sentences: the
// application words them in the user's language (package app/explain, keys
// "diag.what.<code>" and "diag.next.<code>"). It reads no personal data: a
// test read of a real card (when asked) keeps only how it went.
package diag

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/internal/version"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/iso7816"
	"github.com/cnie-reader/cnie-reader/reader/pcsc"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Severity orders findings.
type Severity string

const (
	OK      Severity = "ok"
	Info    Severity = "info"
	Warning Severity = "warning"
	Problem Severity = "problem"
)

// Finding is one thing diagnostics noticed, with what to do about it.
type Finding struct {
	Severity Severity `json:"severity"`
	What     string   `json:"what"`           // what was noticed, a code
	Next     string   `json:"next,omitempty"` // the next step, a code; "" when none
	// Args are the values the sentences name (a reader's name, a module
	// list, a duration...).
	Args map[string]string `json:"args,omitempty"`
	// Cause is the error behind the finding, worded by the application's
	// error mapping into the "Cause" argument.
	Cause error `json:"-"`
	// Detail is technical, for support staff.
	Detail string `json:"detail,omitempty"`
}

// System describes the machine.
type System struct {
	OS           string `json:"os"`
	Arch         string `json:"arch"`
	Distribution string `json:"distribution,omitempty"`
	Kernel       string `json:"kernel,omitempty"`
	App          string `json:"app_version"`
	Go           string `json:"go_version"`
}

// Service describes the PC/SC service.
type Service struct {
	Installed bool   `json:"installed"`
	Running   bool   `json:"running"`
	Reachable bool   `json:"reachable"`
	Version   string `json:"version,omitempty"`
	Error     string `json:"error,omitempty"`
}

// Reader describes one reader and the card on it.
type Reader struct {
	Name string `json:"name"`
	// Card is the card's state: "present", "absent", "mute", "in use",
	// "unreachable" or "removed during the probe".
	Card string `json:"card"`
	ATR  string `json:"atr,omitempty"`
	ATS  string `json:"ats,omitempty"` // when the reader gives it
	// ATRCode and ATRArgs say what the ATR tells (pcsc.ATR.Description).
	ATRCode string            `json:"atr_code,omitempty"`
	ATRArgs map[string]string `json:"atr_args,omitempty"`
	Model   string            `json:"model,omitempty"` // from the quirks table
	// CardNote says what the card is, as far as the probe tells.
	CardNote pcsc.CardNote `json:"card_note,omitempty"`
	// Extended is the result of the extended-length probe: "yes", "no" or "unknown".
	Extended string `json:"extended_length"`
	// Kind is the card kind's name (CNIE, ICAO document...).
	Kind string `json:"card_kind_id,omitempty"`
	// Notes are the known problems of this reader model and what to do.
	Notes []pcsc.Problem `json:"reader_notes,omitempty"`
	// TestRead is how a full read of the card went, when asked for (--can).
	TestRead *TestRead `json:"test_read,omitempty"`
	// Error is why the card could not be reached (Card "unreachable").
	Error string `json:"error,omitempty"`
	// Virtual is a slot of vsmartcard's virtual reader (vpcd): pcscd lists
	// it even when no virtual card is connected, and then it is no reader
	// at all (the status line does not count it either).
	Virtual bool `json:"virtual,omitempty"`
	err     error
	atr     *pcsc.ATR
}

// TestRead is the outcome of a read, without anything read.
type TestRead struct {
	OK       bool    `json:"ok"`
	Protocol string  `json:"protocol,omitempty"`
	APDUs    int     `json:"apdus"`
	Seconds  float64 `json:"seconds"`
	Error    string  `json:"error,omitempty"`
	// Err is the read's error, for the application to word.
	Err error `json:"-"`
}

// SelfTest is the full read and verification of the virtual card.
type SelfTest struct {
	Passed     bool    `json:"passed"`
	Through    string  `json:"through"` // "in-process" or the PC/SC reader used
	APDUs      int     `json:"apdus"`
	Millis     float64 `json:"ms"`
	Verdict    string  `json:"verdict,omitempty"`
	Error      string  `json:"error,omitempty"`
	ShortAPDUs int     `json:"apdus_short_only"` // the same read without extended length
}

// Report is everything diagnostics found.
type Report struct {
	At        time.Time `json:"at"`
	System    System    `json:"system"`
	Service   Service   `json:"pcsc_service"`
	Conflicts []string  `json:"kernel_module_conflicts,omitempty"`
	// ConflictFix is the way out of Conflicts.
	ConflictFix pcsc.KernelFix `json:"kernel_module_fix"`
	Readers     []Reader       `json:"readers"`
	SelfTest    SelfTest       `json:"self_test"`
	Findings    []Finding      `json:"findings"`
	// Verdict sums the findings up: Ready, Caveat or Blocked.
	Verdict Verdict `json:"verdict"`
}

// Verdict is the diagnosis in a word.
type Verdict string

const (
	Ready   Verdict = "ready"   // everything is ready to read a card
	Caveat  Verdict = "caveat"  // reading works, with a warning
	Blocked Verdict = "blocked" // reading is not possible yet: see the first finding
)

// Options tune Run.
type Options struct {
	// Client is the PC/SC connection to use (a new one when nil).
	Client *pcsc.Client
	// CAN, when set, makes a full test read of every card present.
	CAN string
	// Root is prefixed to /proc and /etc paths (tests use a fake tree).
	Root string
	// PerAPDU is the assumed round-trip time of one APDU on a real reader,
	// for the "short APDUs take longer" estimate (15 ms when zero).
	PerAPDU time.Duration
}

// Run makes the diagnosis. It never fails: what cannot be known is said.
func Run(ctx context.Context, opts Options) *Report {
	r := &Report{At: time.Now()}
	r.System = system(opts.Root)
	r.Service = service(opts.Root)
	r.Conflicts, r.ConflictFix = moduleConflicts(opts.Root)
	client := opts.Client
	if client == nil {
		client = &pcsc.Client{}
		defer client.Close()
	}
	r.readers(ctx, client, opts)
	r.selfTest(ctx)
	r.conclude(opts)
	return r
}

func system(root string) System {
	s := System{OS: runtime.GOOS, Arch: runtime.GOARCH, Go: runtime.Version(), App: version.Get().String()}
	if b, err := os.ReadFile(filepath.Join(root, "/etc/os-release")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				s.Distribution = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile(filepath.Join(root, "/proc/sys/kernel/osrelease")); err == nil {
		s.Kernel = strings.TrimSpace(string(b))
	}
	return s
}

func service(root string) Service {
	var s Service
	if runtime.GOOS != "linux" {
		// Windows has its own smart card service; only reachability is checked.
		s.Installed, s.Running = true, true
	} else {
		_, err := exec.LookPath("pcscd")
		s.Installed = err == nil || fileExists(filepath.Join(root, "/usr/sbin/pcscd"))
		s.Running = processRunning(root, "pcscd")
		if s.Installed {
			if out, err := exec.Command("pcscd", "--version").Output(); err == nil {
				first, _, _ := strings.Cut(string(out), "\n")
				s.Version = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(first), "pcsc-lite version "), ".")
			}
		}
	}
	ctx, err := pcsc.Establish()
	if err != nil {
		s.Error = err.Error()
		return s
	}
	ctx.Close()
	s.Reachable = true
	return s
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func processRunning(root, name string) bool {
	entries, _ := os.ReadDir(filepath.Join(root, "/proc"))
	for _, e := range entries {
		if comm, err := os.ReadFile(filepath.Join(root, "/proc", e.Name(), "comm")); err == nil && strings.TrimSpace(string(comm)) == name {
			return true
		}
	}
	return false
}

func (r *Report) readers(ctx context.Context, client *pcsc.Client, opts Options) {
	var states []pcsc.ReaderState
	err := client.Do(func(c *pcsc.Context) error {
		var err error
		states, err = c.States()
		return err
	})
	if err != nil {
		return // the service finding says why
	}
	for _, st := range states {
		rd := Reader{Name: st.Name, Card: "absent", Extended: "unknown", Virtual: IsVirtualSlot(st.Name)}
		switch {
		case st.Mute:
			rd.Card = "mute"
		case st.Present && st.Exclusive:
			rd.Card = "in use"
		case st.Present:
			rd.Card = "present"
		}
		if len(st.ATR) > 0 {
			rd.ATR = strings.ToUpper(hex.EncodeToString(st.ATR))
		}
		describeReader(&rd, st)
		if rd.Card == "present" {
			_ = client.Do(func(c *pcsc.Context) error {
				card, err := c.Connect(st.Name)
				if err != nil {
					rd.Card, rd.Error, rd.err = "unreachable", err.Error(), err
					return err
				}
				defer card.Close()
				if ats, err := card.ATS(ctx); err == nil {
					rd.ATS = strings.ToUpper(hex.EncodeToString(ats))
				}
				probeCard(ctx, card, &rd)
				if opts.CAN != "" {
					rd.TestRead = testRead(ctx, card, opts.CAN)
				}
				return nil
			})
		}
		r.Readers = append(r.Readers, rd)
	}
}

// probeCard learns what the card is and whether extended-length APDUs
// reach it, with plain commands that read nothing personal: SELECT of the
// eMRTD application and READ BINARY of EF.CardAccess (public protocol data).
func probeCard(ctx context.Context, card *pcsc.Card, rd *Reader) {
	t := iso7816.WithResponseHandling(card)
	emrtd := false
	if resp, err := iso7816.Do(ctx, t, iso7816.Command{INS: 0xA4, P1: 0x04, P2: 0x0C,
		Data: []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}}); err == nil && resp.SW == iso7816.SWOK {
		emrtd = true
	}
	// EF.CardAccess lives in the master file.
	_, _ = iso7816.Do(ctx, t, iso7816.Command{INS: 0xA4, P1: 0x00, P2: 0x0C, Data: []byte{0x3F, 0x00}})
	var cardAccess []byte
	resp, err := iso7816.Do(ctx, t, iso7816.Command{INS: 0xB0, P1: 0x9C, Ne: iso7816.MaxExtendedNe, Extended: true})
	switch {
	case err != nil && chiperr.KindOf(err) == chiperr.CardRemoved:
		rd.Extended = "unknown"
		rd.Card = "removed during the probe"
	case err != nil:
		rd.Extended = "no" // the reader could not carry it
		pcsc.RememberExtended(rd.Name, false)
	case resp.SW == iso7816.SWWrongLength || resp.SW>>8 == 0x6C:
		rd.Extended = "no"
	default:
		rd.Extended = "yes"
		pcsc.RememberExtended(rd.Name, true)
		if resp.SW == iso7816.SWOK || resp.SW == iso7816.SWEndOfFileWarning {
			cardAccess = resp.Data
		}
	}
	if cardAccess == nil && rd.Extended != "yes" {
		if resp, err := iso7816.Do(ctx, t, iso7816.Command{INS: 0xB0, P1: 0x9C, Ne: iso7816.MaxShortNe}); err == nil && resp.SW == iso7816.SWOK {
			cardAccess = resp.Data
		}
	}
	classifyCard(rd, cardAccess, emrtd)
}

// testRead runs a full read with the CAN and keeps only how it went.
func testRead(ctx context.Context, card *pcsc.Card, can string) *TestRead {
	start := time.Now()
	doc, err := reader.Read(ctx, card, reader.Secret{CAN: can}, reader.Options{})
	tr := &TestRead{Seconds: time.Since(start).Seconds()}
	if err != nil {
		tr.Error, tr.Err = err.Error(), err
		_ = card.Reconnect()
		return tr
	}
	defer doc.Wipe()
	tr.OK, tr.Protocol, tr.APDUs = true, doc.Access.Protocol+" "+doc.Access.Name, doc.Stats.APDUs
	return tr
}

// selfTest reads and verifies the virtual card through the same code as a
// real card (in-process transport), and counts what the read costs without
// extended length, for the estimate given to users of short-only readers.
func (r *Report) selfTest(ctx context.Context) {
	st := &r.SelfTest
	st.Through = "in-process"
	card, err := sim.NewNamed(sim.DefaultProfile)
	if err != nil {
		st.Error = err.Error()
		return
	}
	start := time.Now()
	doc, err := reader.Read(ctx, card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{})
	st.Millis = float64(time.Since(start).Microseconds()) / 1000
	if err != nil {
		st.Error = err.Error()
		return
	}
	defer doc.Wipe()
	st.APDUs = doc.Stats.APDUs
	store := pki.NewStore()
	if err := store.AddDemoCSCA(card.DemoCSCA()); err != nil {
		st.Error = err.Error()
		return
	}
	if crl, err := pki.ParseCRL(card.DemoCRL()); err == nil {
		_ = store.AddCRL(crl)
	}
	rep := verify.Verify(&doc.Document, store, verify.Options{})
	st.Verdict = string(rep.Verdict)
	st.Passed = rep.Verdict == verify.Demo
	if !st.Passed {
		st.Error = "verification verdict " + string(rep.Verdict)
	}
	card.Reset()
	if short, err := reader.Read(ctx, card, reader.Secret{CAN: sim.DefaultCAN}, reader.Options{ShortOnly: true}); err == nil {
		st.ShortAPDUs = short.Stats.APDUs
		short.Wipe()
	}
}

// IsVirtualSlot tells vsmartcard's vpcd slots ("Virtual PCD 00 00").
func IsVirtualSlot(name string) bool { return strings.HasPrefix(name, "Virtual PCD") }

// Counted tells whether a reader counts as one: every real reader, and a
// virtual slot only with a virtual card on it, as the status line counts.
func (rd Reader) Counted() bool { return !rd.Virtual || rd.Card != "absent" }

// CountedReaders is how many readers count (see Reader.Counted).
func (r *Report) CountedReaders() int {
	n := 0
	for _, rd := range r.Readers {
		if rd.Counted() {
			n++
		}
	}
	return n
}

// String gives the readers' card state in a word (for text output).
func (rd Reader) String() string { return fmt.Sprintf("%s: card %s", rd.Name, rd.Card) }
