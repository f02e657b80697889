package aescrypt

import (
	"crypto/hkdf"
	"crypto/sha256"
)

// Derive returns a Cipher whose keys are derived from c's keys, in the same
// order, with HKDF-SHA256 and purpose as the info string. Give each kind of
// data its own purpose, so the master key never seals two kinds of data and
// a value sealed for one purpose never opens for another. Rotation carries
// over: a value sealed by a derived primary opens after c gains a new
// primary, as long as the old key is kept among the previous ones.
func (c *Cipher) Derive(purpose string) *Cipher {
	c.mustBeUsable()
	derived := make([]Key, len(c.keys))
	for i, k := range c.keys {
		b, err := hkdf.Key(sha256.New, k.material().b[:], nil, purpose, KeySize)
		if err != nil {
			panic("aescrypt: " + err.Error()) // unreachable for a 32-byte output
		}
		derived[i] = newKey(b)
		clear(b)
	}
	return New(derived[0], derived[1:]...)
}
