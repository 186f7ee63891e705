package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// A request an identity provider signs for a service names both: the
// service the citizen logs in to, then the provider, whose certificate
// the trust line below is about.
func TestHeaderNamesProviderAndService(t *testing.T) {
	for _, lang := range []string{"fr", "en"} {
		test.NewTempApp(t)
		if err := i18n.Use(i18n.Locale{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		h := newServiceHeader()
		r := &request.Request{Name: "Fournisseur CNIE", Host: "idp.example", Trust: request.PublicCA,
			Claims: request.Claims{Purpose: "Se connecter", RelyingParty: &request.RelyingParty{Name: "Mairie d’Exempleville", Host: "mairie.example"}}}
		h.set(r)
		if !strings.Contains(h.who.Text, "Mairie d’Exempleville") || h.host.Text != "mairie.example" {
			t.Errorf("%s: who %q host %q", lang, h.who.Text, h.host.Text)
		}
		if !h.via.Visible() || !strings.Contains(h.via.Text, "Fournisseur CNIE") || !strings.Contains(h.via.Text, "idp.example") {
			t.Errorf("%s: via %q shown %v", lang, h.via.Text, h.via.Visible())
		}
		if !strings.Contains(h.ttext.Text, "idp.example") {
			t.Errorf("%s: the trust line %q is not the provider's", lang, h.ttext.Text)
		}
		// The same header then shows a service's own request: no provider.
		h.set(&request.Request{Name: "Service Exemple", Host: "service.example", Trust: request.PublicCA})
		if h.via.Visible() || h.host.Text != "service.example" {
			t.Errorf("%s: own request shows via %q", lang, h.via.Text)
		}
	}
}
