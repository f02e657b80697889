package pubseal

import (
	"encoding/json"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "reseal testdata/golden.json with its fixed keys")

// golden is the format's compatibility promise: values sealed once to
// fixed keys, which every later version must open. Sealing is randomized,
// so a vector is a value to open, not an output to reproduce.
type golden struct {
	Keys    []goldenKey    `json:"keys"`
	Vectors []goldenVector `json:"vectors"`
}

type goldenKey struct {
	Private string `json:"private"`
	Public  string `json:"public"`
	ID      string `json:"id"`
}

type goldenVector struct {
	Name    string `json:"name"`
	Key     string `json:"key_id"`
	Field   string `json:"field"`
	CallSid string `json:"call_sid"`
	Value   string `json:"value"`
	Sealed  string `json:"sealed"`
}

const goldenPath = "testdata/golden.json"

func TestGolden(t *testing.T) {
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Keys) == 0 || len(g.Vectors) == 0 {
		t.Fatal("no golden keys or vectors")
	}
	byID := map[string]*PrivateKey{}
	var all []*PrivateKey
	for _, gk := range g.Keys {
		k, err := ParsePrivateKey(gk.Private)
		if err != nil {
			t.Fatal(err)
		}
		if k.ID() != gk.ID || k.PublicKey().String() != gk.Public {
			t.Fatalf("key %s: ID or public key derived differently", gk.ID)
		}
		byID[k.ID()] = k
		all = append(all, k)
	}
	keys := NewPrivateKeys(all...)
	for i, v := range g.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			if *update {
				sealed, err := byID[v.Key].PublicKey().Seal([]byte(v.Value), v.Field, v.CallSid)
				if err != nil {
					t.Fatal(err)
				}
				g.Vectors[i].Sealed, v.Sealed = sealed, sealed
			}
			got, opener, err := keys.OpenKey(v.Sealed, v.Field, v.CallSid)
			if err != nil || string(got) != v.Value {
				t.Fatalf("Open = %q, %v; want %q", got, err, v.Value)
			}
			if opener.ID() != v.Key {
				t.Fatalf("opened by %s, want %s", opener.ID(), v.Key)
			}
			if _, err := keys.Open(v.Sealed, v.Field+"x", v.CallSid); err != ErrOpen {
				t.Fatalf("opened for another field: %v", err)
			}
		})
	}
	if *update {
		out, _ := json.MarshalIndent(g, "", "  ")
		if err := os.WriteFile(goldenPath, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
