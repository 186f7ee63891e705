package demoservice

import (
	"bytes"
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
)

// The site's words are its own, as a real service's would be: its two
// pages and what its requests say, in French and English side by side, in
// pages/ rather than in the application's translation files.
//
//go:embed pages/home.html pages/result.html pages/request.json pages/oidc_home.html pages/oidc_result.html pages/oidc.json
var pages embed.FS

var (
	homePage   = template.Must(template.ParseFS(pages, "pages/home.html"))
	resultPage = template.Must(template.ParseFS(pages, "pages/result.html"))
	// The OIDC mode's two pages, and its words for each refusal reason.
	oidcHomePage   = template.Must(template.ParseFS(pages, "pages/oidc_home.html"))
	oidcResultPage = template.Must(template.ParseFS(pages, "pages/oidc_result.html"))
	oidcWords      = mustRead[struct {
		Reasons map[string]string `json:"reasons"`
		Claims  map[string]string `json:"claims"`
	}]("pages/oidc.json")
	// requestWords are the client_name and purpose of the site's requests,
	// the purpose by language ("fr", "en").
	requestWords = mustRead[struct {
		Name    string            `json:"client_name"`
		Purpose map[string]string `json:"purpose"`
	}]("pages/request.json")
)

// mustRead decodes an embedded JSON file; the files ship with the code, so
// a bad one is a programming error.
func mustRead[T any](name string) T {
	var v T
	b, err := pages.ReadFile(name)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		panic("demoservice: " + name + ": " + err.Error())
	}
	return v
}

// renderStatus writes page t with data and the given status.
func renderStatus(w http.ResponseWriter, status int, t *template.Template, data any) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		http.Error(w, "page error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// requestLang is the language a request's words are written in: the first
// of French and English the browser asks for (Accept-Language), French
// when it asks for neither.
func requestLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		lang, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if lang == "fr" || lang == "en" {
			return lang
		}
	}
	return "fr"
}
