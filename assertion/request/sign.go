package request

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"

	"github.com/go-jose/go-jose/v4"
)

// Sign makes a request object as a service does: claims signed with key,
// the certificate chain (leaf first) in the x5c header. alg must match key
// (ES256 for a P-256 key, PS256 for RSA…).
func Sign(c Claims, alg jose.SignatureAlgorithm, key crypto.Signer, chain []*x509.Certificate) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	var x5c []string
	for _, cert := range chain {
		x5c = append(x5c, base64.StdEncoding.EncodeToString(cert.Raw))
	}
	opts := (&jose.SignerOptions{}).WithType("oauth-authz-req+jwt").WithHeader("x5c", x5c)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}
