package core

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/internal/safefile"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/verify"
)

// readSim reads a virtual card of profile and verifies it as `read --verify` does.
func readSim(t *testing.T, profile string) (*reader.Document, *verify.Report) {
	t.Helper()
	card, err := sim.NewNamed(profile)
	if err != nil {
		t.Fatal(err)
	}
	p := card.Profile()
	secret := reader.Secret{CAN: p.CAN}
	if p.CAN == "" {
		secret = reader.Secret{MRZ: p.MRZInformation()}
	}
	doc, err := reader.Read(context.Background(), card, secret, reader.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store, err := TrustStore(t.TempDir(), card)
	if err != nil {
		t.Fatal(err)
	}
	return doc, verify.Verify(&doc.Document, store, verify.Options{})
}

// dumpSim writes the virtual card's files into a new folder and returns
// their paths by name ("EF.SOD", "DG1"...).
func dumpSim(t *testing.T, profile string) (map[string]string, *verify.Report) {
	t.Helper()
	doc, rep := readSim(t, profile)
	dir := filepath.Join(t.TempDir(), "dump")
	paths, err := WriteDump(dir, doc)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for _, p := range paths {
		byName[strings.TrimSuffix(filepath.Base(p), ".bin")] = p
	}
	return byName, rep
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func verifyDump(t *testing.T, paths []string, demo string) (*Dump, *verify.Report) {
	t.Helper()
	d, err := LoadDump(paths)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyDump(d.Doc, DumpVerifyOptions{TrustDir: t.TempDir(), DemoProfile: demo})
	if err != nil {
		t.Fatal(err)
	}
	return d, rep
}

type checkKey struct {
	id verify.CheckID
	dg int
}

func statuses(r *verify.Report) map[checkKey]verify.Status {
	m := map[checkKey]verify.Status{}
	for _, c := range r.Checks {
		m[checkKey{c.ID, c.DG}] = c.Status
	}
	return m
}

// The files a read wrote verify as the read did, except the two checks
// that need the chip itself.
func TestDumpVerifiesLikeTheRead(t *testing.T) {
	files, readRep := dumpSim(t, sim.DefaultProfile)
	for _, want := range []string{"EF.CardAccess", "EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG14", "DG15"} {
		if _, ok := files[want]; !ok {
			t.Errorf("the dump lacks %s: %v", want, files)
		}
	}
	dir := filepath.Dir(files["EF.SOD"])
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dump folder: %v %v", fi.Mode(), err)
	}
	for _, p := range files {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	d, rep := verifyDump(t, values(files), sim.DefaultProfile)
	defer d.Wipe()
	for _, p := range d.Parts {
		if want := strings.TrimSuffix(filepath.Base(p.File), ".bin"); p.As != want {
			t.Errorf("%s taken as %s", p.File, p.As)
		}
	}
	if d.Doc.MRZ == nil || d.Doc.MRZ.DocumentNumber != "DEMO00001" || d.Doc.DG11 == nil || d.Doc.DG14 == nil || d.Doc.CardAccess == nil || d.Doc.COM == nil {
		t.Fatalf("document not assembled: %+v", d.Doc)
	}
	if !slices.Equal(d.Doc.Protected, []int{3}) {
		t.Errorf("protected %v, want [3] as in the read", d.Doc.Protected)
	}
	got, want := statuses(rep), statuses(readRep)
	if len(got) != len(want) {
		t.Errorf("%d checks from files, %d from the read", len(got), len(want))
	}
	for k, s := range want {
		chip := k.id == verify.CheckChipAuth || k.id == verify.CheckActiveAuth
		switch {
		case chip && (s != verify.Passed || got[k] != verify.NotPossible):
			t.Errorf("%v: read %s, files %s; want passed and not possible", k, s, got[k])
		case !chip && got[k] != s:
			t.Errorf("%v: read %s, files %s", k, s, got[k])
		}
	}
	for _, id := range []verify.CheckID{verify.CheckChipAuth, verify.CheckActiveAuth} {
		c, _ := rep.Check(id, 0)
		// app/explain's TestVerifySentences pins its words: "…cannot be run
		// from files…", "…impossible à partir de fichiers…".
		if c.Detail != "not run: verification from files" || c.Reason != verify.ReasonFromFiles {
			t.Errorf("%s: %+v", id, c)
		}
	}
	// A demo PKI with a verdict other than demo: the summary starts with
	// "DEMO —" (app/explain's TestVerifySentences).
	if !rep.DemoPKI || rep.Verdict != verify.NotProven {
		t.Errorf("verdict %s demo %v", rep.Verdict, rep.DemoPKI)
	}
	// Without the demo anchor the same files are not vouched for.
	_, rep = verifyDump(t, values(files), "")
	if c, _ := rep.Check(verify.CheckCSCAKnown, 0); c.Status != verify.Failed || rep.DemoPKI {
		t.Errorf("without --demo: %+v", c)
	}
}

func TestDumpSODAlone(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	d, rep := verifyDump(t, []string{files["EF.SOD"]}, sim.DefaultProfile)
	if len(d.Parts) != 1 || d.Parts[0].As != "EF.SOD" {
		t.Errorf("parts %+v", d.Parts)
	}
	for _, id := range []verify.CheckID{verify.CheckSODSignature, verify.CheckCSCAKnown, verify.CheckDSChain} {
		if c, _ := rep.Check(id, 0); c.Status != verify.Passed {
			t.Errorf("%s: %+v", id, c)
		}
	}
	for _, n := range []int{1, 2, 11, 14, 15} {
		c, ok := rep.Check(verify.CheckDGHash, n)
		// Worded "DG<n> is covered by the security file but was not among the
		// files given." / "…ne fait pas partie des fichiers donnés." (app/explain).
		if !ok || c.Status != verify.NotPossible || c.Reason != verify.ReasonNotGiven || c.DG != n {
			t.Errorf("DG%d: %+v", n, c)
		}
	}
	// DG3 needs terminal authentication: no dump of this reader holds it.
	// Worded "…reserved to authorities…" (app/explain).
	if c, _ := rep.Check(verify.CheckDGHash, 3); c.Reason != verify.ReasonProtected {
		t.Errorf("DG3: %+v", c)
	}
	// Worded "The machine readable zone (DG1) was not among the files given." (app/explain).
	if c, _ := rep.Check(verify.CheckMRZ, 0); c.Status != verify.NotPossible || c.Reason != verify.ReasonNotGiven {
		t.Errorf("MRZ: %+v", c)
	}
}

func TestDumpTamperedDG(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	b, err := os.ReadFile(files["DG1"])
	if err != nil {
		t.Fatal(err)
	}
	// Change one letter of the name in the zone: it still parses.
	i := bytes.Index(b, []byte("DEMO<<"))
	if i < 0 {
		t.Fatalf("no name in DG1: %q", b)
	}
	if b[i+6] == 'Z' {
		b[i+6] = 'Y'
	} else {
		b[i+6] = 'Z'
	}
	p := filepath.Join(t.TempDir(), "dg1")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	_, rep := verifyDump(t, []string{files["EF.SOD"], p}, sim.DefaultProfile)
	if c, _ := rep.Check(verify.CheckDGHash, 1); c.Status != verify.Failed {
		t.Errorf("tampered DG1: %+v", c)
	}
	if rep.Verdict != verify.NotGenuine || rep.DataIntact.Status != verify.Failed {
		t.Errorf("verdict %s, data intact %s", rep.Verdict, rep.DataIntact.Status)
	}
}

// jsonDump encodes the files of a dump folder as a JSON dump.
func jsonDump(t *testing.T, files map[string]string) []byte {
	t.Helper()
	m := map[string]string{}
	for name, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = base64.StdEncoding.EncodeToString(b)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDumpJSON(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	_, fromFiles := verifyDump(t, values(files), sim.DefaultProfile)
	d, rep := verifyDump(t, []string{write(t, "dump.json", jsonDump(t, files))}, sim.DefaultProfile)
	if len(d.Parts) != len(files) || !strings.Contains(d.Parts[0].File, "dump.json:") {
		t.Errorf("parts %+v", d.Parts)
	}
	if fmt.Sprint(statuses(rep)) != fmt.Sprint(statuses(fromFiles)) {
		t.Errorf("JSON %v\nfiles %v", statuses(rep), statuses(fromFiles))
	}
	sod, _ := os.ReadFile(files["EF.SOD"])
	dg1, _ := os.ReadFile(files["DG1"])
	b64 := base64.StdEncoding.EncodeToString
	raw := base64.RawStdEncoding.EncodeToString
	// Unpadded base64, keys in any case, a byte order mark: accepted.
	ok := fmt.Sprintf("\xEF\xBB\xBF {\"ef.sod\": %q, \"dg1\": %q}\n", raw(sod), raw(dg1))
	if d, err := LoadDump([]string{write(t, "ok.json", []byte(ok))}); err != nil || len(d.Parts) != 2 || d.Doc.MRZ == nil {
		t.Errorf("lenient JSON: %v", err)
	}
	big := strings.Repeat("A", (MaxDumpFile/3+2)*4)
	for name, c := range map[string]struct {
		json string
		want error
	}{
		"unknown key":  {fmt.Sprintf(`{"EF.SOD": %q, "photo": ""}`, b64(sod)), ErrDumpUnknownKey},
		"escape key":   {`{"\u001b[2J": ""}`, ErrDumpUnknownKey},
		"DG0":          {`{"DG0": ""}`, ErrDumpUnknownKey},
		"DG01":         {`{"DG01": ""}`, ErrDumpUnknownKey},
		"duplicate":    {fmt.Sprintf(`{"DG1": %q, "dg1": %q}`, b64(dg1), b64(dg1)), ErrDumpDuplicate},
		"mismatch":     {fmt.Sprintf(`{"EF.SOD": %q, "DG2": %q}`, b64(sod), b64(dg1)), ErrDumpMismatch},
		"not base64":   {`{"DG1": "61 5B 5F 1F"}`, ErrDumpMalformed},
		"hex":          {fmt.Sprintf(`{"DG1": "%x"}`, dg1), ErrDumpUnknown},
		"nested":       {`{"DG1": {"data": ""}}`, ErrDumpMalformed},
		"number":       {`{"DG1": 12}`, ErrDumpMalformed},
		"trailing":     {fmt.Sprintf(`{"EF.SOD": %q} {}`, b64(sod)), ErrDumpMalformed},
		"unterminated": {fmt.Sprintf(`{"EF.SOD": %q`, b64(sod)), ErrDumpMalformed},
		"array":        {`{"DG1": [1]}`, ErrDumpMalformed},
		"too large":    {fmt.Sprintf(`{"DG2": %q}`, big), ErrDumpTooLarge},
		"no SOD":       {fmt.Sprintf(`{"DG1": %q}`, b64(dg1)), ErrDumpNoSOD},
	} {
		_, err := LoadDump([]string{write(t, "dump.json", []byte(c.json))})
		var de *DumpError
		if !errors.Is(err, c.want) || !errors.As(err, &de) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
			continue
		}
		// What a hostile file names reaches the terminal harmless.
		// (app/problem's sentences show these fields and nothing else of the file.)
		for _, m := range []string{de.File, de.As, de.Other, de.Entry, de.Error()} {
			if strings.ContainsAny(m, "\x1b\u202e") || !utf8.ValidString(m) {
				t.Errorf("%s: %q", name, m)
			}
		}
	}
}

type zipEntry struct {
	name   string
	data   []byte
	method uint16
	flags  uint16
	dir    bool
}

func zipDump(t *testing.T, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: e.method, Flags: e.flags}
		if e.dir {
			h.SetMode(fs.ModeDir | 0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDumpZIP(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	_, fromFiles := verifyDump(t, values(files), sim.DefaultProfile)
	var entries []zipEntry
	i := 0
	for _, p := range values(files) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// Names mean nothing: the content says what each entry is.
		entries = append(entries, zipEntry{name: fmt.Sprintf("card/file%d", i), data: b, method: uint16(i%2) * zip.Deflate})
		i++
	}
	entries = append(entries, zipEntry{name: "card/", dir: true}, zipEntry{name: "__MACOSX/card/._file0", data: []byte{0, 5, 22, 7}},
		zipEntry{name: "card/.DS_Store", data: []byte("Bud1")})
	d, rep := verifyDump(t, []string{write(t, "dump.zip", zipDump(t, entries))}, sim.DefaultProfile)
	if len(d.Parts) != len(files) || !strings.Contains(d.Parts[0].File, "dump.zip:card/file0") {
		t.Errorf("parts %+v", d.Parts)
	}
	if fmt.Sprint(statuses(rep)) != fmt.Sprint(statuses(fromFiles)) {
		t.Errorf("ZIP %v\nfiles %v", statuses(rep), statuses(fromFiles))
	}

	sod, _ := os.ReadFile(files["EF.SOD"])
	bomb := make([]byte, MaxDumpFile+1) // deflates to about a kilobyte
	bomb[0] = 0x75
	var many []zipEntry
	for i := 0; i <= MaxDumpEntries; i++ {
		many = append(many, zipEntry{name: fmt.Sprintf("f%d", i), data: sod})
	}
	for name, c := range map[string]struct {
		entries []zipEntry
		want    error
	}{
		"climbs out":  {[]zipEntry{{name: "../EF.SOD", data: sod}}, ErrDumpUnsafeName},
		"absolute":    {[]zipEntry{{name: "/tmp/EF.SOD", data: sod}}, ErrDumpUnsafeName},
		"backslash":   {[]zipEntry{{name: `..\EF.SOD`, data: sod}}, ErrDumpUnsafeName},
		"drive":       {[]zipEntry{{name: `C:/EF.SOD`, data: sod}}, ErrDumpUnsafeName},
		"escape":      {[]zipEntry{{name: "EF.SOD\x1b[2J", data: sod}}, ErrDumpUnsafeName},
		"bidi":        {[]zipEntry{{name: "DG1\u202Enib.exe", data: sod}}, ErrDumpUnsafeName},
		"not UTF-8":   {[]zipEntry{{name: "DG1\xff.bin", data: sod}}, ErrDumpUnsafeName},
		"bomb":        {[]zipEntry{{name: "DG2", data: bomb, method: zip.Deflate}}, ErrDumpTooLarge},
		"too many":    {many, ErrDumpTooMany},
		"encrypted":   {[]zipEntry{{name: "EF.SOD", data: sod, flags: 0x1}}, ErrDumpUnsupported},
		"unknown":     {[]zipEntry{{name: "EF.SOD", data: sod}, {name: "readme.txt", data: []byte("hello")}}, ErrDumpUnknown},
		"duplicate":   {[]zipEntry{{name: "a", data: sod}, {name: "b", data: sod}}, ErrDumpDuplicate},
		"no SOD":      {[]zipEntry{{name: "DG2", data: bomb[:10]}}, ErrDumpNoSOD},
		"nested ZIPs": {[]zipEntry{{name: "inner.zip", data: zipDump(t, []zipEntry{{name: "EF.SOD", data: sod}})}}, ErrDumpUnknown},
	} {
		_, err := LoadDump([]string{write(t, "dump.zip", zipDump(t, c.entries))})
		var de *DumpError
		if !errors.Is(err, c.want) || !errors.As(err, &de) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
			continue
		}
		// What a hostile file names reaches the terminal harmless.
		// (app/problem's sentences show these fields and nothing else of the file.)
		for _, m := range []string{de.File, de.As, de.Other, de.Entry, de.Error()} {
			if strings.ContainsAny(m, "\x1b\u202e") || !utf8.ValidString(m) {
				t.Errorf("%s: %q", name, m)
			}
		}
	}
	// A truncated archive.
	z := zipDump(t, []zipEntry{{name: "EF.SOD", data: sod}})
	if _, err := LoadDump([]string{write(t, "cut.zip", z[:len(z)/2])}); !errors.Is(err, ErrDumpMalformed) {
		t.Errorf("truncated: %v", err)
	}
}

func TestDumpRefusals(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	sod := files["EF.SOD"]
	dg1, _ := os.ReadFile(files["DG1"])
	cert := []byte{0x30, 0x82, 0x01, 0x00, 0x30, 0x82, 0x00, 0xF0, 0xA0, 0x03, 0x02, 0x01, 0x02}
	huge := filepath.Join(t.TempDir(), "huge.bin")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil { // sparse: nothing of it is written
		t.Fatal(err)
	}
	f.Close()
	overOne := make([]byte, MaxDumpFile+1)
	overOne[0] = 0x75
	badDG1 := ber.Encode(0x61, ber.Encode(0x5F1F, []byte("NOT A ZONE")))
	for name, c := range map[string]struct {
		paths []string
		want  error
	}{
		"JPEG":            {[]string{sod, write(t, "face.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0})}, ErrDumpUnknown},
		"certificate":     {[]string{sod, write(t, "ds.cer", cert)}, ErrDumpUnknown},
		"empty":           {[]string{sod, write(t, "empty", nil)}, ErrDumpUnknown},
		"text":            {[]string{write(t, "notes.txt", []byte("EF.SOD"))}, ErrDumpUnknown},
		"duplicate":       {[]string{sod, files["DG1"], write(t, "copy", dg1)}, ErrDumpDuplicate},
		"same path twice": {[]string{sod, sod}, ErrDumpDuplicate},
		"no SOD":          {[]string{files["DG1"], files["DG2"]}, ErrDumpNoSOD},
		"huge":            {[]string{sod, huge}, safefile.ErrTooLarge},
		"over 1 MiB":      {[]string{sod, write(t, "dg2", overOne)}, safefile.ErrTooLarge},
		"folder":          {[]string{sod, t.TempDir()}, safefile.ErrNotRegular},
		"missing":         {[]string{sod, filepath.Join(t.TempDir(), "none")}, fs.ErrNotExist},
		"bad DG1":         {[]string{sod, write(t, "dg1", badDG1)}, ErrDumpMalformed},
		"bad CardAccess":  {[]string{sod, write(t, "ca", []byte{0x31, 0x03, 0x02, 0x01, 0x01})}, ErrDumpMalformed},
		"bad EF.COM":      {[]string{sod, write(t, "com", []byte{0x60, 0x02, 0x01, 0x00})}, ErrDumpMalformed},
	} {
		d, err := LoadDump(c.paths)
		if !errors.Is(err, c.want) || d != nil {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	var big *safefile.Error
	if _, err := LoadDump([]string{sod, write(t, "dg2", overOne)}); !errors.As(err, &big) || big.Max != MaxDumpFile {
		t.Errorf("over 1 MiB: %v", err)
	}
	// Together, files within their own bound can still be too much.
	var zipped []zipEntry
	for i := 0; i < 9; i++ {
		zipped = append(zipped, zipEntry{name: fmt.Sprint(i), data: overOne[:MaxDumpFile], method: zip.Deflate})
	}
	var de *DumpError
	if _, err := LoadDump([]string{write(t, "all.zip", zipDump(t, zipped))}); !errors.As(err, &de) || de.Err != ErrDumpTooLarge || de.File != "" {
		t.Errorf("8 MiB in all: %v", err)
	}
}

func TestIdentifyDumpFile(t *testing.T) {
	for b, want := range map[string]string{
		"\x77\x01\x00": "EF.SOD", "\x77\x80\x30\x80": "EF.SOD", "\x60\x00": "EF.COM", "\x61\x01\x00": "DG1", "\x75\x00": "DG2",
		"\x63\x00": "DG3", "\x76\x00": "DG4", "\x65\x00": "DG5", "\x6B\x00": "DG11", "\x6C\x00": "DG12", "\x6D\x00": "DG13",
		"\x6E\x00": "DG14", "\x6F\x00": "DG15", "\x70\x00": "DG16", "\x31\x00": "EF.CardAccess",
		"\x30\x80\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02": "EF.CardSecurity",
		"\x30\x0B\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02": "EF.CardSecurity",
		// Not complete elements, or not a document file.
		"\x30\x82\x01\x00\x30\x82": "", "\x30": "", "": "", "\x71\x00": "", "\x5F\x1F\x00": "", "{}": "", "PK": "",
		"\x61\x5B": "", "\x61\x80\x00\x00": "", "hello": "", "\x77": "", "\x6B\x84\x00\x00\x00\x01\x00": "",
	} {
		got, size, why := IdentifyDumpFile([]byte(b))
		if got != want || (got == "" && why == "") || (got != "" && size != len(b)) {
			t.Errorf("% X: %q %d (%s), want %q", b, got, size, why, want)
		}
	}
}

// Bytes after a file's element (padding some tools dump) are left out and counted.
func TestDumpPaddingIgnored(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	dg1, _ := os.ReadFile(files["DG1"])
	padded := write(t, "dg1", append(slices.Clone(dg1), 0xFF, 0xFF, 0xFF))
	d, rep := verifyDump(t, []string{files["EF.SOD"], padded}, sim.DefaultProfile)
	if p := d.Parts[1]; p.Size != len(dg1) || p.Ignored != 3 || !bytes.Equal(d.Doc.DataGroups[1], dg1) {
		t.Errorf("part %+v", p)
	}
	if c, _ := rep.Check(verify.CheckDGHash, 1); c.Status != verify.Passed {
		t.Errorf("padded DG1: %+v", c)
	}
	whole := d.raw[1]
	d.Wipe()
	if slices.ContainsFunc(whole, func(b byte) bool { return b != 0 }) {
		t.Errorf("padding not wiped: %x", whole)
	}
}

// EF.CardSecurity is kept raw; the files of a dump are listed as a read lists them.
func TestDumpCardSecurityAndFileList(t *testing.T) {
	files, _ := dumpSim(t, sim.DefaultProfile)
	cs := []byte("\x30\x80\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02\xA0\x80\x00\x00\x00\x00")
	d, err := LoadDump([]string{write(t, "cs", cs), files["DG1"], files["EF.SOD"]})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(d.Doc.CardSecurity, cs) {
		t.Errorf("CardSecurity %x", d.Doc.CardSecurity)
	}
	var names []string
	for _, f := range d.Doc.Files {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "EF.SOD DG1 EF.CardSecurity" || d.Doc.Files[0].FID != 0x011D {
		t.Errorf("files %v", d.Doc.Files)
	}
	if d.Parts[0].As != "EF.CardSecurity" || d.Parts[2].As != "EF.SOD" {
		t.Errorf("parts in the order given: %+v", d.Parts)
	}
	kept, dg1 := d.Doc.CardSecurity, d.Doc.DataGroups[1]
	d.Wipe()
	if d.Doc != nil || slices.ContainsFunc(kept, func(b byte) bool { return b != 0 }) || slices.ContainsFunc(dg1, func(b byte) bool { return b != 0 }) {
		t.Errorf("not wiped: %x %x", kept, dg1)
	}
}

func TestWriteDumpNeverOverwrites(t *testing.T) {
	doc, _ := readSim(t, sim.DefaultProfile)
	// A folder with something in it is refused before and at writing.
	full := t.TempDir()
	keep := filepath.Join(full, "EF.SOD.bin")
	if err := os.WriteFile(keep, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{CheckDumpDir(full), func() error { _, err := WriteDump(full, doc); return err }()} {
		if !errors.Is(err, ErrDumpDirNotEmpty) {
			t.Errorf("non-empty folder: %v", err)
		}
	}
	if b, _ := os.ReadFile(keep); string(b) != "keep" {
		t.Errorf("overwritten: %q", b)
	}
	if _, err := WriteDump(keep, doc); !errors.Is(err, ErrDumpNotDir) {
		t.Errorf("a file: %v", err)
	}
	// An empty folder is used as it is.
	empty := t.TempDir()
	if err := os.Chmod(empty, 0o750); err != nil {
		t.Fatal(err)
	}
	paths, err := WriteDump(empty, doc)
	if err != nil || len(paths) < 8 {
		t.Fatalf("%v %v", paths, err)
	}
	if fi, _ := os.Stat(empty); fi.Mode().Perm() != 0o750 {
		t.Errorf("the existing folder became %v", fi.Mode())
	}
	if _, err := WriteDump(empty, doc); !errors.Is(err, ErrDumpDirNotEmpty) {
		t.Errorf("second dump: %v", err)
	}
	// A missing parent: nothing is created.
	if _, err := WriteDump(filepath.Join(t.TempDir(), "a", "b"), doc); err == nil {
		t.Error("a folder was created under a missing parent")
	}
	// A dangling link is not followed.
	link := filepath.Join(t.TempDir(), "link")
	target := filepath.Join(t.TempDir(), "target")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteDump(link, doc); !errors.Is(err, ErrDumpNotDir) {
		t.Errorf("dangling link: %v", err)
	}
	if _, err := os.Lstat(target); err == nil {
		t.Error("the link's target was created")
	}
}

// Every refusal names the file and matches its sentinel; its sentences in
// both languages are tested in app/problem.
func TestDumpErrorMessages(t *testing.T) {
	for _, e := range []*DumpError{
		{Err: ErrDumpUnknown, File: "x.bin", Detail: "first byte FF"},
		{Err: ErrDumpUnknownKey, File: "x.bin", Entry: "photo"},
		{Err: ErrDumpDuplicate, File: "x.bin", As: "DG1", Other: "y.bin"},
		{Err: ErrDumpMismatch, File: "x.bin", As: "DG1", Other: "DG2"},
		{Err: ErrDumpMalformed, File: "x.bin", As: "DG1"},
		{Err: ErrDumpTooLarge, File: "x.bin", Max: 10},
		{Err: ErrDumpTooMany, File: "x.bin", Max: 10},
		{Err: ErrDumpUnsafeName, File: "x.bin", Entry: "../a"},
		{Err: ErrDumpUnsupported, File: "x.bin", Entry: "a"},
		{Err: ErrDumpNotDir, File: "x.bin"},
		{Err: ErrDumpDirNotEmpty, File: "x.bin"},
	} {
		if !errors.Is(e, e.Err) || !strings.HasPrefix(e.Error(), "x.bin: ") {
			t.Errorf("%v: %s", e.Err, e.Error())
		}
	}
}

// Whatever the bytes, a dump is refused with a DumpError or assembled with
// an EF.SOD, and nothing panics.
func FuzzDump(f *testing.F) {
	f.Add([]byte(`{"EF.SOD": "dwA=", "DG1": "YQA="}`))
	f.Add([]byte("\x77\x00"))
	f.Add([]byte("\x30\x80\x06\x09\x2A\x86\x48\x86\xF7\x0D\x01\x07\x02"))
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("a")
	w.Write([]byte("\x77\x00"))
	zw.Close()
	f.Add(zbuf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		var in []DumpFile
		var err error
		switch {
		case isZip(b):
			in, err = readZipDump("fuzz.zip", b)
		case isJSON(b):
			in, err = readJSONDump("fuzz.json", b)
		default:
			in = []DumpFile{{Name: "fuzz", Data: b}, {Name: "sod", Data: []byte{0x77, 0x00}}}
		}
		if err == nil {
			var d *Dump
			if d, err = AssembleDump(in); err == nil {
				if d.Doc.SOD == nil || len(d.Parts) != len(in) {
					t.Fatalf("assembled %+v", d.Parts)
				}
				return
			}
		}
		var de *DumpError
		if !errors.As(err, &de) {
			t.Fatalf("untyped refusal %T: %v", err, err)
		}
	})
}

// A dump holds EF.CardAccess and EF.COM byte for byte as the chip gave
// them, even when re-encoding them would give other bytes (an unknown
// SecurityInfo first, as a chip may order them).
func TestWriteDumpKeepsUnsignedFilesAsRead(t *testing.T) {
	doc, _ := readSim(t, "cnie")
	unknown := ber.Encode(0x30, ber.Encode(0x06, []byte{0x2A, 0x03}), ber.Encode(0x04, bytes.Repeat([]byte{7}, 40)))
	raw := ber.Encode(0x31, append(unknown, doc.CardAccessRaw[2:]...))
	infos, err := lds.ParseSecurityInfos(raw)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := infos.Build(); err != nil || bytes.Equal(again, raw) {
		t.Fatalf("the test needs a file that re-encodes differently (%v)", err)
	}
	doc.CardAccess, doc.CardAccessRaw = infos, raw
	dir := filepath.Join(t.TempDir(), "dump")
	if _, err := WriteDump(dir, doc); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{NameCardAccess: raw, NameCOM: doc.COMRaw} {
		got, err := os.ReadFile(filepath.Join(dir, DumpFileName(name)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s written as %X, want %X (%v)", name, got, want, err)
		}
	}
}
