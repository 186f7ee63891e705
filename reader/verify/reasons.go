package verify

// Reason is why a check or a claim ended as it did: a code, not a
// sentence. The application renders it with the translation key
// "verify.<check id>.<reason>" (claims: "verify.claim.<claim id>.<reason>")
// and the check's Args; see package app/report.
type Reason string

// The reasons, shared between checks where the situation is the same
// (the sentence, keyed by check and reason, still says which file).
const (
	ReasonMissing             Reason = "missing"               // the file is not there
	ReasonUnreadable          Reason = "unreadable"            // read, but does not parse
	ReasonUnreadableDeclared  Reason = "unreadable-declared"   // dg-format: and a deviation list declares it
	ReasonNoSignerCertificate Reason = "no-signer-certificate" // the signer's certificate is missing or unreadable
	ReasonSignerKeyRefused    Reason = "signer-key-refused"    // algorithms: the signer's key or algorithm is refused; Args Detail
	ReasonUnknownAlgorithm    Reason = "unknown-algorithm"     // an algorithm unknown to this application or too weak
	ReasonWrongSignature      Reason = "wrong-signature"       // the signature does not verify
	ReasonSigned              Reason = "signed"                // sod-signature passed; Args Signer
	ReasonNoAuthority         Reason = "no-authority"          // nothing to check against without the CSCA
	ReasonNoList              Reason = "no-list"               // crl: no revocation list of this CSCA
	ReasonRevoked             Reason = "revoked"               // crl: Args Date
	ReasonListOutOfDate       Reason = "list-out-of-date"      // crl: the list is past its next update
	ReasonNotRevoked          Reason = "not-revoked"           // crl: Args Date (of the list)
	ReasonNotRead             Reason = "not-read"              // a data group or DG1 was not read
	ReasonNotGiven            Reason = "not-given"             // ...was not among the files given
	ReasonProtected           Reason = "protected"             // dg-hash: reserved to authorities (terminal authentication)
	ReasonIntact              Reason = "intact"                // dg-hash: matches
	ReasonNotCovered          Reason = "not-covered"           // dg-hash: not in EF.SOD
	ReasonAltered             Reason = "altered"               // dg-hash: does not match
	ReasonNotCompared         Reason = "not-compared"          // dg-hash, pace-infos: the comparison could not be made
	ReasonExcused             Reason = "excused"               // dg-hash: does not match, but a deviation list declares it
	ReasonPassed              Reason = "passed"                // chip-auth, active-auth; claims
	ReasonFailed              Reason = "failed"                // chip-auth, active-auth; claims
	ReasonFromFiles           Reason = "from-files"            // chip-auth, active-auth: needs the chip itself
	ReasonNotOffered          Reason = "not-offered"           // chip-auth, active-auth: the card does not offer it
	ReasonKeyCompromised      Reason = "key-compromised"       // active-auth: a deviation list says the key may be compromised
	ReasonUnknown             Reason = "unknown"               // expiry: no MRZ
	ReasonExpired             Reason = "expired"               // expiry: Args Date
	ReasonValid               Reason = "valid"                 // expiry: Args Date; mrz; ds-chain: Args Date, SignedAt
	ReasonWrong               Reason = "wrong"                 // mrz: a check digit is wrong
	ReasonBroken              Reason = "broken"                // algorithms: Args Uses
	ReasonWeakKey             Reason = "weak-key"              // algorithms: Args SignerBits and/or AuthorityBits, MinBits
	ReasonSHA1                Reason = "sha1"                  // algorithms: Args Uses
	ReasonSound               Reason = "sound"                 // algorithms: Args Names
	ReasonNotTrusted          Reason = "not-trusted"           // csca-known: Args Issuer
	ReasonKnown               Reason = "known"                 // csca-known: Args Authority
	ReasonDemo                Reason = "demo"                  // csca-known: the virtual card's demo CSCA; claim issued_by
	ReasonNotValidThen        Reason = "not-valid-then"        // ds-chain: Args Who, From, Until, Date, SignedAt
	ReasonCriticalExtension   Reason = "critical-extension"    // ds-chain: an unknown critical extension
	ReasonInvalid             Reason = "invalid"               // ds-chain: the chain is not valid
	ReasonUnknownState        Reason = "unknown-state"         // country: Args State
	ReasonSameWithoutDG1      Reason = "same-without-dg1"      // country: Args Country
	ReasonMismatch            Reason = "mismatch"              // country: Args Authority, Signer, State
	ReasonAgree               Reason = "agree"                 // country: Args Country
	ReasonSameSigner          Reason = "same-signer"           // card-security: signed by EF.SOD's signer
	ReasonRecognised          Reason = "recognised"            // card-security: Args Signer
	ReasonSignerInvalid       Reason = "signer-invalid"        // card-security: chain, dates or revocation
	ReasonUnknownAuthority    Reason = "unknown-authority"     // card-security: no known CSCA
	ReasonNotSigned           Reason = "not-signed"            // pace-infos: offered but not in a signed file
	ReasonNoSignedFile        Reason = "no-signed-file"        // pace-infos: no DG14, no EF.CardSecurity
	ReasonListed              Reason = "listed"                // deviations: the lists mention this document
	ReasonUnproven            Reason = "unproven"              // claims: could not be proven
	ReasonFrance              Reason = "france"                // claim issued_by: by France
	ReasonCountry             Reason = "country"               // claim issued_by: Args Country
)

// Reasons lists, for every check, the reasons Verify can give it: the
// application's translations must have a sentence for each (its tests
// walk this table), and this package's tests check that every reason
// given is listed.
var Reasons = map[CheckID][]Reason{
	CheckSODSignature: {ReasonMissing, ReasonUnreadable, ReasonNoSignerCertificate, ReasonUnknownAlgorithm, ReasonWrongSignature, ReasonSigned},
	CheckDSChain:      {ReasonNoAuthority, ReasonValid, ReasonNotValidThen, ReasonCriticalExtension, ReasonInvalid},
	CheckCSCAKnown:    {ReasonNoSignerCertificate, ReasonUnknownAlgorithm, ReasonNotTrusted, ReasonKnown, ReasonDemo},
	CheckCRL:          {ReasonNoAuthority, ReasonNoList, ReasonRevoked, ReasonListOutOfDate, ReasonNotRevoked},
	CheckDGHash:       {ReasonNotRead, ReasonNotGiven, ReasonProtected, ReasonIntact, ReasonNotCovered, ReasonAltered, ReasonNotCompared, ReasonExcused},
	CheckChipAuth:     {ReasonPassed, ReasonFailed, ReasonFromFiles, ReasonNotOffered},
	CheckActiveAuth:   {ReasonPassed, ReasonFailed, ReasonFromFiles, ReasonNotOffered, ReasonKeyCompromised},
	CheckExpiry:       {ReasonUnknown, ReasonUnreadable, ReasonExpired, ReasonValid},
	CheckMRZ:          {ReasonNotRead, ReasonNotGiven, ReasonValid, ReasonWrong},
	CheckCountry:      {ReasonUnknownState, ReasonSameWithoutDG1, ReasonMissing, ReasonMismatch, ReasonAgree},
	CheckAlgorithms:   {ReasonSignerKeyRefused, ReasonBroken, ReasonWeakKey, ReasonSHA1, ReasonSound},
	CheckCardSecurity: {ReasonUnreadable, ReasonNoSignerCertificate, ReasonUnknownAlgorithm, ReasonWrongSignature, ReasonSameSigner, ReasonRecognised, ReasonSignerInvalid, ReasonUnknownAuthority},
	CheckPACEInfos:    {ReasonSigned, ReasonNotSigned, ReasonNotCompared, ReasonNoSignedFile},
	CheckDGFormat:     {ReasonUnreadable, ReasonUnreadableDeclared},
	CheckDeviations:   {ReasonListed},
}

// ClaimReasons lists the reasons each claim can have, for the same use.
var ClaimReasons = map[ClaimID][]Reason{
	ClaimAuthenticChip: {ReasonPassed, ReasonFailed, ReasonUnproven},
	ClaimDataIntact:    {ReasonPassed, ReasonFailed, ReasonUnproven},
	ClaimIssuedBy:      {ReasonFrance, ReasonCountry, ReasonDemo, ReasonFailed, ReasonUnproven},
	ClaimNotCloned:     {ReasonPassed, ReasonFailed, ReasonUnproven},
}

// args builds a check's arguments from name, value pairs.
func args(kv ...string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}
