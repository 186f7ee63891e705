package provider

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/luikyv/go-oidc/pkg/goidc"
)

// PublishBeforeSigning is how long a rotated key is published before it
// signs: every process of a scale-out reloads the key file within
// [KeyReload] and publishes it, and clients' JWKS caches have seen it,
// before any token carries its kid.
const (
	PublishBeforeSigning = 2 * time.Minute
	KeyReload            = 30 * time.Second
)

// Keys are the provider's ES256 signing keys and the secret of the
// pairwise sub. Two keys at most: the newest and the one before, both
// published. The newest signs once its publication delay has passed; until
// then the one before goes on signing, and after it still verifies what it
// signed until that expires.
type Keys struct {
	mu       sync.RWMutex
	current  signingKey
	previous *signingKey
	subKey   []byte
	modTime  time.Time // of the file last read
	now      func() time.Time
}

type signingKey struct {
	kid      string
	key      *ecdsa.PrivateKey
	signFrom time.Time
}

// keyFile is the key file's content (JSON, mode 0600): private JWKs,
// newest first, when each starts signing, and the sub secret.
type keyFile struct {
	Keys     []jose.JSONWebKey `json:"keys"`
	SignFrom []int64           `json:"sign_from"`
	SubKey   []byte            `json:"sub_key"`
}

// NewKeys makes keys in memory only (a demo without a key file: every
// start is a new provider, whose subs differ from the last one's).
func NewKeys() (*Keys, error) {
	k, err := newSigningKey(time.Time{})
	if err != nil {
		return nil, err
	}
	sub := make([]byte, 32)
	if _, err := rand.Read(sub); err != nil {
		return nil, err
	}
	return &Keys{current: k, subKey: sub, now: time.Now}, nil
}

// LoadKeys reads the key file at path, creating it at first start. With
// rotate, a new key is made (it signs after [PublishBeforeSigning]), the
// newest one becomes the previous (the one before is dropped), and the
// file is rewritten.
//
// Rotation is a flag of the start rather than a command: the operator
// restarts one process with --rotate; the others reload the file within
// [KeyReload] (see [Keys.Watch]) and publish the new key before it signs.
func LoadKeys(path string, rotate bool) (*Keys, error) {
	k, err := readKeys(path)
	if errors.Is(err, os.ErrNotExist) {
		if k, err = NewKeys(); err != nil {
			return nil, err
		}
		// Two processes starting at once: one file wins, both use it.
		if err := k.save(path, true); errors.Is(err, os.ErrExist) {
			return LoadKeys(path, rotate)
		} else if err != nil {
			return nil, err
		}
		k, err = readKeys(path)
	}
	if err != nil {
		return nil, err
	}
	if rotate {
		if err := k.Rotate(); err != nil {
			return nil, err
		}
		return k, k.save(path, false)
	}
	return k, nil
}

func readKeys(path string) (*Keys, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f keyFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(f.Keys) == 0 || len(f.Keys) > 2 || len(f.SignFrom) != len(f.Keys) || len(f.SubKey) < 32 {
		return nil, fmt.Errorf("key file %s: want 1 or 2 keys with their sign_from, and a 32-byte sub_key", path)
	}
	k := &Keys{subKey: f.SubKey, modTime: fi.ModTime(), now: time.Now}
	for i, jwk := range f.Keys {
		priv, ok := jwk.Key.(*ecdsa.PrivateKey)
		if !ok || priv.Curve != elliptic.P256() || jwk.KeyID == "" {
			return nil, fmt.Errorf("key file %s: key %d is not a P-256 private key with a kid", path, i)
		}
		sk := signingKey{kid: jwk.KeyID, key: priv, signFrom: time.Unix(f.SignFrom[i], 0)}
		if i == 0 {
			k.current = sk
		} else {
			k.previous = &sk
		}
	}
	return k, nil
}

// Watch reloads the key file when it changes, every [KeyReload], until
// ctx ends; a file that does not read is reported and the keys kept.
func (k *Keys) Watch(ctx context.Context, path string, report func(error)) {
	t := time.NewTicker(KeyReload)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := k.reload(path); err != nil && report != nil {
			report(err)
		}
	}
}

func (k *Keys) reload(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	k.mu.RLock()
	same := fi.ModTime().Equal(k.modTime)
	k.mu.RUnlock()
	if same {
		return nil
	}
	n, err := readKeys(path)
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.current, k.previous, k.subKey, k.modTime = n.current, n.previous, n.subKey, n.modTime
	return nil
}

// Rotate makes a new key, published now, signing after
// [PublishBeforeSigning]; the newest one becomes the previous.
func (k *Keys) Rotate() error {
	n, err := newSigningKey(k.now().Add(PublishBeforeSigning))
	if err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	old := k.current
	k.previous, k.current = &old, n
	return nil
}

func (k *Keys) save(path string, create bool) error {
	k.mu.RLock()
	f := keyFile{SubKey: k.subKey, Keys: []jose.JSONWebKey{k.current.private()}, SignFrom: []int64{k.current.signFrom.Unix()}}
	if k.previous != nil {
		f.Keys = append(f.Keys, k.previous.private())
		f.SignFrom = append(f.SignFrom, k.previous.signFrom.Unix())
	}
	k.mu.RUnlock()
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if create {
		// A hard link appears whole and fails when the file exists.
		return os.Link(tmp.Name(), path)
	}
	return os.Rename(tmp.Name(), path)
}

// JWKS is the public key set: both keys.
func (k *Keys) JWKS(context.Context) (goidc.JSONWebKeySet, error) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	set := goidc.JSONWebKeySet{Keys: []goidc.JSONWebKey{k.current.public()}}
	if k.previous != nil {
		set.Keys = append(set.Keys, k.previous.public())
	}
	return set, nil
}

// signing is the key that signs now.
func (k *Keys) signing() signingKey {
	if k.previous != nil && k.now().Before(k.current.signFrom) {
		return *k.previous
	}
	return k.current
}

// Signer is the library's signer: the key that signs now, named by kid.
func (k *Keys) Signer(_ context.Context, alg goidc.SignatureAlgorithm) (string, crypto.Signer, error) {
	if alg != goidc.ES256 {
		return "", nil, fmt.Errorf("provider keys: %s is not offered (ES256 only)", alg)
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	s := k.signing()
	return s.kid, rawECDSA{s.key}, nil
}

// rawECDSA signs as JWS wants it: r‖s, 32 bytes each (RFC 7518 §3.4).
// The library hands a signer's output to the JWS as is, and Go's ECDSA
// signer answers ASN.1 DER, which no verifier accepts.
type rawECDSA struct{ key *ecdsa.PrivateKey }

func (s rawECDSA) Public() crypto.PublicKey { return s.key.Public() }

func (s rawECDSA) Sign(rnd io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	r, ss, err := ecdsa.Sign(rnd, s.key, digest)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	ss.FillBytes(out[32:])
	return out, nil
}

// CurrentKID names the key that signs now.
func (k *Keys) CurrentKID() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.signing().kid
}

// SubKey is the secret of the pairwise sub.
func (k *Keys) SubKey() []byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.subKey
}

func newSigningKey(signFrom time.Time) (signingKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return signingKey{}, err
	}
	jwk := jose.JSONWebKey{Key: &key.PublicKey}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return signingKey{}, err
	}
	return signingKey{kid: base64.RawURLEncoding.EncodeToString(tp), key: key, signFrom: signFrom}, nil
}

func (s signingKey) public() jose.JSONWebKey {
	return jose.JSONWebKey{Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: string(goidc.ES256), Use: "sig"}
}

func (s signingKey) private() jose.JSONWebKey {
	return jose.JSONWebKey{Key: s.key, KeyID: s.kid, Algorithm: string(goidc.ES256), Use: "sig"}
}

// hashKey is the store key of a secret value (a token, a code): the store
// (Redis) never holds the value itself.
func hashKey(prefix, secret string) string {
	h := sha256.Sum256([]byte(secret))
	return prefix + base64.RawURLEncoding.EncodeToString(h[:])
}
