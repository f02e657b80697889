package aescrypt

import (
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/encgather/encgather/internal/hexstrict"
)

const (
	// NonceSize is the size of the random nonce that starts every sealed
	// value. Nonces are random, so a key MUST NOT seal more than 2^32
	// values: past that, the chance of a repeated nonce, which breaks GCM,
	// exceeds 2^-32. Rotate keys well before.
	NonceSize = 12

	// Overhead is the size of the GCM tag that ends every sealed value.
	Overhead = 16

	// MaxPlaintextSize is the largest plaintext Seal and SealBytes take.
	// Keypad entries are a few bytes; the bound lets Open refuse oversized
	// input before decoding it.
	MaxPlaintextSize = 16 << 10

	// MaxSealedLen is the longest sealed value, in hex characters, that
	// Open reads; anything longer fails with ErrOpen without being decoded.
	MaxSealedLen = 2 * (NonceSize + MaxPlaintextSize + Overhead)
)

// ErrOpen is the one error every failed open returns: bad hex, wrong
// length, wrong key, tampered value or wrong additional data alike, so a
// failure tells an attacker nothing.
var ErrOpen = errors.New("aescrypt: message authentication failed")

// Cipher seals with its primary key and opens with any of its keys. It is
// safe for concurrent use. Make one with New or FromEnv: every method of a
// zero or nil Cipher but String and Format panics, as using one is a
// programming error.
type Cipher struct {
	keys []Key // keys[0] seals; each holds its AEAD, built once
}

// New returns a Cipher that seals with primary and opens values sealed with
// primary or any of previous, tried in that order. It panics if a key is
// the zero Key: that is a programming error, not bad input.
func New(primary Key, previous ...Key) *Cipher {
	keys := append([]Key{primary}, previous...)
	for _, k := range keys {
		k.material()
	}
	return &Cipher{keys: keys}
}

// Primary returns the key that seals.
func (c *Cipher) Primary() Key {
	c.mustBeUsable()
	return c.keys[0]
}

// Keys returns every key, primary first, as a new slice.
func (c *Cipher) Keys() []Key {
	c.mustBeUsable()
	return append([]Key(nil), c.keys...)
}

// String names the keys by ID, never showing them.
func (c Cipher) String() string {
	if len(c.keys) == 0 {
		return "aescrypt.Cipher(zero)"
	}
	var b strings.Builder
	b.WriteString("aescrypt.Cipher(primary=")
	for i, k := range c.keys {
		if i == 1 {
			b.WriteString(" previous=")
		} else if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString(k.ID())
	}
	b.WriteByte(')')
	return b.String()
}

// Format makes every fmt verb, %#v included, print String, for a Cipher
// and a *Cipher alike.
func (c Cipher) Format(f fmt.State, _ rune) { io.WriteString(f, c.String()) }

// mustBeUsable panics with a clear message on a Cipher New did not make.
func (c *Cipher) mustBeUsable() {
	if c == nil || len(c.keys) == 0 {
		panic("aescrypt: use of a zero Cipher; make one with New or FromEnv")
	}
}

// sealer returns the primary key's AEAD.
func (c *Cipher) sealer() cipher.AEAD {
	c.mustBeUsable()
	return c.keys[0].s.key.aead
}

// sealedSize is the binary size of a sealed plaintext of n bytes.
func sealedSize(n int) int { return NonceSize + n + Overhead }

// Seal encrypts plaintext with the primary key and returns lowercase hex of
// nonce || ciphertext || tag. With nil additionalData the result is what
// Node's crypto produces for aes-256-gcm in the tutorial; additional data,
// if given, must be given again to Open. It panics if plaintext is longer
// than MaxPlaintextSize.
func (c *Cipher) Seal(plaintext, additionalData []byte) string {
	checkPlaintext(plaintext)
	scratch := getScratch(sealedSize(len(plaintext)))
	defer putScratch(scratch, sealedSize(len(plaintext)))
	sealed := c.sealer().Seal((*scratch)[:0], nil, plaintext, additionalData)

	var b strings.Builder
	b.Grow(hex.EncodedLen(len(sealed)))
	var chunk [128]byte
	for len(sealed) > 0 {
		n := min(len(sealed), len(chunk)/2)
		hex.Encode(chunk[:], sealed[:n])
		b.Write(chunk[:2*n])
		sealed = sealed[n:]
	}
	return b.String()
}

// Open decrypts a value made by Seal (hex in either case), trying the
// primary key and then the previous ones. Any failure is ErrOpen.
func (c *Cipher) Open(sealed string, additionalData []byte) ([]byte, error) {
	plaintext, _, err := c.OpenKey(sealed, additionalData)
	return plaintext, err
}

// OpenKey is Open that also returns the key that opened the value. When no
// value needs an old key any more, the old key can be retired.
func (c *Cipher) OpenKey(sealed string, additionalData []byte) ([]byte, Key, error) {
	c.mustBeUsable()
	n := len(sealed)
	if n%2 != 0 || n < 2*sealedSize(0) || n > MaxSealedLen {
		return nil, Key{}, ErrOpen
	}
	// One buffer holds the decoded value and, after it, the plaintext.
	scratch := getScratch(n)
	raw := (*scratch)[:n/2]
	if !hexstrict.Decode(raw, sealed) {
		putScratch(scratch, n)
		return nil, Key{}, ErrOpen
	}
	plaintext, key, err := c.openRaw(raw, additionalData, (*scratch)[n/2:n/2])
	putScratch(scratch, n)
	return plaintext, key, err
}

// SealBytes is Seal without hex: it appends nonce || ciphertext || tag to
// dst and returns the extended slice, allocating nothing when dst has room.
func (c *Cipher) SealBytes(dst, plaintext, additionalData []byte) []byte {
	checkPlaintext(plaintext)
	return c.sealer().Seal(dst, nil, plaintext, additionalData)
}

// OpenBytes is Open for the binary form SealBytes makes. sealed is not
// modified. Any failure is ErrOpen.
func (c *Cipher) OpenBytes(sealed, additionalData []byte) ([]byte, error) {
	c.mustBeUsable()
	if len(sealed) < sealedSize(0) || len(sealed) > MaxSealedLen/2 {
		return nil, ErrOpen
	}
	scratch := getScratch(len(sealed))
	defer putScratch(scratch, len(sealed))
	plaintext, _, err := c.openRaw(sealed, additionalData, (*scratch)[:0])
	return plaintext, err
}

// openRaw tries each key in turn. It decrypts into scratch, which must not
// overlap sealed and must have room for the plaintext, so a failed try
// costs no allocation; only a success is copied out.
func (c *Cipher) openRaw(sealed, additionalData, scratch []byte) ([]byte, Key, error) {
	for _, k := range c.keys {
		out, err := k.s.key.aead.Open(scratch, nil, sealed, additionalData)
		if err == nil {
			plaintext := make([]byte, len(out))
			copy(plaintext, out)
			clear(out)
			return plaintext, k, nil
		}
	}
	return nil, Key{}, ErrOpen
}

// scratchPool holds buffers for sealing and opening: a stack array would
// escape through the cipher.AEAD interface and cost an allocation a call.
var scratchPool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func getScratch(n int) *[]byte {
	bp := scratchPool.Get().(*[]byte)
	if cap(*bp) < n {
		*bp = make([]byte, 0, n)
	}
	return bp
}

// putScratch wipes the first used bytes of a buffer, which may hold
// plaintext, and keeps it for reuse.
func putScratch(bp *[]byte, used int) {
	clear((*bp)[:used])
	if cap(*bp) <= 4096 {
		scratchPool.Put(bp)
	}
}

func checkPlaintext(p []byte) {
	if len(p) > MaxPlaintextSize {
		panic("aescrypt: plaintext longer than MaxPlaintextSize")
	}
}
