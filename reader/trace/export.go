package trace

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Format names the layout of WriteJSON's output, for tools that read it.
const Format = "cnie-reader-apdu-trace/1"

// Rule is the redaction rule in one paragraph, written into every export.
const Rule = "Data bytes are shown only for exchanges in the clear: the identifier in a SELECT, " +
	"DOs 80/83/84 of an MSE:Set AT (protocol, password kind, domain), and the answers of READ BINARY " +
	"of EF.CardAccess and EF.ATR/INFO. Everything else, including all secure-messaging traffic and " +
	"all authentication exchanges, shows as [N bytes redacted]."

// snapshot copies what an export needs under the lock.
func (tr *Trace) snapshot() (tool string, date time.Time, sum Summary, entries []Entry) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tool = tr.tool
	if tool == "" {
		tool = DefaultTool
	}
	date = tr.date
	if date.IsZero() {
		date = tr.clock().UTC()
	}
	return tool, date, tr.summaryLocked(), slices.Clone(tr.entries)
}

// WriteText writes a header and one human-readable line per exchange.
func (tr *Trace) WriteText(w io.Writer) error {
	tool, date, sum, entries := tr.snapshot()
	var b strings.Builder
	fmt.Fprintf(&b, "APDU trace: %s\n", tool)
	fmt.Fprintf(&b, "date: %s\n", date.Format(time.RFC3339))
	fmt.Fprintf(&b, "exchanges: %d (%d under secure messaging, %d errors", sum.Exchanges, sum.Protected, sum.Errors)
	if sum.Dropped > 0 {
		fmt.Fprintf(&b, ", %d not kept beyond the first %d", sum.Dropped, MaxEntries)
	}
	b.WriteString(")\n")
	fmt.Fprintf(&b, "bytes: %d total (%d sent, %d received)\n", sum.BytesSent+sum.BytesReceived, sum.BytesSent, sum.BytesReceived)
	fmt.Fprintf(&b, "time: %s total, %s waiting for the card\n", ms(sum.Elapsed), ms(sum.CardTime))
	b.WriteString("status words:")
	for _, c := range sum.StatusWords {
		fmt.Fprintf(&b, " %s x%d (%s);", c.SW, c.Count, c.Meaning)
	}
	b.WriteString("\n")
	if sum.Concurrent {
		b.WriteString("note: exchanges overlapped (concurrent use); all data redacted from then on\n")
	}
	fmt.Fprintf(&b, "redaction: %s\n", Rule)
	b.WriteString("#     start      duration   header   lengths / flags        command -> answer\n")
	for _, e := range entries {
		writeLine(&b, e)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.3f ms", float64(d)/float64(time.Millisecond))
}

func writeLine(b *strings.Builder, e Entry) {
	hdr := e.Header
	if hdr == "" {
		hdr = "--------"
	}
	var flags []string
	for _, f := range []struct {
		on   bool
		name string
	}{{e.Extended, "ext"}, {e.SM, "SM"}, {e.Chained, "chain"}} {
		if f.on {
			flags = append(flags, f.name)
		}
	}
	lens := fmt.Sprintf("Lc=%d Ne=%d", e.Lc, e.Ne)
	if len(flags) > 0 {
		lens += " " + strings.Join(flags, ",")
	}
	fmt.Fprintf(b, "%05d %10s %10s  %s %-22s %s", e.Index, ms(e.Start), ms(e.Duration), hdr, lens, e.Name)
	if e.Data != "" {
		fmt.Fprintf(b, " data=%s", e.Data)
	}
	b.WriteString(" -> ")
	if e.Error != "" {
		fmt.Fprintf(b, "ERROR %s\n", e.Error)
		return
	}
	fmt.Fprintf(b, "%d bytes", e.ResponseLen)
	if e.ResponseData != "" {
		fmt.Fprintf(b, " %s", e.ResponseData)
	}
	sm := ""
	if e.ResponseSM {
		sm = " (outer, SM)"
	}
	fmt.Fprintf(b, ", SW %s%s %s\n", e.SW, sm, e.SWMeaning)
}

// document is the JSON layout.
type document struct {
	Format    string  `json:"format"`
	Tool      string  `json:"tool"`
	Date      string  `json:"date"`
	Redaction string  `json:"redaction"`
	Summary   Summary `json:"summary"`
	Entries   []Entry `json:"entries"`
}

// WriteJSON writes the trace as one indented JSON document (see Format).
func (tr *Trace) WriteJSON(w io.Writer) error {
	tool, date, sum, entries := tr.snapshot()
	if entries == nil {
		entries = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep '<' readable (and searchable) as it is
	return enc.Encode(document{
		Format: Format, Tool: tool, Date: date.Format(time.RFC3339),
		Redaction: Rule, Summary: sum, Entries: entries,
	})
}
