package provider

import (
	"fmt"
	"net"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// purposeFor is the request's purpose in lang, the language of the
// browser that started the login (the request has one purpose and the
// holder's screen shows one language): the login to the named service,
// through this provider.
func purposeFor(lang, service, host string) string {
	words := pageWords[lang]
	name := assertion.Printable(service)
	p := fmt.Sprintf(words["purpose"], name, host)
	if len(p) > maxPurpose {
		// A very long host name would pass the request's bound: the
		// relying_party field still names it.
		p = fmt.Sprintf(words["purpose"], name, "…")
	}
	return p
}

// maxPurpose is the request's bound on a text (assertion/request).
const maxPurpose = 512

// nameRelyingParty names, in the signed request, the service the citizen
// logs in to, for the consent screen to show beside the provider.
// An IP address is no DNS name: the request would be refused; the
// purpose still names it.
func nameRelyingParty(c *request.Claims, name, host string) {
	if net.ParseIP(host) != nil {
		return
	}
	c.RelyingParty = &request.RelyingParty{Name: name, Host: host}
}
