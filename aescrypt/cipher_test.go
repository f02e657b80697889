package aescrypt

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestSealOpenRoundTrip(t *testing.T) {
	c := New(GenerateKey())
	for _, pt := range []string{"", "1", "1234", "4111111111111111", strings.Repeat("9", 300)} {
		sealed := c.Seal([]byte(pt), nil)
		if len(sealed) != 2*(NonceSize+len(pt)+Overhead) {
			t.Errorf("len(Seal(%d bytes)) = %d", len(pt), len(sealed))
		}
		if sealed != strings.ToLower(sealed) {
			t.Errorf("Seal is not lowercase hex: %s", sealed)
		}
		got, err := c.Open(sealed, nil)
		if err != nil || string(got) != pt {
			t.Errorf("Open(Seal(%q)) = %q, %v", pt, got, err)
		}
		if got, err := c.Open(strings.ToUpper(sealed), nil); err != nil || string(got) != pt {
			t.Errorf("Open of uppercase hex = %q, %v", got, err)
		}
	}
}

func TestSealIsRandomized(t *testing.T) {
	c := New(GenerateKey())
	first, second := c.Seal([]byte("1234"), nil), c.Seal([]byte("1234"), nil)
	if first == second {
		t.Fatal("two seals of the same digits are equal: nonces repeat")
	}
}

// TestOpenTamper flips each byte of a sealed value and expects ErrOpen.
func TestOpenTamper(t *testing.T) {
	c := New(GenerateKey())
	raw, _ := hex.DecodeString(c.Seal([]byte("1234"), []byte("ctx")))
	for i := range raw {
		for _, flip := range []byte{0x01, 0x80, 0xff} {
			tampered := bytes.Clone(raw)
			tampered[i] ^= flip
			if _, err := c.Open(hex.EncodeToString(tampered), []byte("ctx")); err != ErrOpen {
				t.Fatalf("byte %d ^ %#x: err = %v, want ErrOpen", i, flip, err)
			}
			if _, err := c.OpenBytes(tampered, []byte("ctx")); err != ErrOpen {
				t.Fatalf("OpenBytes byte %d ^ %#x: err = %v, want ErrOpen", i, flip, err)
			}
		}
	}
}

func TestOpenFailuresAreOpaque(t *testing.T) {
	c := New(GenerateKey())
	sealed := c.Seal([]byte("1234"), nil)
	tests := map[string]string{
		"empty":         "",
		"odd length":    sealed[:len(sealed)-1],
		"not hex":       "zz" + sealed[2:],
		"too short":     sealed[:2*(NonceSize+Overhead)-2],
		"too long":      strings.Repeat("00", MaxSealedLen/2+1),
		"wrong key":     New(GenerateKey()).Seal([]byte("1234"), nil),
		"truncated tag": sealed[:len(sealed)-2],
		"extra byte":    sealed + "00",
		"space":         " " + sealed[1:],
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := c.Open(in, nil)
			if err != ErrOpen || got != nil {
				t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
			}
			if err.Error() != "aescrypt: message authentication failed" {
				t.Fatalf("error text %q says more than it should", err)
			}
		})
	}
}

func TestAdditionalData(t *testing.T) {
	c := New(GenerateKey())
	sealed := c.Seal([]byte("1234"), []byte("encryptedCardDigits"))
	for _, ad := range [][]byte{nil, []byte("encryptedPinDigits"), []byte("encryptedCardDigit")} {
		if _, err := c.Open(sealed, ad); err != ErrOpen {
			t.Errorf("Open with additional data %q: err = %v, want ErrOpen", ad, err)
		}
	}
	if got, err := c.Open(sealed, []byte("encryptedCardDigits")); err != nil || string(got) != "1234" {
		t.Errorf("Open with the right additional data = %q, %v", got, err)
	}
}

func TestRotation(t *testing.T) {
	k1, k2, k3 := GenerateKey(), GenerateKey(), GenerateKey()
	sealedBy := map[string]string{
		"k1": New(k1).Seal([]byte("1"), nil),
		"k2": New(k2).Seal([]byte("2"), nil),
		"k3": New(k3).Seal([]byte("3"), nil),
	}
	keyOf := map[string]Key{"k1": k1, "k2": k2, "k3": k3}
	tests := []struct {
		name   string
		cipher *Cipher
		opens  []string // which sealed values open
	}{
		{"only k1", New(k1), []string{"k1"}},
		{"k2 promoted, k1 kept", New(k2, k1), []string{"k1", "k2"}},
		{"k3 promoted, k2 and k1 kept", New(k3, k2, k1), []string{"k1", "k2", "k3"}},
		{"k1 retired", New(k3, k2), []string{"k2", "k3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, sealed := range sealedBy {
				want := false
				for _, o := range tt.opens {
					want = want || o == name
				}
				_, key, err := tt.cipher.OpenKey(sealed, nil)
				if (err == nil) != want {
					t.Errorf("value sealed by %s: err = %v, want opened = %v", name, err, want)
				}
				if err == nil && !key.Equal(keyOf[name]) {
					t.Errorf("value sealed by %s reported as opened by %v", name, key)
				}
			}
			if _, key, _ := tt.cipher.OpenKey(tt.cipher.Seal([]byte("x"), nil), nil); !key.Equal(tt.cipher.Primary()) {
				t.Errorf("Seal did not use the primary key")
			}
		})
	}
}

func TestSealBytes(t *testing.T) {
	c := New(GenerateKey())
	prefix := []byte("prefix")
	out := c.SealBytes(prefix, []byte("1234"), []byte("ad"))
	if !bytes.HasPrefix(out, []byte("prefix")) || len(out) != len(prefix)+NonceSize+4+Overhead {
		t.Fatalf("SealBytes did not append: %x", out)
	}
	got, err := c.OpenBytes(out[len(prefix):], []byte("ad"))
	if err != nil || string(got) != "1234" {
		t.Fatalf("OpenBytes = %q, %v", got, err)
	}
	// The binary and hex forms are the same bytes.
	if got, err := c.Open(hex.EncodeToString(out[len(prefix):]), []byte("ad")); err != nil || string(got) != "1234" {
		t.Fatalf("Open of hex(SealBytes) = %q, %v", got, err)
	}
	if _, err := c.OpenBytes(make([]byte, NonceSize+Overhead-1), nil); err != ErrOpen {
		t.Fatalf("short OpenBytes: %v", err)
	}
}

func TestDerive(t *testing.T) {
	master := New(GenerateKey())
	a, b := master.Derive("purpose a"), master.Derive("purpose b")
	sealed := a.Seal([]byte("1234"), nil)
	if _, err := b.Open(sealed, nil); err != ErrOpen {
		t.Errorf("a value sealed for one purpose opened for another")
	}
	if _, err := master.Open(sealed, nil); err != ErrOpen {
		t.Errorf("the master key opened a derived key's value")
	}
	if got, err := master.Derive("purpose a").Open(sealed, nil); err != nil || string(got) != "1234" {
		t.Errorf("derivation is not deterministic: %q, %v", got, err)
	}
	rotated := New(GenerateKey(), master.Primary()).Derive("purpose a")
	if _, err := rotated.Open(sealed, nil); err != nil {
		t.Errorf("derived value does not survive a rotation of the master key: %v", err)
	}
}

func TestSealPanicsOnHugePlaintext(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	New(GenerateKey()).Seal(make([]byte, MaxPlaintextSize+1), nil)
}

func TestNewPanicsOnZeroKey(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	New(GenerateKey(), Key{})
}

func TestConcurrentUse(t *testing.T) {
	c := New(GenerateKey(), GenerateKey())
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				got, err := c.Open(c.Seal([]byte("1234"), nil), nil)
				if err != nil || string(got) != "1234" {
					errs <- errors.New("concurrent round trip failed")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
}

// TestZeroCipherPanics: using a Cipher that New did not make is a
// programming error, reported by a panic that says so (as crypto/cipher
// panics on a wrong nonce size), never an index out of range and never a
// silent ErrOpen.
func TestZeroCipherPanics(t *testing.T) {
	sealed := New(GenerateKey()).Seal([]byte("1234"), nil)
	uses := map[string]func(c *Cipher){
		"Seal":      func(c *Cipher) { c.Seal([]byte("1234"), nil) },
		"SealBytes": func(c *Cipher) { c.SealBytes(nil, []byte("1234"), nil) },
		"Open":      func(c *Cipher) { _, _ = c.Open(sealed, nil) },
		"OpenKey":   func(c *Cipher) { _, _, _ = c.OpenKey(sealed, nil) },
		"OpenBytes": func(c *Cipher) { _, _ = c.OpenBytes(make([]byte, 32), nil) },
		"Primary":   func(c *Cipher) { c.Primary() },
		"Derive":    func(c *Cipher) { c.Derive("purpose") },
		"Keys":      func(c *Cipher) { c.Keys() },
	}
	ciphers := map[string]*Cipher{"zero value": new(Cipher), "nil pointer": nil}
	for cname, c := range ciphers {
		for uname, use := range uses {
			t.Run(cname+" "+uname, func(t *testing.T) {
				defer func() {
					msg := fmt.Sprint(recover())
					if !strings.Contains(msg, "aescrypt: use of a zero Cipher") {
						t.Fatalf("panic = %q, want a clear message", msg)
					}
				}()
				use(c)
			})
		}
	}
	if got := fmt.Sprint(new(Cipher)); got != "aescrypt.Cipher(zero)" {
		t.Errorf("zero Cipher prints as %q", got)
	}
}
