package aescrypt

import (
	"bytes"
	"testing"
)

var fuzzCipher = New(mustParse(tutorialKey))

func mustParse(s string) Key {
	k, err := ParseKey(s)
	if err != nil {
		panic(err)
	}
	return k
}

// FuzzOpen: arbitrary input never panics and fails only with ErrOpen.
func FuzzOpen(f *testing.F) {
	for _, v := range []string{
		"000102030405060708090a0b85829fbeb7905d3e86d3b8e6006c16030e2b42d0",
		"", "00", "zz", "000102030405060708090A0B85829FBEB7905D3E86D3B8E6006C16030E2B42D0",
	} {
		f.Add(v, []byte(nil))
	}
	f.Fuzz(func(t *testing.T, sealed string, ad []byte) {
		got, err := fuzzCipher.Open(sealed, ad)
		if err != nil && err != ErrOpen {
			t.Fatalf("err = %v, want ErrOpen", err)
		}
		if err != nil && got != nil {
			t.Fatal("plaintext returned with an error")
		}
		if _, err := fuzzCipher.OpenBytes([]byte(sealed), ad); err != nil && err != ErrOpen {
			t.Fatalf("OpenBytes err = %v", err)
		}
	})
}

// FuzzRoundTrip: whatever is sealed opens to itself, and only with the
// same additional data.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("1234"), []byte(nil))
	f.Add([]byte{}, []byte("ad"))
	f.Fuzz(func(t *testing.T, plaintext, ad []byte) {
		if len(plaintext) > MaxPlaintextSize {
			return
		}
		sealed := fuzzCipher.Seal(plaintext, ad)
		got, err := fuzzCipher.Open(sealed, ad)
		if err != nil || !bytes.Equal(got, plaintext) {
			t.Fatalf("round trip: %q, %v", got, err)
		}
		if _, err := fuzzCipher.Open(sealed, append(ad, 0)); err != ErrOpen {
			t.Fatalf("opened with other additional data: %v", err)
		}
	})
}
