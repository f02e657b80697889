package pubseal

import (
	"bytes"
	"crypto/hpke"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/encgather/encgather/internal/hexstrict"
)

// The prefixes of the keys' text forms; the KEM's name and the key in
// lowercase hex follow, as in "encgather-pub-v1-x25519-<64 hex>".
const (
	PublicKeyPrefix  = "encgather-pub-v1-"
	PrivateKeyPrefix = "encgather-secret-v1-"
)

// IDSize is the size of a key ID in bytes. Every sealed value carries the
// ID of the key it was sealed to.
const IDSize = 4

var (
	// ErrKey is returned, wrapped with the reason, for a key that does not
	// parse. The message never quotes the key.
	ErrKey = errors.New("pubseal: invalid key")

	// ErrKEM is returned for a KEM this package does not know.
	ErrKEM = errors.New("pubseal: unknown KEM")
)

// PublicKey seals values to the backend that holds its private key; it
// opens nothing. It is safe for concurrent use. Get one from
// ParsePublicKey, PublicKeyFromEnv or PrivateKey.PublicKey: the methods of
// a zero PublicKey panic. Its text form (String,
// MarshalText) is what ParsePublicKey reads and BACKEND_PUBLIC_KEY holds.
type PublicKey struct {
	kem KEM
	id  [IDSize]byte
	pk  hpke.PublicKey
}

// PrivateKey opens what was sealed to its public key. It never prints:
// fmt (every verb, also when held in a struct), slog and encoding/json show
// its KEM and ID only; ExportText is the one deliberate way out.
type PrivateKey struct {
	s *privateState
}

// privateState and privateMaterial keep the key two pointers away from any
// value that holds a PrivateKey. fmt's reflection prints a pointer it meets
// inside a value as an address; only under a verb that does not fit a
// pointer (%s, %q) does it show what the pointer points to, one level
// deep, and from there it prints addresses again.
type privateState struct {
	pub *PublicKey
	key *privateMaterial
}

type privateMaterial struct {
	hk hpke.PrivateKey
	// raw is the key as it was parsed or generated, which ExportText writes
	// back: crypto/hpke's Bytes may return another spelling of the same
	// X25519 key (with its clamped bits set), so it cannot round-trip.
	raw []byte
}

// GenerateKey returns a new key pair for kem, from crypto/rand.
func GenerateKey(kem KEM) (*PrivateKey, error) {
	k := kem.hpke()
	if k == nil {
		return nil, fmt.Errorf("%w: %v", ErrKEM, kem)
	}
	hk, err := k.GenerateKey()
	if err != nil {
		return nil, fmt.Errorf("pubseal: generating a key: %w", err)
	}
	raw, err := hk.Bytes()
	if err != nil {
		return nil, fmt.Errorf("pubseal: generating a key: %w", err)
	}
	return newPrivateKey(kem, hk, raw), nil
}

// newPrivateKey keeps a copy of raw, the key's text-form bytes.
func newPrivateKey(kem KEM, hk hpke.PrivateKey, raw []byte) *PrivateKey {
	return &PrivateKey{&privateState{
		pub: newPublicKey(kem, hk.PublicKey()),
		key: &privateMaterial{hk: hk, raw: bytes.Clone(raw)},
	}}
}

func newPublicKey(kem KEM, pk hpke.PublicKey) *PublicKey {
	p := &PublicKey{kem: kem, pk: pk}
	h := sha256.New()
	h.Write([]byte("encgather pubseal key id\x00"))
	h.Write(binary.BigEndian.AppendUint16(nil, uint16(kem)))
	h.Write(pk.Bytes())
	copy(p.id[:], h.Sum(nil))
	return p
}

// ParsePublicKey reads a public key's text form, as String writes it.
// It refuses a private key, so that a service meant to hold only public
// keys cannot be given one by mistake.
func ParsePublicKey(text string) (*PublicKey, error) {
	pk, reason := parsePublicKey(text)
	if reason != "" {
		return nil, fmt.Errorf("%w: %s", ErrKey, reason)
	}
	return pk, nil
}

// ParsePrivateKey reads a private key's text form, as ExportText writes
// it. Its errors say what is wrong, never any part of the key.
func ParsePrivateKey(text string) (*PrivateKey, error) {
	k, reason := parsePrivateKey(text)
	if reason != "" {
		return nil, fmt.Errorf("%w: %s", ErrKey, reason)
	}
	return k, nil
}

func parsePublicKey(text string) (*PublicKey, string) {
	if strings.HasPrefix(text, PrivateKeyPrefix) {
		return nil, "a private key where a public key belongs"
	}
	kem, raw, reason := splitKeyText(text, PublicKeyPrefix)
	if reason != "" {
		return nil, reason
	}
	pk, err := kem.hpke().NewPublicKey(raw)
	if err != nil {
		return nil, "not a valid " + kem.String() + " public key"
	}
	return newPublicKey(kem, pk), ""
}

func parsePrivateKey(text string) (*PrivateKey, string) {
	if strings.HasPrefix(text, PublicKeyPrefix) {
		return nil, "a public key where a private key belongs"
	}
	kem, raw, reason := splitKeyText(text, PrivateKeyPrefix)
	if reason != "" {
		return nil, reason
	}
	defer clear(raw)
	hk, err := kem.hpke().NewPrivateKey(raw)
	if err != nil {
		return nil, "not a valid " + kem.String() + " private key"
	}
	return newPrivateKey(kem, hk, raw), ""
}

// keyBytes is the size of each KEM's keys in their text forms.
var keyBytes = map[KEM]struct{ public, private int }{
	X25519:         {32, 32},
	MLKEM768X25519: {1216, 32},
}

// splitKeyText reads prefix, a KEM name, a dash and lowercase hex of the
// size the KEM and prefix call for. The reason it gives for a failure
// quotes nothing of text.
func splitKeyText(text, prefix string) (KEM, []byte, string) {
	rest, ok := strings.CutPrefix(text, prefix)
	if !ok {
		return 0, nil, "does not start with " + prefix
	}
	name, hexKey, ok := strings.Cut(rest, "-")
	var kem KEM
	if !ok || kem.UnmarshalText([]byte(name)) != nil {
		return 0, nil, "unknown KEM after " + prefix
	}
	size := keyBytes[kem].public
	if prefix == PrivateKeyPrefix {
		size = keyBytes[kem].private
	}
	if len(hexKey) != 2*size {
		return 0, nil, fmt.Sprintf("want %d hex characters after %s%s-, got %d", 2*size, prefix, kem, len(hexKey))
	}
	raw := make([]byte, size)
	if !hexstrict.DecodeLower(raw, hexKey) {
		return 0, nil, "not lowercase hex"
	}
	return kem, raw, ""
}

// KEM returns the key's KEM.
func (p *PublicKey) KEM() KEM { return p.kem }

// ID returns the key's ID in hex: 8 characters of a SHA-256 over a fixed
// label, the KEM and the public key. A private key has its public key's ID.
func (p *PublicKey) ID() string { return hex.EncodeToString(p.id[:]) }

// String returns the key's text form: PublicKeyPrefix, the KEM's name, a
// dash and the key in lowercase hex.
func (p *PublicKey) String() string {
	p.mustBeUsable()
	return PublicKeyPrefix + p.kem.String() + "-" + hex.EncodeToString(p.pk.Bytes())
}

// MarshalText returns String.
func (p *PublicKey) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// mustBeUsable panics with a clear message on a PublicKey this package
// did not make.
func (p *PublicKey) mustBeUsable() {
	if p == nil || p.pk == nil {
		panic("pubseal: use of a zero PublicKey; get one from ParsePublicKey or PublicKeyFromEnv")
	}
}

// PublicKey returns the public key that seals values this key opens.
func (k *PrivateKey) PublicKey() *PublicKey { return k.state().pub }

// KEM returns the key's KEM.
func (k *PrivateKey) KEM() KEM { return k.state().pub.kem }

// ID returns the ID of the key's public key.
func (k *PrivateKey) ID() string { return k.state().pub.ID() }

// state panics with a clear message on a PrivateKey this package did not
// make: using one is a programming error.
func (k *PrivateKey) state() *privateState {
	if k == nil || k.s == nil {
		panic("pubseal: use of a zero PrivateKey; get keys from GenerateKey or ParsePrivateKey")
	}
	return k.s
}

// ExportText returns the key's text form: PrivateKeyPrefix, the KEM's
// name, a dash and the key in lowercase hex, the form ParsePrivateKey and
// BACKEND_PRIVATE_KEY take. Handle its result as the secret it is.
func (k *PrivateKey) ExportText() string {
	return PrivateKeyPrefix + k.KEM().String() + "-" + hex.EncodeToString(k.state().key.raw)
}

// String returns "pubseal.PrivateKey(<kem>, id=<id>)".
func (k PrivateKey) String() string {
	if k.s == nil {
		return "pubseal.PrivateKey(invalid)"
	}
	return "pubseal.PrivateKey(" + k.KEM().String() + ", id=" + k.ID() + ")"
}

// Format makes every fmt verb, %#v included, print String.
func (k PrivateKey) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// MarshalText encodes String, never the key; encoding/json and slog's
// handlers use it.
func (k PrivateKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }
