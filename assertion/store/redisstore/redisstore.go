// Package redisstore is the [store.Store] of several processes: Redis, or
// Valkey which speaks the same (github.com/redis/go-redis/v9). PutNew is
// SET NX PX, Take is GETDEL (Redis 6.2 or later, any Valkey): each is one
// atomic command, so a code is redeemed once across every process that
// shares the server.
package redisstore

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/cnie-reader/cnie-reader/assertion/store"
)

// DefaultPrefix is put in front of every key when none is given, so that
// the application's keys live apart from others' on a shared server.
const DefaultPrefix = "cnie-reader:"

// Store keeps entries in Redis under Prefix+key.
type Store struct {
	client redis.UniversalClient
	prefix string
}

var _ store.Store = (*Store)(nil)

// New returns a store over client, its keys under prefix (DefaultPrefix
// when empty). Closing the store closes the client.
func New(client redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{client: client, prefix: prefix}
}

// Client is the underlying client (for health checks and metrics).
func (s *Store) Client() redis.UniversalClient { return s.client }

// Prefix is what every key is stored under.
func (s *Store) Prefix() string { return s.prefix }

// Close closes the connections.
func (s *Store) Close() error { return s.client.Close() }

// PutNew is SET key value NX PX ttl.
func (s *Store) PutNew(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	if err := store.CheckPut(ctx, "put new", key, value, ttl); err != nil {
		return false, err
	}
	ok, err := s.client.SetNX(ctx, s.prefix+key, value, ttl).Result()
	if err != nil {
		return false, store.Fail("put new", err)
	}
	return ok, nil
}

// Set is SET key value PX ttl.
func (s *Store) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if err := store.CheckPut(ctx, "set", key, value, ttl); err != nil {
		return err
	}
	return store.Fail("set", s.client.Set(ctx, s.prefix+key, value, ttl).Err())
}

// Get is GET key.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if err := store.CheckKey(ctx, "get", key); err != nil {
		return nil, err
	}
	return found("get", s.client.Get(ctx, s.prefix+key))
}

// Take is GETDEL key: the value and its removal in one command.
func (s *Store) Take(ctx context.Context, key string) ([]byte, error) {
	if err := store.CheckKey(ctx, "take", key); err != nil {
		return nil, err
	}
	return found("take", s.client.GetDel(ctx, s.prefix+key))
}

// Delete is DEL key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := store.CheckKey(ctx, "delete", key); err != nil {
		return err
	}
	return store.Fail("delete", s.client.Del(ctx, s.prefix+key).Err())
}

// found reads a GET-like answer: nil is ErrNotFound.
func found(op string, cmd *redis.StringCmd) ([]byte, error) {
	b, err := cmd.Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, store.ErrNotFound
	case err != nil:
		return nil, store.Fail(op, err)
	}
	return b, nil
}
