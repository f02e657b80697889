package aescrypt

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// vector is one frozen known answer: the format's compatibility promise.
// They were made with a fixed nonce through crypto/cipher and are
// reproduced by Node's crypto in TestNodeInterop.
type vector struct {
	Name      string `json:"name"`
	Key       string `json:"key"`
	Nonce     string `json:"nonce"`
	Plaintext string `json:"plaintext"`
	AD        string `json:"additional_data_hex"`
	Sealed    string `json:"sealed"`
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	return vs
}

func TestGoldenVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			k, err := ParseKey(v.Key)
			if err != nil {
				t.Fatal(err)
			}
			ad, _ := hex.DecodeString(v.AD)
			if len(ad) == 0 {
				ad = nil
			}
			got, err := New(k).Open(v.Sealed, ad)
			if err != nil || string(got) != v.Plaintext {
				t.Fatalf("Open = %q, %v; want %q", got, err, v.Plaintext)
			}
			if v.Sealed[:2*NonceSize] != v.Nonce {
				t.Fatalf("vector does not start with its nonce")
			}
		})
	}
}
