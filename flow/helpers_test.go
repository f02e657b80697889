package flow

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

const (
	testAuthToken = "test-auth-token-0123456789abcdef"
	testPublicURL = "https://ivr.example.com"
	testWebhook   = testPublicURL + "/encrypted-gather"

	sayCard    = "Please enter last 4 digits of your payment card number."
	sayPin     = "Please enter your unique 4 digit identification number"
	sayFailure = "We were not able to locate you in our system. Goodbye."
	saySuccess = "Thank you. Your account number is AC12345678 and your balance is 12.55"
)

// tutorialSteps are the tutorial's two questions.
func tutorialSteps() []Step {
	return []Step{
		{Name: "getLast4CC", Field: "encryptedCardDigits", Digits: Exactly(4), Timeout: 10 * time.Second,
			Prompt: []twiml.GatherVerb{twiml.Say{Text: sayCard}}},
		{Name: "getPin", Field: "encryptedPinDigits", Digits: Exactly(4), Timeout: 10 * time.Second,
			Prompt: []twiml.GatherVerb{twiml.Say{Text: sayPin}}},
	}
}

// tutorialBackend is the tutorial's /decrypt-gather: 200 with an account
// for card 1234 and PIN 4321, 404 otherwise. It records each JSON body.
type tutorialBackend struct {
	cipher *aescrypt.Cipher
	mu     sync.Mutex
	bodies []map[string]string
}

func (b *tutorialBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in map[string]string
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	b.mu.Lock()
	b.bodies = append(b.bodies, in)
	b.mu.Unlock()
	card, err1 := b.cipher.Open(in["encryptedCardDigits"], nil)
	pin, err2 := b.cipher.Open(in["encryptedPinDigits"], nil)
	if err1 != nil || err2 != nil || string(card) != "1234" || string(pin) != "4321" {
		http.Error(w, "No data found", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"account":"AC12345678","balance":"12.55"}`)
}

// accountSentence is the tutorial's success mapping.
func accountSentence(body []byte) ([]twiml.Verb, error) {
	var out struct{ Account, Balance string }
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, err
	}
	if out.Account == "" || out.Balance == "" {
		return nil, fmt.Errorf("missing account or balance")
	}
	return []twiml.Verb{twiml.Say{Text: "Thank you. Your account number is " + out.Account + " and your balance is " + out.Balance}}, nil
}

type fixture struct {
	master  *aescrypt.Cipher
	backend *tutorialBackend
	server  *httptest.Server
	flow    *Flow
}

// newFixture builds the tutorial's flow against an in-process backend.
func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	fx := &fixture{master: aescrypt.New(aescrypt.GenerateKey())}
	fx.backend = &tutorialBackend{cipher: fx.master}
	fx.server = httptest.NewServer(fx.backend)
	t.Cleanup(fx.server.Close)
	fx.flow = fx.newFlow(t, Backend{URL: fx.server.URL}, opts...)
	return fx
}

func (fx *fixture) newFlow(t *testing.T, b Backend, opts ...Option) *Flow {
	t.Helper()
	if b.OnSuccess == nil {
		b.OnSuccess = accountSentence
	}
	if b.Failure == nil {
		b.Failure = []twiml.Verb{twiml.Say{Text: sayFailure}}
	}
	opts = append([]Option{WithPublicURL(testPublicURL)}, opts...)
	f, err := New(fx.master, testAuthToken, tutorialSteps(), PostJSON(b), opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

func (fx *fixture) caller(h http.Handler) *flowtest.Caller {
	if h == nil {
		h = fx.flow
	}
	return flowtest.NewCaller(h, testWebhook, testAuthToken)
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

// seal encodes and seals st as a base64url token, as an action URL carries
// it: for tests that make or alter tokens themselves.
func (c *stateCodec) seal(st *state, callSid, step string) string {
	return string(c.appendToken(nil, st, callSid, step))
}
