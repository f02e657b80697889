package tutorial

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/pubseal"
)

// PublicKeyBackend is Backend in public-key mode: it opens
// encryptedCardDigits and encryptedPinDigits with the backend's private
// keys, each bound to its field name and to the callSid beside them, so a
// value tampered with, moved to the other field, taken from another call
// or sealed to another key is refused (400). A value sealed to any of
// keys opens: keep an older key among them while values sealed to it may
// still arrive. It answers as Backend does.
func PublicKeyBackend(keys *pubseal.PrivateKeys) http.Handler {
	return backend{
		open:      keys.Open,
		noCallSid: "bad request: want a JSON object with encryptedCardDigits, encryptedPinDigits and callSid",
		refused:   "bad request: a value does not open with this service's keys for this call",
	}
}

// LoadBackend builds decrypt-gather's handler from the environment,
// through lookup: PublicKeyBackend with BACKEND_PRIVATE_KEY (public-key
// mode), else Backend with AES_SECRET and AES_SECRET_PREVIOUS, or
// BoundBackend with BIND_VALUES=1 too. It returns the mode's name for the
// log: "public-key", "aes" or "aes-bound". AES_SECRET or BIND_VALUES
// beside BACKEND_PRIVATE_KEY is an error: a backend serves one mode, and
// public-key values are always bound. Errors name variables, never values.
func LoadBackend(lookup func(string) (string, bool)) (http.Handler, string, error) {
	get := func(name string) string { v, _ := lookup(name); return strings.TrimSpace(v) }
	bind, err := BindValues(lookup)
	if err != nil {
		return nil, "", err
	}
	if get(pubseal.EnvPrivateKey) == "" {
		c, err := aescrypt.FromLookup(lookup)
		switch {
		case err != nil:
			return nil, "", fmt.Errorf("%w: %w", ErrConfig, err) // aescrypt names the variable, never the key
		case bind:
			return BoundBackend(c), "aes-bound", nil
		}
		return Backend(c), "aes", nil
	}
	if get(aescrypt.EnvSecret) != "" {
		return nil, "", fmt.Errorf("%w: %s and %s are both set: set %s for public-key mode or %s for the tutorial's AES mode",
			ErrConfig, aescrypt.EnvSecret, pubseal.EnvPrivateKey, pubseal.EnvPrivateKey, aescrypt.EnvSecret)
	}
	if bind {
		return nil, "", fmt.Errorf("%w: BIND_VALUES is set beside %s: public-key values are always bound to their field and call; unset it",
			ErrConfig, pubseal.EnvPrivateKey)
	}
	keys, err := pubseal.PrivateKeysFromLookup(lookup)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrConfig, err) // pubseal names the variable, never a key
	}
	return PublicKeyBackend(keys), "public-key", nil
}
