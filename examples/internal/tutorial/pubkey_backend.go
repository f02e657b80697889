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
// still arrive. It answers, and limits guesses, as Backend does; put it
// behind RequireSignatures, as LoadBackend does, since anyone can seal to
// the public key.
func PublicKeyBackend(keys *pubseal.PrivateKeys) http.Handler {
	return newBackend(keys.Open,
		"bad request: want a JSON object with encryptedCardDigits, encryptedPinDigits and callSid",
		"bad request: a value does not open with this service's keys for this call")
}

// LoadBackend builds decrypt-gather's handler from the environment,
// through lookup: PublicKeyBackend with BACKEND_PRIVATE_KEY (public-key
// mode), else Backend with AES_SECRET and AES_SECRET_PREVIOUS, or
// BoundBackend with BIND_VALUES=1 too. AES_SECRET or BIND_VALUES beside
// BACKEND_PRIVATE_KEY is an error: a backend serves one mode, and
// public-key values are always bound. Errors name variables, never values.
//
// With BACKEND_SIGNING_SECRET (and _PREVIOUS) set, the handler answers
// only requests the IVR signed with it (RequireSignatures), 401 to any
// other. Public-key mode refuses to start without it: anyone can seal to
// a public key, so an unsigned backend would tell anyone whether a PIN is
// right. AES mode without it stays wire-compatible with the tutorial's
// Node IVR, which does not sign.
//
// It returns the mode's name for the log: "public-key", "aes" or
// "aes-bound", followed by "+signed" when signatures are required.
func LoadBackend(lookup func(string) (string, bool)) (http.Handler, string, error) {
	h, mode, err := loadOpener(lookup)
	if err != nil {
		return nil, "", err
	}
	secrets, err := loadSigning(lookup)
	switch {
	case err != nil:
		return nil, "", err
	case secrets == nil && mode == "public-key":
		return nil, "", fmt.Errorf("%w: %s is not set: in public-key mode the backend answers only requests the IVR signed "+
			"(anyone can seal a guess to the public key); make one with go run ./examples/keygen -signing-secret "+
			"and give the IVR the same", ErrConfig, EnvSigningSecret)
	case secrets == nil:
		return h, mode, nil
	}
	if h, err = RequireSignatures(h, secrets); err != nil {
		return nil, "", err
	}
	return h, mode + "+signed", nil
}

// loadOpener is LoadBackend's handler before signatures are checked.
func loadOpener(lookup func(string) (string, bool)) (http.Handler, string, error) {
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
