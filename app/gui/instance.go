package gui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/user"
	"strconv"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/assertion/intake"
)

// One window at a time: the intake's port, which a running window holds,
// is the lock. A second launch finds the port taken, asks the window
// holding it to come forward (POST /show on the intake), and exits. No
// file is written: the port range is where to look (intake.Ports). Only
// a window of the same user on the same display comes forward: another
// user's, or another session's, is not this person's, and the launch then
// takes the next port.

// ErrAlreadyRunning: another window runs; it was asked to come forward.
var ErrAlreadyRunning = errors.New("gui: the application is already open: its window was brought forward")

// The /show request: a POST with this header, which no web page can send
// to the loopback intake without a CORS preflight the intake never allows,
// so a page cannot pull the window forward.
const (
	showPath   = "/show"
	showHeader = "X-Cnie-Reader-Show"
	showAnswer = "shown"
)

// instance is this process's claim on the intake's port.
type instance struct {
	listener net.Listener

	session string // sessionKey when it claimed the port

	mu     sync.Mutex
	show   func()       // brings the window forward; nil until it exists
	intake http.Handler // the intake; nil until the window can answer
	ready  chan struct{}
}

// claimInstance takes the first of ports it can listen on, unless the
// application already holds one of them: then it asks that window to come
// forward and returns ErrAlreadyRunning. The listener answers /show at
// once; requests for the intake wait until attach.
func claimInstance(ctx context.Context, ports []int) (*instance, error) {
	var last error
	session := sessionKey()
	for _, p := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err == nil {
			in := &instance{listener: l, session: session, ready: make(chan struct{})}
			go in.serve(ctx)
			return in, nil
		}
		last = err
		if askToShow(ctx, p, session) {
			return nil, ErrAlreadyRunning
		}
	}
	return nil, fmt.Errorf("gui: ports %v all taken: %w", ports, last)
}

// askToShow asks the application on port p, if it is there and in this
// session, to bring its window forward.
func askToShow(ctx context.Context, p int, session string) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf("http://127.0.0.1:%d%s", p, showPath), nil)
	if err != nil {
		return false
	}
	req.Header.Set(showHeader, session)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64))
	return resp.StatusCode == http.StatusOK && string(b) == showAnswer
}

// Port is the port this instance holds.
func (in *instance) Port() int { return in.listener.Addr().(*net.TCPAddr).Port }

// setIntake hands the requests for the intake to h, from now on.
func (in *instance) setIntake(h http.Handler) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.intake == nil {
		in.intake = h
		close(in.ready)
	}
}

// setShow is how the window comes forward, once it exists.
func (in *instance) setShow(show func()) {
	in.mu.Lock()
	in.show = show
	in.mu.Unlock()
}

func (in *instance) serve(ctx context.Context) {
	hs := &http.Server{Handler: in, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: intake.HolderLimit + time.Minute, MaxHeaderBytes: 32 << 10}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	hs.Serve(in.listener)
}

func (in *instance) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == showPath && r.Method == http.MethodPost && r.Header.Get(showHeader) != "" && loopbackHost(r.Host) {
		w.Header().Set("Content-Type", "text/plain")
		if r.Header.Get(showHeader) != in.session {
			io.WriteString(w, "elsewhere") // another user's or display's window
			return
		}
		in.mu.Lock()
		show := in.show
		in.mu.Unlock()
		if show != nil {
			show()
		} // else the window is opening: it will be in front anyway
		io.WriteString(w, showAnswer)
		return
	}
	select {
	case <-in.ready:
	case <-r.Context().Done():
		return
	}
	in.mu.Lock()
	h := in.intake
	in.mu.Unlock()
	h.ServeHTTP(w, r)
}

// loopbackHost tells whether a Host header names this computer.
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = host
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// sessionKey names the user and the display a window is on: the same for
// two launches in one session.
var sessionKey = func() string {
	uid := strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		uid = u.Uid
	}
	return uid + "|" + os.Getenv("DISPLAY") + "|" + os.Getenv("WAYLAND_DISPLAY")
}
