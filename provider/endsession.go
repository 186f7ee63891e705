package provider

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/luikyv/go-oidc/pkg/goidc"
)

// pathEndSession is RP-initiated logout (OpenID Connect RP-Initiated
// Logout 1.0), which the library does not offer.
const pathEndSession = "/logout"

// endSession ends what the provider holds for this browser — only a
// pending interaction: no provider session exists, every login reads the
// card — and sends the browser back to a post_logout_redirect_uri the
// client registered, named by a valid id_token_hint of this provider.
func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "the request does not parse")
		return
	}
	if c, err := r.Cookie(cookieInteraction); err == nil && len(c.Value) <= maxParam {
		_ = p.store.Delete(r.Context(), keyInteraction+c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: cookieInteraction, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode})
	target := r.Form.Get("post_logout_redirect_uri")
	if target == "" {
		lang := pageLang(r)
		render(w, http.StatusOK, "logout.html", errorPage{Lang: lang, W: pageWords[lang]})
		return
	}
	client, ok := p.hintClient(r.Form.Get("id_token_hint"))
	if !ok || (r.Form.Get("client_id") != "" && r.Form.Get("client_id") != client) {
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "post_logout_redirect_uri needs a valid id_token_hint of this provider")
		return
	}
	if !slices.Contains(p.clients[client].PostLogoutRedirectURIs, target) {
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "post_logout_redirect_uri is not registered")
		return
	}
	u, _ := url.Parse(target)
	if s := r.Form.Get("state"); s != "" && len(s) <= maxParam {
		q := u.Query()
		q.Set("state", s)
		u.RawQuery = q.Encode()
	}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// hintClient checks an ID token this provider signed (expired is fine: a
// logout comes after) and returns its audience.
func (p *Provider) hintClient(hint string) (string, bool) {
	if hint == "" || len(hint) > 8<<10 {
		return "", false
	}
	tok, err := jwt.ParseSigned(hint, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil || len(tok.Headers) != 1 {
		return "", false
	}
	set, _ := p.keys.JWKS(nil)
	for _, k := range set.Keys {
		if k.KeyID != tok.Headers[0].KeyID {
			continue
		}
		var c jwt.Claims
		if tok.Claims(k.Key, &c) != nil || c.Issuer != p.issuer || len(c.Audience) != 1 {
			return "", false
		}
		_, known := p.clients[c.Audience[0]]
		return c.Audience[0], known
	}
	return "", false
}
