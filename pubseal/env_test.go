package pubseal

import (
	"errors"
	"strings"
	"testing"
)

func lookupFrom(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) { v, ok := env[name]; return v, ok }
}

func TestPublicKeyFromLookup(t *testing.T) {
	k := mustGenerate(t, X25519)
	pk, err := PublicKeyFromLookup(lookupFrom(map[string]string{EnvPublicKey: " " + k.PublicKey().String() + "\n"}))
	if err != nil || pk.ID() != k.ID() {
		t.Fatalf("PublicKeyFromLookup = %v, %v", pk, err)
	}
}

func TestPrivateKeysFromLookup(t *testing.T) {
	a, b := mustGenerate(t, X25519), mustGenerate(t, MLKEM768X25519)
	keys, err := PrivateKeysFromLookup(lookupFrom(map[string]string{
		EnvPrivateKey: " " + a.ExportText() + ",, " + b.ExportText() + " ,",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := keys.Keys()
	if len(got) != 2 || got[0].ID() != a.ID() || got[1].ID() != b.ID() {
		t.Fatalf("keys %v", got)
	}
}

func TestFromLookupErrors(t *testing.T) {
	priv := mustGenerate(t, X25519).ExportText()
	pub := mustGenerate(t, X25519).PublicKey().String()
	tests := []struct {
		name     string
		public   bool
		env      map[string]string
		want     string // in the error
		sentinel error  // nil: none
	}{
		{"public unset", true, nil, EnvPublicKey + " is not set", nil},
		{"public blank", true, map[string]string{EnvPublicKey: "  "}, EnvPublicKey + " is not set", nil},
		{"private key as public", true, map[string]string{EnvPublicKey: priv}, EnvPublicKey + ": a private key where a public key belongs", ErrKey},
		{"public garbage", true, map[string]string{EnvPublicKey: pub[:40]}, EnvPublicKey + ": want 64 hex", ErrKey},
		{"private unset", false, nil, EnvPrivateKey + " is not set", nil},
		{"private only commas", false, map[string]string{EnvPrivateKey: " , ,"}, EnvPrivateKey + " is not set", nil},
		{"public key as private", false, map[string]string{EnvPrivateKey: pub}, EnvPrivateKey + " entry 1: a public key where a private key belongs", ErrKey},
		{"second entry bad", false, map[string]string{EnvPrivateKey: priv + "," + priv[:50]}, EnvPrivateKey + " entry 2: want 64 hex", ErrKey},
		{"repeated key", false, map[string]string{EnvPrivateKey: priv + "," + priv}, EnvPrivateKey + " entry 2 repeats entry 1", ErrKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.public {
				_, err = PublicKeyFromLookup(lookupFrom(tt.env))
			} else {
				_, err = PrivateKeysFromLookup(lookupFrom(tt.env))
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Fatalf("err = %v, want %v", err, tt.sentinel)
			}
			if !strings.HasPrefix(err.Error(), "pubseal: ") {
				t.Fatalf("err = %q lacks the package prefix", err)
			}
			for _, key := range []string{priv, pub} {
				if strings.Contains(err.Error(), key[30:50]) {
					t.Fatalf("error %q quotes a key", err)
				}
			}
		})
	}
}
