package tutorial

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/pubseal"
)

// TestPublicKeyBackendIsNoOracle: anyone may seal to the backend's public
// key, so an unsigned request holding the known card and PIN, sealed as
// an IVR seals them, must be refused before anything is opened:
// otherwise decrypt-gather tells whoever asks whether a PIN is right.
func TestPublicKeyBackendIsNoOracle(t *testing.T) {
	k := generatePair(t, pubseal.X25519)
	h, _, err := LoadBackend(env(map[string]string{
		pubseal.EnvPrivateKey:    k.ExportText(),
		"BACKEND_SIGNING_SECRET": aescrypt.GenerateKey().ExportHex(),
	}))
	if err != nil {
		t.Fatal(err)
	}
	const callSid = "CA0123456789abcdef0123456789abcdef"
	seal := func(digits, field string) string {
		s, err := k.PublicKey().Seal([]byte(digits), field, callSid)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	body, _ := json.Marshal(map[string]string{
		CardField: seal(KnownCard, CardField), PinField: seal(KnownPin, PinField), "callSid": callSid,
	})
	code, answer := post(h, string(body))
	if code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("an unsigned request got %d %q, want 401 or 403", code, answer)
	}
	if strings.Contains(answer, KnownAccount) {
		t.Errorf("an unsigned request learnt the account: %q", answer)
	}
}
