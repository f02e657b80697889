package backend

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
)

// MinSecretSize is the fewest bytes a signing secret may have: 32, the
// size of the HMAC-SHA256 output, which [GenerateSecret] gives.
const MinSecretSize = 32

// maxSecretSize bounds a secret, so that a misplaced file read into the
// variable is refused rather than used.
const maxSecretSize = 1024

// ErrSecret is reported for a signing secret that is too short, too long
// or not hex. The message says what is wrong, never any part of the
// secret.
var ErrSecret = errors.New("backend: invalid signing secret")

// Secret is a signing secret shared by the IVR and its backend. It never
// prints: fmt (every verb, also inside a struct), slog and encoding/json
// show only its ID, a short fingerprint from which the secret cannot be
// recovered. The zero Secret is not usable. Secrets are immutable and
// cheap to copy.
type Secret struct {
	s *secretState // nil for the zero Secret
}

// secretState and secretBytes keep the bytes two pointers away from any
// value that holds a Secret: fmt's reflection prints a pointer inside a
// value as an address and follows one level at most.
type secretState struct {
	id string
	b  *secretBytes
}

type secretBytes struct{ b []byte }

// NewSecret returns a Secret of b, which it copies. b must hold
// MinSecretSize to 1024 bytes.
func NewSecret(b []byte) (Secret, error) {
	switch {
	case len(b) < MinSecretSize:
		return Secret{}, fmt.Errorf("%w: want at least %d bytes, got %d", ErrSecret, MinSecretSize, len(b))
	case len(b) > maxSecretSize:
		return Secret{}, fmt.Errorf("%w: want at most %d bytes, got %d", ErrSecret, maxSecretSize, len(b))
	}
	m := &secretBytes{b: append([]byte(nil), b...)}
	h := sha256.New()
	h.Write([]byte("encgather signing secret id\x00"))
	h.Write(m.b)
	return Secret{&secretState{id: hex.EncodeToString(h.Sum(nil)[:4]), b: m}}, nil
}

// ParseSecret reads a secret written in hex, in either case: at least
// 2*MinSecretSize characters, the form [Secret.ExportHex] and the
// environment variables take.
func ParseSecret(hexSecret string) (Secret, error) {
	if len(hexSecret)%2 != 0 || len(hexSecret) < 2*MinSecretSize || len(hexSecret) > 2*maxSecretSize {
		return Secret{}, fmt.Errorf("%w: want an even number of hex characters, %d to %d, got %d",
			ErrSecret, 2*MinSecretSize, 2*maxSecretSize, len(hexSecret))
	}
	b := make([]byte, len(hexSecret)/2)
	defer clear(b)
	if _, err := hex.Decode(b, []byte(hexSecret)); err != nil {
		return Secret{}, fmt.Errorf("%w: not hex", ErrSecret)
	}
	return NewSecret(b)
}

// GenerateSecret returns a new random secret of MinSecretSize bytes from
// crypto/rand.
func GenerateSecret() Secret {
	b := make([]byte, MinSecretSize)
	defer clear(b)
	if _, err := rand.Read(b); err != nil {
		panic("backend: crypto/rand failed: " + err.Error())
	}
	s, _ := NewSecret(b)
	return s
}

// ExportHex returns the secret in lowercase hex, the form ParseSecret and
// the environment variables take. It is the only way to see a secret;
// handle its result as the secret it is.
func (s Secret) ExportHex() string { return hex.EncodeToString(s.bytes()) }

// ID returns a short, non-reversible fingerprint of the secret (8 hex
// characters of a SHA-256 over a fixed label and the secret), so that logs
// and operators can tell secrets apart without seeing them.
func (s Secret) ID() string {
	if s.s == nil {
		return "invalid"
	}
	return s.s.id
}

// IsZero reports whether s is the zero Secret, which is not usable.
func (s Secret) IsZero() bool { return s.s == nil }

// String returns "backend.Secret(id=…)".
func (s Secret) String() string { return "backend.Secret(id=" + s.ID() + ")" }

// GoString returns String, for %#v.
func (s Secret) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s Secret) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// MarshalJSON encodes String as a JSON string, never the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// LogValue is String, for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// bytes returns the secret, panicking on the zero Secret.
func (s Secret) bytes() []byte {
	if s.s == nil {
		panic("backend: use of the zero Secret; get secrets from NewSecret, ParseSecret or GenerateSecret")
	}
	return s.s.b.b
}

// Secrets is a signing secret and the older ones still accepted while a
// new one rolls out, newest first. It prints as the secrets' IDs.
type Secrets struct {
	all []Secret
}

// NewSecrets returns newest followed by previous, the order a Verifier
// tries them in. It panics on a zero Secret, a programmer's error.
func NewSecrets(newest Secret, previous ...Secret) *Secrets {
	all := append([]Secret{newest}, previous...)
	for _, s := range all {
		s.bytes()
	}
	return &Secrets{all: all}
}

// Newest returns the secret to sign with.
func (s *Secrets) Newest() Secret { return s.all[0] }

// All returns the secrets, newest first.
func (s *Secrets) All() []Secret { return append([]Secret(nil), s.all...) }

// String returns "backend.Secrets(id=…,…)".
func (s *Secrets) String() string {
	ids := make([]string, len(s.all))
	for i, k := range s.all {
		ids[i] = k.ID()
	}
	return "backend.Secrets(id=" + strings.Join(ids, ",") + ")"
}

// GoString returns String, for %#v.
func (s *Secrets) GoString() string { return s.String() }

// Format makes every fmt verb print String.
func (s *Secrets) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// MarshalJSON encodes String as a JSON string, never a secret.
func (s *Secrets) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// LogValue is String, for log/slog.
func (s *Secrets) LogValue() slog.Value { return slog.StringValue(s.String()) }

// PreviousSuffix is appended to a variable's name to name the variable of
// its previous secrets: BACKEND_SIGNING_SECRET_PREVIOUS.
const PreviousSuffix = "_PREVIOUS"

// ErrNotSet is reported by SecretsFromLookup when the variable is unset or
// empty.
var ErrNotSet = errors.New("backend: signing secret not set")

// SecretsFromEnv reads the newest secret, in hex, from the environment
// variable name, and older ones, comma-separated, from name+"_PREVIOUS"
// (which may be unset). Errors name the variable, never its value; an
// unset or empty name wraps ErrNotSet.
func SecretsFromEnv(name string) (*Secrets, error) { return SecretsFromLookup(os.LookupEnv, name) }

// SecretsFromLookup is SecretsFromEnv with the variables read through
// lookup, which has os.LookupEnv's shape.
func SecretsFromLookup(lookup func(string) (string, bool), name string) (*Secrets, error) {
	v, _ := lookup(name)
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, fmt.Errorf("%w: %s is not set", ErrNotSet, name)
	}
	newest, err := ParseSecret(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var previous []Secret
	list, _ := lookup(name + PreviousSuffix)
	for i, part := range strings.Split(list, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		s, err := ParseSecret(part)
		if err != nil {
			return nil, fmt.Errorf("%s%s entry %d: %w", name, PreviousSuffix, i+1, err)
		}
		previous = append(previous, s)
	}
	return NewSecrets(newest, previous...), nil
}
