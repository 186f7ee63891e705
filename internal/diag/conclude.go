package diag

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The codes of what diagnostics notice (key "diag.what.<code>") and of the
// next steps (key "diag.next.<code>"). Arguments are named in comments.
const (
	WhatPCSCDMissing    = "pcscd-missing"
	WhatPCSCDStopped    = "pcscd-stopped"
	WhatPCSCDSilent     = "pcscd-silent"   // the error in Detail
	WhatKernelModules   = "kernel-modules" // Modules
	WhatNoReader        = "no-reader"
	WhatSelfTestFailed  = "selftest-failed"  // the error in Detail
	WhatSelfTestPassed  = "selftest-passed"  // Millis, APDUs
	WhatReaderEmpty     = "reader-empty"     // Name
	WhatReaderMute      = "reader-mute"      // Name
	WhatReaderBusy      = "reader-busy"      // Name
	WhatCardMoved       = "card-moved"       // Name
	WhatCardUnreachable = "card-unreachable" // Name, Cause
	WhatShortAPDUs      = "short-apdus"      // Name, Seconds, Extra
	WhatCardKind        = "card-kind"        // Name, Note (a pcsc.CardNote)
	WhatTestReadPassed  = "test-read-passed" // Seconds, Protocol, APDUs
	WhatTestReadFailed  = "test-read-failed" // Cause
	WhatVirtualSlot     = "virtual-slot"     // Name: a vpcd slot without a virtual card

	NextInstallPCSCD    = "install-pcscd"
	NextStartPCSCD      = "start-pcscd"
	NextRestartPCSCD    = "restart-pcscd"
	NextKernelModules   = "kernel-modules" // Modules, Blacklist, Unload
	NextPlugReader      = "plug-reader"
	NextReportToSupport = "report-to-support"
	NextPlaceCard       = "place-card"
	NextReplaceCard     = "replace-card"
	NextCloseOtherApps  = "close-other-apps"
	NextKeepCardStill   = "keep-card-still"
	NextReplugReader    = "replug-reader"
	NextExtendedReader  = "extended-reader"
)

// WhatCodes and NextCodes list every code, for the tests that check each
// has words.
var (
	WhatCodes = []string{WhatPCSCDMissing, WhatPCSCDStopped, WhatPCSCDSilent, WhatKernelModules, WhatNoReader,
		WhatSelfTestFailed, WhatSelfTestPassed, WhatReaderEmpty, WhatReaderMute, WhatReaderBusy, WhatCardMoved,
		WhatCardUnreachable, WhatShortAPDUs, WhatCardKind, WhatTestReadPassed, WhatTestReadFailed, WhatVirtualSlot}
	NextCodes = []string{NextInstallPCSCD, NextStartPCSCD, NextRestartPCSCD, NextKernelModules, NextPlugReader,
		NextReportToSupport, NextPlaceCard, NextReplaceCard, NextCloseOtherApps, NextKeepCardStill,
		NextReplugReader, NextExtendedReader}
)

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }

// kv builds a finding's arguments from name, value pairs.
func kv(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return m
}

// Conclude turns the observations into findings, worst first, and a
// verdict, replacing those there were (a report whose self-test was run
// again, a report built by a test).
func (r *Report) Conclude(opts Options) { r.conclude(opts) }

// conclude turns the observations into findings, worst first, and a verdict.
func (r *Report) conclude(opts Options) {
	r.Findings = nil
	s := r.Service
	switch {
	case !s.Installed:
		r.add(Finding{Severity: Problem, What: WhatPCSCDMissing, Next: NextInstallPCSCD})
	case !s.Reachable && !s.Running:
		r.add(Finding{Severity: Problem, What: WhatPCSCDStopped, Next: NextStartPCSCD})
	case !s.Reachable:
		r.add(Finding{Severity: Problem, What: WhatPCSCDSilent, Next: NextRestartPCSCD, Detail: s.Error})
	}
	if len(r.Conflicts) > 0 {
		fix := r.ConflictFix
		r.add(Finding{Severity: Problem, What: WhatKernelModules, Next: NextKernelModules,
			Args: kv("Modules", strings.Join(r.Conflicts, " "), "Blacklist", fix.Blacklist, "Unload", fix.Unload)})
	}
	if s.Reachable && r.CountedReaders() == 0 {
		r.add(Finding{Severity: Problem, What: WhatNoReader, Next: NextPlugReader})
	}
	perAPDU := opts.PerAPDU
	if perAPDU == 0 {
		perAPDU = 15 * time.Millisecond
	}
	for _, rd := range r.Readers {
		r.readerFindings(rd, perAPDU)
	}
	if !r.SelfTest.Passed {
		r.add(Finding{Severity: Problem, What: WhatSelfTestFailed, Next: NextReportToSupport, Detail: r.SelfTest.Error})
	} else {
		r.add(Finding{Severity: OK, What: WhatSelfTestPassed,
			Args: kv("Millis", fmt.Sprintf("%.0f", r.SelfTest.Millis), "APDUs", strconv.Itoa(r.SelfTest.APDUs))})
	}
	r.sortAndConclude()
}

func (r *Report) readerFindings(rd Reader, perAPDU time.Duration) {
	name := rd.Model
	if name == "" {
		name = rd.Name
	}
	if !rd.Counted() {
		r.add(Finding{Severity: Info, What: WhatVirtualSlot, Args: kv("Name", rd.Name)})
		return
	}
	switch {
	case rd.Card == "absent":
		r.add(Finding{Severity: Info, What: WhatReaderEmpty, Next: NextPlaceCard, Args: kv("Name", name)})
	case rd.Card == "mute":
		r.add(Finding{Severity: Warning, What: WhatReaderMute, Next: NextReplaceCard, Args: kv("Name", name)})
	case rd.Card == "in use":
		r.add(Finding{Severity: Warning, What: WhatReaderBusy, Next: NextCloseOtherApps, Args: kv("Name", name)})
	case strings.HasPrefix(rd.Card, "removed"):
		r.add(Finding{Severity: Warning, What: WhatCardMoved, Next: NextKeepCardStill, Args: kv("Name", name)})
	case strings.HasPrefix(rd.Card, "unreachable"):
		r.add(Finding{Severity: Warning, What: WhatCardUnreachable, Next: NextReplugReader, Args: kv("Name", name),
			Cause: rd.err, Detail: rd.Error})
	}
	if rd.Extended == "no" {
		extra := r.SelfTest.ShortAPDUs - r.SelfTest.APDUs
		if extra < 0 {
			extra = 0
		}
		secs := float64(extra) * perAPDU.Seconds()
		r.add(Finding{Severity: Warning, What: WhatShortAPDUs, Next: NextExtendedReader,
			Args: kv("Name", name, "Seconds", fmt.Sprintf("%.0f", secs), "Extra", strconv.Itoa(extra))})
	}
	if rd.CardNote != "" && rd.Card == "present" {
		r.add(Finding{Severity: Info, What: WhatCardKind, Args: kv("Name", name, "Note", string(rd.CardNote))})
	}
	if tr := rd.TestRead; tr != nil {
		if tr.OK {
			r.add(Finding{Severity: OK, What: WhatTestReadPassed,
				Args: kv("Seconds", fmt.Sprintf("%.2f", tr.Seconds), "Protocol", tr.Protocol, "APDUs", strconv.Itoa(tr.APDUs))})
		} else {
			r.add(Finding{Severity: Problem, What: WhatTestReadFailed, Cause: tr.Err, Detail: tr.Error})
		}
	}
}

var severityOrder = map[Severity]int{Problem: 0, Warning: 1, Info: 2, OK: 3}

func (r *Report) sortAndConclude() {
	// Stable sort by severity, worst first.
	for i := 1; i < len(r.Findings); i++ {
		for j := i; j > 0 && severityOrder[r.Findings[j].Severity] < severityOrder[r.Findings[j-1].Severity]; j-- {
			r.Findings[j], r.Findings[j-1] = r.Findings[j-1], r.Findings[j]
		}
	}
	worst := OK
	if len(r.Findings) > 0 {
		worst = r.Findings[0].Severity
	}
	switch worst {
	case Problem:
		r.Verdict = Blocked
	case Warning:
		r.Verdict = Caveat
	default:
		r.Verdict = Ready
	}
}
