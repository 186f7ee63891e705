package intake

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/demoservice"
)

type fixture struct {
	srv    *Server
	base   string
	calls  atomic.Int32
	id     *demoservice.Identity
	holder func(ctx context.Context, req *request.Request) (string, error)
}

func start(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{}
	var err error
	if f.id, err = demoservice.NewIdentity(time.Now(), "service.example"); err != nil {
		t.Fatal(err)
	}
	f.holder = func(context.Context, *request.Request) (string, error) { return "https://service.example/done", nil }
	f.srv = &Server{Verifier: &request.Verifier{Seen: &request.StoreReplay{}}, Lang: "en", Describe: describe,
		Done: func(lang string) string { return "answered (" + lang + ")" },
		Holder: HolderFunc(func(ctx context.Context, req *request.Request) (string, error) {
			f.calls.Add(1)
			return f.holder(ctx, req)
		})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go f.srv.Serve(ctx, l)
	f.base = "http://" + l.Addr().String()
	deadline := time.Now().Add(5 * time.Second)
	for f.srv.URL() == "http://127.0.0.1:0/authorize" && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return f
}

func (f *fixture) jws(t *testing.T, tweak func(*request.Claims)) string {
	t.Helper()
	now := time.Now()
	c := request.Claims{ClientID: "x509_san_dns:service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://service.example/cb", Nonce: "n" + strconv.FormatInt(now.UnixNano(), 36), State: "s1",
		IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(), Purpose: "test",
		DCQL: request.Ask(assertion.Ask{Datum: assertion.FamilyName, Required: true})}
	if tweak != nil {
		tweak(&c)
	}
	s, err := request.Sign(c, jose.ES256, f.id.Key, f.id.Chain)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *fixture) url(jws string) string {
	return f.base + "/authorize?" + url.Values{"client_id": {"x509_san_dns:service.example"}, "request": {jws}}.Encode()
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout: 20 * time.Second}

func (f *fixture) get(t *testing.T, u string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// When the service gives no address to go back to, the page says the
// holder is done, in Done's words.
func TestDoneWithoutRedirect(t *testing.T) {
	f := start(t)
	f.holder = func(context.Context, *request.Request) (string, error) { return "", nil }
	resp, body := f.get(t, f.url(f.jws(t, nil)), nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>answered (en)</strong>") {
		t.Fatalf("%s %s", resp.Status, body)
	}
}

func TestHonestRequestReachesTheHolder(t *testing.T) {
	f := start(t)
	resp, _ := f.get(t, f.url(f.jws(t, nil)), map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://service.example/done" {
		t.Fatalf("%s %s", resp.Status, resp.Header.Get("Location"))
	}
	if f.calls.Load() != 1 {
		t.Fatal("holder not called")
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("CORS or framing allowed")
	}
}

func TestRejectedAtTheDoor(t *testing.T) {
	f := start(t)
	port := f.base[strings.LastIndex(f.base, ":")+1:]
	cases := []struct {
		name   string
		url    string
		header map[string]string
		code   int
		kind   assertion.Kind
	}{
		{"wrong Host header (DNS rebinding)", f.url(f.jws(t, nil)), map[string]string{"Host": "attacker.example:" + port}, 421, assertion.WrongHost},
		{"Host on another port", f.url(f.jws(t, nil)), map[string]string{"Host": "127.0.0.1:1"}, 421, assertion.WrongHost},
		{"fetch by a page's script", f.url(f.jws(t, nil)), map[string]string{"Sec-Fetch-Mode": "cors", "Origin": "https://attacker.example"}, 403, assertion.NotNavigation},
		{"in an iframe", f.url(f.jws(t, nil)), map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, 403, assertion.NotNavigation},
		{"oversize URL", f.base + "/authorize?request=" + strings.Repeat("a", MaxURL), nil, 413, assertion.TooLarge},
		{"unsigned", f.base + "/authorize?client_id=x&request=abc", nil, 400, assertion.Unsigned},
		{"expired", f.url(f.jws(t, func(c *request.Claims) {
			c.IssuedAt, c.Expires = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-55*time.Minute).Unix()
		})), nil, 400, assertion.Expired},
		{"request_uri", f.base + "/authorize?client_id=x&request_uri=https://service.example/r", nil, 400, assertion.Unsupported},
		{"client_id differs from the signed one", f.base + "/authorize?" + url.Values{"client_id": {"x509_san_dns:other.example"}, "request": {f.jws(t, nil)}}.Encode(), nil, 400, assertion.HostMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := f.get(t, c.url, c.header)
			if resp.StatusCode != c.code {
				t.Fatalf("%s: %s", resp.Status, body)
			}
			want, _ := describe("en", &assertion.Error{Kind: c.kind})
			if !strings.Contains(body, escaped(want)) {
				t.Errorf("page does not say %q: %s", want, body)
			}
			// Only a wrong Host header is blamed on the Host header.
			host, _ := describe("en", &assertion.Error{Kind: assertion.WrongHost})
			if c.kind != assertion.WrongHost && strings.Contains(body, escaped(host)) {
				t.Errorf("page blames the Host header: %s", body)
			}
		})
	}
	if f.calls.Load() != 0 {
		t.Fatalf("the holder was asked %d times", f.calls.Load())
	}
}

// describe stands for app/problem.Intake (which words each kind, and is
// tested there): the page must show what Describe says of the refusal.
func describe(lang string, err error) (string, string) {
	return "refused (" + lang + "): " + assertion.KindOf(err).Error(), "support: " + err.Error()
}

// escaped writes s as the page does (apostrophes).
func escaped(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

func TestReplayedRequest(t *testing.T) {
	f := start(t)
	u := f.url(f.jws(t, nil))
	if resp, _ := f.get(t, u, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatal(resp.Status)
	}
	resp, body := f.get(t, u, nil)
	if resp.StatusCode != 400 || !strings.Contains(body, "already used") {
		t.Fatalf("%s %s", resp.Status, body)
	}
}

func TestOversizeBody(t *testing.T) {
	f := start(t)
	resp, err := http.Post(f.base+"/authorize", "application/x-www-form-urlencoded", strings.NewReader("request="+strings.Repeat("a", MaxBody)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatal(resp.Status)
	}
}

func TestOneRequestAtATime(t *testing.T) {
	f := start(t)
	release := make(chan struct{})
	entered := make(chan struct{})
	f.holder = func(ctx context.Context, req *request.Request) (string, error) {
		close(entered)
		<-release
		return "", nil
	}
	first := make(chan int)
	go func() {
		resp, _ := f.get(t, f.url(f.jws(t, nil)), nil)
		first <- resp.StatusCode
	}()
	<-entered
	resp, body := f.get(t, f.url(f.jws(t, nil)), nil)
	if want, _ := describe("en", &assertion.Error{Kind: assertion.Busy}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, want) {
		t.Fatalf("second request: %s %s", resp.Status, body)
	}
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Fatalf("first: %d", code)
	}
	// Free again afterwards.
	f.holder = func(context.Context, *request.Request) (string, error) { return "", nil }
	if resp, _ := f.get(t, f.url(f.jws(t, nil)), nil); resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
}

// TestBusyDoesNotSpendTheNonce: a request refused because another one is
// being handled can be sent again afterwards, as is.
func TestBusyDoesNotSpendTheNonce(t *testing.T) {
	f := start(t)
	f.srv.Rate = 2
	release := make(chan struct{})
	entered := make(chan string, 2)
	f.holder = func(ctx context.Context, req *request.Request) (string, error) {
		entered <- req.Nonce
		if req.State == "A" {
			<-release
		}
		return "", nil
	}
	a := f.url(f.jws(t, func(c *request.Claims) { c.Nonce, c.State = "nonce-A", "A" }))
	b := f.url(f.jws(t, func(c *request.Claims) { c.Nonce, c.State = "nonce-B", "B" }))
	first := make(chan int)
	go func() {
		resp, _ := f.get(t, a, nil)
		first <- resp.StatusCode
	}()
	if n := <-entered; n != "nonce-A" {
		t.Fatalf("holder got %q", n)
	}
	// Refused as busy, B spends neither its nonce nor the budget of
	// requests taken to the holder.
	for i := 0; i < 5; i++ {
		if resp, body := f.get(t, b, nil); resp.StatusCode != http.StatusConflict {
			t.Fatalf("B while A is handled: %s %s", resp.Status, body)
		}
	}
	close(release)
	if code := <-first; code != http.StatusOK {
		t.Fatalf("A: %d", code)
	}
	if resp, body := f.get(t, b, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("B sent again: %s %s", resp.Status, body)
	}
	if n := <-entered; n != "nonce-B" {
		t.Fatalf("holder got %q", n)
	}
}

// junk sends n requests of every kind a page can make up, valid ones
// excepted, and checks that none reaches the holder.
func (f *fixture) junk(t *testing.T, n int) {
	t.Helper()
	port := f.base[strings.LastIndex(f.base, ":")+1:]
	good := f.jws(t, nil)
	head, payload, _ := strings.Cut(good, ".")
	payload, _, _ = strings.Cut(payload, ".")
	other := f.jws(t, func(c *request.Claims) { c.Purpose = "other" })
	badSig := head + "." + payload + "." + other[strings.LastIndex(other, ".")+1:]
	expired := func(c *request.Claims) { c.Expires = time.Now().Add(-time.Minute).Unix() }
	type nav struct {
		url    string
		header map[string]string
	}
	kinds := []func() nav{
		func() nav { return nav{f.base + "/authorize?request=x", nil} },
		func() nav { return nav{f.base + "/authorize?request=a.b.c", nil} },
		func() nav { return nav{f.base + "/authorize?client_id=x", nil} },
		func() nav { return nav{f.base + "/authorize?request_uri=https://attacker.example/r", nil} },
		func() nav { return nav{f.base + "/elsewhere?request=" + good, nil} },
		func() nav { return nav{f.url(good), map[string]string{"Host": "attacker.example:" + port}} },
		func() nav { return nav{f.url(f.jws(t, nil)), map[string]string{"Sec-Fetch-Mode": "no-cors"}} },
		func() nav { return nav{f.url(badSig), nil} },
		func() nav { return nav{f.url(f.jws(t, expired)), nil} },
		func() nav {
			return nav{f.base + "/authorize?" + url.Values{"client_id": {"x509_san_dns:other.example"}, "request": {f.jws(t, nil)}}.Encode(), nil}
		},
	}
	for i := 0; i < n; i++ {
		k := kinds[i%len(kinds)]()
		if resp, body := f.get(t, k.url, k.header); resp.StatusCode < 400 {
			t.Fatalf("junk %d admitted: %s %s", i, resp.Status, body)
		}
	}
	if c := f.calls.Load(); c != 0 {
		t.Fatalf("junk reached the holder %d times", c)
	}
}

// TestJunkDoesNotStarveAValidRequest: more junk than the rate limit, of
// every kind (bad signatures included), then a valid request: it is taken.
func TestJunkDoesNotStarveAValidRequest(t *testing.T) {
	f := start(t)
	f.junk(t, 40)
	resp, body := f.get(t, f.url(f.jws(t, nil)), map[string]string{"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"})
	if resp.StatusCode != http.StatusSeeOther || f.calls.Load() != 1 {
		t.Fatalf("valid request after junk: %s %s", resp.Status, body)
	}
}

// TestValidFloodIsLimited: valid, distinct requests still meet the limit,
// junk before them or not.
func TestValidFloodIsLimited(t *testing.T) {
	f := start(t)
	f.srv.Rate = 3
	f.junk(t, 25)
	for i := 0; i < 3; i++ {
		if resp, body := f.get(t, f.url(f.jws(t, nil)), nil); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("valid request %d: %s %s", i, resp.Status, body)
		}
	}
	resp, body := f.get(t, f.url(f.jws(t, nil)), nil)
	if want, _ := describe("en", &assertion.Error{Kind: assertion.RateLimited}); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, want) {
		t.Fatalf("beyond the limit: %s %s", resp.Status, body)
	}
	if c := f.calls.Load(); c != 3 {
		t.Fatalf("the holder was asked %d times", c)
	}
}

// TestFailedVerificationsAreLimited: failures beyond their own budget are
// answered 429, and a valid request still passes.
func TestFailedVerificationsAreLimited(t *testing.T) {
	f := start(t)
	f.srv.FailRate = 3
	expired := func(c *request.Claims) { c.Expires = time.Now().Add(-time.Minute).Unix() }
	for i := 0; i < 3; i++ {
		if resp, body := f.get(t, f.url(f.jws(t, expired)), nil); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("failure %d: %s %s", i, resp.Status, body)
		}
	}
	if resp, body := f.get(t, f.url(f.jws(t, expired)), nil); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("failure beyond the budget: %s %s", resp.Status, body)
	}
	// Free refusals are not throttled: they cost nothing.
	if resp, body := f.get(t, f.base+"/authorize?request=x", nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("structural refusal: %s %s", resp.Status, body)
	}
	if resp, body := f.get(t, f.url(f.jws(t, nil)), nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid request: %s %s", resp.Status, body)
	}
}

// FuzzParse: the authorize parameters, whatever they are, give a verified
// request or a typed error; nothing panics.
func FuzzParse(f *testing.F) {
	id, err := demoservice.NewIdentity(time.Now(), "service.example")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	c := request.Claims{ClientID: "x509_san_dns:service.example", ResponseType: "vp_token", ResponseMode: "direct_post",
		ResponseURI: "https://service.example/cb", Nonce: "n", State: "s", IssuedAt: now.Unix(), Expires: now.Add(5 * time.Minute).Unix(),
		Purpose: "p", DCQL: request.Ask(assertion.Ask{Datum: assertion.Photo})}
	jws, _ := request.Sign(c, jose.ES256, id.Key, id.Chain)
	f.Add(url.Values{"client_id": {c.ClientID}, "request": {jws}}.Encode())
	f.Add("request=a.b.c&client_id=x")
	f.Add("request_uri=https://x/y")
	f.Add("request=" + url.QueryEscape(strings.Split(jws, ".")[0]) + "..")
	f.Fuzz(func(t *testing.T, query string) {
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		_, err = Parse(form, &request.Verifier{Now: func() time.Time { return now }})
		if err != nil && assertion.KindOf(err) == 0 {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func TestRefusalsAreReported(t *testing.T) {
	f := start(t)
	got := make(chan error, 4)
	f.srv.OnError = func(err error) { got <- err }
	f.get(t, f.base+"/authorize?client_id=x&request=abc", nil)
	select {
	case err := <-got:
		if assertion.KindOf(err) != assertion.Unsigned {
			t.Fatalf("reported %v", err)
		}
	default:
		t.Fatal("the refusal was not reported")
	}
}
