package twoddoc

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/internal/testhex"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// fr00Key is the public key of the ANTS test certificate FR00/0001
// (O=CERTIFICAT DE TEST, issuer CN=FR00 "AC DE TEST"), which signs the
// specimens of the 2D-Doc specification. The certificate is public and
// quoted by many open-source 2D-Doc readers (e.g. zanni/go2ddoc
// assets/test_cert.pem); it expired in 2015, which does not matter for a
// signature check.
func fr00Key(t testing.TB) *ecdsa.PublicKey {
	t.Helper()
	b, err := os.ReadFile("testdata/fr00-0001.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block")
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject.CommonName != "0001" || c.Issuer.CommonName != "FR00" {
		t.Fatalf("certificate %q issued by %q", c.Subject.CommonName, c.Issuer.CommonName)
	}
	return c.PublicKey.(*ecdsa.PublicKey)
}

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

type specimen struct {
	name    string
	source  string
	payload string
	header  Header
	fields  [][2]string // id, value, in order
}

// Specimens of the ANTS specification (all fictitious: NATACHA SPECIMEN and
// friends), signed with the FR00/0001 test key. Separators are written
// \x1d (GS) and \x1f (US).
var specimens = []specimen{
	{
		name: "DC02 facture (type 01)",
		// Specification sample, as read from its DataMatrix in
		// MTES-MCT/dossierfacile-backend TwoDDocImageFinderTest.
		source:  "ANTS spec sample; MTES-MCT/dossierfacile-backend",
		payload: "DC02FR000001125E125B0126FR247500010MME/SPECIMEN/NATACHA\x1d22145 AVENUE DES SPECIMENS\x1d\x1f54LDD5F7JD4JEFPR6WZYVZVB2JZXPZB73SP7WUTN5N44P3GESXW75JZUZD5FM3G4URAJ6IKDSSUB66Y3OWQIEH22G46QOAGWH7YHJWQ",
		header:  Header{Version: 2, Authority: "FR00", CertificateID: "0001", IssueDate: day(2012, 11, 15), SignatureDate: day(2012, 11, 12), DocumentType: "01"},
		fields:  [][2]string{{"26", "FR"}, {"24", "75000"}, {"10", "MME/SPECIMEN/NATACHA"}, {"22", "145 AVENUE DES SPECIMENS"}},
	},
	{
		name: "DC03 justificatif de domicile (type 00)",
		// Specification v3.3.x p. 225 (dates "123F - 15 octobre 2012",
		// "1636 - 27 juillet 2015"), transcribed in betagouv/2ddoc-parser
		// doc/examples_final/Page_225 - Type_00.
		source:  "ANTS spec p.225; betagouv/2ddoc-parser",
		payload: "DC03FR000001123F1636000126FR245700010MLLE/SAMPLE/ANGELA\x1d20\x1d21BAT 2 ETG 3\x1d227 PLACE DES SPECIMENS\x1d23\x1d25METZ\x1d\x1f3HJIYP3OAJ4LIZNQXCTZMNQPTT5C2XICTEF4UGJ3NDE2CWM7HJOEEK4ACIY4CZOO5ZOFG35APDZMZQFEAEBWRZTW4CBPG35JE2FJ4EY",
		header:  Header{Version: 3, Authority: "FR00", CertificateID: "0001", IssueDate: day(2012, 10, 15), SignatureDate: day(2015, 7, 27), DocumentType: "00", Perimeter: "01"},
		fields: [][2]string{{"26", "FR"}, {"24", "57000"}, {"10", "MLLE/SAMPLE/ANGELA"}, {"20", ""}, {"21", "BAT 2 ETG 3"},
			{"22", "7 PLACE DES SPECIMENS"}, {"23", ""}, {"25", "METZ"}},
	},
	{
		name:    "DC03 facture (type 01)",
		source:  "ANTS spec p.225; betagouv/2ddoc-parser Page_225 - Type_01",
		payload: "DC03FR000001123F1636010126FR247500010MME/SPECIMEN/NATACHA\x1d22145 AVENUE DES SPECIMENS\x1d\x1fFEDMPW5SO5BNZFYP7FIQUYZFV5H3OF6QERDMOBN7BZ4CC4KVJ4XWUH6EW3CSWILAGLN4XQE6AKHX6RNOI3OXVW6X3IKJASZGL62FBUQ",
		header:  Header{Version: 3, Authority: "FR00", CertificateID: "0001", IssueDate: day(2012, 10, 15), SignatureDate: day(2015, 7, 27), DocumentType: "01", Perimeter: "01"},
		fields:  [][2]string{{"26", "FR"}, {"24", "75000"}, {"10", "MME/SPECIMEN/NATACHA"}, {"22", "145 AVENUE DES SPECIMENS"}},
	},
	{
		name: "DC03 bulletin de salaire (type 06)",
		// Specification p. 227, as used in betagouv/2ddoc-parser
		// tests (test_decode_bulletin_salaire).
		source:  "ANTS spec p.227; betagouv/2ddoc-parser tests",
		payload: "DC03FR00000112511636060110M/EXEMPLE/HENRY\x1d5000000000000000510157,55200934,553123154124F5515032012581319,24\x1d599894,3\x1d\x1fFCJYSMOD7KDZON5QGBKV355SCX2MDFOFU743UBYK2F3PR6D7EL6WRUUIRU5SQKYAY6OOO5NTPIDWJXSCV4X7VXBUHSUH2HVKY5GVXII",
		header:  Header{Version: 3, Authority: "FR00", CertificateID: "0001", IssueDate: day(2012, 11, 2), SignatureDate: day(2015, 7, 27), DocumentType: "06", Perimeter: "01"},
		fields: [][2]string{{"10", "M/EXEMPLE/HENRY"}, {"50", "00000000000000"}, {"51", "0157,5"}, {"52", "00934,5"},
			{"53", "1231"}, {"54", "124F"}, {"55", "15032012"}, {"58", "1319,24"}, {"59", "9894,3"}},
	},
	{
		name: "DC04 avis d'impôt (type 04)",
		// Specification v3.3.x p. 201 ("FFFF – Pas de date d'émission",
		// "1FB6 – 24 mars 2022"), betagouv/2ddoc-parser Page_201; the
		// line breaks of the PDF are removed, the spaces of "RETI PATRICK"
		// and "RETI SOPHIE" kept (as in its field table).
		source:  "ANTS spec p.201; betagouv/2ddoc-parser",
		payload: "DC04FR000001FFFF1FB60401FR432,75\x1d44227801234567845202146RETI PATRICK\x1d4A310720224163198\x1d47300112345678948RETI SOPHIE\x1d490701987765432\x1fQHA4A6QOV6AZJEBTIUNR7QOBXINNTMZTD5COQH6VN24NCZTXA7MYXB6SNSNTWAQRYK3ZFP4ZWBGLTJ6SDSPMURF7YFILKQFIAJY7NTI",
		header:  Header{Version: 4, Authority: "FR00", CertificateID: "0001", SignatureDate: day(2022, 3, 24), DocumentType: "04", Perimeter: "01", Country: "FR"},
		fields: [][2]string{{"43", "2,75"}, {"44", "2278012345678"}, {"45", "2021"}, {"46", "RETI PATRICK"}, {"4A", "31072022"},
			{"41", "63198"}, {"47", "3001123456789"}, {"48", "RETI SOPHIE"}, {"49", "0701987765432"}},
	},
	{
		name:    "DC04 attestation CVEC (type B1)",
		source:  "ANTS spec sample; tsenger/vdstools Fr2ddocRawStringsCommon.rawString2",
		payload: "DC04FR0000011A5E1A5EB101FRBK18-ROSWFTHR-35B0CORINNE/NATACHA\x1dB2BERTHIER\x1dB3\x1dB712071973BB9654321785T\x1d\x1fZXH2BBDCISCPWX72YIFSMANO662O2IS6PPPIIUMGVO3ECEML7RU6QIE5CKZK3A5X6SFT3HBPICLUE6RKLYA4M7ATOXSG2HIF5CE35UA",
		header:  Header{Version: 4, Authority: "FR00", CertificateID: "0001", IssueDate: day(2018, 6, 25), SignatureDate: day(2018, 6, 25), DocumentType: "B1", Perimeter: "01", Country: "FR"},
		fields: [][2]string{{"BK", "18-ROSWFTHR-35"}, {"B0", "CORINNE/NATACHA"}, {"B2", "BERTHIER"}, {"B3", ""},
			{"B7", "12071973"}, {"BB", "9654321785T"}},
	},
	{
		name:    "DC04 certificat de cession (type A8)",
		source:  "ANTS spec sample; tsenger/vdstools Fr2ddocRawStringsCommon.rawString3",
		payload: "DC04FR000001125E125BA801FRA183CSG75\x1dA412345678901234567AA02011970AN00001337C1DU PONT\x1dC2JEAN FRANCOIS\x1dC3020320201400C402032020C6DURAND\x1dC7FREDERIC\x1dC842 RUE DES TESTS\x1dC910430CASAINTE COMMUNE DES TESTS\x1dCB0000123456CC020320201400C0MC5M\x1fU2FG2XUO6DROJLT2QB32SIIF7DVT53NRKP3AXFH26OTR5UT55LLMD2YIBZ6AQOCWQ2MQPPPYDFXG5YWPZG7CR67KZHFSUXVJMDFSQPI",
		header:  Header{Version: 4, Authority: "FR00", CertificateID: "0001", IssueDate: day(2012, 11, 15), SignatureDate: day(2012, 11, 12), DocumentType: "A8", Perimeter: "01", Country: "FR"},
		fields: [][2]string{{"A1", "83CSG75"}, {"A4", "12345678901234567"}, {"AA", "02011970"}, {"AN", "00001337"},
			{"C1", "DU PONT"}, {"C2", "JEAN FRANCOIS"}, {"C3", "020320201400"}, {"C4", "02032020"}, {"C6", "DURAND"},
			{"C7", "FREDERIC"}, {"C8", "42 RUE DES TESTS"}, {"C9", "10430"}, {"CA", "SAINTE COMMUNE DES TESTS"},
			{"CB", "0000123456"}, {"CC", "020320201400"}, {"C0", "M"}, {"C5", "M"}},
	},
	{
		name: "DC04 document étranger (type 13)",
		// 6Q reaches its maximum length (10) and has no terminator.
		source:  "ANTS spec sample; tsenger/vdstools Fr2ddocRawStringsCommon.rawString4",
		payload: "DC04FR0000011CE91D231301FR6J26K92012020040123591236L010420206PAUTORISE A TRAVAILLER\x1d6Q750312052162SPECIMEN\x1d63BERTHIER SPECIMEN\x1d60NATACHA/CORINNE\x1d68F69120719736ABUENOS AIRES\x1d6CAR67AR6U145 AVENUE DES SPECIMENS\x1d6W750006XPARIS\x1d6MENFANT ENTRE PAR REGROUPEMENT FAMILIAL\x1d6N010520206O300620206YFR\x1fPJIX6XX3TPFYJTMI6IEIPDU5C5D2X4VBHZEEIC24WPW4I3XETZOGETCMU2J2DKLEGSJDDKYJXBTVBKKY5MPAKEOL2A4RZNIUFTHW44A",
		header:  Header{Version: 4, Authority: "FR00", CertificateID: "0001", IssueDate: day(2020, 4, 6), SignatureDate: day(2020, 6, 3), DocumentType: "13", Perimeter: "01", Country: "FR"},
		fields: [][2]string{{"6J", "2"}, {"6K", "9201202004012359123"}, {"6L", "01042020"}, {"6P", "AUTORISE A TRAVAILLER"},
			{"6Q", "7503120521"}, {"62", "SPECIMEN"}, {"63", "BERTHIER SPECIMEN"}, {"60", "NATACHA/CORINNE"}, {"68", "F"},
			{"69", "12071973"}, {"6A", "BUENOS AIRES"}, {"6C", "AR"}, {"67", "AR"}, {"6U", "145 AVENUE DES SPECIMENS"},
			{"6W", "75000"}, {"6X", "PARIS"}, {"6M", "ENFANT ENTRE PAR REGROUPEMENT FAMILIAL"}, {"6N", "01052020"},
			{"6O", "30062020"}, {"6Y", "FR"}},
	},
	{
		name:    "DC04 attestation DICEM (type 14)",
		source:  "ANTS spec sample; tsenger/vdstools Fr2ddocRawStringsCommon.rawString5",
		payload: "DC04FR0000011CF81D531401FRAO123456APCYCLOMOTEUR MOTOCYCLETTE TRICYCLE A MOTEUR TOUT TERRAIN\x1dAQ12345678975123ABDC\x1dA2MARQUE VEHICULE\x1dASROUGE\x1dAT162SPECIMEN\x1d60NATACHA/CORINNE\x1dAW4 AVENUE DES CHAMPS ELYSEES\x1dAY75000AZPARIS\x1d69251219736ATOULON\x1dARMODELE DE TRICYCLE A MOTEUR\x1dAVBATIMENT B\x1d\x1fDXZGNG3QPJ3NCEVDZTEUAKM76TH65QWGXUCKR4NBUOF7WS3TW4C4JR4O7IQINQTPTFBHRAADYDBAJNBG6Y6XYN4JFXSV4QHUEBP3W6Q",
		header:  Header{Version: 4, Authority: "FR00", CertificateID: "0001", IssueDate: day(2020, 4, 21), SignatureDate: day(2020, 7, 21), DocumentType: "14", Perimeter: "01", Country: "FR"},
		fields: [][2]string{{"AO", "123456"}, {"AP", "CYCLOMOTEUR MOTOCYCLETTE TRICYCLE A MOTEUR TOUT TERRAIN"},
			{"AQ", "12345678975123ABDC"}, {"A2", "MARQUE VEHICULE"}, {"AS", "ROUGE"}, {"AT", "1"}, {"62", "SPECIMEN"},
			{"60", "NATACHA/CORINNE"}, {"AW", "4 AVENUE DES CHAMPS ELYSEES"}, {"AY", "75000"}, {"AZ", "PARIS"},
			{"69", "25121973"}, {"6A", "TOULON"}, {"AR", "MODELE DE TRICYCLE A MOTEUR"}, {"AV", "BATIMENT B"}},
	},
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func TestSpecimens(t *testing.T) {
	key := fr00Key(t)
	for _, sp := range specimens {
		t.Run(sp.name, func(t *testing.T) {
			b := []byte(sp.payload)
			if !IsTwoDDoc(b) {
				t.Error("IsTwoDDoc = false")
			}
			s, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			h := sp.header
			if s.Version != h.Version || s.Authority != h.Authority || s.CertificateID != h.CertificateID ||
				s.DocumentType.ID != h.DocumentType || s.Perimeter != h.Perimeter || s.Country != h.Country {
				t.Errorf("header %+v, want %+v", s, h)
			}
			if !sameDate(s.IssueDate, h.IssueDate) || !sameDate(s.SignatureDate, h.SignatureDate) {
				t.Errorf("dates %v %v, want %v %v", s.IssueDate, s.SignatureDate, h.IssueDate, h.SignatureDate)
			}
			if s.DocumentType.NameFR == "" || s.DocumentType.NameEN == "" {
				t.Errorf("document type %s has no names", h.DocumentType)
			}
			if len(s.Fields) != len(sp.fields) {
				t.Fatalf("%d fields, want %d: %+v", len(s.Fields), len(sp.fields), s.Fields)
			}
			for k, f := range s.Fields {
				if f.ID != sp.fields[k][0] || f.Value != sp.fields[k][1] || f.Truncated {
					t.Errorf("field %d = %s %q (truncated %v), want %s %q", k, f.ID, f.Value, f.Truncated, sp.fields[k][0], sp.fields[k][1])
				}
				if f.NameFR == "" || f.NameEN == "" {
					t.Errorf("field %s has no names", f.ID)
				}
			}
			if len(s.Warnings) != 0 {
				t.Errorf("warnings: %v", s.Warnings)
			}
			if s.Annex != nil {
				t.Errorf("annex %q", s.Annex)
			}
			if len(s.Signature) != 64 {
				t.Errorf("signature of %d bytes", len(s.Signature))
			}
			if err := s.Verify(key); err != nil {
				t.Fatalf("specimen does not verify with the FR00 test key: %v", err)
			}
			if s.CertificateRef() != "FR000001" {
				t.Errorf("CertificateRef = %q", s.CertificateRef())
			}
		})
	}
}

// The signature of the type 01 specimen as printed in hexadecimal on p. 225
// of the specification (betagouv/2ddoc-parser Page_225 - Type_01).
func TestSpecimenSignatureBytes(t *testing.T) {
	s, err := Parse([]byte(specimens[2].payload))
	if err != nil {
		t.Fatal(err)
	}
	want := testhex.Bytes(t, "2906C7DBB27742DC970FF9510A6325AF4FB717D02446C705BF0E782171554F2F6A1FC4B6C52B216032DBCBC09E028F7F45AE46DD7ADBD7DA14904B265FB450D2")
	if string(s.Signature) != string(want) {
		t.Errorf("signature %X", s.Signature)
	}
	if got, want := string(s.SignedData), specimens[2].payload[:len(specimens[2].payload)-104]; got != want {
		t.Errorf("signed data %q, want %q", got, want)
	}
}

// Dates: the specification's examples ("092D - 7 juin 2006", "1FB6 – 24
// mars 2022") and day 0.
func TestHeaderDates(t *testing.T) {
	for hex, want := range map[string]*time.Time{
		"0000": day(2000, 1, 1), "092D": day(2006, 6, 7), "123F": day(2012, 10, 15),
		"1636": day(2015, 7, 27), "1FB6": day(2022, 3, 24), "FFFF": nil,
	} {
		got, err := parseHexDate([]byte(hex))
		if err != nil || !sameDate(got, want) {
			t.Errorf("%s = %v, %v; want %v", hex, got, err, want)
		}
		back, err := hexDate(want)
		if err != nil || back != hex {
			t.Errorf("hexDate(%v) = %s, %v; want %s", want, back, err, hex)
		}
	}
}

func TestSpecimenTamperedFails(t *testing.T) {
	key := fr00Key(t)
	sp := specimens[1].payload
	// Change one byte of a value ("METZ" -> "METS") and one byte of the header.
	for _, at := range []int{len("DC03FR000001123F1636000126FR245700010MLLE/SAMPLE/ANGELA\x1d20\x1d21BAT 2 ETG 3\x1d227 PLACE DES SPECIMENS\x1d23\x1d25MET"), 5} {
		b := []byte(sp)
		b[at] ^= 0x07
		s, err := Parse(b)
		if err != nil {
			t.Fatalf("offset %d: %v", at, err)
		}
		err = s.Verify(key)
		if !errors.Is(err, BadSignature) || !errors.Is(err, chiperr.Integrity) {
			t.Errorf("offset %d: Verify = %v, want BadSignature", at, err)
		}
	}
}
