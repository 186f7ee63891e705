package provider

import (
	"embed"
	"encoding/json"
	"html/template"
	"net/http"
	"strings"

	"github.com/luikyv/go-oidc/pkg/goidc"
)

// The pages people see, with their words per language (pages/words.*.json).
//
//go:embed pages
var pageFiles embed.FS

var (
	pageTemplates = template.Must(template.ParseFS(pageFiles, "pages/*.html"))
	pageWords     = map[string]map[string]string{"fr": loadWords("fr"), "en": loadWords("en")}
)

func loadWords(lang string) map[string]string {
	b, err := pageFiles.ReadFile("pages/words." + lang + ".json")
	if err != nil {
		panic("provider: missing page words: " + err.Error())
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		panic("provider: page words do not parse: " + err.Error())
	}
	return m
}

// pageLang is "en" when the browser prefers English to French, else "fr".
func pageLang(r *http.Request) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.ToLower(tag)[:min(2, len(tag))] {
		case "fr":
			return "fr"
		case "en":
			return "en"
		}
	}
	return "fr"
}

type cardPage struct {
	Lang, Service, ServiceHost, Provider string
	AppLink, SchemeLink                  template.URL
	W                                    map[string]string
}

type errorPage struct {
	Lang, Code, Description, Message string
	W                                map[string]string
}

func render(w http.ResponseWriter, status int, name string, data any) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = pageTemplates.ExecuteTemplate(w, name, data)
}

// renderError shows an OIDC error to the person when it cannot be sent to
// the service (no valid redirect_uri): the code and description are the
// protocol's, the sentence is in the browser's language.
func renderError(w http.ResponseWriter, r *http.Request, code goidc.ErrorCode, description string) {
	lang := pageLang(r)
	words := pageWords[lang]
	msg, ok := words["msg_"+string(code)]
	if !ok {
		msg = words["msg_other"]
	}
	status := http.StatusBadRequest
	if code == goidc.ErrorCodeInternalError {
		status = http.StatusInternalServerError
	}
	render(w, status, "error.html", errorPage{Lang: lang, Code: string(code), Description: description, Message: msg, W: words})
}
