package verify

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/lds"
	"github.com/cnie-reader/cnie-reader/reader/pki"
)

// Options tune Verify.
type Options struct {
	// Now is the time certificates, CRLs and the document's expiry are
	// checked at; time.Now() when zero.
	Now time.Time
	// FromFiles: the document comes from files (a dump), not a chip read;
	// what is missing was not given rather than not read.
	FromFiles bool
}

// Verify checks what doc holds against the trust store. It never fails:
// every problem becomes a check that failed or could not be made.
func Verify(doc *reader.Document, store *pki.Store, opts Options) *Report {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	r := &Report{At: now}
	pa := passiveAuthentication(r, doc, store, now, opts.FromFiles)
	signedInfos, _ := cardSecurityCheck(r, doc, store, pa.ds, pa.signed)
	paceInfosCheck(r, doc, signedInfos)
	unreadableChecks(r, doc, store, pa.deviations)
	chipChecks(r, doc)
	if pa.deviations != nil {
		deviationNotes(r, store, *pa.deviations)
	}
	documentChecks(r, doc, now, opts.FromFiles)
	r.conclude(pa)
	return r
}

// paOutcome is what passive authentication established.
type paOutcome struct {
	sodSigned  Status // the DS signed the SOD
	chain      Status // a known CSCA vouches for the DS, both valid
	hashes     Status // every readable data group matches
	anchorKind pki.SourceKind
	ds         *pki.Certificate // EF.SOD's signer, when known
	signed     SigningTime      // when it signed
	// deviations describes the document to the deviation lists, once its
	// chain passed.
	deviations *pki.DeviationQuery
}

func passiveAuthentication(r *Report, doc *reader.Document, store *pki.Store, now time.Time, fromFiles bool) paOutcome {
	out := paOutcome{sodSigned: NotPossible, chain: NotPossible, hashes: NotPossible}
	if len(doc.SOD) == 0 {
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Reason: text(
			"La carte n'a pas fourni son fichier de sécurité (EF.SOD).",
			"The card did not provide its security file (EF.SOD).")})
		return out
	}
	sod, err := lds.ParseSOD(doc.SOD)
	if err != nil {
		out.sodSigned = Failed
		r.add(Check{ID: CheckSODSignature, Status: Failed, Detail: err.Error(), Reason: text(
			"Le fichier de sécurité de la carte est illisible : les données ne peuvent pas être prouvées.",
			"The card's security file is unreadable: its data cannot be proven.")})
		return out
	}
	out.hashes = dataGroupChecks(r, doc, sod, fromFiles)

	ds, dsErr := documentSigner(sod)
	if dsErr != nil {
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Detail: dsErr.Error(), Reason: text(
			"Le certificat du signataire du document est absent ou illisible.",
			"The document signer's certificate is missing or unreadable.")})
		if pki.KindOf(dsErr) == pki.UnsupportedAlgorithm {
			// Most often a key too short to prove anything: say so.
			detail := dsErr.Error()
			detail = strings.TrimSpace(detail[strings.LastIndex(detail, ": ")+1:])
			r.add(Check{ID: CheckAlgorithms, Status: NotPossible, Detail: dsErr.Error(), Reason: text(
				"La clé ou l'algorithme du certificat du signataire est refusé, trop faible ou inconnu (%s).",
				"The signer certificate's key or algorithm is refused as too weak or unknown (%s).", detail)})
		}
	} else {
		r.Signer = ds.Subject
		out.sodSigned = checkSODSignature(r, sod, ds)
	}

	if ds == nil {
		r.add(Check{ID: CheckCSCAKnown, Status: NotPossible, Reason: text(
			"Sans certificat du signataire, l'autorité émettrice ne peut pas être identifiée.",
			"Without the signer's certificate, the issuing authority cannot be identified.")})
		return out
	}
	signed := signingTime(sod, doc, ds, now)
	r.SignedAt, out.ds, out.signed = &signed, ds, signed
	anchor, chain := chainChecks(r, ds, store, signed)
	algorithmCheck(r, sod, ds, anchor.Cert)
	if anchor.Cert == nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Reason: text(
			"La révocation ne peut pas être vérifiée sans l'autorité émettrice.",
			"Revocation cannot be checked without the issuing authority.")})
		return out
	}
	out.anchorKind = anchor.Source.Kind
	out.chain = worst(chain, countryCheck(r, anchor, ds, doc))
	if out.chain == NotPossible && chain == Passed {
		// An unknown country code leaves the issuer unproven, as an
		// unknown CSCA does.
		out.chain = NotPossible
	}
	if crl := checkCRL(r, ds, anchor, store, now); crl == Failed {
		out.chain = Failed
	}
	if out.chain == Passed {
		q := deviationQuery(r, doc, ds, signed)
		out.hashes = applyDeviations(r, store, doc, q, out.hashes)
		out.deviations = &q
	}
	return out
}

// documentSigner is the DS certificate carried by the SOD.
func documentSigner(sod *lds.SOD) (*pki.Certificate, error) {
	if len(sod.Certificates) == 0 {
		return nil, errors.New("EF.SOD carries no certificate")
	}
	var firstErr error
	for _, der := range sod.Certificates {
		c, err := pki.ParseCertificate(der)
		if err != nil {
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		if signerMatches(sod.Signer, c) {
			return c, nil
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, errors.New("no certificate in EF.SOD matches the signer")
}

func signerMatches(si lds.SignerInfo, c *pki.Certificate) bool {
	if len(si.SubjectKeyID) > 0 {
		return bytes.Equal(si.SubjectKeyID, c.SubjectKeyID)
	}
	// The issuer is compared by value: real SODs name it with other string
	// types, case or RDN order than the certificate.
	return si.SerialNumber != nil && si.SerialNumber.Cmp(c.SerialNumber) == 0 && pki.SameName(si.IssuerRaw, c.RawIssuer)
}

// checkSODSignature checks the signed attributes (content type, message
// digest of the LDS security object) and the signature over them.
func checkSODSignature(r *Report, sod *lds.SOD, ds *pki.Certificate) Status {
	err := verifySigned(sod, ds)
	switch {
	case errors.Is(err, errUnknownDigest) || pki.KindOf(err) == pki.UnsupportedAlgorithm:
		r.add(Check{ID: CheckSODSignature, Status: NotPossible, Detail: err.Error(), Reason: text(
			"La signature du fichier de sécurité utilise un algorithme inconnu de l'application ou trop faible.",
			"The security file's signature uses an algorithm this application does not know or that is too weak.")})
		return NotPossible
	case err != nil:
		r.add(Check{ID: CheckSODSignature, Status: Failed, Detail: err.Error(), Reason: text(
			"La signature du fichier de sécurité est fausse : le document a pu être falsifié.",
			"The security file's signature is wrong: the document may have been forged.")})
		return Failed
	}
	r.add(Check{ID: CheckSODSignature, Status: Passed, Detail: ds.SignatureAlgorithm.String(), Reason: text(
		"Le fichier de sécurité est signé par le signataire du document (%s).",
		"The security file is signed by the document signer (%s).", ds.Subject)})
	return Passed
}

// errUnknownDigest: the SignerInfo's digest algorithm is not one this
// reader computes (MD5 and RIPEMD among them: they prove nothing).
var errUnknownDigest = errors.New("digest algorithm unknown or too weak")

// verifySigned checks a CMS SignedData as EF.SOD and EF.CardSecurity carry
// it: the messageDigest attribute over the content, and ds's signature
// over the signed attributes.
func verifySigned(sd *lds.SOD, ds *pki.Certificate) error {
	si := sd.Signer
	h := si.DigestAlgorithm.Hash
	if si.DigestAlgorithm.Err != nil || h == 0 || !h.Available() {
		return fmt.Errorf("%w: %s", errUnknownDigest, algorithmName(si.DigestAlgorithm.OID))
	}
	hh := h.New()
	hh.Write(sd.EContent)
	if subtle.ConstantTimeCompare(hh.Sum(nil), si.MessageDigest) != 1 {
		return errors.New("messageDigest does not match the signed content")
	}
	return pki.VerifyCMSSignature(ds.PublicKey,
		pki.AlgorithmIdentifier{OID: si.SignatureAlgorithm.OID, Params: si.SignatureAlgorithm.Params},
		pki.AlgorithmIdentifier{OID: si.DigestAlgorithm.OID, Params: si.DigestAlgorithm.Params},
		si.SignedAttrsRaw, si.Signature)
}

func checkCRL(r *Report, ds *pki.Certificate, anchor pki.Anchor, store *pki.Store, now time.Time) Status {
	crl := store.CRLFor(ds)
	if crl == nil || crl.CheckSignatureFrom(anchor.Cert) != nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Reason: text(
			"Aucune liste de révocation de cette autorité n'est disponible.",
			"No revocation list of this authority is available.")})
		return NotPossible
	}
	if revoked, when := crl.IsRevoked(ds.SerialNumber); revoked {
		r.add(Check{ID: CheckCRL, Status: Failed, Reason: text(
			"Le certificat du signataire a été révoqué par l'autorité le %s.",
			"The signer's certificate was revoked by the authority on %s.", when.Format(time.DateOnly))})
		return Failed
	}
	if err := crl.CheckFreshness(now); err != nil {
		r.add(Check{ID: CheckCRL, Status: NotPossible, Detail: err.Error(), Reason: text(
			"La liste de révocation disponible est périmée : elle ne mentionne pas ce certificat, mais n'est plus à jour.",
			"The available revocation list is out of date: it does not list this certificate, but is no longer current.")})
		return NotPossible
	}
	r.add(Check{ID: CheckCRL, Status: Passed, Reason: text(
		"Le certificat du signataire n'est pas révoqué (liste du %s).",
		"The signer's certificate is not revoked (list of %s).", crl.ThisUpdate.Format(time.DateOnly))})
	return Passed
}

// dataGroupChecks compares every data group read with its hash in the SOD,
// and says which listed ones could not be read.
func dataGroupChecks(r *Report, doc *reader.Document, sod *lds.SOD, fromFiles bool) Status {
	var listed []int
	for dg := range sod.DataGroupHashes {
		listed = append(listed, int(dg))
	}
	for n := range doc.DataGroups {
		if !slices.Contains(listed, n) {
			listed = append(listed, n)
		}
	}
	slices.Sort(listed)
	result := Passed
	checked := 0
	for _, n := range listed {
		content, read := doc.DataGroups[n]
		if !read {
			reason := text("DG%d n'a pas été lu.", "DG%d was not read.", n)
			if fromFiles {
				reason = text("DG%d est couvert par le fichier de sécurité mais ne fait pas partie des fichiers donnés.",
					"DG%d is covered by the security file but was not among the files given.", n)
			}
			if slices.Contains(doc.Protected, n) {
				reason = text("DG%d est présent mais réservé aux autorités (authentification du terminal).",
					"DG%d is present but reserved to authorities (terminal authentication).", n)
			}
			r.add(Check{ID: CheckDGHash, DG: n, Status: NotPossible, Reason: reason})
			continue
		}
		err := sod.CheckDataGroup(lds.DataGroup(n), content)
		switch {
		case err == nil:
			checked++
			r.add(Check{ID: CheckDGHash, DG: n, Status: Passed, Reason: text(
				"DG%d est intact.", "DG%d is intact.", n)})
		case errors.Is(err, lds.ErrDataGroupNotInSOD):
			result = Failed
			r.add(Check{ID: CheckDGHash, DG: n, Status: Failed, Detail: err.Error(), Reason: text(
				"DG%d n'est pas couvert par le fichier de sécurité.", "DG%d is not covered by the security file.", n)})
		case errors.Is(err, lds.ErrDataGroupHashMismatch):
			result = Failed
			r.add(Check{ID: CheckDGHash, DG: n, Status: Failed, Detail: err.Error(), Reason: text(
				"DG%d a été modifié : il ne correspond pas au fichier de sécurité.",
				"DG%d has been altered: it does not match the security file.", n)})
		default:
			if result == Passed {
				result = NotPossible
			}
			r.add(Check{ID: CheckDGHash, DG: n, Status: NotPossible, Detail: err.Error(), Reason: text(
				"DG%d n'a pas pu être comparé au fichier de sécurité.", "DG%d could not be compared with the security file.", n)})
		}
	}
	if checked == 0 && result == Passed {
		return NotPossible
	}
	return result
}

func chipChecks(r *Report, doc *reader.Document) {
	add := func(id CheckID, run reader.ProtocolRun, name Text) {
		c := Check{ID: id, Detail: run.Algorithm}
		say := func(fr, en string) Text { return Text{FR: fmt.Sprintf(fr, name.FR), EN: fmt.Sprintf(en, name.EN)} }
		switch run.Outcome {
		case reader.Passed:
			c.Status, c.Reason = Passed, say("%s réussie : la puce détient la clé secrète du document.",
				"%s passed: the chip holds the document's secret key.")
		case reader.Failed:
			c.Status, c.Reason = Failed, say("%s échouée : la puce n'a pas prouvé détenir la clé du document (clone possible).",
				"%s failed: the chip did not prove it holds the document's key (possible clone).")
			if run.Detail != "" {
				c.Detail = run.Detail
			}
		case reader.NotRun:
			c.Status, c.Reason = NotPossible, say("%s : impossible à partir de fichiers, elle demande la puce elle-même (des fichiers copiés ne prouvent pas l'absence de clonage).",
				"%s: cannot be run from files; it needs the chip itself (copied files cannot prove the chip is not a clone).")
			c.Detail = "not run: verification from files"
		default:
			c.Status, c.Reason = NotPossible, say("%s : la carte ne la propose pas.", "%s: the card does not offer it.")
		}
		r.add(c)
	}
	add(CheckChipAuth, doc.ChipAuth, Text{FR: "Authentification de la puce", EN: "Chip authentication"})
	add(CheckActiveAuth, doc.ActiveAuth, Text{FR: "Authentification active", EN: "Active authentication"})
}

func documentChecks(r *Report, doc *reader.Document, now time.Time, fromFiles bool) {
	if doc.MRZ == nil {
		reason := text("La zone de lecture automatique (DG1) n'a pas été lue.", "The machine readable zone (DG1) was not read.")
		if fromFiles {
			reason = text("La zone de lecture automatique (DG1) ne fait pas partie des fichiers donnés.",
				"The machine readable zone (DG1) was not among the files given.")
		}
		r.add(Check{ID: CheckMRZ, Status: NotPossible, Reason: reason})
		r.add(Check{ID: CheckExpiry, Status: NotPossible, Reason: text(
			"Date d'expiration inconnue.", "Unknown expiry date.")})
		return
	}
	if doc.MRZ.Valid() {
		r.add(Check{ID: CheckMRZ, Status: Passed, Reason: text(
			"Les chiffres de contrôle de la zone MRZ sont justes.", "The MRZ check digits are right.")})
	} else {
		r.add(Check{ID: CheckMRZ, Status: Failed, Reason: text(
			"Un chiffre de contrôle de la zone MRZ est faux.", "An MRZ check digit is wrong.")})
	}
	e := doc.MRZ.ExpiryDate
	if e.Month < 1 || e.Month > 12 || e.Day < 1 || e.Day > 31 {
		r.add(Check{ID: CheckExpiry, Status: NotPossible, Reason: text(
			"La date d'expiration n'est pas lisible.", "The expiry date is not readable.")})
		return
	}
	end := time.Date(e.ExpiryYear(now), time.Month(e.Month), e.Day, 23, 59, 59, 0, time.UTC)
	day := end.Format(time.DateOnly)
	if now.After(end) {
		r.add(Check{ID: CheckExpiry, Status: Failed, Reason: text(
			"Le document a expiré le %s.", "The document expired on %s.", day)})
		return
	}
	r.add(Check{ID: CheckExpiry, Status: Passed, Reason: text(
		"Le document est valide jusqu'au %s.", "The document is valid until %s.", day)})
}
