package mrz

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Specimen zones of ICAO Doc 9303 (8th edition). They were looked up with
// the search tool in public test suites that reproduce the specification
// (e.g. the MRZ parsers' tests quoting "ICAO 9303 Part 5/Part 4 specimen"),
// and every check digit below is verified by computation in these tests.
const (
	// Part 5, Appendix A (TD1 specimen, Utopia, Anna Maria Eriksson).
	td1Specimen = "I<UTOD231458907<<<<<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	// Part 6, Appendix A (TD2 specimen).
	td2Specimen = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n" +
		"D231458907UTO7408122F1204159<<<<<<<6"
	// Part 4, Appendix A (TD3 specimen passport).
	td3Specimen = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	// Part 11, Appendix D.1 (the BAC worked example's passport).
	td3BAC = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C<3UTO6908061F9406236ZE184226B<<<<<14"
	// Part 11, Appendix D.2 (TD1 with a 12-character document number).
	td1Long = "I<UTOD23145890<7349<<<<<<<<<<<\n" +
		"3407127M9507122UTO<<<<<<<<<<<2\n" +
		"STEVENSON<<PETER<JOHN<<<<<<<<<"
)

func TestCheckDigit(t *testing.T) {
	// Doc 9303 Part 3 §4.9 and Part 11 Appendix D.1.
	for in, want := range map[string]byte{
		"L898902C<": '3', "690806": '1', "940623": '6', "520727": '3',
		"AB2134<<<": '5', "": '0', "D23145890734": '9',
	} {
		got, err := CheckDigit(in)
		if err != nil || got != want {
			t.Errorf("CheckDigit(%q) = %c, %v; want %c", in, got, err, want)
		}
	}
	for _, in := range []string{"l898902c", "AB 12", "É", "12-3"} {
		if _, err := CheckDigit(in); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("CheckDigit(%q) error = %v, want BadInput", in, err)
		}
	}
}

func TestParseTD1Specimen(t *testing.T) {
	m, err := Parse(td1Specimen)
	if err != nil {
		t.Fatal(err)
	}
	want := MRZ{
		Format: TD1, DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
		OptionalData: "", BirthDate: Date{74, 8, 12}, Sex: "F", ExpiryDate: Date{12, 4, 15},
		Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
	}
	compare(t, m, want)
	if len(m.Checks) != 4 || !m.Valid() {
		t.Errorf("checks = %+v", m.Checks)
	}
	info, _ := m.Information()
	if info != "D23145890774081221204159" {
		t.Errorf("Information = %s", info)
	}
}

func TestParseTD2Specimen(t *testing.T) {
	m, err := Parse(td2Specimen)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, m, MRZ{
		Format: TD2, DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
		BirthDate: Date{74, 8, 12}, Sex: "F", ExpiryDate: Date{12, 4, 15},
		Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
	})
}

func TestParseTD3Specimen(t *testing.T) {
	m, err := Parse(td3Specimen)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, m, MRZ{
		Format: TD3, DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3",
		OptionalData: "ZE184226B", BirthDate: Date{74, 8, 12}, Sex: "F", ExpiryDate: Date{12, 4, 15},
		Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
	})
	if len(m.Checks) != 5 || !m.Valid() {
		t.Errorf("checks = %+v", m.Checks)
	}
}

func TestBACExample(t *testing.T) {
	// Doc 9303 Part 11 Appendix D.1 (vectors JSON bac_appendix_D.mrz_information).
	const want = "L898902C<369080619406236"
	got, err := Information("L898902C<", "690806", "940623")
	if err != nil || got != want {
		t.Fatalf("Information = %q, %v", got, err)
	}
	if got, _ := Information("l898902c", "690806", "940623"); got != want {
		t.Errorf("lower-case and unpadded number: %q", got)
	}
	m, err := Parse(td3BAC)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Information(); got != want {
		t.Errorf("(*MRZ).Information = %q", got)
	}
}

func TestPACEMRZInformation(t *testing.T) {
	// Doc 9303 Part 11 Appendix G.1: the PACE password is SHA-1 of the MRZ
	// information (vectors JSON pace_ecdh_gm_appendix_G1.k_sha1_of_mrz_information).
	info, err := Information("T22000129", "640812", "101031")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte(info))
	if got := strings.ToUpper(hex.EncodeToString(sum[:])); got != "7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD" {
		t.Errorf("SHA-1(%s) = %s", info, got)
	}
}

func TestParseLongDocumentNumber(t *testing.T) {
	// Doc 9303 Part 11 Appendix D.2: MRZ information of a long number.
	m, err := Parse(td1Long)
	if err != nil {
		t.Fatal(err)
	}
	if m.DocumentNumber != "D23145890734" || m.OptionalData != "" || m.Sex != "M" {
		t.Errorf("number %q, optional %q, sex %q", m.DocumentNumber, m.OptionalData, m.Sex)
	}
	info, _ := m.Information()
	if info != "D23145890734934071279507122" {
		t.Errorf("Information = %s", info)
	}
	// Same zone run together, as DG1 stores it.
	m2, err := Parse(strings.ReplaceAll(td1Long, "\n", ""))
	if err != nil || m2.DocumentNumber != m.DocumentNumber {
		t.Errorf("single-line form: %v", err)
	}
}

func TestParseCheckFailures(t *testing.T) {
	// Birth date check digit 2 -> 3: the composite fails too.
	bad := strings.Replace(td1Specimen, "7408122F", "7408123F", 1)
	m, err := Parse(bad)
	if m == nil {
		t.Fatal("a zone with wrong check digits must still be returned")
	}
	if !errors.Is(err, chiperr.BadInput) {
		t.Fatalf("error %v is not BadInput", err)
	}
	var ce *CheckError
	if !errors.As(err, &ce) || !slices.Equal(ce.Failed, []Field{FieldBirthDate, FieldComposite}) {
		t.Fatalf("failed checks = %+v", ce)
	}
	if m.Valid() || m.PrimaryIdentifier != "ERIKSSON" {
		t.Errorf("fields should stay readable: %+v", m)
	}
	// TD3 personal number check digit.
	bad = strings.Replace(td3Specimen, "<<<<<10", "<<<<<20", 1)
	if _, err = Parse(bad); !errors.As(err, &ce) || !slices.Equal(ce.Failed, []Field{FieldOptionalData, FieldComposite}) {
		t.Errorf("TD3 optional data: %v", err)
	}
	// A long-number marker with nothing after it.
	bad = "I<UTOD23145890<<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	if _, err = Parse(bad); !errors.As(err, &ce) || !slices.Contains(ce.Failed, FieldDocumentNumber) {
		t.Errorf("empty long number: %v", err)
	}
}

func TestParseMalformed(t *testing.T) {
	for name, in := range map[string]string{
		"empty":         "",
		"short":         "P<UTO",
		"lower case":    strings.ToLower(td3Specimen),
		"mixed lengths": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6",
		"four lines":    td1Specimen + "\n" + strings.Repeat("<", 30),
		"bad sex":       strings.Replace(td1Specimen, "2F12", "2Q12", 1),
		"bad month":     strings.Replace(td1Specimen, "740812", "741312", 1),
		"letter date":   strings.Replace(td1Specimen, "740812", "74O812", 1),
		"too long":      strings.Repeat(" ", 2000),
	} {
		if m, err := Parse(in); m != nil || !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: got %v, %v", name, m, err)
		}
	}
}

func TestParseTolerance(t *testing.T) {
	in := "\r\n  " + strings.ReplaceAll(td3Specimen, "\n", " \r\n\t") + "\n\n"
	if _, err := Parse(in); err != nil {
		t.Errorf("blanks around lines: %v", err)
	}
	// Unknown day and month are written with fillers (Doc 9303 Part 3 §4.7).
	f := Fields{DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "X1", Nationality: "UTO",
		BirthDate: Date{Year: 74}, ExpiryDate: Date{30, 1, 1}, PrimaryIdentifier: "X"}
	lines, err := FormatTD3(f)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(strings.Join(lines[:], "\n"))
	if err != nil || m.BirthDate != (Date{Year: 74}) || m.BirthDate.String() != "74<<<<" || m.Sex != "X" {
		t.Errorf("unknown birth day: %v %+v", err, m)
	}
}

func TestVisa(t *testing.T) {
	// Doc 9303 Part 7 MRV-A specimen: no composite check digit.
	in := "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL8988901C4XXX4009078F96121096ZE184226B<<<<<<"
	m, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if m.Format != MRVA || m.DocumentNumber != "L8988901C" || m.Nationality != "XXX" || len(m.Checks) != 3 {
		t.Errorf("%+v", m)
	}
}

func TestFormatRoundTrip(t *testing.T) {
	// Rebuilding the specimens from their fields gives them back exactly.
	f := Fields{DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
		BirthDate: Date{74, 8, 12}, Sex: "F", ExpiryDate: Date{12, 4, 15}, Nationality: "UTO",
		PrimaryIdentifier: "Eriksson", SecondaryIdentifier: "Anna Maria"}
	td1, err := FormatTD1(f)
	if err != nil || strings.Join(td1[:], "\n") != td1Specimen {
		t.Errorf("FormatTD1 = %q, %v", td1, err)
	}
	f.DocumentCode, f.DocumentNumber, f.OptionalData = "P", "L898902C3", "ZE184226B"
	td3, err := FormatTD3(f)
	if err != nil || strings.Join(td3[:], "\n") != td3Specimen {
		t.Errorf("FormatTD3 = %q, %v", td3, err)
	}
	long := Fields{DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890734",
		BirthDate: Date{34, 7, 12}, Sex: "M", ExpiryDate: Date{95, 7, 12}, Nationality: "UTO",
		PrimaryIdentifier: "STEVENSON", SecondaryIdentifier: "PETER JOHN"}
	td1, err = FormatTD1(long)
	if err != nil || strings.Join(td1[:], "\n") != td1Long {
		t.Errorf("FormatTD1 long number = %q, %v", td1, err)
	}
	// A long number followed by optional data survives the round trip.
	long.OptionalData = "AB12"
	td1, _ = FormatTD1(long)
	m, err := Parse(strings.Join(td1[:], ""))
	if err != nil || m.DocumentNumber != "D23145890734" || m.OptionalData != "AB12" {
		t.Errorf("long number + optional data: %v %+v", err, m)
	}
}

func TestFormatNames(t *testing.T) {
	f := Fields{DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: "X4RTBPFW4", Nationality: "FRA",
		BirthDate: Date{90, 1, 31}, ExpiryDate: Date{31, 12, 1}, Sex: "M",
		PrimaryIdentifier: "Lefèvre-Müller d'Ornano", SecondaryIdentifier: "Jean-Loïc, Æsa Œdipe"}
	td1, err := FormatTD1(f)
	if err != nil {
		t.Fatal(err)
	}
	// Cut at 30 characters, in the middle of the given names.
	if td1[2] != "LEFEVRE<MUELLER<DORNANO<<JEAN<" {
		t.Errorf("name line %q", td1[2])
	}
	td3, _ := FormatTD3(f)
	m, err := Parse(strings.Join(td3[:], "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.PrimaryIdentifier != "LEFEVRE MUELLER DORNANO" || m.SecondaryIdentifier != "JEAN LOIC AESA" {
		t.Errorf("names %q / %q (truncated to 39)", m.PrimaryIdentifier, m.SecondaryIdentifier)
	}
}

func TestFormatErrors(t *testing.T) {
	base := Fields{DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3", Nationality: "UTO",
		BirthDate: Date{74, 8, 12}, ExpiryDate: Date{12, 4, 15}}
	for name, mod := range map[string]func(*Fields){
		"no code":         func(f *Fields) { f.DocumentCode = "" },
		"long TD3 number": func(f *Fields) { f.DocumentNumber = "L898902C34" },
		"bad chars":       func(f *Fields) { f.DocumentNumber = "L89-8902" },
		"bad month":       func(f *Fields) { f.BirthDate.Month = 13 },
		"long optional":   func(f *Fields) { f.OptionalData = strings.Repeat("A", 15) },
		"state too long":  func(f *Fields) { f.IssuingState = "UTOP" },
	} {
		f := base
		mod(&f)
		if _, err := FormatTD3(f); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
	f := base
	f.DocumentNumber = strings.Repeat("A", 24)
	if _, err := FormatTD1(f); !errors.Is(err, chiperr.BadInput) {
		t.Errorf("TD1 number of 24: %v", err)
	}
}

func TestInformationErrors(t *testing.T) {
	for _, c := range [][3]string{
		{"", "690806", "940623"}, {"<<<", "690806", "940623"}, {"L8989-02", "690806", "940623"},
		{strings.Repeat("A", 24), "690806", "940623"}, {"L898902C", "6908", "940623"},
		{"L898902C", "690806", "941323"}, {"L898902C", "690806", "9406AA"},
	} {
		if _, err := Information(c[0], c[1], c[2]); !errors.Is(err, chiperr.BadInput) {
			t.Errorf("Information%q: %v", c, err)
		}
	}
}

func TestCenturies(t *testing.T) {
	ref := time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		d             Date
		birth, expiry int
	}{
		{Date{74, 8, 12}, 1974, 2074},
		{Date{26, 3, 15}, 2026, 2026},
		{Date{26, 3, 16}, 1926, 2026},
		{Date{26, 0, 0}, 2026, 2026},
		{Date{12, 4, 15}, 2012, 2012},
		{Date{36, 1, 1}, 1936, 2036},
		{Date{75, 1, 1}, 1975, 2075},
		{Date{76, 1, 1}, 1976, 1976},
		{Date{77, 1, 1}, 1977, 1977},
		{Date{Year: -1}, -1, -1},
	} {
		if b, e := c.d.BirthYear(ref), c.d.ExpiryYear(ref); b != c.birth || e != c.expiry {
			t.Errorf("%v: birth %d expiry %d, want %d %d", c.d, b, e, c.birth, c.expiry)
		}
	}
}

func compare(t *testing.T, got *MRZ, want MRZ) {
	t.Helper()
	got2 := *got
	got2.Lines, got2.Checks = nil, nil
	if got2.Format != want.Format || got2.DocumentCode != want.DocumentCode || got2.IssuingState != want.IssuingState ||
		got2.DocumentNumber != want.DocumentNumber || got2.OptionalData != want.OptionalData ||
		got2.OptionalData2 != want.OptionalData2 || got2.BirthDate != want.BirthDate || got2.Sex != want.Sex ||
		got2.ExpiryDate != want.ExpiryDate || got2.Nationality != want.Nationality ||
		got2.PrimaryIdentifier != want.PrimaryIdentifier || got2.SecondaryIdentifier != want.SecondaryIdentifier {
		t.Errorf("got  %+v\nwant %+v", got2, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{td1Specimen, td2Specimen, td3Specimen, td3BAC, td1Long, "", "<<<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Parse(s)
		if err != nil && !errors.Is(err, chiperr.BadInput) {
			t.Fatalf("error of another kind: %v", err)
		}
		if m == nil {
			return
		}
		// A parsed zone yields MRZ information whenever its number is usable.
		if m.DocumentNumber != "" {
			if _, err := m.Information(); err != nil && !errors.Is(err, chiperr.BadInput) {
				t.Fatal(err)
			}
		}
		if (err == nil) != m.Valid() {
			t.Fatalf("error %v but Valid() = %v", err, m.Valid())
		}
	})
}

// FuzzFormat checks the builders: whatever they accept parses back with
// every check digit right and the same number and dates.
func FuzzFormat(f *testing.F) {
	f.Add("D23145890734", "AB12", "Eriksson", "Anna Maria", 74, 8, 12)
	f.Add("L898902C3", "", "Ünal-Öztürk", "Çağrı", 99, 12, 31)
	f.Fuzz(func(t *testing.T, num, opt, primary, secondary string, yy, mm, dd int) {
		fl := Fields{DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: num, OptionalData: opt,
			Nationality: "FRA", BirthDate: Date{yy, mm, dd}, ExpiryDate: Date{30, 1, 1}, Sex: "F",
			PrimaryIdentifier: primary, SecondaryIdentifier: secondary}
		if td1, err := FormatTD1(fl); err == nil {
			m, err := Parse(strings.Join(td1[:], "\n"))
			if err != nil || m.DocumentNumber != trimFiller(strings.ToUpper(num)) || m.BirthDate != fl.BirthDate {
				t.Fatalf("TD1 %q: %v %+v", td1, err, m)
			}
		}
		if td3, err := FormatTD3(fl); err == nil {
			if m, err := Parse(strings.Join(td3[:], "\n")); err != nil || m.BirthDate != fl.BirthDate {
				t.Fatalf("TD3 %q: %v", td3, err)
			}
		}
	})
}

func TestCountryAlpha2(t *testing.T) {
	for code, want := range map[string]string{
		"FRA": "FR", "DEU": "DE", "D": "DE", "D<<": "DE", "GBR": "GB", "GBD": "GB", "GBS": "GB",
		"UTO": "UT", "EUE": "EU", "UNO": "UN", "RKS": "KS", "BMU": "BM", "ITA": "IT",
	} {
		if got, ok := CountryAlpha2(code); !ok || got != want {
			t.Errorf("CountryAlpha2(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	for _, code := range []string{"", "XXA", "XPO", "ZZZ", "AAA", "FR", "FRANCE", "1A2"} {
		if got, ok := CountryAlpha2(code); ok {
			t.Errorf("CountryAlpha2(%q) = %q, want unknown", code, got)
		}
	}
}
