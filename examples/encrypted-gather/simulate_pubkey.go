package main

import (
	"fmt"
	"io"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/pubseal"
)

// simulatePublicKeyCall is simulateCall in public-key mode, with the two
// services kept apart as they are deployed, each configured from an
// environment of its own, read as the programs read theirs. The backend,
// decrypt-gather's handler, holds a fresh private key and the signing
// secret, and listens on loopback. The IVR holds BACKEND_PUBLIC_KEY, a
// fresh STATE_SECRET, the auth token, BACKEND_URL and the signing secret,
// and no key that opens a value.
func simulatePublicKeyCall(out io.Writer, keys []string) error {
	backendKey, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		return err
	}
	signing := backend.GenerateSecret()
	backendEnv := map[string]string{
		pubseal.EnvPrivateKey:     backendKey.ExportText(),
		tutorial.EnvSigningSecret: signing.ExportHex(),
	}
	h, _, err := tutorial.LoadBackend(func(name string) (string, bool) { v, ok := backendEnv[name]; return v, ok })
	if err != nil {
		return err
	}
	ivrEnv := map[string]string{
		"PUBLIC_URL":              simulatedPublicURL,
		"TWILIO_AUTH_TOKEN":       newAuthToken(),
		tutorial.EnvStateSecret:   aescrypt.GenerateKey().ExportHex(),
		pubseal.EnvPublicKey:      backendKey.PublicKey().String(),
		tutorial.EnvSigningSecret: signing.ExportHex(),
	}
	fmt.Fprintf(out, "Public-key mode. The backend on loopback holds %s (%v, id=%s) and %s (id=%s).\n",
		pubseal.EnvPrivateKey, backendKey.KEM(), backendKey.ID(), tutorial.EnvSigningSecret, signing.ID())
	fmt.Fprintf(out, "The IVR holds %s, %s, %s and TWILIO_AUTH_TOKEN: no key that opens what it seals.\n\n",
		pubseal.EnvPublicKey, tutorial.EnvStateSecret, tutorial.EnvSigningSecret)
	return runSimulation(out, keys, h, func(backendURL string) (tutorial.Config, error) {
		ivrEnv["BACKEND_URL"] = backendURL
		return tutorial.LoadConfig(func(name string) (string, bool) { v, ok := ivrEnv[name]; return v, ok }, false)
	})
}
