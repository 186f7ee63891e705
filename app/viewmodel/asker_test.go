package viewmodel

import (
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion/request"
)

func TestAskerOf(t *testing.T) {
	own := &request.Request{Name: "Service Exemple", Host: "service.example"}
	if got := AskerOf(own); got != (Asker{Name: "Service Exemple", Host: "service.example"}) {
		t.Errorf("own request: %+v", got)
	}
	viaProvider := &request.Request{Name: "Fournisseur", Host: "idp.example",
		Claims: request.Claims{RelyingParty: &request.RelyingParty{Name: "Mairie", Host: "Mairie.Example"}}}
	want := Asker{Name: "Mairie", Host: "mairie.example", Provider: "Fournisseur", ProviderHost: "idp.example"}
	if got := AskerOf(viaProvider); got != want {
		t.Errorf("through a provider: %+v, want %+v", got, want)
	}
	if AskerOf(nil) != (Asker{}) {
		t.Error("nil request")
	}
}
