package pubseal

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
)

// verbs are the fmt verbs a key might be printed with.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%x", "%X", "%q", "%d"}

// leakTells returns substrings any of which in an output means the key
// leaked: its bytes as hex, decimal, Go syntax, quoted and raw, each as
// fmt prints them when it reaches them by reflection.
func leakTells(key []byte) []string {
	mid := key[8:16]
	goSyntax := fmt.Sprintf("%#v", mid)
	return []string{
		hex.EncodeToString(mid),
		strings.Trim(fmt.Sprint(mid), "[]"),
		goSyntax[strings.IndexByte(goSyntax, '{')+1 : len(goSyntax)-1],
		strings.Trim(strconv.Quote(string(mid)), `"`),
		string(mid),
	}
}

func leaked(out string, tells []string) (string, bool) {
	for _, tell := range tells {
		if strings.Contains(out, tell) || strings.Contains(strings.ToLower(out), tell) {
			return tell, true
		}
	}
	return "", false
}

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
		tells := leakTells(secretBytes(t, k))
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
				outputs := map[string]string{}
				for _, verb := range verbs {
					outputs[verb] = fmt.Sprintf(verb, form.v)
				}
				var text, js bytes.Buffer
				slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", form.v)
				slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", form.v)
				outputs["slog text"], outputs["slog JSON"] = text.String(), js.String()
				j, err := json.Marshal(form.v)
				if err != nil {
					t.Fatalf("json.Marshal: %v", err)
				}
				outputs["encoding/json"] = string(j)

				for how, out := range outputs {
					if tell, ok := leaked(out, tells); ok {
						t.Errorf("%s printed the key (%q): %s", how, tell, out)
					}
					if form.showID && strings.HasPrefix(how, "%") && !strings.Contains(out, k.ID()) {
						t.Errorf("%s does not name the key by ID: %s", how, out)
					}
				}
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
	tells := leakTells(secretBytes(t, k))
	for _, verb := range []string{"%s", "%q"} {
		t.Run(verb, func(t *testing.T) {
			if _, ok := leaked(fmt.Sprintf(verb, held), tells); !ok {
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
