package pubseal

import (
	"crypto/ecdh"
	"crypto/hpke"
	"fmt"
)

// KEM names the key encapsulation mechanism of a key pair. Its value is
// the KEM's HPKE identifier, which every sealed value carries.
type KEM uint16

const (
	// X25519 is DHKEM(X25519, HKDF-SHA256) from RFC 9180, the default.
	X25519 KEM = 0x0020

	// MLKEM768X25519 is the hybrid post-quantum KEM MLKEM768-X25519
	// (X-Wing) from draft-ietf-hpke-pq: a value stays sealed unless both
	// ML-KEM-768 and X25519 are broken. Its sealed values are about 2,300
	// hex characters, against about 120 for X25519.
	MLKEM768X25519 KEM = 0x647a
)

// kemNames are the names keys' text forms and MarshalText use.
var kemNames = map[KEM]string{
	X25519:         "x25519",
	MLKEM768X25519: "mlkem768x25519",
}

// String returns the KEM's name, "x25519" or "mlkem768x25519".
func (k KEM) String() string {
	if name, ok := kemNames[k]; ok {
		return name
	}
	return fmt.Sprintf("KEM(%#04x)", uint16(k))
}

// MarshalText returns the KEM's name.
func (k KEM) MarshalText() ([]byte, error) {
	if _, ok := kemNames[k]; !ok {
		return nil, fmt.Errorf("%w: %v", ErrKEM, k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText reads a KEM's name, so that a KEM can be a flag
// (flag.TextVar) or a configuration value.
func (k *KEM) UnmarshalText(text []byte) error {
	for kem, name := range kemNames {
		if string(text) == name {
			*k = kem
			return nil
		}
	}
	return fmt.Errorf("%w: %q (want x25519 or mlkem768x25519)", ErrKEM, text)
}

// hpke returns the standard library's KEM, or nil for an unknown KEM.
func (k KEM) hpke() hpke.KEM {
	switch k {
	case X25519:
		return hpke.DHKEM(ecdh.X25519())
	case MLKEM768X25519:
		return hpke.MLKEM768X25519()
	}
	return nil
}

// encSize is the size of the KEM's encapsulated key, or 0 if unknown.
func (k KEM) encSize() int {
	switch k {
	case X25519:
		return 32
	case MLKEM768X25519:
		return 1120
	}
	return 0
}

// The rest of the HPKE suite, the same for every KEM.
var (
	kdf  = hpke.HKDFSHA256()
	aead = hpke.AES256GCM()
)
