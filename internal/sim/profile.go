package sim

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"sort"

	"github.com/cnie-reader/cnie-reader/internal/sim/demo"
	"github.com/cnie-reader/cnie-reader/reader/ecc"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/mrz"
	"github.com/cnie-reader/cnie-reader/reader/oids"
)

// DefaultCAN is the access number of every virtual CNIE.
const DefaultCAN = "123456"

// DefaultProfile is the virtual card of demo mode and the self-test.
const DefaultProfile = "cnie"

// Document kinds.
type DocumentKind int

const (
	CNIE     DocumentKind = iota + 1 // TD1 identity card, PACE
	Passport                         // TD3 passport, BAC
)

// PACEConfig is one PACEInfo of the card's EF.CardAccess.
type PACEConfig struct {
	OID     asn1.ObjectIdentifier
	ParamID int
}

// CAConfig describes the card's Chip Authentication key (EC only in the sim).
type CAConfig struct {
	OID   asn1.ObjectIdentifier
	Curve string
}

// AAKind is the kind of Active Authentication key.
type AAKind int

const (
	NoAA AAKind = iota
	AARSA
	AAECDSA
)

// AAConfig describes the card's Active Authentication key.
type AAConfig struct {
	Kind  AAKind
	Curve string                // for ECDSA
	Alg   asn1.ObjectIdentifier // ECDSA signature algorithm (DG14 ActiveAuthenticationInfo)
}

// Profile is everything that makes one virtual card what it is.
type Profile struct {
	Name        string
	Description string
	Kind        DocumentKind
	MRZ         mrz.Fields
	DG11        *lds.DG11
	CAN         string
	PACE        []PACEConfig // empty: no EF.CardAccess, BAC only
	BAC         bool
	CA          *CAConfig
	AA          AAConfig
	PKI         demo.KeyAlg
	// ExtendedLength: the card accepts extended-length APDUs.
	ExtendedLength bool
	// PhotoSize is the face image's width and height.
	PhotoWidth, PhotoHeight int
	// PhotoJPEG2000 stores the face as JPEG 2000 instead of JPEG.
	PhotoJPEG2000 bool
	// EAC lists data groups present but protected by Terminal Authentication.
	EAC []int
	// SODHash is the hash of EF.SOD (SHA-256 when zero).
	SODHash crypto.Hash
	// Fault makes the chip misbehave on the wire; TrustFault makes its
	// data fail passive authentication.
	Fault      Fault
	TrustFault TrustFault
}

// TrustFault is a defect in the document's signed data, for the negative
// tests of passive authentication.
type TrustFault int

const (
	NoTrustFault TrustFault = iota
	// TrustTamperedDG changes DG11 after the SOD was signed.
	TrustTamperedDG
	// TrustForgedSOD corrupts the SOD's signature.
	TrustForgedSOD
	// TrustUnknownCSCA signs with a PKI whose CSCA the card does not hand
	// over as its demo anchor: the Document Signer chains to nothing known.
	TrustUnknownCSCA
	// TrustExpiredDS uses a Document Signer certificate that has expired.
	TrustExpiredDS
	// TrustRevokedDS lists the Document Signer in the CSCA's CRL.
	TrustRevokedDS
	// TrustNoPACEInfos leaves the PACE SecurityInfos out of DG14 and has
	// no EF.CardSecurity: what EF.CardAccess offers is signed nowhere.
	TrustNoPACEInfos
	// TrustExpiredSinceDS is not a defect: the Document Signer's
	// certificate expired after it signed (the SOD's signingTime says
	// when), as happens to documents that are still valid.
	TrustExpiredSinceDS
	// TrustWrongCountry signs a French card under a German (DE) demo CSCA:
	// an authority vouching for another state's document.
	TrustWrongCountry
	// TrustClonedChip answers Chip Authentication with another key than the
	// one DG14 publishes, as a copy of the data on another chip would.
	TrustClonedChip
	// TrustMalformedDG11 signs a DG11 whose full date of birth is not
	// digits: the issuer's own defect, hash and signature intact.
	TrustMalformedDG11
)

var trustFaultNames = map[TrustFault]string{
	TrustTamperedDG: "tampered-dg", TrustForgedSOD: "forged-sod", TrustUnknownCSCA: "unknown-csca",
	TrustExpiredDS: "expired-ds", TrustRevokedDS: "revoked-ds", TrustNoPACEInfos: "dg14-without-pace",
	TrustExpiredSinceDS: "ds-expired-since", TrustWrongCountry: "wrong-country",
	TrustClonedChip: "cloned-chip", TrustMalformedDG11: "malformed-dg11",
}

func (f TrustFault) String() string {
	if n, ok := trustFaultNames[f]; ok {
		return n
	}
	return "none"
}

// PACE and CA protocol identifiers (ICAO 9303-11 §9.2).
var (
	paceECDHGM = func(c int) asn1.ObjectIdentifier { return lds.ProtocolOID(oids.PACE, 2, c) }
	paceDHGM   = func(c int) asn1.ObjectIdentifier { return lds.ProtocolOID(oids.PACE, 1, c) }
	paceECDHIM = func(c int) asn1.ObjectIdentifier { return lds.ProtocolOID(oids.PACE, 4, c) }
	caECDH     = func(c int) asn1.ObjectIdentifier { return lds.ProtocolOID(oids.CA, 2, c) }
)

// cipher arcs of PACE and CA OIDs.
const (
	c3DES   = 1
	cAES128 = 2
	cAES192 = 3
	cAES256 = 4
)

// The invented holders. ICAO specimen style; the word DEMO is in the data.
func cnieMRZ() mrz.Fields {
	return mrz.Fields{
		DocumentCode: "ID", IssuingState: "FRA", DocumentNumber: "DEMO00001",
		BirthDate: mrz.Date{Year: 90, Month: 7, Day: 14}, Sex: "F",
		ExpiryDate:  mrz.Date{Year: 34, Month: 3, Day: 5},
		Nationality: "FRA", PrimaryIdentifier: "DEMO", SecondaryIdentifier: "CAMILLE MARIE",
	}
}

func cnieDG11() *lds.DG11 {
	return &lds.DG11{
		FullName: "DEMO<<CAMILLE<MARIE", FullDateOfBirth: "19900714",
		PlaceOfBirth: "EXEMPLEVILLE<(99)", Address: "1 RUE DE LA DEMONSTRATION<99000 EXEMPLEVILLE<FRANCE",
	}
}

func passportMRZ() mrz.Fields {
	return mrz.Fields{
		DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3", OptionalData: "DEMO",
		BirthDate: mrz.Date{Year: 74, Month: 8, Day: 12}, Sex: "F",
		ExpiryDate:  mrz.Date{Year: 34, Month: 4, Day: 15},
		Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
	}
}

// cnie builds a CNIE profile around one PACE curve and cipher.
func cnie(name, desc string, paceOID asn1.ObjectIdentifier, paramID int, curve string, caCipher int) *Profile {
	return &Profile{
		Name: name, Description: desc, Kind: CNIE,
		MRZ: cnieMRZ(), DG11: cnieDG11(), CAN: DefaultCAN,
		PACE: []PACEConfig{{OID: paceOID, ParamID: paramID}},
		CA:   &CAConfig{OID: caECDH(caCipher), Curve: curve},
		AA:   AAConfig{Kind: AAECDSA, Curve: curve, Alg: oids.ECDSAPlainSHA256},
		PKI:  demo.ECDSABrainpoolP256r1, ExtendedLength: true,
		PhotoWidth: demo.PhotoWidth, PhotoHeight: demo.PhotoHeight,
		EAC: []int{3},
	}
}

var profiles = map[string]func() *Profile{
	"cnie": func() *Profile {
		return cnie("cnie", "CNIE 2021 style: PACE ECDH-GM brainpoolP256r1 AES-128, CA, AA ECDSA", paceECDHGM(cAES128), 13, "brainpoolP256r1", cAES128)
	},
	"cnie-p256": func() *Profile {
		p := cnie("cnie-p256", "PACE ECDH-GM P-256 AES-128", paceECDHGM(cAES128), 12, "P-256", cAES128)
		p.PKI = demo.ECDSAP256
		return p
	},
	"cnie-p384": func() *Profile {
		p := cnie("cnie-p384", "PACE ECDH-GM P-384 AES-192; SOD ECDSA P-256 SHA-384", paceECDHGM(cAES192), 15, "P-384", cAES192)
		p.PKI, p.SODHash = demo.ECDSAP256, crypto.SHA384
		return p
	},
	"cnie-p521": func() *Profile {
		p := cnie("cnie-p521", "PACE ECDH-GM P-521 AES-256; SOD RSA-PSS SHA-512", paceECDHGM(cAES256), 18, "P-521", cAES256)
		p.PKI, p.SODHash = demo.RSAPSS2048, crypto.SHA512
		return p
	},
	"cnie-bp384": func() *Profile {
		p := cnie("cnie-bp384", "PACE ECDH-GM brainpoolP384r1 AES-192; SOD SHA-224", paceECDHGM(cAES192), 16, "brainpoolP384r1", cAES192)
		p.SODHash = crypto.SHA224
		return p
	},
	"cnie-bp512": func() *Profile {
		p := cnie("cnie-bp512", "PACE ECDH-GM brainpoolP512r1 AES-256", paceECDHGM(cAES256), 17, "brainpoolP512r1", cAES256)
		p.AA.Alg = oids.ECDSAPlainSHA384
		return p
	},
	"cnie-3des": func() *Profile {
		p := cnie("cnie-3des", "PACE ECDH-GM brainpoolP256r1 3DES, CA 3DES (MSE:Set KAT), AA RSA", paceECDHGM(c3DES), 13, "brainpoolP256r1", c3DES)
		p.AA = AAConfig{Kind: AARSA}
		p.PKI = demo.RSA2048
		return p
	},
	"cnie-dh": func() *Profile {
		return cnie("cnie-dh", "PACE DH-GM (RFC 5114 2048-bit) AES-128", paceDHGM(cAES128), 2, "brainpoolP256r1", cAES128)
	},
	"cnie-im": func() *Profile {
		return cnie("cnie-im", "PACE ECDH-IM brainpoolP256r1 AES-128", paceECDHIM(cAES128), 13, "brainpoolP256r1", cAES128)
	},
	"cnie-short": func() *Profile {
		p := cnie("cnie-short", "a card that refuses extended-length APDUs", paceECDHGM(cAES128), 13, "brainpoolP256r1", cAES128)
		p.ExtendedLength = false
		return p
	},
	"cnie-jp2": func() *Profile {
		p := cnie("cnie-jp2", "a JPEG 2000 face in DG2", paceECDHGM(cAES128), 13, "brainpoolP256r1", cAES128)
		p.PhotoJPEG2000 = true
		return p
	},
	"cnie-largephoto": func() *Profile {
		p := cnie("cnie-largephoto", "a DG2 over 32 KiB, read with odd-INS READ BINARY above offset 32767", paceECDHGM(cAES128), 13, "brainpoolP256r1", cAES128)
		p.PhotoWidth, p.PhotoHeight = 900, 1158
		return p
	},
	"passport": func() *Profile {
		return &Profile{
			Name: "passport", Description: "TD3 passport: BAC 3DES, AA RSA-2048 ISO 9796-2; SOD RSA SHA-1", Kind: Passport,
			MRZ: passportMRZ(), BAC: true, AA: AAConfig{Kind: AARSA}, PKI: demo.RSA2048, SODHash: crypto.SHA1,
			ExtendedLength: true, PhotoWidth: demo.PhotoWidth, PhotoHeight: demo.PhotoHeight,
		}
	},
	"passport-ca": func() *Profile {
		return &Profile{
			Name: "passport-ca", Description: "TD3 passport: BAC 3DES, CA ECDH P-256 3DES, AA ECDSA P-256", Kind: Passport,
			MRZ: passportMRZ(), BAC: true, CA: &CAConfig{OID: caECDH(c3DES), Curve: "P-256"},
			AA: AAConfig{Kind: AAECDSA, Curve: "P-256", Alg: oids.ECDSAPlainSHA256}, PKI: demo.ECDSAP256,
			ExtendedLength: true, PhotoWidth: demo.PhotoWidth, PhotoHeight: demo.PhotoHeight,
		}
	},
}

func init() {
	for f, name := range trustFaultNames {
		profiles["trust-"+name] = func() *Profile {
			p := profiles["cnie"]()
			p.Name, p.TrustFault = "trust-"+name, f
			p.Description = "fails passive authentication on purpose: " + name
			if f == TrustExpiredSinceDS {
				p.Description = "passes: its Document Signer expired after signing (SOD signingTime)"
			}
			return p
		}
	}
	for f, name := range faultNames {
		if f == NoFault {
			continue
		}
		profiles["fault-"+name] = func() *Profile {
			p := profiles["cnie"]()
			p.Name, p.Fault = "fault-"+name, f
			p.Description = "misbehaves on purpose: " + name
			return p
		}
	}
}

// ProfileNames lists every profile, sorted.
func ProfileNames() []string {
	var names []string
	for n := range profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LookupProfile returns a fresh copy of a named profile.
func LookupProfile(name string) (*Profile, error) {
	f, ok := profiles[name]
	if !ok {
		return nil, fmt.Errorf("unknown virtual card profile %q (try one of %v)", name, ProfileNames())
	}
	return f(), nil
}

// MRZInformation is what BAC or PACE-MRZ needs from this card's MRZ.
func (p *Profile) MRZInformation() string {
	info, err := mrz.Information(p.MRZ.DocumentNumber, p.MRZ.BirthDate.String(), p.MRZ.ExpiryDate.String())
	if err != nil {
		panic("sim: profile with an invalid MRZ: " + err.Error()) // profiles are ours, not input
	}
	return info
}

func curveByName(name string) *ecc.Curve {
	c, ok := ecc.ByName(name)
	if !ok {
		panic("sim: profile names an unknown curve " + name)
	}
	return c
}

// MRZLines is the card's machine readable zone, as printed.
func (p *Profile) MRZLines() ([]string, error) {
	if p.Kind == CNIE {
		l, err := mrz.FormatTD1(p.MRZ)
		return l[:], err
	}
	l, err := mrz.FormatTD3(p.MRZ)
	return l[:], err
}
