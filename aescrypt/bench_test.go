package aescrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"testing"
)

var digits = []byte("1234")

// BenchmarkSeal seals four digits to hex: the work of one flow step.
func BenchmarkSeal(b *testing.B) {
	c := New(GenerateKey())
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Seal(digits, nil)
	}
}

// BenchmarkSealFloor is the standard library's floor for Seal: the same
// AEAD sealing into a preallocated buffer, hex-encoded into another, and
// the one string a caller needs.
func BenchmarkSealFloor(b *testing.B) {
	key := GenerateKey()
	block, _ := aes.NewCipher(key.material().b[:])
	aead, _ := cipher.NewGCMWithRandomNonce(block)
	sealed := make([]byte, 0, 64)
	out := make([]byte, 128)
	b.ReportAllocs()
	for b.Loop() {
		s := aead.Seal(sealed[:0], nil, digits, nil)
		n := hex.Encode(out, s)
		_ = string(out[:n])
	}
}

func BenchmarkOpen(b *testing.B) {
	c := New(GenerateKey())
	sealed := c.Seal(digits, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Open(sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpenFloor decodes hex into a preallocated buffer and opens into
// another, copying out the one result slice a caller needs.
func BenchmarkOpenFloor(b *testing.B) {
	key := GenerateKey()
	block, _ := aes.NewCipher(key.material().b[:])
	aead, _ := cipher.NewGCMWithRandomNonce(block)
	sealed := []byte(New(key).Seal(digits, nil))
	raw := make([]byte, 64)
	plain := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		n, _ := hex.Decode(raw, sealed)
		p, err := aead.Open(plain[:0], nil, raw[:n], nil)
		if err != nil {
			b.Fatal(err)
		}
		_ = append([]byte(nil), p...)
	}
}

// BenchmarkOpenRotated opens a value sealed by the oldest of three keys.
func BenchmarkOpenRotated(b *testing.B) {
	old := GenerateKey()
	c := New(GenerateKey(), GenerateKey(), old)
	sealed := New(old).Seal(digits, nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Open(sealed, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSealBytes(b *testing.B) {
	c := New(GenerateKey())
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		buf = c.SealBytes(buf[:0], digits, nil)
	}
}
