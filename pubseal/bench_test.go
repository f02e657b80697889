package pubseal

import (
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

var digits = []byte("1234")

// BenchmarkSeal seals four digits under each KEM, beside aescrypt's Seal
// for scale.
func BenchmarkSeal(b *testing.B) {
	for _, kem := range kems {
		b.Run(kem.String(), func(b *testing.B) {
			pk := mustGenerate(b, kem).PublicKey()
			dst := make([]byte, 0, SealedLen(kem, len(digits)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pk.SealValue(dst[:0], digits, "encryptedCardDigits", callSid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("aescrypt", func(b *testing.B) {
		c := aescrypt.New(aescrypt.GenerateKey())
		b.ReportAllocs()
		for b.Loop() {
			_ = c.Seal(digits, nil)
		}
	})
}

// BenchmarkOpen opens four digits under each KEM, beside aescrypt's Open.
func BenchmarkOpen(b *testing.B) {
	for _, kem := range kems {
		b.Run(kem.String(), func(b *testing.B) {
			k := mustGenerate(b, kem)
			keys := NewPrivateKeys(k)
			sealed := mustSeal(b, k.PublicKey(), string(digits), "encryptedCardDigits", callSid)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := keys.Open(sealed, "encryptedCardDigits", callSid); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("aescrypt", func(b *testing.B) {
		c := aescrypt.New(aescrypt.GenerateKey())
		sealed := c.Seal(digits, nil)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Open(sealed, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
