package main

import (
	"strings"
	"testing"

	"github.com/encgather/encgather/pubseal"
)

// TestPublicKeyModeRefusesToStartUnsigned: with BACKEND_PRIVATE_KEY and
// no BACKEND_SIGNING_SECRET, decrypt-gather does not start, and says
// which variable is missing without printing the key.
func TestPublicKeyModeRefusesToStartUnsigned(t *testing.T) {
	k, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(pubseal.EnvPrivateKey, k.ExportText())
	t.Setenv("BACKEND_SIGNING_SECRET", "")
	t.Setenv("AES_SECRET", "")
	t.Setenv("ADDR", "127.0.0.1:0")
	err = run()
	if err == nil || !strings.Contains(err.Error(), "BACKEND_SIGNING_SECRET is not set") {
		t.Fatalf("run = %v, want a refusal naming BACKEND_SIGNING_SECRET", err)
	}
	if strings.Contains(err.Error(), k.ExportText()[30:]) {
		t.Fatalf("the error prints the private key: %v", err)
	}
}
