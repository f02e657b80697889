package pubseal

import (
	"bytes"
	"crypto/hpke"
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// hpkeVector is one known-answer test from RFC 9180's or
// draft-ietf-hpke-pq's test-vectors.json, trimmed to what is checked here;
// each entry names its source.
type hpkeVector struct {
	Source      string `json:"source"`
	Mode        int    `json:"mode"`
	KEM         uint16 `json:"kem_id"`
	KDF         uint16 `json:"kdf_id"`
	AEAD        uint16 `json:"aead_id"`
	Info        string `json:"info"`
	IkmR        string `json:"ikmR"`
	SkRm        string `json:"skRm"`
	PkRm        string `json:"pkRm"`
	Enc         string `json:"enc"`
	Encryptions []struct {
		AAD string `json:"aad"`
		CT  string `json:"ct"`
		PT  string `json:"pt"`
	} `json:"encryptions"`
	Exports []struct {
		Context string `json:"exporter_context"`
		L       int    `json:"L"`
		Value   string `json:"exported_value"`
	} `json:"exports"`
}

func unhexT(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestHPKEVectors checks crypto/hpke, through this package's key parsing
// and suite, against the published vectors for the suites it uses: the
// recipient side (key derivation, decapsulation, open, export), which is
// the side that can be checked without fixing the sender's randomness.
func TestHPKEVectors(t *testing.T) {
	data, err := os.ReadFile("testdata/hpke-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors []hpkeVector
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	seen := map[KEM]bool{}
	for _, v := range vectors {
		kem := KEM(v.KEM)
		seen[kem] = true
		t.Run(kem.String(), func(t *testing.T) {
			if v.Mode != 0 || v.KDF != kdf.ID() {
				t.Fatalf("vector is not base mode with HKDF-SHA256")
			}
			vectorAEAD, err := hpke.NewAEAD(v.AEAD)
			if err != nil {
				t.Fatal(err)
			}
			if kem == X25519 && v.AEAD != aead.ID() {
				t.Fatalf("X25519 vector is not for AES-256-GCM (%#04x)", aead.ID())
			}

			derived, err := kem.hpke().DeriveKeyPair(unhexT(t, v.IkmR))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(derived.PublicKey().Bytes(), unhexT(t, v.PkRm)) {
				t.Error("DeriveKeyPair: public key differs")
			}

			k, err := ParsePrivateKey(PrivateKeyPrefix + kem.String() + "-" + v.SkRm)
			if err != nil {
				t.Fatal(err)
			}
			if got := k.PublicKey().String(); got != PublicKeyPrefix+kem.String()+"-"+v.PkRm {
				t.Fatal("public key of skRm differs from pkRm")
			}
			r, err := hpke.NewRecipient(unhexT(t, v.Enc), k.s.key.hk, kdf, vectorAEAD, unhexT(t, v.Info))
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range v.Encryptions {
				pt, err := r.Open(unhexT(t, e.AAD), unhexT(t, e.CT))
				if err != nil || !bytes.Equal(pt, unhexT(t, e.PT)) {
					t.Fatalf("encryption %d: Open = %x, %v", i, pt, err)
				}
			}
			for i, e := range v.Exports {
				got, err := r.Export(string(unhexT(t, e.Context)), e.L)
				if err != nil || !bytes.Equal(got, unhexT(t, e.Value)) {
					t.Fatalf("export %d: %x, %v", i, got, err)
				}
			}
		})
	}
	for _, kem := range kems {
		if !seen[kem] {
			t.Errorf("no vector for %v", kem)
		}
	}
}
