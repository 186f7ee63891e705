package pki

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/cnie-reader/cnie-reader/assets/trust"
)

// Fingerprints of the bundled BSI files (assets/trust/bsi/README.md). The
// embedded bytes are compared with them before use, so a file changed by
// mistake fails loudly instead of being half trusted.
const (
	bsiMasterListSHA256 = "e036f8c989193b38cf19493bb2c957bfa2385b35a680bf03300515cad7526dd0"
	germanCSCASHA256    = "2084aed7a991b3158e63ad750d3dc38bc6c9dcf5958f28d1162f49884e91ada8"
)

// PinnedListSigners returns the CSCAs that issue the signers of the master
// lists this application trusts by construction: today the German CSCA
// under which the BSI signs its list. A pinned CSCA vouches for a master
// list's signer only; it is not by itself an anchor for documents (the list
// carries Germany's CSCAs for that).
func PinnedListSigners() ([]*Certificate, error) {
	const op = "pinned master list signer"
	if got := sha256.Sum256(trust.GermanCSCA); hex.EncodeToString(got[:]) != germanCSCASHA256 {
		return nil, newErrf(UntrustedList, op, "bundled German CSCA has SHA-256 %x, want %s", got, germanCSCASHA256)
	}
	c, err := ParseCertificate(trust.GermanCSCA)
	if err != nil {
		return nil, wrap(Malformed, op, err)
	}
	return []*Certificate{c}, nil
}

// bundledMasterList parses the embedded BSI list after checking its bytes.
func bundledMasterList() (*MasterList, error) {
	const op = "bundled master list"
	if got := sha256.Sum256(trust.BSIMasterList); hex.EncodeToString(got[:]) != bsiMasterListSHA256 {
		return nil, newErrf(UntrustedList, op, "%s has SHA-256 %x, want %s", trust.BSIMasterListName, got, bsiMasterListSHA256)
	}
	return ParseMasterList(trust.BSIMasterList)
}

// VerifyMasterList checks a master list before any of its CSCAs is used:
// its CMS signature, and a signer issued by a pinned CSCA
// (PinnedListSigners) or by a non-demo anchor of the store, valid when the
// list was signed (its signingTime, else now). It returns the signer.
// Every failure is an UntrustedList error naming the reason.
func (s *Store) VerifyMasterList(ml *MasterList, now time.Time) (*Certificate, error) {
	const op = "verify master list"
	if ml == nil {
		return nil, newErr(BadInput, op, "no master list")
	}
	anchors, err := PinnedListSigners()
	if err != nil {
		return nil, err
	}
	anchors = append(anchors, s.anchorCerts()...)
	signer, err := ml.VerifySigner(anchors)
	if err != nil {
		return nil, &Error{Kind: UntrustedList, Op: op, Err: err}
	}
	at := ml.SigningTime
	if at.IsZero() || at.After(now) {
		at = now
	}
	if err := signer.CheckValidity(at); err != nil {
		return nil, &Error{Kind: UntrustedList, Op: op + ": signer", Err: err}
	}
	return signer, nil
}
