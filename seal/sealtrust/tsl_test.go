package sealtrust

import (
	"os"
	"path/filepath"
	"testing"
)

// The ANTS trust list of 2025-08-25 (public data, see /work/shared/trust).
func TestParseANTSList(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "trust", "2d-doc", "ants-2d-doc-tsl.xml"))
	if err != nil {
		t.Fatal(err)
	}
	auths, err := ParseTSL(b)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]Authority{}
	for _, a := range auths {
		ids[a.ID] = a
	}
	for _, id := range []string{"FR01", "FR03", "FR04", "FR05", "FR06", "FR07"} {
		a, ok := ids[id]
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		if len(a.CAs) == 0 || a.Name == "" {
			t.Errorf("%s: %d certificates, name %q", id, len(a.CAs), a.Name)
		}
		for _, c := range a.CAs {
			if !c.IsCA {
				t.Errorf("%s: %s is not a CA", id, c.Subject)
			}
		}
	}
	if a := ids["FR01"]; len(a.InfoURI) == 0 {
		t.Error("FR01 has no information URI")
	}
}

func TestParseTSLRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"not XML":      []byte("{}"),
		"no authority": []byte(`<TrustServiceStatusList><TrustServiceProviderList/></TrustServiceStatusList>`),
		"bad cert": []byte(`<TrustServiceStatusList><TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPTradeName><Name>FR99</Name></TSPTradeName></TSPInformation>
<TSPServices><TSPService><ServiceInformation><ServiceDigitalIdentity><DigitalId><X509Certificate>AAAA</X509Certificate></DigitalId></ServiceDigitalIdentity></ServiceInformation></TSPService></TSPServices></TrustServiceProvider></TrustServiceProviderList></TrustServiceStatusList>`),
	} {
		if _, err := ParseTSL(b); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
