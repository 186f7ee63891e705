package request_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// A provider's request names the service behind it; what it names is
// checked as every text the holder reads.
func TestRelyingParty(t *testing.T) {
	now := time.Now()
	v := &request.Verifier{}
	c := good(now)
	c.RelyingParty = &request.RelyingParty{Name: "Mairie d’Exempleville — démarches", Host: "demarches.exempleville.example"}
	r, err := v.Verify(sign(t, c, "service.example"))
	if err != nil {
		t.Fatal(err)
	}
	if r.RelyingParty == nil || *r.RelyingParty != *c.RelyingParty {
		t.Fatalf("relying party %+v", r.RelyingParty)
	}
	// Absent: a service's own request, as before.
	r, err = v.Verify(sign(t, good(now), "service.example"))
	if err != nil || r.RelyingParty != nil {
		t.Fatalf("%v %+v", err, r.RelyingParty)
	}
	for _, rp := range []struct {
		name, host string
		kind       assertion.Kind
	}{
		{"Banque\x1b[2K", "bank.example", assertion.DeceptiveText},
		{"Banque \u202eelpmaxe", "bank.example", assertion.DeceptiveText},
		{"Banque", "bank.example\u200f", assertion.DeceptiveText},
		{"", "bank.example", assertion.Malformed},
		{"   ", "bank.example", assertion.Malformed},
		{"Banque", "", assertion.Malformed},
		{"Banque", "bank.example/login", assertion.Malformed},
		{"Banque", "user@bank.example", assertion.Malformed},
		{"Banque", "bank.example:443", assertion.Malformed},
		{"Banque", "192.0.2.7", assertion.Malformed},
		{"Banque", "bänk.example", assertion.Malformed},
		{"Banque", "-bank.example", assertion.Malformed},
		{"Banque", "bank..example", assertion.Malformed},
		{"Banque", strings.Repeat("a", 64) + ".example", assertion.Malformed},
		{strings.Repeat("B", 600), "bank.example", assertion.Malformed},
		{"Banque", "bank\xff.example", assertion.Malformed},
	} {
		c := good(now)
		c.RelyingParty = &request.RelyingParty{Name: rp.name, Host: rp.host}
		check(t, v, sign(t, c, "service.example"), rp.kind)
	}
	// An IDN in its ASCII form is a host name.
	c = good(now)
	c.RelyingParty = &request.RelyingParty{Name: "Bänk", Host: "xn--bnk-qla.example"}
	check(t, v, sign(t, c, "service.example"), 0)
}
