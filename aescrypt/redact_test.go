package aescrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"testing"

	"github.com/encgather/encgather/internal/leaktest"
)

// leakTells returns substrings any of which in an output means the key
// leaked: leaktest's, and a word of the AES key schedule (which starts with
// the key) in either byte order, as fmt prints them when it reaches them
// by reflection.
func leakTells(key []byte) []string {
	be, le := binary.BigEndian.Uint32(key[8:12]), binary.LittleEndian.Uint32(key[8:12])
	return append(leaktest.Tells(key),
		strconv.FormatUint(uint64(be), 10),
		strconv.FormatUint(uint64(le), 10),
		strconv.FormatUint(uint64(le), 16),
	)
}

// TestKeysNeverPrint prints keys and ciphers, alone and held in structs
// in every way Go allows, with every verb, both slog handlers and
// encoding/json, and looks for the key bytes in any form.
func TestKeysNeverPrint(t *testing.T) {
	k := mustParse(tutorialKey)
	raw, _ := hex.DecodeString(tutorialKey)
	tells := leakTells(raw)
	c := New(k, GenerateKey())

	type unexported struct {
		name string
		key  Key
	}
	type nested struct{ inner unexported }
	type Exported struct{ Key Key }
	type embedded struct {
		Key
		n int
	}
	type embeddedPtr struct{ *Key }
	type pointerField struct{ key *Key }
	type cipherValue struct{ c Cipher }
	type cipherPointer struct{ c *Cipher }

	forms := []struct {
		name   string
		v      any
		showID bool // fmt can reach a method, so the ID must show
	}{
		{"Key", k, true},
		{"*Key", &k, true},
		{"[]Key", []Key{k}, true},
		{"map of Key", map[string]Key{"k": k}, true},
		{"*Cipher", c, true},
		{"Cipher value", *c, true},
		{"unexported field", unexported{"n", k}, false},
		{"pointer to unexported field", &unexported{"n", k}, false},
		{"nested unexported field", nested{unexported{"n", k}}, false},
		{"exported field", Exported{k}, true},
		{"embedded", embedded{k, 1}, true},
		{"embedded pointer", embeddedPtr{&k}, true},
		{"unexported pointer field", pointerField{&k}, false},
		{"unexported Cipher value", cipherValue{*c}, false},
		{"unexported Cipher pointer", cipherPointer{c}, false},
		{"[]any", []any{k, *c}, true},
	}
	for _, form := range forms {
		t.Run(form.name, func(t *testing.T) {
			id := ""
			if form.showID {
				id = k.ID()
			}
			leaktest.Check(t, form.v, tells, id)
		})
	}
}

// TestLeakTellsWork checks the detector itself: a struct holding the raw
// key bytes, or an AEAD built from them, is caught with every verb.
func TestLeakTellsWork(t *testing.T) {
	raw, _ := hex.DecodeString(tutorialKey)
	var arr [KeySize]byte
	copy(arr[:], raw)
	block, _ := aes.NewCipher(raw)
	aead, _ := cipher.NewGCMWithRandomNonce(block)
	tells := leakTells(raw)
	holders := map[string]any{
		"bytes": struct{ b [KeySize]byte }{arr},
		"AEAD":  struct{ a cipher.AEAD }{aead},
	}
	for name, held := range holders {
		for _, verb := range leaktest.Verbs {
			t.Run(name+" "+verb, func(t *testing.T) {
				if name == "AEAD" && verb != "%s" && verb != "%q" {
					t.Skip("the AEAD's state is behind a pointer, which this verb prints as an address")
				}
				if _, ok := leaktest.Leaked(fmt.Sprintf(verb, held), tells); !ok {
					t.Errorf("%s held in a struct printed with %s was not caught", name, verb)
				}
			})
		}
	}
}
