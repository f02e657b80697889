package main

import (
	"fmt"
	"io"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/pubseal"
)

// simulatePublicKeyCall is simulateCall in public-key mode, with the two
// services kept apart as they are deployed. The backend, decrypt-gather's
// handler, holds a fresh private key and listens on loopback. The IVR is
// configured from an environment of its own, read by LoadConfig as the
// server reads it: BACKEND_PUBLIC_KEY, a fresh STATE_SECRET, the auth
// token and BACKEND_URL, and no key that opens a value.
func simulatePublicKeyCall(out io.Writer, keys []string) error {
	backendKey, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		return err
	}
	backend := tutorial.PublicKeyBackend(pubseal.NewPrivateKeys(backendKey))
	ivrEnv := map[string]string{
		"PUBLIC_URL":            simulatedPublicURL,
		"TWILIO_AUTH_TOKEN":     newAuthToken(),
		tutorial.EnvStateSecret: aescrypt.GenerateKey().ExportHex(),
		pubseal.EnvPublicKey:    backendKey.PublicKey().String(),
	}
	fmt.Fprintf(out, "Public-key mode. The backend on loopback holds %s (%v, id=%s).\n",
		pubseal.EnvPrivateKey, backendKey.KEM(), backendKey.ID())
	fmt.Fprintf(out, "The IVR holds %s, %s and TWILIO_AUTH_TOKEN: no key that opens what it seals.\n\n",
		pubseal.EnvPublicKey, tutorial.EnvStateSecret)
	return runSimulation(out, keys, backend, func(backendURL string) (tutorial.Config, error) {
		ivrEnv["BACKEND_URL"] = backendURL
		return tutorial.LoadConfig(func(name string) (string, bool) { v, ok := ivrEnv[name]; return v, ok }, false)
	})
}
