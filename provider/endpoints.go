package provider

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/luikyv/go-oidc/pkg/goidc"
)

// The library's endpoints where this provider says more or less than it.

// authorize refuses request objects (this profile takes plain
// parameters: no "none"-signed or unsigned object can slip in) before the
// library sees the request.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		renderError(w, r, goidc.ErrorCodeInvalidRequest, "the request does not parse")
		return
	}
	if r.Form.Has("request") || r.Form.Has("request_uri") {
		renderError(w, r, "request_not_supported", "request objects are not supported")
		return
	}
	p.oidc.ServeHTTP(w, r)
}

// discovery is the library's, with what this provider adds.
func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	p.oidc.ServeHTTP(rec, r)
	var doc map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
		w.WriteHeader(rec.Code)
		_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
		return
	}
	doc["end_session_endpoint"] = p.issuer + pathEndSession
	doc["claims_parameter_supported"] = false
	doc["request_parameter_supported"] = false
	doc["request_uri_parameter_supported"] = false
	doc["response_types_supported"] = []string{"code"}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(doc)
}

// userinfo is the library's, with RFC 6750's answer to a token it does not
// know (expired, revoked): 401 invalid_token, where the library says 400
// invalid_request.
func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	p.oidc.ServeHTTP(rec, r)
	var e goidc.Error
	if rec.Code == http.StatusBadRequest && json.Unmarshal(rec.Body.Bytes(), &e) == nil && e.Code == goidc.ErrorCodeInvalidRequest {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSONError(w, http.StatusUnauthorized, goidc.ErrorCodeInvalidToken, "the access token is unknown, expired or revoked")
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
