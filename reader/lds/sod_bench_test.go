package lds_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// BenchmarkParseSOD parses a real EF.SOD (BSI TR-03105-5 test document).
func BenchmarkParseSOD(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "sod", "bsi-tr03105-5_EF_SOD.bin"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := lds.ParseSOD(raw); err != nil {
			b.Fatal(err)
		}
	}
}
