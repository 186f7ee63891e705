package request_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
)

func good(now time.Time) request.Claims {
	return request.Claims{
		ClientID: "x509_san_dns:service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://service.example/cb", Nonce: "nonce-1", State: "state-1",
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "Vérifier votre âge",
		DCQL: request.Ask(assertion.Ask{Datum: assertion.BirthDate, Required: true}, assertion.Ask{Datum: assertion.Photo}),
	}
}

func sign(t *testing.T, c request.Claims, hosts ...string) string {
	t.Helper()
	id, err := demoservice.NewIdentity(time.Now(), hosts...)
	if err != nil {
		t.Fatal(err)
	}
	s, err := request.Sign(c, jose.ES256, id.Key, id.Chain)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func check(t *testing.T, v *request.Verifier, jws string, kind assertion.Kind) {
	t.Helper()
	_, err := v.Verify(jws)
	if kind == 0 {
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	if !errors.Is(err, kind) {
		t.Fatalf("got %v, want %v", err, kind)
	}
}

func TestGoodRequest(t *testing.T) {
	now := time.Now()
	r, err := (&request.Verifier{}).Verify(sign(t, good(now), "service.example"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Host != "service.example" || r.Demo || r.Trust != request.Unknown || len(r.Asked) != 2 || !r.Asked[0].Required || r.Asked[1].Required {
		t.Fatalf("%+v", r)
	}
	// In the user's list of services: Listed, through its own certificate
	// or its authority's; another service's certificate lists nothing.
	var s request.Services
	s.Add(r.Chain[0])
	r2, err := (&request.Verifier{Services: &s}).Verify(sign(t, good(now), "service.example"))
	if err != nil || r2.Trust != request.Unknown {
		t.Fatalf("another service's certificate is not listed: %v %v", err, r2.Trust)
	}
	jws := sign(t, good(now), "service.example")
	r3, _ := (&request.Verifier{}).Verify(jws)
	s.Add(r3.Chain[1])
	if r4, err := (&request.Verifier{Services: &s}).Verify(jws); err != nil || r4.Trust != request.Listed {
		t.Fatalf("listed CA: %v %v", err, r4)
	}
}

func TestRejectedRequests(t *testing.T) {
	now := time.Now()
	v := &request.Verifier{}
	t.Run("signature invalid", func(t *testing.T) {
		jws := sign(t, good(now), "service.example")
		parts := strings.Split(jws, ".")
		c := good(now)
		c.Purpose = "Autre chose"
		other := strings.Split(sign(t, c, "service.example"), ".")
		check(t, v, parts[0]+"."+other[1]+"."+parts[2], assertion.BadSignature)
	})
	t.Run("host not in the certificate", func(t *testing.T) {
		check(t, v, sign(t, good(now), "other.example"), assertion.HostMismatch)
	})
	t.Run("answer to another host", func(t *testing.T) {
		c := good(now)
		c.ResponseURI = "https://attacker.example/cb"
		check(t, v, sign(t, c, "service.example"), assertion.HostMismatch)
	})
	t.Run("http outside loopback", func(t *testing.T) {
		c := good(now)
		c.ResponseURI = "http://service.example/cb"
		check(t, &request.Verifier{AllowLoopbackHTTP: true}, sign(t, c, "service.example"), assertion.HostMismatch)
	})
	t.Run("http on loopback only for the demo", func(t *testing.T) {
		c := good(now)
		c.ClientID, c.ResponseURI = "x509_san_dns:localhost", "http://localhost:8080/cb"
		check(t, v, sign(t, c, "localhost"), assertion.HostMismatch)
		check(t, &request.Verifier{AllowLoopbackHTTP: true}, sign(t, c, "localhost"), 0)
	})
	t.Run("expired", func(t *testing.T) {
		c := good(now.Add(-20 * time.Minute))
		check(t, v, sign(t, c, "service.example"), assertion.Expired)
	})
	t.Run("from the future", func(t *testing.T) {
		c := good(now.Add(5 * time.Minute))
		check(t, v, sign(t, c, "service.example"), assertion.Expired)
	})
	t.Run("lifetime too long", func(t *testing.T) {
		c := good(now)
		c.Expires = now.Add(time.Hour).Unix()
		check(t, v, sign(t, c, "service.example"), assertion.Malformed)
	})
	t.Run("replayed", func(t *testing.T) {
		rv := &request.Verifier{Seen: &request.StoreReplay{}}
		jws := sign(t, good(now), "service.example")
		req, err := rv.Verify(jws)
		if err != nil {
			t.Fatal(err)
		}
		check(t, rv, jws, 0) // looked at, not yet accepted: still usable
		if err := rv.Accept(req); err != nil {
			t.Fatal(err)
		}
		check(t, rv, jws, assertion.Replayed)
		if err := rv.Accept(req); !errors.Is(err, assertion.Replayed) {
			t.Errorf("accepted twice: %v", err)
		}
	})
	t.Run("unsigned", func(t *testing.T) {
		jws := sign(t, good(now), "service.example")
		parts := strings.Split(jws, ".")
		none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"oauth-authz-req+jwt"}`))
		check(t, v, none+"."+parts[1]+".", assertion.Unsigned)
		check(t, v, "not a jws", assertion.Unsigned)
	})
	t.Run("shared-secret algorithm", func(t *testing.T) {
		signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
		obj, _ := signer.Sign([]byte(`{}`))
		s, _ := obj.CompactSerialize()
		check(t, v, s, assertion.Unsigned)
	})
	t.Run("unknown datum", func(t *testing.T) {
		c := good(now)
		c.DCQL.Credentials[0].Claims[0].Path = []string{"blood_type"}
		check(t, v, sign(t, c, "service.example"), assertion.Unsupported)
	})
	t.Run("no purpose", func(t *testing.T) {
		c := good(now)
		c.Purpose = ""
		check(t, v, sign(t, c, "service.example"), assertion.Malformed)
	})
	t.Run("oversize", func(t *testing.T) {
		check(t, v, strings.Repeat("a", request.MaxRequestSize+1), assertion.TooLarge)
	})
}

// FuzzVerify: no input crashes the request parser, and every rejection is
// a typed error.
func FuzzVerify(f *testing.F) {
	now := time.Now()
	id, err := demoservice.NewIdentity(now, "service.example")
	if err != nil {
		f.Fatal(err)
	}
	s, _ := request.Sign(good(now), jose.ES256, id.Key, id.Chain)
	f.Add(s)
	f.Add("e30.e30.")
	f.Add(strings.Split(s, ".")[0] + "..")
	f.Fuzz(func(t *testing.T, jws string) {
		_, err := (&request.Verifier{Now: func() time.Time { return now }}).Verify(jws)
		if err != nil && assertion.KindOf(err) == 0 {
			t.Fatalf("untyped error: %v", err)
		}
	})
}
