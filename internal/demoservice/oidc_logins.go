package demoservice

import (
	"sync"
	"time"
)

// pendingLogin is what the service keeps between sending the browser to
// the provider and its coming back: the values it must find again.
type pendingLogin struct {
	State, Nonce, Verifier string
	Expires                time.Time
}

// pendingLogins holds the logins in progress, by the browser's cookie.
// Bounded in number and time: anyone can start logins.
type pendingLogins struct {
	mu  sync.Mutex
	m   map[string]pendingLogin
	max int
	ttl time.Duration
}

func newPendingLogins(max int, ttl time.Duration) *pendingLogins {
	return &pendingLogins{m: map[string]pendingLogin{}, max: max, ttl: ttl}
}

// put keeps p under id, first dropping expired logins and, when full, the
// one closest to expiry.
func (l *pendingLogins) put(id string, p pendingLogin, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p.Expires = now.Add(l.ttl)
	var oldestID string
	var oldest time.Time
	for k, v := range l.m {
		if now.After(v.Expires) {
			delete(l.m, k)
			continue
		}
		if oldestID == "" || v.Expires.Before(oldest) {
			oldestID, oldest = k, v.Expires
		}
	}
	if len(l.m) >= l.max && oldestID != "" {
		delete(l.m, oldestID)
	}
	l.m[id] = p
}

// take removes and returns the login under id: each is used once.
func (l *pendingLogins) take(id string, now time.Time) (pendingLogin, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	p, ok := l.m[id]
	delete(l.m, id)
	if !ok || now.After(p.Expires) {
		return pendingLogin{}, false
	}
	return p, true
}
