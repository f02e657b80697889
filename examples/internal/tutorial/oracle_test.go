package tutorial

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/pubseal"
)

// TestPublicKeyBackendIsNoOracle: anyone may seal to the backend's public
// key, so an unsigned request holding the known card and PIN, sealed as
// an IVR seals them, must be refused before anything is opened:
// otherwise decrypt-gather tells whoever asks whether a PIN is right.
func TestPublicKeyBackendIsNoOracle(t *testing.T) {
	k := generatePair(t, pubseal.X25519)
	h, _, err := LoadBackend(env(map[string]string{
		pubseal.EnvPrivateKey: k.ExportText(),
		EnvSigningSecret:      testSigning.ExportHex(),
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
	body := func(pin string) string {
		b, _ := json.Marshal(map[string]string{
			CardField: seal(KnownCard, CardField), PinField: seal(pin, PinField), "callSid": callSid, "from": "+15005550006",
		})
		return string(b)
	}
	code, answer := post(h, body(KnownPin))
	if code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Fatalf("an unsigned request got %d %q, want 401 or 403", code, answer)
	}
	if strings.Contains(answer, KnownAccount) {
		t.Fatalf("an unsigned request learnt the account: %q", answer)
	}
	// Nothing was opened: wrong guesses sent unsigned were not even
	// counted against the card and number, so the IVR's signed request
	// still finds the account.
	for i := range 2 * MaxWrongGuesses {
		if code, _ := post(h, body("000"+string(rune('0'+i%10)))); code != http.StatusUnauthorized {
			t.Fatalf("unsigned guess %d got %d", i+1, code)
		}
	}
	if code, answer := postSigned(h, body(KnownPin)); code != http.StatusOK {
		t.Fatalf("the signed request got %d %q after the unsigned guesses", code, answer)
	}
}

// TestAESBackendSigning: in AES mode decrypt-gather checks signatures
// when BACKEND_SIGNING_SECRET is set, and stays open to the tutorial's
// unsigned Node IVR when it is not.
func TestAESBackendSigning(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	known := sealedJSON(c, KnownCard, KnownPin)
	tests := []struct {
		name     string
		signing  bool // BACKEND_SIGNING_SECRET set
		post     func(http.Handler, string) (int, string)
		wantCode int
	}{
		{"set, signed", true, postSigned, http.StatusOK},
		{"set, unsigned", true, post, http.StatusUnauthorized},
		{"unset, unsigned", false, post, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := map[string]string{"AES_SECRET": c.Primary().ExportHex()}
			if tt.signing {
				vars[EnvSigningSecret] = testSigning.ExportHex()
			}
			h, _, err := LoadBackend(env(vars))
			if err != nil {
				t.Fatal(err)
			}
			if code, answer := tt.post(h, known); code != tt.wantCode {
				t.Fatalf("status %d (%s), want %d", code, answer, tt.wantCode)
			}
		})
	}
}

// TestCallsLockedAfterWrongGuesses runs whole calls through the IVR and a
// signed AES decrypt-gather: after five wrong PINs from one number, the
// right PIN from that number hears the failure sentence too.
func TestCallsLockedAfterWrongGuesses(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	h, _, err := LoadBackend(env(map[string]string{"AES_SECRET": c.Primary().ExportHex(), EnvSigningSecret: testSigning.ExportHex()}))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	finish, err := Finish(srv.URL+BackendPath, testSigning)
	if err != nil {
		t.Fatal(err)
	}
	ivr, err := flow.New(c, testAuthToken, Steps(), finish, flow.WithPublicURL(testPublicURL), flow.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	caller := flowtest.NewCaller(ivr, testPublicURL+IVRPath, testAuthToken)
	if said := caller.Call(KnownCard, KnownPin).LastSaid(); said != SaySuccess(KnownAccount, KnownBalance) {
		t.Fatalf("the first call said %q", said)
	}
	for i := range MaxWrongGuesses {
		if said := caller.Call(KnownCard, "000"+string(rune('0'+i))).LastSaid(); said != SayFailure {
			t.Fatalf("wrong call %d said %q", i+1, said)
		}
	}
	if said := caller.Call(KnownCard, KnownPin).LastSaid(); said != SayFailure {
		t.Fatalf("the right PIN after %d wrong ones said %q", MaxWrongGuesses, said)
	}
}
