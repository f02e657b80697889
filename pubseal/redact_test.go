package pubseal

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/encgather/encgather/internal/leaktest"
)

// secretBytes returns a private key's bytes, the seed for MLKEM768X25519.
func secretBytes(t *testing.T, k *PrivateKey) []byte {
	t.Helper()
	text := k.ExportText()
	raw, err := hex.DecodeString(text[strings.LastIndexByte(text, '-')+1:])
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestPrivateKeysNeverPrint prints private keys and key sets, alone and
// held in structs in every way Go allows, with every verb, both slog
// handlers and encoding/json, and looks for the key in any form.
func TestPrivateKeysNeverPrint(t *testing.T) {
	type unexported struct {
		name string
		key  *PrivateKey
	}
	type value struct{ key PrivateKey }
	type nested struct{ inner unexported }
	type Exported struct{ Key *PrivateKey }
	type embedded struct {
		*PrivateKey
		n int
	}
	type keysValue struct{ ks PrivateKeys }
	type keysPointer struct{ ks *PrivateKeys }

	for _, kem := range kems {
		k := mustParsed(t, kem)
		tells := leaktest.Tells(secretBytes(t, k))
		ks := NewPrivateKeys(k)
		forms := []struct {
			name   string
			v      any
			showID bool // fmt can reach a method, so the ID must show
		}{
			{"*PrivateKey", k, true},
			{"PrivateKey value", *k, true},
			{"[]*PrivateKey", []*PrivateKey{k}, true},
			{"map of *PrivateKey", map[string]*PrivateKey{"k": k}, true},
			{"*PrivateKeys", ks, true},
			{"PrivateKeys value", *ks, true},
			{"unexported pointer field", unexported{"n", k}, false},
			{"pointer to struct with unexported field", &unexported{"n", k}, false},
			{"unexported value field", value{*k}, false},
			{"pointer to unexported value field", &value{*k}, false},
			{"nested unexported field", nested{unexported{"n", k}}, false},
			{"exported field", Exported{k}, true},
			{"embedded", embedded{k, 1}, true},
			{"unexported PrivateKeys value", keysValue{*ks}, false},
			{"unexported PrivateKeys pointer", keysPointer{ks}, false},
			{"[]any", []any{k, *ks}, true},
		}
		for _, form := range forms {
			t.Run(kem.String()+" "+form.name, func(t *testing.T) {
				id := ""
				if form.showID {
					id = k.ID()
				}
				leaktest.Check(t, form.v, tells, id)
			})
		}
	}
}

// mustParsed returns a new key as parsed from its text form, which holds
// more of the key in memory than a generated one (the MLKEM768X25519 seed).
func mustParsed(t *testing.T, kem KEM) *PrivateKey {
	t.Helper()
	k, err := ParsePrivateKey(mustGenerate(t, kem).ExportText())
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestLeakTellsWork checks the detector itself: the standard library's
// private key held in a struct shows its key under %s and %q, and the
// detector catches it.
func TestLeakTellsWork(t *testing.T) {
	k := mustParsed(t, MLKEM768X25519)
	held := struct{ hk any }{k.s.key.hk}
	tells := leaktest.Tells(secretBytes(t, k))
	for _, verb := range []string{"%s", "%q"} {
		t.Run(verb, func(t *testing.T) {
			if _, ok := leaktest.Leaked(fmt.Sprintf(verb, held), tells); !ok {
				t.Errorf("an hpke.PrivateKey held in a struct, printed with %s, was not caught", verb)
			}
		})
	}
}

func TestPrivateKeyString(t *testing.T) {
	k := mustGenerate(t, X25519)
	if got, want := k.String(), "pubseal.PrivateKey(x25519, id="+k.ID()+")"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if got := (PrivateKey{}).String(); got != "pubseal.PrivateKey(invalid)" {
		t.Errorf("zero PrivateKey prints as %q", got)
	}
	if got, want := NewPrivateKeys(k, k).String(), "pubseal.PrivateKeys(x25519 id="+k.ID()+", x25519 id="+k.ID()+")"; got != want {
		t.Errorf("PrivateKeys String = %q, want %q", got, want)
	}
}
