package demoservice

import (
	"embed"
	"encoding/json"
	"html/template"
)

// The site's words are its own, as a real service's would be: its two
// pages and what its requests say, in French and English side by side, in
// pages/ rather than in the application's translation files.
//
//go:embed pages/home.html pages/result.html pages/request.json
var pages embed.FS

var (
	homePage   = template.Must(template.ParseFS(pages, "pages/home.html"))
	resultPage = template.Must(template.ParseFS(pages, "pages/result.html"))
	// requestWords are the client_name and purpose of the site's requests.
	requestWords = mustRead[struct {
		Name    string `json:"client_name"`
		Purpose string `json:"purpose"`
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
