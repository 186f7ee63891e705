package provider

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/luikyv/go-oidc/pkg/goidc"

	"github.com/cnie-reader/cnie-reader/assertion/pivot"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// An interaction is one login's card step: made at /authorize, bound to
// the browser by a cookie holding its random id, answered by the
// application at /cnie/response, finished when that browser brings the
// response code back to /cnie/return. It lives at most InteractionTTL.
type interaction struct {
	CallbackID  string `json:"callback_id"`
	ClientID    string `json:"client_id"`
	ServiceName string `json:"service_name"`
	ServiceHost string `json:"service_host"`
	Sector      string `json:"sector"`
	// VPNonce and VPState are the OpenID4VP request's: the assertion must
	// carry them.
	VPNonce string `json:"vp_nonce"`
	VPState string `json:"vp_state"`
	Expires int64  `json:"expires"`
	// Request is the signed request, to show the page again.
	Request string `json:"request"`
	// ResponseCode is the hash of the one-time code given to the
	// application for the browser, once the evidence is verified.
	ResponseCode string `json:"response_code,omitempty"`
	// Refused: the holder said no in the application.
	Refused  bool      `json:"refused,omitempty"`
	Evidence *evidence `json:"evidence,omitempty"`
}

const (
	keyInteraction      = "cnie:ix:"          // interaction by id
	keyInteractionState = "cnie:ix-state:"    // → interaction id, by hashed OpenID4VP state; taken once
	keyInteractionDone  = "cnie:ix-redeemed:" // the response code was brought back (once)
	cookieInteraction   = "cnie_interaction"
	paramInteraction    = "cnie_interaction"
	minNonce            = 22
	maxParam            = 512
)

// redeemedKey marks, in a request's context, the interaction whose
// response code the browser holding its cookie just brought back.
type redeemedKey struct{}

func randomID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// authenticate is the library's authentication policy: the first call
// (from /authorize) starts the interaction; later calls (from
// /cnie/return, through the library's callback) finish it.
func (p *Provider) authenticate(w http.ResponseWriter, r *http.Request, as *goidc.AuthnSession) (goidc.AuthnStatus, error) {
	id, _ := as.StoredParameter(paramInteraction).(string)
	if id == "" {
		return p.start(w, r, as)
	}
	return p.resume(w, r, as, id)
}

// checkParams applies FranceConnect's rules the library leaves open.
func checkParams(as *goidc.AuthnSession) error {
	bad := func(desc string) error { return goidc.NewError(goidc.ErrorCodeInvalidRequest, desc) }
	switch {
	case as.State == "" || len(as.State) > maxParam:
		return bad("state is required (at most 512 characters)")
	case len(as.Nonce) < minNonce || len(as.Nonce) > maxParam:
		return bad("nonce is required, 22 to 512 characters")
	case as.ACRValues == "":
		return bad("acr_values is required")
	case as.Prompt == goidc.PromptTypeNone:
		return goidc.NewError(goidc.ErrorCodeLoginRequired, "every login reads the card: prompt=none cannot succeed")
	}
	if !slices.ContainsFunc(strings.Fields(as.ACRValues), func(v string) bool { return slices.Contains(pivot.ACRValues(), v) }) {
		return bad("acr_values names none of the values this provider offers")
	}
	return nil
}

func (p *Provider) start(w http.ResponseWriter, r *http.Request, as *goidc.AuthnSession) (goidc.AuthnStatus, error) {
	if err := checkParams(as); err != nil {
		return goidc.StatusFailure, err
	}
	cc, ok := p.clients[as.ClientID]
	if !ok {
		return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeInvalidClient, "unknown client")
	}
	now := p.now()
	exp := now.Add(p.ttl)
	redirect, err := url.Parse(as.RedirectURI)
	if err != nil || as.RedirectURI == "" {
		return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeInvalidRequest, "redirect_uri is required")
	}
	ix := &interaction{CallbackID: as.CallbackID, ClientID: cc.ID, ServiceName: cc.Name, ServiceHost: redirect.Hostname(),
		Sector: cc.Sector, VPNonce: randomID(), VPState: randomID(), Expires: exp.Unix()}
	jws, err := p.signRequest(ix, pageLang(r), now, exp)
	if err != nil {
		return goidc.StatusFailure, goidc.WrapError(goidc.ErrorCodeInternalError, "could not sign the card request", err)
	}
	ix.Request = jws
	id := randomID()
	if err := p.saveInteraction(r.Context(), id, ix); err != nil {
		return goidc.StatusFailure, goidc.WrapError(goidc.ErrorCodeInternalError, "could not store the interaction", err)
	}
	if _, err := p.store.PutNew(r.Context(), hashKey(keyInteractionState, ix.VPState), []byte(id), p.ttl); err != nil {
		return goidc.StatusFailure, goidc.WrapError(goidc.ErrorCodeInternalError, "could not store the interaction", err)
	}
	as.StoreParameter(paramInteraction, id)
	// The cookie outlives the interaction by a minute, so that a late
	// browser hears "expired" rather than "another browser".
	http.SetCookie(w, &http.Cookie{Name: cookieInteraction, Value: id, Path: "/", MaxAge: int((p.ttl + time.Minute).Seconds()),
		HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode})
	p.log.Info("login started", "client", cc.ID)
	p.showCard(w, r, ix)
	return goidc.StatusInProgress, nil
}

// signRequest makes the OpenID4VP request the application verifies: the
// provider is the "service" to the application, and it names the service
// the citizen logs in to.
func (p *Provider) signRequest(ix *interaction, lang string, now, exp time.Time) (string, error) {
	c := request.Claims{
		ClientID: request.ClientIDPrefix + p.host, ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: p.issuer + pathResponse, Nonce: ix.VPNonce, State: ix.VPState,
		IssuedAt: now.Unix(), Expires: exp.Unix(), Purpose: purposeFor(lang, ix.ServiceName, ix.ServiceHost),
		ClientMetadata: request.ClientMetadata{ClientName: p.name},
		DCQL:           request.Ask(pivot.Needed()...),
	}
	nameRelyingParty(&c, ix.ServiceName, ix.ServiceHost)
	return request.Sign(c, p.signAlg, p.identity.Key, p.identity.Chain)
}

// showCard is the page "Prove my identity with my card".
func (p *Provider) showCard(w http.ResponseWriter, r *http.Request, ix *interaction) {
	q := url.Values{"client_id": {request.ClientIDPrefix + p.host}, "request": {ix.Request}}.Encode()
	lang := pageLang(r)
	render(w, http.StatusOK, "card.html", cardPage{Lang: lang, Service: ix.ServiceName, ServiceHost: ix.ServiceHost,
		Provider: p.name, W: pageWords[lang],
		// The intake's URL and the custom scheme are ours, not the
		// service's: safe to mark as URLs.
		AppLink: template.URL(p.appURL + "?" + q), SchemeLink: template.URL("cnie-reader://authorize?" + q)})
}

func (p *Provider) saveInteraction(ctx context.Context, id string, ix *interaction) error {
	b, err := json.Marshal(ix)
	if err != nil {
		return err
	}
	ttl := time.Unix(ix.Expires, 0).Sub(p.now())
	if ttl <= 0 {
		return errExpired
	}
	return p.store.Set(ctx, keyInteraction+id, b, ttl)
}

var errExpired = errors.New("provider: the interaction expired")

func (p *Provider) loadInteraction(ctx context.Context, id string, take bool) (*interaction, error) {
	get := p.store.Get
	if take {
		get = p.store.Take
	}
	b, err := get(ctx, keyInteraction+id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errExpired
	}
	if err != nil {
		return nil, err
	}
	var ix interaction
	if err := json.Unmarshal(b, &ix); err != nil {
		return nil, err
	}
	if p.now().Unix() >= ix.Expires {
		return nil, errExpired
	}
	return &ix, nil
}

// resume is reached through the library's callback. Only /cnie/return
// marks the request as carrying a redeemed response code; anything else
// (the callback URL opened directly) just shows the card page again.
func (p *Provider) resume(w http.ResponseWriter, r *http.Request, as *goidc.AuthnSession, id string) (goidc.AuthnStatus, error) {
	if redeemed, _ := r.Context().Value(redeemedKey{}).(string); redeemed != id {
		ix, err := p.loadInteraction(r.Context(), id, false)
		if err != nil {
			return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeInvalidRequest, "the interaction expired")
		}
		p.showCard(w, r, ix)
		return goidc.StatusInProgress, nil
	}
	// Taken: the verified claims leave the interaction for the session
	// that issues the code, and nothing else can finish this login.
	ix, err := p.loadInteraction(r.Context(), id, true)
	if err != nil {
		return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeInvalidRequest, "the interaction expired")
	}
	http.SetCookie(w, &http.Cookie{Name: cookieInteraction, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode})
	if ix.Refused || ix.Evidence == nil {
		p.log.Info("login refused by the holder", "client", ix.ClientID)
		return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeAccessDenied, "the holder refused")
	}
	e := ix.Evidence
	if !slices.Contains(strings.Fields(as.ACRValues), e.ACR) {
		p.log.Info("login below the asked acr", "client", ix.ClientID, "acr", e.ACR)
		return goidc.StatusFailure, goidc.NewError(goidc.ErrorCodeAccessDenied, "what was proven ("+e.ACR+") is not among acr_values")
	}
	as.SetUserID(e.Subject)
	scopes := []string{"openid"}
	if slices.Contains(strings.Fields(as.Scopes), ScopeIdentitePivot) {
		scopes = append(scopes, ScopeIdentitePivot)
		for k, v := range e.Claims {
			as.SetUserInfoClaim(k, v)
		}
	}
	as.GrantScopes(strings.Join(scopes, " "))
	as.SetIDTokenClaimACR(goidc.ACR(e.ACR))
	as.SetIDTokenClaimAuthTime(int(e.AuthTime))
	if len(e.AMR) > 0 {
		amr := make([]goidc.AMR, len(e.AMR))
		for i, a := range e.AMR {
			amr[i] = goidc.AMR(a)
		}
		as.SetIDTokenClaimAMR(amr...)
	}
	p.log.Info("login completed", "client", ix.ClientID, "acr", e.ACR)
	return goidc.StatusSuccess, nil
}
