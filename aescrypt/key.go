package aescrypt

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
)

// KeySize is the size of an AES-256 key in bytes; ParseKey takes it as
// 2*KeySize hex characters.
const KeySize = 32

// ErrKey is reported by ParseKey for a key that is not 64 hex characters.
// The message says what is wrong, never any part of the key.
var ErrKey = errors.New("aescrypt: invalid key")

// Key is an AES-256 key. It never prints: fmt, slog and the text and JSON
// encoders show only its ID, a short fingerprint from which the key cannot
// be recovered. The zero Key is not a valid key.
type Key struct {
	b  [KeySize]byte
	ok bool
}

// ParseKey reads a key written as 64 hex characters, in either case, the
// form the AES_SECRET variable takes.
func ParseKey(hexKey string) (Key, error) {
	if len(hexKey) != 2*KeySize {
		return Key{}, fmt.Errorf("%w: want %d hex characters, got %d", ErrKey, 2*KeySize, len(hexKey))
	}
	var k Key
	if _, err := hex.Decode(k.b[:], []byte(hexKey)); err != nil {
		return Key{}, fmt.Errorf("%w: not hex", ErrKey)
	}
	k.ok = true
	return k, nil
}

// GenerateKey returns a new random key from crypto/rand.
func GenerateKey() Key {
	var k Key
	if _, err := rand.Read(k.b[:]); err != nil {
		panic("aescrypt: crypto/rand failed: " + err.Error())
	}
	k.ok = true
	return k
}

// ExportHex returns the key as 64 lowercase hex characters, the form
// ParseKey and the AES_SECRET variable take. It is the only way to see a
// key; handle its result as the secret it is.
func (k Key) ExportHex() string {
	k.mustBeValid()
	return hex.EncodeToString(k.b[:])
}

// ID returns a short, non-reversible fingerprint of the key (8 hex
// characters of a SHA-256 over a fixed label and the key), so that logs and
// operators can tell keys apart without seeing them.
func (k Key) ID() string {
	if !k.ok {
		return "invalid"
	}
	h := sha256.New()
	h.Write([]byte("encgather key id\x00"))
	h.Write(k.b[:])
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// IsZero reports whether k is the zero Key, which is not a usable key.
func (k Key) IsZero() bool { return !k.ok }

// Equal reports whether k and other are the same key, in constant time.
func (k Key) Equal(other Key) bool {
	var diff byte
	for i := range k.b {
		diff |= k.b[i] ^ other.b[i]
	}
	return diff == 0 && k.ok == other.ok
}

// String returns "aescrypt.Key(id=…)".
func (k Key) String() string { return "aescrypt.Key(id=" + k.ID() + ")" }

// GoString is String, so %#v shows no key either.
func (k Key) GoString() string { return k.String() }

// Format makes every fmt verb print String, so no verb shows the key bytes.
func (k Key) Format(f fmt.State, _ rune) { f.Write([]byte(k.String())) }

// LogValue shows the key's ID in slog records.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText encodes the key's ID, never the key.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalJSON encodes the key's ID as a JSON string, never the key.
func (k Key) MarshalJSON() ([]byte, error) { return []byte(`"` + k.String() + `"`), nil }

func (k Key) mustBeValid() {
	if !k.ok {
		panic("aescrypt: use of the zero Key; get keys from ParseKey or GenerateKey")
	}
}
