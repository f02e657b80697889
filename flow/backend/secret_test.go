package backend

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/encgather/encgather/internal/leaktest"
)

// TestSecretsNeverPrint prints secrets, alone and held in structs, with
// every verb, both slog handlers and encoding/json, and looks for the
// secret's bytes in any form.
func TestSecretsNeverPrint(t *testing.T) {
	s := GenerateSecret()
	raw := s.bytes()
	tells := append(leaktest.Tells(raw), s.ExportHex()[16:32])
	ring := NewSecrets(s, GenerateSecret())

	type unexported struct{ s Secret }
	type nested struct{ inner unexported }
	type Exported struct{ S Secret }
	type embedded struct {
		Secret
		n int
	}
	type ringField struct{ r *Secrets }
	forms := []struct {
		name   string
		v      any
		showID bool // fmt can reach a method, so the ID must show
	}{
		{"Secret", s, true},
		{"*Secret", &s, true},
		{"[]Secret", []Secret{s}, true},
		{"map of Secret", map[string]Secret{"k": s}, true},
		{"*Secrets", ring, true},
		{"Secrets value", *ring, false},
		{"unexported field", unexported{s}, false},
		{"pointer to unexported field", &unexported{s}, false},
		{"nested unexported field", nested{unexported{s}}, false},
		{"exported field", Exported{s}, true},
		{"embedded", embedded{s, 1}, true},
		{"unexported Secrets", ringField{ring}, false},
		{"[]any", []any{s, ring}, true},
	}
	for _, form := range forms {
		t.Run(form.name, func(t *testing.T) {
			id := ""
			if form.showID {
				id = s.ID()
			}
			leaktest.Check(t, form.v, tells, id)
		})
	}
}

// TestLeakTellsWork checks the detector: a struct holding the raw bytes
// is caught. The secret is fixed: with random bytes, %q of the whole
// secret and of the eight bytes the tells quote can differ where a UTF-8
// sequence crosses their edge, and the check failed now and then.
func TestLeakTellsWork(t *testing.T) {
	raw, err := hex.DecodeString("a154eb4c759711bc2538a7cc021e9e9f17dd8aa63151c62ca28a82a4a404203d")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSecret(raw)
	if err != nil {
		t.Fatal(err)
	}
	tells := leaktest.Tells(s.bytes())
	held := struct{ b []byte }{s.bytes()}
	for _, verb := range leaktest.Verbs {
		outputs, err := leaktest.Outputs(held)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := leaktest.Leaked(outputs[verb], tells); !ok {
			t.Errorf("raw bytes printed with %s were not caught", verb)
		}
	}
}

func TestParseSecret(t *testing.T) {
	hex64 := strings.Repeat("ab", MinSecretSize)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"32 bytes", hex64, true},
		{"upper case", strings.ToUpper(hex64), true},
		{"48 bytes", hex64 + strings.Repeat("cd", 16), true},
		{"31 bytes", hex64[2:], false},
		{"odd length", hex64 + "a", false},
		{"not hex", strings.Repeat("zz", MinSecretSize), false},
		{"too long", strings.Repeat("ab", maxSecretSize+1), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSecret(tt.in)
			if tt.ok {
				if err != nil || !strings.EqualFold(s.ExportHex(), tt.in) {
					t.Fatalf("ParseSecret: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrSecret) {
				t.Fatalf("err = %v, want ErrSecret", err)
			}
			if len(tt.in) > 8 && strings.Contains(err.Error(), tt.in[:8]) {
				t.Errorf("the error quotes the secret: %v", err)
			}
		})
	}
	if _, err := NewSecret(make([]byte, MinSecretSize-1)); !errors.Is(err, ErrSecret) {
		t.Errorf("NewSecret of %d bytes: %v", MinSecretSize-1, err)
	}
}

func TestSecretsFromLookup(t *testing.T) {
	a, b, c := GenerateSecret(), GenerateSecret(), GenerateSecret()
	const name = "BACKEND_SIGNING_SECRET"
	tests := []struct {
		name   string
		vars   map[string]string
		want   []Secret // nil for an error
		errHas string
	}{
		{"newest alone", map[string]string{name: a.ExportHex()}, []Secret{a}, ""},
		{"with previous", map[string]string{name: a.ExportHex(), name + "_PREVIOUS": " " + b.ExportHex() + ", ," + c.ExportHex()}, []Secret{a, b, c}, ""},
		{"unset", map[string]string{}, nil, name + " is not set"},
		{"blank", map[string]string{name: "  "}, nil, name + " is not set"},
		{"bad newest", map[string]string{name: "hunter2hunter2"}, nil, name + ": backend: invalid signing secret"},
		{"bad previous", map[string]string{name: a.ExportHex(), name + "_PREVIOUS": b.ExportHex() + ",hunter2hunter2"}, nil, name + "_PREVIOUS entry 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SecretsFromLookup(func(k string) (string, bool) { v, ok := tt.vars[k]; return v, ok }, name)
			if tt.want == nil {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) || strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("err = %v, want one with %q and no value", err, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			all := got.All()
			if len(all) != len(tt.want) || got.Newest().ID() != tt.want[0].ID() {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range all {
				if all[i].ID() != tt.want[i].ID() {
					t.Errorf("secret %d is %v, want %v", i, all[i], tt.want[i])
				}
			}
		})
	}
	if _, err := SecretsFromLookup(func(string) (string, bool) { return "", false }, name); !errors.Is(err, ErrNotSet) {
		t.Errorf("unset: %v, want ErrNotSet", err)
	}
}
