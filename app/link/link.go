// Package link is how services reach the application: the loopback intake
// (NewIntake, wired once for the window and `serve`) and cnie-reader://
// links (registered as the desktop file's scheme handler), where
// cnie-reader://authorize?client_id=…&request=… is turned into the same
// request to the loopback intake, opened in the browser so that the
// browser follows the service's redirect at the end.
package link

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
)

// Scheme is the link scheme.
const Scheme = "cnie-reader"

// Is tells whether arg is a cnie-reader:// link.
func Is(arg string) bool { return strings.HasPrefix(strings.ToLower(arg), Scheme+":") }

// Query checks a link and returns its query for the intake's /authorize.
func Query(link string) (string, error) {
	if len(link) > intake.MaxURL {
		return "", assertion.Errorf(assertion.TooLarge, "link", "%d bytes", len(link))
	}
	u, err := url.Parse(link)
	if err != nil || !strings.EqualFold(u.Scheme, Scheme) {
		return "", assertion.Errorf(assertion.Malformed, "link", "not a %s:// link", Scheme)
	}
	what := u.Host
	if what == "" {
		what = strings.TrimPrefix(u.Opaque, "//")
		what, _, _ = strings.Cut(what, "?")
	}
	if what != "authorize" && strings.Trim(u.Path, "/") != "authorize" {
		return "", assertion.Errorf(assertion.Unsupported, "link", "only %s://authorize links", Scheme)
	}
	q := u.RawQuery
	if _, err := url.ParseQuery(q); err != nil || q == "" {
		return "", assertion.Errorf(assertion.Malformed, "link", "query")
	}
	return q, nil
}

// StatusBody is what the intake's /status answers, so that a link opened
// while the application runs goes to that running window.
const StatusBody = "CNIE Reader intake"

// Running finds a running application's intake among the ports.
func Running(ctx context.Context, ports []int) (string, bool) {
	client := &http.Client{Timeout: 500 * time.Millisecond}
	for _, p := range ports {
		base := fmt.Sprintf("http://127.0.0.1:%d", p)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status", nil)
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK && string(b) == StatusBody {
			return base + "/authorize", true
		}
	}
	return "", false
}

// OpenBrowser opens u in the user's browser.
func OpenBrowser(u string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
	case "darwin":
		cmd = exec.Command("open", u)
	default:
		cmd = exec.Command("xdg-open", u)
	}
	return cmd.Start()
}
