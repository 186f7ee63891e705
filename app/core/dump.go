package core

// Verifying a document from files: the files a reader wrote (`read --dump`)
// or another tool exported, for support staff who have a dump and no card.
//
// What LoadDump accepts, each path recognised by its content, never by its
// name:
//
//   - a binary file: one elementary file of the chip exactly as read, taken
//     by its first tag: 77 EF.SOD, 60 EF.COM, 61 DG1, 75 DG2, 63 DG3,
//     76 DG4, 65..70 DG5..DG16, 31 (a SET of SecurityInfos) EF.CardAccess,
//     30 (a CMS ContentInfo of signed data) EF.CardSecurity;
//   - a JSON dump: one object whose keys name the files and whose values are
//     their bytes in standard base64 (RFC 4648 §4, padded or not):
//     {"EF.SOD": "d4IH…", "DG1": "YVtfH1g…", "EF.COM": "YBZfAQQ…"}.
//     Keys are EF.COM, EF.SOD, EF.CardAccess, EF.CardSecurity and DG1 to
//     DG16 (any case); each value must hold the file its key names. Hex is
//     not accepted: a hex string is also valid base64, so which one was
//     meant could only be guessed;
//   - a ZIP archive of binary files (stored or deflated), read in memory
//     only; names are not used, except that directories, __MACOSX/ and
//     .DS_Store entries are skipped and a name that climbs out of the
//     archive (.., absolute, backslash) refuses it.
//
// Every size and count is bounded; each refusal is a *DumpError or a
// *safefile.Error, worded in French and English.

import (
	"archive/zip"
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/document"
	"github.com/cnie-reader/cnie-reader/reader/files"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/oids"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// Bounds on the files of a dump.
const (
	// MaxDumpFile bounds one elementary file: what a chip read accepts.
	MaxDumpFile = files.MaxFileSize
	// MaxDumpTotal bounds all the files of one document together.
	MaxDumpTotal = 8 << 20
	// MaxDumpContainer bounds a JSON or ZIP dump as stored.
	MaxDumpContainer = 16 << 20
	// MaxDumpEntries bounds the entries of a ZIP or the keys of a JSON dump
	// (a document has at most 20 files).
	MaxDumpEntries = 32
)

// Names of the files of a document, as a dump and the reports say them.
const (
	NameCOM          = "EF.COM"
	NameSOD          = "EF.SOD"
	NameCardAccess   = "EF.CardAccess"
	NameCardSecurity = "EF.CardSecurity"
)

// Sentinels of DumpError, for errors.Is.
var (
	ErrDumpUnknown     = errors.New("unknown content")
	ErrDumpUnknownKey  = errors.New("unknown key in JSON dump")
	ErrDumpDuplicate   = errors.New("file given twice")
	ErrDumpMismatch    = errors.New("content does not match its name in the dump")
	ErrDumpNoSOD       = errors.New("no EF.SOD among the files")
	ErrDumpMalformed   = errors.New("malformed content")
	ErrDumpTooLarge    = errors.New("too large")
	ErrDumpTooMany     = errors.New("too many entries")
	ErrDumpUnsafeName  = errors.New("unsafe entry name")
	ErrDumpUnsupported = errors.New("unsupported archive entry")
	ErrDumpNotDir      = errors.New("not a directory")
	ErrDumpDirNotEmpty = errors.New("directory not empty")
)

// DumpError is a dump refused, or a dump directory that cannot be written;
// app/problem words it for the user.
type DumpError struct {
	Err   error  // one of the ErrDump sentinels
	File  string // the file, "archive.zip:entry" or "dump.json:KEY"; empty for the files together
	As    string // what File was taken as (EF.SOD, DG1, JSON, ZIP...), when known
	Other string // ErrDumpDuplicate: the first file taken as As; ErrDumpMismatch: the name the dump gave
	Entry string // ErrDumpUnsafeName, ErrDumpUnsupported: the archive entry; ErrDumpUnknownKey: the key
	Max   int64  // ErrDumpTooLarge, ErrDumpTooMany: the bound
	// Detail is technical, for support staff: the first byte, the parser's word.
	Detail string
	Cause  error
}

func (e *DumpError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ": ")
	}
	b.WriteString(e.Err.Error())
	if e.As != "" {
		b.WriteString(" (" + e.As + ")")
	}
	if e.Other != "" {
		b.WriteString(" [" + e.Other + "]")
	}
	if e.Entry != "" {
		b.WriteString(" " + strconv.Quote(e.Entry))
	}
	if e.Max > 0 {
		fmt.Fprintf(&b, " (limit %d)", e.Max)
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Cause != nil {
		b.WriteString(": " + e.Cause.Error())
	}
	return b.String()
}

// Unwrap gives the sentinel and the cause.
func (e *DumpError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// DumpFile is one file of a dump, before it is recognised.
type DumpFile struct {
	Name string // where it comes from, for messages: a path, "dump.zip:DG1.bin", "dump.json:DG1"
	// Key is the name a JSON dump gives the file (canonical: "DG1",
	// "EF.SOD"); empty otherwise. The content must agree with it.
	Key  string
	Data []byte
}

// DumpPart says what one file was taken as.
type DumpPart struct {
	File string `json:"file"`
	As   string `json:"taken_as"`
	Size int    `json:"size"`
	// Ignored counts the bytes after the file's element (padding), left out.
	Ignored int `json:"ignored_trailing_bytes,omitempty"`
}

// Dump is a document assembled from files. Doc holds personal data:
// keep it in memory only and Wipe it when done.
type Dump struct {
	Doc *reader.Document
	// Parts lists the files in the order given, with what each was taken as.
	Parts []DumpPart
	raw   [][]byte // the files as given, padding included, for Wipe
}

// Wipe overwrites the personal data.
func (d *Dump) Wipe() {
	if d == nil {
		return
	}
	for _, b := range d.raw {
		clear(b)
	}
	if d.Doc != nil {
		d.Doc.Wipe()
	}
	d.Doc, d.raw = nil, nil
}

// signedDataOID is the DER of oids.SignedData, the content type of
// EF.CardSecurity's ContentInfo.
var signedDataOID, _ = asn1.Marshal(oids.SignedData)

// IdentifyDumpFile names what b is by its first tag ("EF.SOD", "DG1"...)
// and says how many bytes its first element takes (len(b) for a BER
// indefinite length, which EF.SOD and EF.CardSecurity may use); or it
// returns "" and why not.
func IdentifyDumpFile(b []byte) (name string, size int, why string) {
	if len(b) == 0 {
		return "", 0, "empty file"
	}
	switch b[0] {
	case 0x77:
		name = NameSOD
	case 0x60:
		name = NameCOM
	case 0x31:
		name = NameCardAccess
	case 0x30:
		if !isContentInfo(b) {
			return "", 0, "first byte 30 (SEQUENCE) but not a CMS ContentInfo of signed data: a certificate or a key?"
		}
		name = NameCardSecurity
	default:
		dg, ok := lds.DataGroupByTag(uint32(b[0]))
		if !ok {
			return "", 0, fmt.Sprintf("first byte %02X", b[0])
		}
		name = dg.String()
	}
	if len(b) > 1 && b[1] == 0x80 && (name == NameSOD || name == NameCardSecurity) {
		return name, len(b), ""
	}
	t, _, err := ber.ParseTLV(b)
	if err != nil {
		return "", 0, fmt.Sprintf("first byte %02X (%s) but not a complete element: %v", b[0], name, err)
	}
	return name, len(t.Raw), ""
}

// isContentInfo tells whether b starts with SEQUENCE { id-signedData, ... },
// in DER or with BER's indefinite length.
func isContentInfo(b []byte) bool {
	if len(b) < 2 || b[0] != 0x30 {
		return false
	}
	i := 2
	switch l := b[1]; {
	case l == 0x80: // indefinite
	case l > 0x80:
		n := int(l & 0x7F)
		if n > 4 {
			return false
		}
		i += n
	}
	return len(b) >= i+len(signedDataOID) && bytes.Equal(b[i:i+len(signedDataOID)], signedDataOID)
}

// dumpKey is the canonical file name a JSON key stands for.
func dumpKey(k string) (string, bool) {
	for _, n := range []string{NameCOM, NameSOD, NameCardAccess, NameCardSecurity} {
		if strings.EqualFold(k, n) {
			return n, true
		}
	}
	if len(k) >= 3 && strings.EqualFold(k[:2], "DG") {
		n, err := strconv.Atoi(k[2:])
		if err == nil && lds.DataGroup(n).Valid() && strconv.Itoa(n) == k[2:] {
			return lds.DataGroup(n).String(), true
		}
	}
	return "", false
}

// LoadDump reads the files named by paths (binary files, JSON or ZIP
// dumps, see the package notes) and assembles the document they hold.
func LoadDump(paths []string) (*Dump, error) {
	var in []DumpFile
	fail := func(err error) (*Dump, error) {
		for _, f := range in {
			clear(f.Data)
		}
		return nil, err
	}
	total := 0
	for _, p := range paths {
		data, err := safefile.ReadRegular(p, MaxDumpContainer)
		if err != nil {
			return fail(err)
		}
		var got []DumpFile
		switch {
		case isZip(data):
			got, err = readZipDump(p, data)
			clear(data)
		case isJSON(data):
			got, err = readJSONDump(p, data)
			clear(data)
		case len(data) > MaxDumpFile:
			clear(data)
			err = &safefile.Error{Path: p, Err: safefile.ErrTooLarge, Max: MaxDumpFile}
		default:
			got = []DumpFile{{Name: p, Data: data}}
		}
		in = append(in, got...)
		if err != nil {
			return fail(err)
		}
		for _, f := range got {
			total += len(f.Data)
		}
		if total > MaxDumpTotal {
			return fail(&DumpError{Err: ErrDumpTooLarge, Max: MaxDumpTotal})
		}
	}
	d, err := AssembleDump(in)
	if err != nil {
		return fail(err)
	}
	return d, nil
}

func isZip(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06"))
}

func isJSON(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}

// readJSONDump reads {"KEY": "<base64>", ...} with every key known and
// given once, nothing after the object.
func readJSONDump(name string, data []byte) ([]DumpFile, error) {
	var out []DumpFile
	fail := func(err error) ([]DumpFile, error) {
		for _, f := range out {
			clear(f.Data)
		}
		return nil, err
	}
	malformed := func(detail string, cause error) ([]DumpFile, error) {
		return fail(&DumpError{Err: ErrDumpMalformed, File: name, As: "JSON", Detail: detail, Cause: cause})
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return malformed("not a JSON object", err)
	}
	seen := map[string]bool{}
	total := 0
	for dec.More() {
		if len(seen) == MaxDumpEntries {
			return fail(&DumpError{Err: ErrDumpTooMany, File: name, Max: MaxDumpEntries})
		}
		tok, err := dec.Token()
		if err != nil {
			return malformed("", err)
		}
		key, _ := tok.(string)
		canon, ok := dumpKey(key)
		if !ok {
			return fail(&DumpError{Err: ErrDumpUnknownKey, File: name, Entry: printable(key)})
		}
		entry := name + ":" + key
		if seen[canon] {
			return fail(&DumpError{Err: ErrDumpDuplicate, File: entry, As: canon, Other: name + ":" + canon})
		}
		seen[canon] = true
		if tok, err = dec.Token(); err != nil {
			return malformed("", err)
		}
		s, ok := tok.(string)
		if !ok {
			return malformed(fmt.Sprintf("the value of %q is not a base64 string", key), nil)
		}
		if base64.StdEncoding.DecodedLen(len(s)) > MaxDumpFile+2 {
			return fail(&DumpError{Err: ErrDumpTooLarge, File: entry, Max: MaxDumpFile})
		}
		b, err := decodeBase64(s)
		if err != nil {
			return fail(&DumpError{Err: ErrDumpMalformed, File: entry, As: canon, Detail: "not standard base64", Cause: err})
		}
		if len(b) > MaxDumpFile {
			clear(b)
			return fail(&DumpError{Err: ErrDumpTooLarge, File: entry, Max: MaxDumpFile})
		}
		total += len(b)
		out = append(out, DumpFile{Name: entry, Key: canon, Data: b})
		if total > MaxDumpTotal {
			return fail(&DumpError{Err: ErrDumpTooLarge, Max: MaxDumpTotal})
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return malformed("unterminated object", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("data after the object", err)
	}
	return out, nil
}

func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil && !strings.Contains(s, "=") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return b, err
}

// readZipDump reads the entries of a ZIP archive in memory, bounded.
func readZipDump(name string, data []byte) ([]DumpFile, error) {
	var out []DumpFile
	fail := func(err error) ([]DumpFile, error) {
		for _, f := range out {
			clear(f.Data)
		}
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// An insecure name is found again, entry by entry, below.
		return fail(&DumpError{Err: ErrDumpMalformed, File: name, As: "ZIP", Cause: err})
	}
	if len(zr.File) > MaxDumpEntries {
		return fail(&DumpError{Err: ErrDumpTooMany, File: name, Max: MaxDumpEntries})
	}
	total := 0
	for _, f := range zr.File {
		if unsafeEntryName(f.Name) {
			return fail(&DumpError{Err: ErrDumpUnsafeName, File: name, Entry: printable(f.Name)})
		}
		if f.Mode().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") || path.Base(f.Name) == ".DS_Store" {
			continue
		}
		entry := name + ":" + f.Name
		if !f.Mode().IsRegular() || f.Flags&0x1 != 0 {
			return fail(&DumpError{Err: ErrDumpUnsupported, File: name, Entry: f.Name, Detail: fmt.Sprintf("mode %v, flags %#x", f.Mode(), f.Flags)})
		}
		rc, err := f.Open()
		if err != nil {
			if errors.Is(err, zip.ErrAlgorithm) {
				return fail(&DumpError{Err: ErrDumpUnsupported, File: name, Entry: f.Name, Detail: fmt.Sprintf("method %d", f.Method), Cause: err})
			}
			return fail(&DumpError{Err: ErrDumpMalformed, File: entry, As: "ZIP", Cause: err})
		}
		// The sizes in the headers are claims: read at most one byte more
		// than accepted, whatever they say.
		b, err := io.ReadAll(io.LimitReader(rc, MaxDumpFile+1))
		rc.Close()
		if len(b) > MaxDumpFile {
			clear(b)
			return fail(&DumpError{Err: ErrDumpTooLarge, File: entry, Max: MaxDumpFile})
		}
		if err != nil {
			clear(b)
			return fail(&DumpError{Err: ErrDumpMalformed, File: entry, As: "ZIP", Cause: err})
		}
		total += len(b)
		out = append(out, DumpFile{Name: entry, Data: b})
		if total > MaxDumpTotal {
			return fail(&DumpError{Err: ErrDumpTooLarge, Max: MaxDumpTotal})
		}
	}
	return out, nil
}

// printable is s as it may be shown on a terminal: a name from a hostile
// file carries no control or bidirectional character, and no novel.
func printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i >= 120 {
			b.WriteString("…")
			break
		}
		if !unicode.IsGraphic(r) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unsafeEntryName refuses names that would climb out of an extraction
// folder or hide what they are (control, bidirectional or invalid
// characters): the archive is never extracted, but such a name is a sign
// of a hostile archive, and it would be shown on the terminal.
func unsafeEntryName(n string) bool {
	if n == "" || strings.HasPrefix(n, "/") || strings.ContainsAny(n, `\:`) {
		return true
	}
	for _, r := range n {
		if !unicode.IsGraphic(r) || r == utf8.RuneError {
			return true
		}
	}
	return slices.Contains(strings.Split(n, "/"), "..")
}

// AssembleDump recognises each file by its content and builds the
// Document verification takes. Doc keeps the files' Data (no copy), which
// Dump.Wipe clears.
func AssembleDump(in []DumpFile) (*Dump, error) {
	doc := &reader.Document{Document: document.Document{DataGroups: map[int][]byte{}}}
	d := &Dump{Doc: doc}
	first := map[string]string{}
	var comDGs []lds.DataGroup
	for _, f := range in {
		as, size, why := IdentifyDumpFile(f.Data)
		if as == "" {
			return nil, &DumpError{Err: ErrDumpUnknown, File: f.Name, Detail: why}
		}
		// Bytes after the element are file padding some tools dump: a
		// read never reads them, and no hash or signature covers them.
		ignored := len(f.Data) - size
		d.raw = append(d.raw, f.Data)
		f.Data = f.Data[:size]
		if f.Key != "" && f.Key != as {
			return nil, &DumpError{Err: ErrDumpMismatch, File: f.Name, As: as, Other: f.Key}
		}
		if other, dup := first[as]; dup {
			return nil, &DumpError{Err: ErrDumpDuplicate, File: f.Name, As: as, Other: other}
		}
		first[as] = f.Name
		d.Parts = append(d.Parts, DumpPart{File: f.Name, As: as, Size: size, Ignored: ignored})
		malformed := func(err error) error {
			return &DumpError{Err: ErrDumpMalformed, File: f.Name, As: as, Cause: err}
		}
		switch as {
		case NameSOD:
			doc.SOD = f.Data
		case NameCOM:
			com, err := lds.ParseCOM(f.Data)
			if err != nil {
				return nil, malformed(err)
			}
			doc.COM, doc.COMRaw, comDGs = com, f.Data, com.DataGroups
		case NameCardAccess:
			infos, err := lds.ParseSecurityInfos(f.Data)
			if err != nil {
				return nil, malformed(err)
			}
			doc.CardAccess, doc.CardAccessRaw = infos, f.Data
		case NameCardSecurity:
			doc.CardSecurity = f.Data
		default:
			dg, _ := lds.DataGroupByTag(uint32(f.Data[0]))
			doc.DataGroups[int(dg)] = f.Data
		}
	}
	if doc.SOD == nil {
		return nil, &DumpError{Err: ErrDumpNoSOD}
	}
	// DG1 and DG11 are parsed as a read parses them: a zone whose check
	// digits fail is kept (the report says so), one that does not parse is
	// refused; a DG11 or DG14 that does not parse is named by the report
	// and left to the hash check.
	if b, ok := doc.DataGroups[1]; ok {
		m, err := lds.ParseDG1(b)
		if m == nil {
			return nil, &DumpError{Err: ErrDumpMalformed, File: first["DG1"], As: "DG1", Cause: err}
		}
		doc.MRZ = m
	}
	if b, ok := doc.DataGroups[11]; ok {
		// As in a read: an unreadable DG11 is named, the rest verified.
		if g, err := lds.ParseDG11(b); err != nil {
			doc.Unreadable = map[int]error{11: err}
		} else {
			doc.DG11 = g
		}
	}
	if b, ok := doc.DataGroups[14]; ok {
		doc.DG14, _ = lds.ParseDG14(b)
	}
	// Data groups that need Terminal Authentication are never in a dump of
	// this reader: named as such, like a read does, when EF.COM or EF.SOD
	// lists them.
	listed := slices.Clone(comDGs)
	if sod, err := lds.ParseSOD(doc.SOD); err == nil {
		listed = append(listed, sod.DataGroups()...)
	}
	slices.Sort(listed)
	for _, dg := range slices.Compact(listed) {
		if _, given := doc.DataGroups[int(dg)]; !given && lds.ProtectedByTerminalAuth(dg) {
			doc.Protected = append(doc.Protected, int(dg))
		}
	}
	doc.Files = dumpFiles(doc)
	// Chip and Active Authentication need the chip: from files they do not
	// run where the document has them (DG14, DG15 listed), and are not
	// offered where it has not.
	run := func(dg lds.DataGroup) document.ProtocolRun {
		if slices.Contains(listed, dg) {
			return document.ProtocolRun{Outcome: document.NotRun}
		}
		return document.ProtocolRun{Outcome: document.NotOffered}
	}
	doc.ChipAuth, doc.ActiveAuth = run(14), run(15)
	return d, nil
}

// dumpFiles lists the files of doc in the order a read lists them.
func dumpFiles(doc *reader.Document) []reader.FileRead {
	var out []reader.FileRead
	for _, f := range dumpContents(doc, nil) {
		out = append(out, reader.FileRead{Name: f.name, FID: f.fid, Size: len(f.data)})
	}
	return out
}

type dumpContent struct {
	name string
	fid  uint16
	data []byte
}

// dumpContents is every file doc holds, each with the bytes the chip gave.
func dumpContents(doc *reader.Document, errs *error) []dumpContent {
	var out []dumpContent
	build := func(name string, fid uint16, b []byte, err error) {
		if err != nil {
			if errs != nil && *errs == nil {
				*errs = fmt.Errorf("%s: %w", name, err)
			}
			return
		}
		out = append(out, dumpContent{name, fid, b})
	}
	// EF.CardAccess and EF.COM as the chip gave them; re-encoded only for
	// a Document made without them (unsigned files: nothing to check).
	switch {
	case doc.CardAccessRaw != nil:
		out = append(out, dumpContent{NameCardAccess, lds.FIDCardAccess, doc.CardAccessRaw})
	case doc.CardAccess != nil:
		b, err := doc.CardAccess.Build()
		build(NameCardAccess, lds.FIDCardAccess, b, err)
	}
	switch {
	case doc.COMRaw != nil:
		out = append(out, dumpContent{NameCOM, lds.FIDCOM, doc.COMRaw})
	case doc.COM != nil:
		b, err := doc.COM.Build()
		build(NameCOM, lds.FIDCOM, b, err)
	}
	if doc.SOD != nil {
		out = append(out, dumpContent{NameSOD, lds.FIDSOD, doc.SOD})
	}
	for n := 1; n <= 16; n++ {
		if b, ok := doc.DataGroups[n]; ok {
			dg := lds.DataGroup(n)
			out = append(out, dumpContent{dg.String(), dg.FileID(), b})
		}
	}
	if doc.CardSecurity != nil {
		out = append(out, dumpContent{NameCardSecurity, lds.FIDCardSecurity, doc.CardSecurity})
	}
	return out
}

// DumpVerifyOptions tune VerifyDump.
type DumpVerifyOptions struct {
	// TrustDir holds the user's imported trust files (default directory when empty).
	TrustDir string
	// DemoProfile, when set, adds the demo CSCA and CRL of that virtual card
	// profile (sim.DefaultProfile is the usual one): its dump then verifies
	// against the DEMO authority, and is shown as such.
	DemoProfile string
	// Now is the time of the checks; time.Now() when zero.
	Now time.Time
}

// VerifyDump verifies a document assembled from files, with the same
// checks as a read. Chip and Active Authentication need the chip, so
// their checks say they cannot be run from files.
func VerifyDump(doc *reader.Document, opts DumpVerifyOptions) (*verify.Report, error) {
	var demoCard sim.Chip
	if opts.DemoProfile != "" {
		card, err := sim.NewNamed(opts.DemoProfile)
		if err != nil {
			return nil, err
		}
		demoCard = card
	}
	store, err := TrustStore(opts.TrustDir, demoCard)
	if err != nil {
		return nil, err
	}
	return verify.Verify(&doc.Document, store, verify.Options{Now: opts.Now, FromFiles: true}), nil
}

// DumpFileName is the name WriteDump gives a file: "EF.SOD.bin", "DG1.bin".
func DumpFileName(name string) string { return name + ".bin" }

// CheckDumpDir refuses a dump directory that is neither absent nor an
// empty folder, so that a read can fail before the card is touched.
func CheckDumpDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(dir); lerr == nil {
			// A dangling link: creating the folder would follow it.
			return &DumpError{Err: ErrDumpNotDir, File: dir, Detail: "dangling symbolic link"}
		}
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return &DumpError{Err: ErrDumpNotDir, File: dir, Detail: fi.Mode().Type().String()}
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if names, _ := f.Readdirnames(1); len(names) > 0 {
		return &DumpError{Err: ErrDumpDirNotEmpty, File: dir}
	}
	return nil
}

// WriteDump writes every file doc holds as a binary file into dir (created
// 0700 when missing; an existing one must be an empty folder), each new
// (0600, never overwriting), and returns their paths. It is an explicit
// export of personal data the user asked for. EF.COM and EF.CardAccess are
// written as the reader parsed them, re-encoded (neither is signed). On
// failure, what was written is removed.
func WriteDump(dir string, doc *reader.Document) (written []string, err error) {
	if err := CheckDumpDir(dir); err != nil {
		return nil, err
	}
	var buildErr error
	contents := dumpContents(doc, &buildErr)
	if buildErr != nil {
		return nil, buildErr
	}
	created := false
	if err := os.Mkdir(dir, 0o700); err == nil {
		created = true
	} else if !errors.Is(err, fs.ErrExist) {
		return nil, err
	}
	defer func() {
		if err == nil {
			return
		}
		for _, p := range written {
			os.Remove(p)
		}
		written = nil
		if created {
			os.Remove(dir)
		}
	}()
	for _, c := range contents {
		p := filepath.Join(dir, DumpFileName(c.name))
		f, err := safefile.CreateNew(p, 0o600)
		if err != nil {
			return written, err
		}
		written = append(written, p)
		_, werr := f.Write(c.data)
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return written, werr
		}
	}
	return written, nil
}
