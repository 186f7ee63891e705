package provider

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/luikyv/go-oidc/pkg/goidc"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/assertion/verifier"
)

// The provider's own endpoints of the card step.
const (
	pathResponse = "/cnie/response" // the application's direct_post
	pathReturn   = "/cnie/return"   // the browser, back from the application
)

// writeJSONError answers the application (a program: JSON, OIDC codes).
func writeJSONError(w http.ResponseWriter, status int, code goidc.ErrorCode, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(goidc.NewError(code, desc))
}

// response takes the application's answer (vp_token and state, or the
// holder's refusal), verifies it against the interaction's own record,
// and gives back the address the browser returns to with a one-time
// response code.
func (p *Provider) response(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSONError(w, http.StatusMethodNotAllowed, goidc.ErrorCodeInvalidRequest, "POST only")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, assertion.MaxTokenSize+4096)
	if err := r.ParseForm(); err != nil {
		writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeInvalidRequest, "the form does not parse or is too large")
		return
	}
	state := r.PostForm.Get("state")
	if state == "" || len(state) > maxParam {
		writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeInvalidRequest, "state is required")
		return
	}
	ctx := r.Context()
	// Taken: one answer per request, even across processes.
	idb, err := p.store.Take(ctx, hashKey(keyInteractionState, state))
	if err != nil {
		writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeInvalidRequest, "unknown, expired or already answered state")
		return
	}
	id := string(idb)
	ix, err := p.loadInteraction(ctx, id, false)
	if err != nil || ix.VPState != state {
		writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeInvalidRequest, "the interaction expired")
		return
	}
	if e := r.PostForm.Get("error"); e != "" {
		ix.Refused = true
	} else {
		res, err := p.verifier.VerifyContext(ctx, []byte(r.PostForm.Get("vp_token")), state, verifier.Expected{
			ClientID: request.ClientIDPrefix + p.host, Nonce: ix.VPNonce, State: ix.VPState, Expires: time.Unix(ix.Expires, 0)})
		if err != nil {
			// The reason's name only: the detail may quote the data.
			p.log.Warn("evidence refused", "client", ix.ClientID, "reason", reasonName(err))
			writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeAccessDenied, "the evidence was refused: "+reasonName(err))
			return
		}
		ev, err := evidenceFrom(res, ix.Sector, p.keys.SubKey())
		if err != nil {
			p.log.Warn("evidence incomplete", "client", ix.ClientID)
			writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeAccessDenied, "the evidence holds no pivot identity")
			return
		}
		ev.AuthTime = p.now().Unix()
		ix.Evidence = ev
		p.log.Info("evidence verified", "client", ix.ClientID, "acr", ev.ACR, "demo", res.Demo)
	}
	code := randomID()
	ix.ResponseCode = hashKey("", code)
	if err := p.saveInteraction(ctx, id, ix); err != nil {
		writeJSONError(w, http.StatusBadRequest, goidc.ErrorCodeInvalidRequest, "the interaction expired")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]string{"redirect_uri": p.issuer + pathReturn + "?" + url.Values{"response_code": {code}}.Encode()})
}

func reasonName(err error) string {
	if r := verifier.ReasonOf(err); r != 0 {
		return r.Error()
	}
	return "malformed"
}

// errRelayed: the response code came without the interaction's cookie, or
// with another interaction's.
var errRelayed = errors.New("provider: response code without its browser")

// back is where the browser returns from the application. The login goes
// on only for the browser holding the interaction's cookie, with the
// response code given for it, once.
func (p *Provider) back(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "GET only")
		return
	}
	ix, id, err := p.redeem(r.Context(), r)
	switch {
	case errors.Is(err, errExpired):
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "the interaction expired")
		return
	case err != nil:
		p.log.Warn("response code refused", "why", err.Error())
		renderError(w, r, goidc.ErrorCodeAccessDenied, "this link can only be used in the browser that started the login")
		return
	}
	// Into the library's callback, marked as redeemed (see resume).
	r2 := r.Clone(context.WithValue(r.Context(), redeemedKey{}, id))
	r2.URL.Path, r2.URL.RawPath, r2.URL.RawQuery = p.authorizePath+"/"+ix.CallbackID, "", ""
	r2.RequestURI = r2.URL.RequestURI()
	p.oidc.ServeHTTP(w, r2)
}

func (p *Provider) redeem(ctx context.Context, r *http.Request) (*interaction, string, error) {
	c, err := r.Cookie(cookieInteraction)
	if err != nil || c.Value == "" || len(c.Value) > maxParam {
		return nil, "", errRelayed
	}
	code := r.URL.Query().Get("response_code")
	if code == "" || len(code) > maxParam {
		return nil, "", errRelayed
	}
	ix, err := p.loadInteraction(ctx, c.Value, false)
	if err != nil {
		return nil, "", err
	}
	if ix.ResponseCode == "" || subtle.ConstantTimeCompare([]byte(ix.ResponseCode), []byte(hashKey("", code))) != 1 {
		return nil, "", errRelayed
	}
	first, err := p.store.PutNew(ctx, keyInteractionDone+c.Value, []byte{1}, time.Until(time.Unix(ix.Expires, 0))+time.Second)
	if err != nil {
		return nil, "", err
	}
	if !first {
		return nil, "", errors.New("provider: response code already used")
	}
	return ix, c.Value, nil
}
