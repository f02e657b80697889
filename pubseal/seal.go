package pubseal

import (
	"crypto/hpke"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

const (
	// Version is the first byte of every sealed value.
	Version = 1

	// HeaderSize is the size of a sealed value's header: Version, the
	// KEM's HPKE ID (2 bytes, big-endian) and the key ID.
	HeaderSize = 1 + 2 + IDSize

	// Overhead is the size of the AES-256-GCM tag that ends every value.
	Overhead = 16

	// MaxValueSize is the longest value Seal takes. Keypad entries are a
	// few bytes; the bound lets Open refuse oversized input before
	// decoding it.
	MaxValueSize = 1024

	// MaxSealedLen is the longest sealed value, in hex characters, that
	// Open reads under any KEM; anything longer fails without being decoded.
	MaxSealedLen = 2 * (HeaderSize + 1120 + MaxValueSize + Overhead)
)

// ErrInput is returned, wrapped with the reason, by Seal and SealValue for
// a value or field name they cannot seal. The message never quotes the
// value.
var ErrInput = errors.New("pubseal: cannot seal")

// infoLabel starts the HPKE info of every value; the field name and the
// call SID follow, each after a NUL byte.
const infoLabel = "encgather pubseal v1"

// SealedLen returns the length in hex characters of a value of n bytes
// sealed to a key of kem.
func SealedLen(kem KEM, n int) int { return 2 * (HeaderSize + kem.encSize() + n + Overhead) }

// Seal seals value to p, bound to field and callSid: it opens only with
// the same two strings. It returns lowercase hex; see the package
// documentation for the layout.
func (p *PublicKey) Seal(value []byte, field, callSid string) (string, error) {
	p.mustBeUsable()
	out, err := p.SealValue(make([]byte, 0, SealedLen(p.kem, len(value))), value, field, callSid)
	return string(out), err
}

// SealValue is Seal appending the hex text to dst. On error it returns dst
// unchanged.
func (p *PublicKey) SealValue(dst, value []byte, field, callSid string) ([]byte, error) {
	p.mustBeUsable()
	if err := checkInput(value, field); err != nil {
		return dst, err
	}
	header := p.header()
	enc, sender, err := hpke.NewSender(p.pk, kdf, aead, info(field, callSid))
	if err != nil {
		return dst, fmt.Errorf("pubseal: %w", err)
	}
	ct, err := sender.Seal(header[:], value)
	if err != nil {
		return dst, fmt.Errorf("pubseal: %w", err)
	}
	dst = hex.AppendEncode(dst, header[:])
	dst = hex.AppendEncode(dst, enc)
	return hex.AppendEncode(dst, ct), nil
}

func (p *PublicKey) header() [HeaderSize]byte {
	var h [HeaderSize]byte
	h[0] = Version
	binary.BigEndian.PutUint16(h[1:3], uint16(p.kem))
	copy(h[3:], p.id[:])
	return h
}

// checkInput refuses what would make a value unsealable or ambiguous: a
// NUL in the field name would let two (field, call) pairs share an info.
func checkInput(value []byte, field string) error {
	switch {
	case len(value) > MaxValueSize:
		return fmt.Errorf("%w: value longer than MaxValueSize", ErrInput)
	case field == "":
		return fmt.Errorf("%w: empty field name", ErrInput)
	case strings.IndexByte(field, 0) >= 0:
		return fmt.Errorf("%w: field name contains a NUL byte", ErrInput)
	}
	return nil
}

// info is the HPKE info binding a value to its field and call.
func info(field, callSid string) []byte {
	b := make([]byte, 0, len(infoLabel)+2+len(field)+len(callSid))
	b = append(b, infoLabel...)
	b = append(b, 0)
	b = append(b, field...)
	b = append(b, 0)
	return append(b, callSid...)
}
