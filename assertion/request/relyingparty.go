package request

import (
	"net"
	"strings"
	"unicode/utf8"

	"github.com/cnie-reader/cnie-reader/assertion"
)

// maxHost bounds a DNS name (RFC 1035: 253 characters written out).
const maxHost = 253

// checkRelyingParty checks the optional relying_party as the other texts a
// holder reads: bounded UTF-8 without control or bidi characters; its
// name must be given, its host must be a DNS name (as client_id's).
func checkRelyingParty(rp *RelyingParty) error {
	if rp == nil {
		return nil
	}
	bad := func(kind assertion.Kind, format string, args ...any) error {
		return assertion.Errorf(kind, "request", format, args...)
	}
	for name, v := range map[string]string{"relying_party.name": rp.Name, "relying_party.host": rp.Host} {
		if len(v) > maxText || !utf8.ValidString(v) {
			return bad(assertion.Malformed, "%s is too long or not UTF-8", name)
		}
		if i := strings.IndexFunc(v, assertion.Deceptive); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			return bad(assertion.DeceptiveText, "%s holds the control character %U", name, r)
		}
	}
	if strings.TrimSpace(rp.Name) == "" {
		return bad(assertion.Malformed, "relying_party.name is required when relying_party is given")
	}
	if !dnsName(rp.Host) {
		return bad(assertion.Malformed, "relying_party.host %q is not a DNS name", assertion.Printable(rp.Host))
	}
	return nil
}

// dnsName tells whether s is a host name: dot-separated labels of ASCII
// letters, digits and inner hyphens (IDNs in their xn-- form), not an IP
// address. Anything else could pass for another service on the screen.
func dnsName(s string) bool {
	if s == "" || len(s) > maxHost || net.ParseIP(s) != nil {
		return false
	}
	for _, label := range strings.Split(strings.TrimSuffix(s, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range []byte(label) {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
