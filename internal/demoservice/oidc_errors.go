package demoservice

import "github.com/cnie-reader/cnie-reader/internal/kinderr"

// LoginKind classifies why the OIDC mode refused a login. Its name is
// what the refusal page and the log show: never the person's data.
type LoginKind int

// The reasons a login is refused.
const (
	// NoLogin: the callback came without a login this browser started
	// (no cookie, or one already used or expired).
	NoLogin LoginKind = iota + 1
	// StateMismatch: the callback's state is not the one sent.
	StateMismatch
	// ProviderError: the provider answered with an OIDC error code.
	ProviderError
	// ExchangeFailed: the token endpoint did not give tokens for the code.
	ExchangeFailed
	// BadIDToken: the ID token is missing, badly signed, expired, for
	// another client or from another issuer.
	BadIDToken
	// NonceMismatch: the ID token does not carry this login's nonce.
	NonceMismatch
	// ACRNotAsked: the provider vouches with an acr this service did not ask for.
	ACRNotAsked
	// UserinfoFailed: the userinfo endpoint did not answer with the claims.
	UserinfoFailed
	// ProviderUnreachable: discovery failed.
	ProviderUnreachable
	numLoginKinds
)

var loginKindNames = [numLoginKinds]string{
	NoLogin:             "no_login",
	StateMismatch:       "state_mismatch",
	ProviderError:       "provider_error",
	ExchangeFailed:      "exchange_failed",
	BadIDToken:          "bad_id_token",
	NonceMismatch:       "nonce_mismatch",
	ACRNotAsked:         "acr_not_asked",
	UserinfoFailed:      "userinfo_failed",
	ProviderUnreachable: "provider_unreachable",
}

// Error names the kind, so a LoginKind works with errors.Is.
func (k LoginKind) Error() string { return kinderr.Name(loginKindNames[:], k, "login error") }

// LoginError is a refused OIDC login.
type LoginError = kinderr.Error[LoginKind]
