package pubseal

import (
	"fmt"
	"os"
	"strings"
)

// The environment variables the FromEnv functions read.
const (
	// EnvPublicKey holds the backend's public key, for the IVR.
	EnvPublicKey = "BACKEND_PUBLIC_KEY"

	// EnvPrivateKey holds the backend's private keys, comma-separated,
	// newest first, for the backend.
	EnvPrivateKey = "BACKEND_PRIVATE_KEY"
)

// PublicKeyFromEnv reads the public key in BACKEND_PUBLIC_KEY. It refuses
// a private key there: the IVR must hold no key that opens what it seals.
// Errors name the variable, never its value.
func PublicKeyFromEnv() (*PublicKey, error) { return PublicKeyFromLookup(os.LookupEnv) }

// PublicKeyFromLookup is PublicKeyFromEnv with the variable read through
// lookup, which has os.LookupEnv's shape: for tests and configuration
// systems.
func PublicKeyFromLookup(lookup func(string) (string, bool)) (*PublicKey, error) {
	text, ok := lookup(EnvPublicKey)
	text = strings.TrimSpace(text)
	if !ok || text == "" {
		return nil, fmt.Errorf("pubseal: %s is not set", EnvPublicKey)
	}
	pk, reason := parsePublicKey(text)
	if reason != "" {
		return nil, fmt.Errorf("%w: %s: %s", ErrKey, EnvPublicKey, reason)
	}
	return pk, nil
}

// PrivateKeysFromEnv reads the private keys in BACKEND_PRIVATE_KEY:
// one or more, comma-separated, newest first. Errors name the variable and
// the entry, never a key.
func PrivateKeysFromEnv() (*PrivateKeys, error) { return PrivateKeysFromLookup(os.LookupEnv) }

// PrivateKeysFromLookup is PrivateKeysFromEnv with the variable read
// through lookup, which has os.LookupEnv's shape.
func PrivateKeysFromLookup(lookup func(string) (string, bool)) (*PrivateKeys, error) {
	list, _ := lookup(EnvPrivateKey)
	var keys []*PrivateKey
	seen := map[string]int{}
	for i, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, reason := parsePrivateKey(part)
		if reason != "" {
			return nil, fmt.Errorf("%w: %s entry %d: %s", ErrKey, EnvPrivateKey, i+1, reason)
		}
		id := k.KEM().String() + k.ID()
		if first, dup := seen[id]; dup {
			return nil, fmt.Errorf("%w: %s entry %d repeats entry %d", ErrKey, EnvPrivateKey, i+1, first)
		}
		seen[id] = i + 1
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("pubseal: %s is not set", EnvPrivateKey)
	}
	return NewPrivateKeys(keys...), nil
}
