package link

import (
	"context"
	"net"
	"net/http"
	"testing"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

func TestQuery(t *testing.T) {
	for link, want := range map[string]string{
		"cnie-reader://authorize?client_id=x509_san_dns%3Aa.example&request=abc": "client_id=x509_san_dns%3Aa.example&request=abc",
		"CNIE-READER://authorize?request=abc":                                    "request=abc",
		"cnie-reader:authorize?request=abc":                                      "request=abc",
	} {
		if got, err := Query(link); err != nil || got != want {
			t.Errorf("%s: %q %v", link, got, err)
		}
	}
	for link, kind := range map[string]assertion.Kind{
		"https://authorize?request=abc": assertion.Malformed,
		"cnie-reader://delete-all?x=1":  assertion.Unsupported,
		"cnie-reader://authorize":       assertion.Malformed,
		"cnie-reader://authorize?%zz":   assertion.Malformed,
		"cnie-reader://authorize?request=" + string(make([]byte, intake.MaxURL)): assertion.TooLarge,
	} {
		if _, err := Query(link); assertion.KindOf(err) != kind {
			t.Errorf("%.60s: %v, want %v", link, err, kind)
		}
	}
}

func TestRunningFindsTheIntake(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := &intake.Server{Verifier: &request.Verifier{}}
	go srv.Serve(ctx, l)
	port := l.Addr().(*net.TCPAddr).Port
	// Something else answering on another port is not taken for it.
	other, _ := net.Listen("tcp", "127.0.0.1:0")
	go http.Serve(other, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("hello")) }))
	defer other.Close()
	got, ok := Running(ctx, []int{other.Addr().(*net.TCPAddr).Port, port})
	if !ok || got != "http://127.0.0.1:"+itoa(port)+"/authorize" {
		t.Fatalf("%q %v", got, ok)
	}
	if _, ok := Running(ctx, []int{other.Addr().(*net.TCPAddr).Port}); ok {
		t.Fatal("another program taken for the intake")
	}
}

func itoa(n int) string { return (&net.TCPAddr{Port: n}).String()[1:] }
