package redisstore

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/cnie-reader/cnie-reader/assertion/store"
	"github.com/cnie-reader/cnie-reader/internal/kinderr"
)

// Open connects to the server a URL names and checks that it answers:
//
//	redis://[[user]:password@]host[:port][/db]       TCP
//	rediss://…                                       TCP with TLS
//	unix://[[user]:password@]/path/to/socket[?db=N]  a Unix socket
//	redis-sentinel://[[user]:password@]sentinel:port[/db]?master_name=NAME[&addr=host:port…][&password=…]
//	rediss-sentinel://…                              Sentinel with TLS
//
// With Sentinel, the URL's user and password are the sentinels'; the
// master's are the username and password parameters. Every URL takes
// go-redis's parameters (dial_timeout, pool_size…) and one of ours,
// prefix, put in front of every key (DefaultPrefix when absent). Errors
// never repeat the password.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url's error quotes the whole URL, password included.
		return nil, kinderr.New(store.Misconfigured, "open", "not a URL")
	}
	op := "open " + redacted(u)
	q := u.Query()
	prefix := q.Get("prefix")
	q.Del("prefix")
	u.RawQuery = q.Encode()
	client, err := newClient(u)
	if err != nil {
		return nil, &store.Error{Kind: store.Misconfigured, Op: op, Err: err}
	}
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, store.Fail(op, err)
	}
	return New(client, prefix), nil
}

// newClient makes the client the URL's scheme calls for. The client obeys
// its callers' context deadlines besides its own timeouts.
func newClient(u *url.URL) (redis.UniversalClient, error) {
	switch u.Scheme {
	case "redis", "rediss", "unix":
		opt, err := redis.ParseURL(u.String())
		if err != nil {
			return nil, err
		}
		opt.ContextTimeoutEnabled = true
		return redis.NewClient(opt), nil
	case "redis-sentinel", "rediss-sentinel":
		plain := *u
		plain.Scheme = strings.TrimSuffix(u.Scheme, "-sentinel")
		opt, err := redis.ParseFailoverURL(plain.String())
		if err != nil {
			return nil, err
		}
		if opt.MasterName == "" {
			return nil, errMasterName
		}
		opt.ContextTimeoutEnabled = true
		return redis.NewFailoverClient(opt), nil
	}
	return nil, errScheme
}

var (
	errScheme     = errors.New("the scheme must be redis, rediss, unix, redis-sentinel or rediss-sentinel")
	errMasterName = errors.New("a Sentinel URL needs master_name=…")
)

// OpenAny opens the store a setting names (a --store flag): "" or
// "memory" is a new [store.Memory] for this process alone, anything else
// a URL for [Open]. close releases it (nothing to do for memory).
func OpenAny(ctx context.Context, spec string) (s store.Store, close func() error, err error) {
	if spec == "" || spec == "memory" {
		return &store.Memory{}, func() error { return nil }, nil
	}
	r, err := Open(ctx, spec)
	if err != nil {
		return nil, nil, err
	}
	return r, r.Close, nil
}

// redacted is the URL without its passwords: the user's, and the
// parameters that carry one (password=, sentinel_password=…).
func redacted(u *url.URL) string {
	c := *u
	q := c.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "password") {
			q.Set(k, "xxxxx")
		}
	}
	c.RawQuery = q.Encode()
	return c.Redacted()
}
