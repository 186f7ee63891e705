package viewmodel

import (
	"strings"

	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// Asker names who asks for the holder's identity, as the consent screens
// show it.
type Asker struct {
	// Name and Host are the service the citizen deals with: the service
	// behind an identity provider, else the request's signer.
	Name, Host string
	// Provider and ProviderHost name the identity provider that signed the
	// request for that service (its certificate is the one checked); empty
	// for a service's own request.
	Provider, ProviderHost string
}

// AskerOf names who asks in r: a request that names a relying party comes
// from an identity provider, and the screens name both.
func AskerOf(r *request.Request) Asker {
	if r == nil {
		return Asker{}
	}
	if rp := r.RelyingParty; rp != nil {
		return Asker{Name: rp.Name, Host: strings.ToLower(rp.Host), Provider: r.Name, ProviderHost: r.Host}
	}
	return Asker{Name: r.Name, Host: r.Host}
}
