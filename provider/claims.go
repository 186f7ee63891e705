package provider

import (
	"errors"
	"fmt"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
)

// ScopeIdentitePivot is FranceConnect's scope of the pivot identity.
const ScopeIdentitePivot = pivot.Scope

// evidence is what a verified assertion gives the login: the claims of
// userinfo, the pairwise sub and what was proven. It lives in the
// interaction until the code is issued, then in the library's sessions
// until the token expires.
type evidence struct {
	Subject  string         `json:"sub"`
	Claims   map[string]any `json:"claims"`
	ACR      string         `json:"acr"`
	AMR      []string       `json:"amr,omitempty"`
	AuthTime int64          `json:"auth_time"`
}

// errNoACR: the result proves nothing an acr value names.
var errNoACR = errors.New("provider: the result fits no acr value")

// evidenceFrom maps a verified assertion to the login (assertion/pivot
// says how): the identite_pivot claims, the sub of the client's sector,
// the acr and amr of what was proven.
func evidenceFrom(res *verifier.Result, sector string, subKey []byte) (*evidence, error) {
	id, err := pivot.FromResult(res)
	if err != nil {
		return nil, fmt.Errorf("provider: pivot identity: %w", err)
	}
	e := &evidence{Subject: pivot.PairwiseSub(subKey, sector, id), Claims: id.OIDC(), ACR: pivot.ACR(res), AMR: pivot.AMR(res)}
	if e.ACR == "" {
		return nil, errNoACR
	}
	return e, nil
}
