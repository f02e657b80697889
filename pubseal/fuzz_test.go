package pubseal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fuzzKeys are fixed so that the corpus's valid values open.
var fuzzKeys = func() *PrivateKeys {
	x, err := ParsePrivateKey("encgather-secret-v1-x25519-389ed86c27eaf4d68371a3c76d06e237d0e956dac561f5465bd40a42d593bc54")
	if err != nil {
		panic(err)
	}
	return NewPrivateKeys(x)
}()

// FuzzOpen: arbitrary input never panics, fails only with ErrOpen, and
// what opens reseals and opens again to itself.
func FuzzOpen(f *testing.F) {
	pk := fuzzKeys.Keys()[0].PublicKey()
	for _, value := range []string{"1234", ""} {
		sealed, _ := pk.Seal([]byte(value), "f", callSid)
		f.Add(sealed, "f", callSid)
	}
	f.Add("", "f", callSid)
	f.Add("01002078", "f", "")
	f.Add(strings.Repeat("0", SealedLen(MLKEM768X25519, 4)), "f", callSid)
	f.Fuzz(func(t *testing.T, sealed, field, sid string) {
		got, err := fuzzKeys.Open(sealed, field, sid)
		if err != nil {
			if err != ErrOpen || got != nil {
				t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
			}
			return
		}
		again, err := pk.Seal(got, field, sid)
		if err != nil {
			t.Fatalf("a value that opened does not reseal: %v", err)
		}
		if back, err := fuzzKeys.Open(again, field, sid); err != nil || !bytes.Equal(back, got) {
			t.Fatalf("reseal round trip: %q, %v", back, err)
		}
	})
}

// FuzzParseKeys: arbitrary text never panics, fails only with ErrKey,
// never quotes its input, and a key that parses has a stable text form.
func FuzzParseKeys(f *testing.F) {
	k := fuzzKeys.Keys()[0]
	f.Add(k.ExportText())
	f.Add(k.PublicKey().String())
	f.Add(PrivateKeyPrefix + "mlkem768x25519-" + strings.Repeat("ab", 32))
	f.Add(PublicKeyPrefix + "x25519-")
	f.Add("")
	f.Fuzz(func(t *testing.T, text string) {
		priv, err := ParsePrivateKey(text)
		checkParse(t, text, err)
		if err == nil && priv.ExportText() != text {
			t.Fatalf("private key text form is not stable")
		}
		pub, err := ParsePublicKey(text)
		checkParse(t, text, err)
		if err == nil && pub.String() != text {
			t.Fatalf("public key text form is not stable")
		}
	})
}

func checkParse(t *testing.T, text string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if !errors.Is(err, ErrKey) {
		t.Fatalf("err = %v, want ErrKey", err)
	}
	if rest, ok := strings.CutPrefix(text, PrivateKeyPrefix); ok && len(rest) > 24 && strings.Contains(err.Error(), rest[len(rest)-16:]) {
		t.Fatalf("error %q quotes the key", err)
	}
}
