package aescrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// KeySize is the size of an AES-256 key in bytes; ParseKey takes it as
// 2*KeySize hex characters.
const KeySize = 32

// ErrKey is reported by ParseKey for a key that is not 64 hex characters.
// The message says what is wrong, never any part of the key.
var ErrKey = errors.New("aescrypt: invalid key")

// Key is an AES-256 key. It never prints: fmt (every verb, also when the
// Key sits in a struct), slog and encoding/json show only its ID, a short
// fingerprint from which the key cannot be recovered. The zero Key is not
// a valid key. Keys are immutable and cheap to copy.
type Key struct {
	s *keyState // nil for the zero Key
}

// keyState and keyMaterial keep a key two pointers away from any value
// that holds it. fmt's reflection prints a pointer it meets inside a value
// as an address; only under a verb that does not fit a pointer (%s, %q) does
// it show what the pointer points to, one level deep, and from there it
// prints addresses again. So the bytes and the AEAD built from them (whose
// key schedule starts with the key) sit behind the second pointer.
type keyState struct {
	id  string
	key *keyMaterial
}

type keyMaterial struct {
	b    [KeySize]byte
	aead cipher.AEAD // AES-256-GCM with random nonces, built once
}

// newKey makes a Key of b, which it copies.
func newKey(b []byte) Key {
	m := &keyMaterial{}
	copy(m.b[:], b)
	block, err := aes.NewCipher(m.b[:])
	if err != nil {
		panic("aescrypt: " + err.Error()) // unreachable: the key size is fixed
	}
	m.aead, err = cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		panic("aescrypt: " + err.Error())
	}
	h := sha256.New()
	h.Write([]byte("encgather key id\x00"))
	h.Write(m.b[:])
	return Key{&keyState{id: hex.EncodeToString(h.Sum(nil)[:4]), key: m}}
}

// ParseKey reads a key written as 64 hex characters, in either case, the
// form the AES_SECRET variable takes.
func ParseKey(hexKey string) (Key, error) {
	if len(hexKey) != 2*KeySize {
		return Key{}, fmt.Errorf("%w: want %d hex characters, got %d", ErrKey, 2*KeySize, len(hexKey))
	}
	var b [KeySize]byte
	defer clear(b[:])
	if _, err := hex.Decode(b[:], []byte(hexKey)); err != nil {
		return Key{}, fmt.Errorf("%w: not hex", ErrKey)
	}
	return newKey(b[:]), nil
}

// GenerateKey returns a new random key from crypto/rand.
func GenerateKey() Key {
	var b [KeySize]byte
	defer clear(b[:])
	if _, err := rand.Read(b[:]); err != nil {
		panic("aescrypt: crypto/rand failed: " + err.Error())
	}
	return newKey(b[:])
}

// ExportHex returns the key as 64 lowercase hex characters, the form
// ParseKey and the AES_SECRET variable take. It is the only way to see a
// key; handle its result as the secret it is.
func (k Key) ExportHex() string { return hex.EncodeToString(k.material().b[:]) }

// ID returns a short, non-reversible fingerprint of the key (8 hex
// characters of a SHA-256 over a fixed label and the key), so that logs and
// operators can tell keys apart without seeing them.
func (k Key) ID() string {
	if k.s == nil {
		return "invalid"
	}
	return k.s.id
}

// IsZero reports whether k is the zero Key, which is not a usable key.
func (k Key) IsZero() bool { return k.s == nil }

// Equal reports whether k and other are the same key, in constant time.
func (k Key) Equal(other Key) bool {
	if k.s == nil || other.s == nil {
		return k.s == other.s
	}
	return subtle.ConstantTimeCompare(k.s.key.b[:], other.s.key.b[:]) == 1
}

// String returns "aescrypt.Key(id=…)".
func (k Key) String() string { return "aescrypt.Key(id=" + k.ID() + ")" }

// Format makes every fmt verb, %#v included, print String.
func (k Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// MarshalText encodes String, never the key; encoding/json and slog's
// handlers use it.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// material returns the key's bytes and AEAD, panicking on the zero Key.
func (k Key) material() *keyMaterial {
	if k.s == nil {
		panic("aescrypt: use of the zero Key; get keys from ParseKey or GenerateKey")
	}
	return k.s.key
}
