package cli

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

type checkJSON struct {
	ID     string `json:"id"`
	DG     int    `json:"dg"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Reason string `json:"reason"`
}

type reportJSON struct {
	Verdict string      `json:"verdict"`
	DemoPKI bool        `json:"demo_pki"`
	Checks  []checkJSON `json:"checks"`
}

type verifyJSON struct {
	Files []struct {
		File    string `json:"file"`
		As      string `json:"taken_as"`
		Size    int    `json:"size"`
		Ignored int    `json:"ignored_trailing_bytes"`
	} `json:"files"`
	MRZ *struct {
		DocumentNumber string `json:"document_number"`
	} `json:"mrz"`
	Verification reportJSON `json:"verification"`
}

// dumpRead runs `read --sim --dump` and returns the folder's files and the
// read's own verification.
func dumpRead(t *testing.T, profile string) ([]string, reportJSON) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dump")
	code, out, errOut := mainWithin(t, time.Minute, "read", "--sim", "--profile", profile, "--dump", dir, "--verify", "--json", "--trust-dir", t.TempDir())
	if code != 0 {
		t.Fatalf("read --dump: exit %d: %s", code, errOut)
	}
	var s struct{ Verification reportJSON }
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("read --json with --dump is not JSON: %v\n%s", err, out)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("nothing dumped: %v", err)
	}
	return paths, s.Verification
}

func verifyFilesJSON(t *testing.T, args ...string) verifyJSON {
	t.Helper()
	code, out, errOut := mainWithin(t, time.Minute, append([]string{"verify", "--json", "--trust-dir", t.TempDir()}, args...)...)
	if code != 0 {
		t.Fatalf("verify %v: exit %d: %s", args, code, errOut)
	}
	var v verifyJSON
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return v
}

func checkStatuses(r reportJSON) map[string]string {
	m := map[string]string{}
	for _, c := range r.Checks {
		k := c.ID
		if c.DG != 0 {
			k = fmt.Sprintf("%s DG%d", c.ID, c.DG)
		}
		m[k] = c.Status
	}
	return m
}

// The files `read --dump` wrote verify like the read itself: the same
// checks with the same statuses, except exactly the two that need the chip.
func TestVerifyFilesLikeRead(t *testing.T) {
	paths, readRep := dumpRead(t, "cnie")
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", p, fi.Mode(), err)
		}
	}
	if fi, err := os.Stat(filepath.Dir(paths[0])); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("dump folder: %v %v", fi.Mode(), err)
	}
	v := verifyFilesJSON(t, append([]string{"--demo"}, paths...)...)
	if len(v.Files) != len(paths) || v.MRZ == nil || v.MRZ.DocumentNumber != "DEMO00001" {
		t.Fatalf("files %+v, mrz %+v", v.Files, v.MRZ)
	}
	for _, f := range v.Files {
		if f.As+".bin" != filepath.Base(f.File) {
			t.Errorf("%s taken as %s", f.File, f.As)
		}
	}
	got, want := checkStatuses(v.Verification), checkStatuses(readRep)
	if len(want) < 10 {
		t.Fatalf("read report: %v", want)
	}
	var differ []string
	for k := range want {
		if got[k] != want[k] {
			differ = append(differ, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			differ = append(differ, k)
		}
	}
	slices.Sort(differ)
	if !slices.Equal(differ, []string{"active-auth", "chip-auth"}) {
		t.Errorf("checks that differ: %v\nread  %v\nfiles %v", differ, want, got)
	}
	for _, id := range []string{"active-auth", "chip-auth"} {
		if want[id] != "passed" || got[id] != "not possible" {
			t.Errorf("%s: read %s, files %s", id, want[id], got[id])
		}
	}
	if !v.Verification.DemoPKI || readRep.Verdict != "demo" || v.Verification.Verdict != "not proven" {
		t.Errorf("verdicts: read %s, files %s (demo %v)", readRep.Verdict, v.Verification.Verdict, v.Verification.DemoPKI)
	}
}

func TestVerifyFilesText(t *testing.T) {
	paths, _ := dumpRead(t, "cnie")
	var sod string
	for _, p := range paths {
		if filepath.Base(p) == "EF.SOD.bin" {
			sod = p
		}
	}
	for lang, words := range map[string][]string{
		"fr_FR.UTF-8": {"== Fichiers ==", "pris comme EF.SOD", "pris comme DG1", "== Vérification ==", "Nom:", "impossible à partir de fichiers"},
		"en_GB.UTF-8": {"== Files ==", "taken as EF.SOD", "taken as DG1", "== Verification ==", "Surname:", "cannot be run from files"},
	} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", lang)
		code, out, errOut := mainWithin(t, time.Minute, append([]string{"verify", "--trust-dir", t.TempDir(), "--demo"}, paths...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, w := range append(words, "[ OK ] sod-signature", "[ OK ] dg-hash DG1", "[ -- ] chip-auth", "[ -- ] active-auth", "DEMO00001") {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", lang, w, out)
			}
		}
		// EF.SOD alone: signature and chain checked, data groups named as not given.
		code, out, errOut = mainWithin(t, time.Minute, "verify", "--trust-dir", t.TempDir(), sod, "--demo")
		alone := map[string]string{"fr_FR.UTF-8": "DG1 est couvert par le fichier de sécurité mais ne fait pas partie des fichiers donnés.",
			"en_GB.UTF-8": "DG1 is covered by the security file but was not among the files given."}[lang]
		for _, w := range []string{"[ OK ] sod-signature", "[ OK ] ds-chain", "[ -- ] dg-hash DG1", alone} {
			if code != 0 || !strings.Contains(out, w) {
				t.Errorf("%s: EF.SOD alone: exit %d, output lacks %q:\n%s%s", lang, code, w, out, errOut)
			}
		}
	}
}

func TestVerifyFilesTampered(t *testing.T) {
	paths, readRep := dumpRead(t, "trust-tampered-dg")
	if checkStatuses(readRep)["dg-hash DG11"] != "failed" {
		t.Fatalf("the read did not see the tampered DG11: %v", checkStatuses(readRep))
	}
	code, out, errOut := mainWithin(t, time.Minute, append([]string{"verify", "--demo", "--profile", "trust-tampered-dg", "--trust-dir", t.TempDir()}, paths...)...)
	if code != 0 || !strings.Contains(out, "[FAIL] dg-hash DG11") || !strings.Contains(out, "[ OK ] dg-hash DG1 ") {
		t.Errorf("exit %d:\n%s%s", code, out, errOut)
	}
}

func TestVerifyJSONAndZIPDumps(t *testing.T) {
	paths, _ := dumpRead(t, "cnie")
	fromFiles := checkStatuses(verifyFilesJSON(t, append([]string{"--demo"}, paths...)...).Verification)
	dir := t.TempDir()
	m := map[string]string{}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	for i, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m[strings.TrimSuffix(filepath.Base(p), ".bin")] = base64.StdEncoding.EncodeToString(b)
		w, err := zw.Create("x/" + string(rune('a'+i))) // names mean nothing
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(m)
	jsonPath, zipPath := filepath.Join(dir, "dump.json"), filepath.Join(dir, "dump.zip")
	mustWrite(t, jsonPath, js)
	mustWrite(t, zipPath, zbuf.Bytes())
	for _, p := range []string{jsonPath, zipPath} {
		v := verifyFilesJSON(t, p, "--demo")
		if got := checkStatuses(v.Verification); len(v.Files) != len(paths) || !maps(got, fromFiles) {
			t.Errorf("%s: %d files\n%v\nwant %v", p, len(v.Files), got, fromFiles)
		}
		if !strings.HasPrefix(v.Files[0].File, p+":") {
			t.Errorf("%s: file named %s", p, v.Files[0].File)
		}
	}
}

func mustWrite(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Refusals are worded in both languages and name the file.
func TestVerifyFilesRefusals(t *testing.T) {
	paths, _ := dumpRead(t, "cnie")
	var sod, dg1 string
	for _, p := range paths {
		switch filepath.Base(p) {
		case "EF.SOD.bin":
			sod = p
		case "DG1.bin":
			dg1 = p
		}
	}
	tmp := t.TempDir()
	copyOf := filepath.Join(tmp, "copy-of-dg1")
	b, err := os.ReadFile(dg1)
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, copyOf, b)
	photo := filepath.Join(tmp, "photo.jpg")
	mustWrite(t, photo, []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16})
	huge := filepath.Join(tmp, "huge.bin")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(3 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	badZip := filepath.Join(tmp, "evil.zip")
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("../../etc/EF.SOD")
	w.Write(b)
	zw.Close()
	mustWrite(t, badZip, zbuf.Bytes())
	// Each in the user's language only: French, then English.
	for _, c := range []struct {
		args         []string
		fr, en, both []string
	}{
		{[]string{sod, dg1, copyOf}, []string{"sont tous deux DG1"}, []string{"are both DG1"}, []string{copyOf, dg1}},
		{[]string{sod, photo}, []string{"n'est ni un fichier de document reconnu"}, []string{"is neither a recognised document file"}, []string{photo, "first byte FF"}},
		{[]string{sod, huge}, []string{"bien trop grand"}, []string{"far too large"}, []string{huge}},
		{[]string{dg1}, []string{"sans lui, rien ne peut être vérifié"}, []string{"without it nothing can be verified"}, []string{"EF.SOD"}},
		{[]string{badZip}, []string{"nom dangereux"}, []string{"unsafe name"}, []string{"../../etc/EF.SOD"}},
		{[]string{sod, tmp}, []string{"n'est pas un fichier ordinaire"}, []string{"is not a regular file"}, nil},
		{[]string{"--profile", "passport", sod}, nil, nil, []string{"--demo"}},
	} {
		for _, l := range []struct {
			env               string
			words, not        []string
			label, otherLabel string
		}{
			{"fr_FR.UTF-8", c.fr, c.en, "Erreur", "Error"},
			{"en_GB.UTF-8", c.en, c.fr, "Error", "Erreur"},
		} {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			t.Setenv("LANG", l.env)
			code, out, errOut := mainWithin(t, 30*time.Second, append([]string{"verify", "--trust-dir", t.TempDir()}, c.args...)...)
			if code != 1 || out != "" {
				t.Errorf("%v: exit %d, stdout %q", c.args, code, out)
			}
			for _, w := range append(append(l.words, c.both...), l.label) {
				if !strings.Contains(errOut, w) {
					t.Errorf("%s %v: stderr lacks %q:\n%s", l.env, c.args, w, errOut)
				}
			}
			for _, w := range append(l.not, l.otherLabel) {
				if strings.Contains(errOut, w) {
					t.Errorf("%s %v: stderr in the other language too, %q:\n%s", l.env, c.args, w, errOut)
				}
			}
		}
	}
	if code, _, _ := run("verify"); code != 2 {
		t.Errorf("verify without files: exit %d, want the usage (2)", code)
	}
}

// read --dump writes into a new or empty folder only, and says so before
// the card is touched.
func TestReadDumpNeverOverwrites(t *testing.T) {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANGUAGE"} {
		t.Setenv(k, "")
	}
	t.Setenv("LANG", "fr_FR.UTF-8")
	full := t.TempDir()
	keep := filepath.Join(full, "DG1.bin")
	mustWrite(t, keep, []byte("keep"))
	for _, args := range [][]string{
		{"read", "--sim", "--dump", full},
		// Checked first: an unknown profile is never reached.
		{"read", "--sim", "--profile", "no-such-profile", "--dump", full},
	} {
		code, _, errOut := mainWithin(t, time.Minute, args...)
		if code == 0 || !strings.Contains(errOut, "n'est pas vide") {
			t.Errorf("%v: exit %d:\n%s", args, code, errOut)
		}
	}
	if b, _ := os.ReadFile(keep); string(b) != "keep" {
		t.Errorf("the existing file became %q", b)
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("written into a refused folder: %v", entries)
	}
	t.Setenv("LANG", "en_GB.UTF-8")
	code, _, errOut := mainWithin(t, time.Minute, "read", "--sim", "--dump", keep)
	if code == 0 || !strings.Contains(errOut, "is not a folder") || strings.Contains(errOut, "n'est pas un dossier") {
		t.Errorf("a file as the folder: exit %d:\n%s", code, errOut)
	}
}
