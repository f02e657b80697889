package pubseal

import (
	"bytes"
	"crypto/hpke"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/encgather/encgather/internal/hexstrict"
)

// ErrOpen is the one error every failed open returns: bad hex, a wrong
// length or version, an unknown KEM or key ID, a changed byte, another
// field or call alike, so a failure tells an attacker nothing.
var ErrOpen = errors.New("pubseal: message authentication failed")

// PrivateKeys opens values sealed to any of its keys. It is safe for
// concurrent use and never prints a key. Make one with NewPrivateKeys or
// PrivateKeysFromEnv: every method of a zero or nil PrivateKeys but String
// and Format panics, as using one is a programming error.
type PrivateKeys struct {
	keys []*PrivateKey
}

// NewPrivateKeys returns the keys as a set, tried in the order given for a
// value whose key ID and KEM they match. It panics if keys is empty or
// holds a nil key: that is a programming error, not bad input.
func NewPrivateKeys(keys ...*PrivateKey) *PrivateKeys {
	if len(keys) == 0 {
		panic("pubseal: NewPrivateKeys needs at least one key")
	}
	for _, k := range keys {
		if k == nil || k.s == nil {
			panic("pubseal: NewPrivateKeys given a nil or zero PrivateKey")
		}
	}
	return &PrivateKeys{keys: append([]*PrivateKey(nil), keys...)}
}

// Keys returns the keys, in order, as a new slice.
func (ks *PrivateKeys) Keys() []*PrivateKey {
	ks.mustBeUsable()
	return append([]*PrivateKey(nil), ks.keys...)
}

func (ks *PrivateKeys) mustBeUsable() {
	if ks == nil || len(ks.keys) == 0 {
		panic("pubseal: use of a zero PrivateKeys; make one with NewPrivateKeys or PrivateKeysFromEnv")
	}
}

// Open opens a value made by Seal for the same field and call. Any failure
// is ErrOpen.
func (ks *PrivateKeys) Open(sealed, field, callSid string) ([]byte, error) {
	value, _, err := ks.OpenKey(sealed, field, callSid)
	return value, err
}

// OpenKey is Open that also returns the key that opened the value. When no
// value needs an old key any more, the old key can be retired.
func (ks *PrivateKeys) OpenKey(sealed, field, callSid string) ([]byte, *PrivateKey, error) {
	ks.mustBeUsable()
	n := len(sealed)
	if n < SealedLen(X25519, 0) || n > MaxSealedLen {
		return nil, nil, ErrOpen
	}
	raw := make([]byte, n/2)
	if !hexstrict.DecodeLower(raw, sealed) || raw[0] != Version {
		return nil, nil, ErrOpen
	}
	kem := KEM(binary.BigEndian.Uint16(raw[1:3]))
	encSize := kem.encSize()
	if encSize == 0 || len(raw) < HeaderSize+encSize+Overhead ||
		len(raw) > HeaderSize+encSize+MaxValueSize+Overhead {
		return nil, nil, ErrOpen
	}
	header, id := raw[:HeaderSize], raw[3:HeaderSize]
	enc, ct := raw[HeaderSize:HeaderSize+encSize], raw[HeaderSize+encSize:]
	inf := info(field, callSid)
	for _, k := range ks.keys {
		pub := k.s.pub
		if pub.kem != kem || !bytes.Equal(pub.id[:], id) {
			continue
		}
		r, err := hpke.NewRecipient(enc, k.s.key.hk, kdf, aead, inf)
		if err != nil {
			continue
		}
		if value, err := r.Open(header, ct); err == nil {
			return value, k, nil
		}
	}
	return nil, nil, ErrOpen
}

// String names the keys by KEM and ID, never showing them.
func (ks PrivateKeys) String() string {
	var b strings.Builder
	b.WriteString("pubseal.PrivateKeys(")
	for i, k := range ks.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k.KEM().String() + " id=" + k.ID())
	}
	b.WriteByte(')')
	return b.String()
}

// Format makes every fmt verb, %#v included, print String.
func (ks PrivateKeys) Format(f fmt.State, _ rune) { io.WriteString(f, ks.String()) }
