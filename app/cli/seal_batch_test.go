package cli

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/demoseal"
)

// The JSON line of a photo carries the exact bytes of its code: a seal of
// our own, drawn on the virtual card's back, comes back byte for byte.
func TestSealJSONLineShape(t *testing.T) {
	payload, err := demoseal.TwoDDoc(demoseal.Holder{Surname: "DEMO", GivenNames: "ALEX", DocumentNumber: "DEMO00042",
		Sex: "F", Nationality: "FR", BirthDate: time.Date(1990, 7, 14, 0, 0, 0, 0, time.UTC)}, time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	dm, err := demoseal.DataMatrix(payload, 4)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, demoseal.CardBack([]string{"IDFRADEMO<<<<<<<<<<<<<<<<<<<<<"}, dm)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "card back.png")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := run("seal", path, "--json", "--demo")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "}\n") {
		t.Fatalf("not one JSON line: %q", out)
	}
	if !regexp.MustCompile(`"decode_ms":[0-9]+\.[0-9][,}]`).MatchString(out) {
		t.Errorf("decode_ms is not a number with one decimal: %s", out)
	}
	var line struct {
		File       string
		Symbol     string
		Size       *string
		FoundBy    string   `json:"found_by"`
		PayloadHex string   `json:"payload_hex"`
		DecodeMS   *float64 `json:"decode_ms"`
		Seal       struct{ Kind, Signature string }
		Error      any
	}
	if err := json.Unmarshal([]byte(out), &line); err != nil {
		t.Fatal(err)
	}
	if line.PayloadHex != hex.EncodeToString(payload) {
		t.Errorf("payload_hex %s, want %x", line.PayloadHex, payload)
	}
	if line.File != path || line.Symbol != "DataMatrix" || line.FoundBy == "" || line.Error != nil {
		t.Errorf("line %+v", line)
	}
	if line.DecodeMS == nil || *line.DecodeMS < 0 {
		t.Errorf("decode_ms %v", line.DecodeMS)
	}
	// The size is given when the decoder tells it, and never empty.
	if line.Size != nil && !regexp.MustCompile(`^[1-9][0-9]*x[1-9][0-9]*$`).MatchString(*line.Size) {
		t.Errorf("size %q", *line.Size)
	}
	if line.Seal.Kind != "2D-Doc" || line.Seal.Signature != "valid" {
		t.Errorf("seal %+v", line.Seal)
	}
}

func TestMillisOneDecimal(t *testing.T) {
	for ms, want := range map[millis]string{12: "12.0", 0.04: "0.0", 3.25: "3.2", 104.96: "105.0"} {
		b, err := json.Marshal(ms)
		if err != nil || string(b) != want {
			t.Errorf("%v: %s %v, want %s", float64(ms), b, err, want)
		}
	}
}
