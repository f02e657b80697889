package tutorial

import (
	"fmt"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/pubseal"
)

// The variables of public-key mode besides pubseal's BACKEND_PUBLIC_KEY
// and BACKEND_PRIVATE_KEY.
const (
	// EnvStateSecret is the IVR's state secret in public-key mode: an
	// AES-256 key (64 hex characters, as keygen prints) from which the
	// flow derives the key of its state tokens. It opens states, never
	// values.
	EnvStateSecret = "STATE_SECRET"

	// EnvStateSecretPrevious holds older state secrets, comma-separated,
	// whose tokens are still accepted while a new secret rolls out.
	EnvStateSecretPrevious = "STATE_SECRET_PREVIOUS"
)

// loadPublicKeyMode reads the IVR's keys in public-key mode, chosen by
// BACKEND_PUBLIC_KEY being set, into cfg: the public key that seals values
// and the state secret. The IVR must hold nothing that opens a value, so
// AES_SECRET and BACKEND_PRIVATE_KEY beside it are errors (and BIND_VALUES,
// which only AES mode needs), as is a missing BACKEND_URL (the IVR serves
// no backend in this mode) or BACKEND_SIGNING_SECRET (the backend answers
// only signed requests, since anyone can seal to the public key). The errors name
// variables, never values.
func loadPublicKeyMode(lookup func(string) (string, bool), cfg *Config) []error {
	get := func(name string) string { v, _ := lookup(name); return strings.TrimSpace(v) }
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s %s", ErrConfig, name, fmt.Sprintf(format, args...)))
	}
	for _, name := range []string{aescrypt.EnvSecret, aescrypt.EnvSecretPrevious} {
		if get(name) != "" {
			bad(name, "is set beside %s: in public-key mode the IVR holds no key that opens values; unset %s",
				pubseal.EnvPublicKey, name)
		}
	}
	if cfg.BindValues {
		bad("BIND_VALUES", "is set in public-key mode, whose values are always bound to their field and call; unset it")
	}
	if get(pubseal.EnvPrivateKey) != "" {
		bad(pubseal.EnvPrivateKey, "is set: it belongs to the backend alone (decrypt-gather); the IVR needs only %s",
			pubseal.EnvPublicKey)
	}
	if cfg.BackendURL == "" {
		bad("BACKEND_URL", "is not set: in public-key mode the IVR serves no backend; "+
			"run decrypt-gather with %s and set BACKEND_URL to its %s", pubseal.EnvPrivateKey, BackendPath)
	}
	if cfg.Signing == nil && get(EnvSigningSecret) == "" {
		bad(EnvSigningSecret, "is not set: in public-key mode the backend answers only requests the IVR signed; "+
			"make one with go run ./examples/keygen -signing-secret and give decrypt-gather the same")
	}
	if pub, err := pubseal.PublicKeyFromLookup(lookup); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err)) // pubseal names the variable, never the key
	} else {
		cfg.PublicKey = pub
	}
	if c, err := stateCipher(get); err != nil {
		errs = append(errs, err)
	} else {
		cfg.Cipher = c
	}
	return errs
}

// stateCipher reads STATE_SECRET and STATE_SECRET_PREVIOUS.
func stateCipher(get func(string) string) (*aescrypt.Cipher, error) {
	primary := get(EnvStateSecret)
	if primary == "" {
		return nil, fmt.Errorf("%w: %s is not set: make one with go run ./examples/keygen", ErrConfig, EnvStateSecret)
	}
	key, err := aescrypt.ParseKey(primary)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, EnvStateSecret, err)
	}
	var previous []aescrypt.Key
	for i, part := range strings.Split(get(EnvStateSecretPrevious), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		k, err := aescrypt.ParseKey(part)
		if err != nil {
			return nil, fmt.Errorf("%w: %s entry %d: %w", ErrConfig, EnvStateSecretPrevious, i+1, err)
		}
		previous = append(previous, k)
	}
	return aescrypt.New(key, previous...), nil
}

// PublicKeyMode reports whether the IVR seals values to the backend's
// public key (BACKEND_PUBLIC_KEY) rather than with AES_SECRET.
func (c *Config) PublicKeyMode() bool { return c.PublicKey != nil }

// ServesBackend reports whether the IVR runs the built-in backend on its
// loopback listener: only in AES mode, without BACKEND_URL. In public-key
// mode the IVR holds no key that could open what the backend receives.
func (c *Config) ServesBackend() bool { return c.BackendURL == "" && !c.PublicKeyMode() }

// SealerOptions are the flow options of the key mode: in public-key mode,
// sealing values to the backend's public key; none in AES mode.
func (c *Config) SealerOptions() []flow.Option {
	if !c.PublicKeyMode() {
		return nil
	}
	return []flow.Option{flow.WithSealer(c.PublicKey)}
}
