package aescrypt

import (
	"fmt"
	"os"
	"strings"
)

// The environment variables FromEnv reads, as the tutorial names them.
const (
	EnvSecret         = "AES_SECRET"
	EnvSecretPrevious = "AES_SECRET_PREVIOUS"
)

// FromEnv builds a Cipher from AES_SECRET (the primary key, 64 hex
// characters) and AES_SECRET_PREVIOUS (older keys still accepted for
// opening, comma-separated; may be unset). Errors name the variable, never
// its value.
func FromEnv() (*Cipher, error) { return FromLookup(os.LookupEnv) }

// FromLookup is FromEnv with the variables read through lookup, which has
// os.LookupEnv's shape: for tests and configuration systems.
func FromLookup(lookup func(string) (string, bool)) (*Cipher, error) {
	return FromLookupNamed(lookup, EnvSecret)
}

// FromEnvNamed is FromEnv for a key under another name: the variable name
// holds the primary key and name+"_PREVIOUS" the older ones. A service in
// public-key mode loads its state secret with it, for example
// FromEnvNamed("STATE_SECRET"), apart from any key that opens values.
func FromEnvNamed(name string) (*Cipher, error) { return FromLookupNamed(os.LookupEnv, name) }

// FromLookupNamed is FromEnvNamed with the variables read through lookup.
func FromLookupNamed(lookup func(string) (string, bool), name string) (*Cipher, error) {
	previousName := name + "_PREVIOUS"
	primaryHex, ok := lookup(name)
	primaryHex = strings.TrimSpace(primaryHex)
	if !ok || primaryHex == "" {
		return nil, fmt.Errorf("aescrypt: %s is not set", name)
	}
	primary, err := ParseKey(primaryHex)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var previous []Key
	list, _ := lookup(previousName)
	for i, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, err := ParseKey(part)
		if err != nil {
			return nil, fmt.Errorf("%s entry %d: %w", previousName, i+1, err)
		}
		previous = append(previous, k)
	}
	return New(primary, previous...), nil
}
