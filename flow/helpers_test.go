package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
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

// testBackend is what the tests' Finish posts to: the flow's fields as
// JSON, the CallSid under "callSid", in the manner of package
// flow/backend, which flow's own tests cannot import.
type testBackend struct {
	URL       string
	Timeout   time.Duration // zero: 5s
	Declines  []int
	OnSuccess func(body []byte) ([]twiml.Verb, error)
	Failure   []twiml.Verb
}

// errTestBackend wraps a testBackend's failures.
var errTestBackend = errors.New("test backend failed")

// postJSON is a Finish that posts to b and says what it answers.
func postJSON(b testBackend) Finish {
	if b.Timeout == 0 {
		b.Timeout = 5 * time.Second
	}
	return func(ctx context.Context, r *Result) ([]twiml.Verb, error) {
		body := map[string]string{"callSid": r.CallSid}
		maps.Copy(body, r.Sealed)
		maps.Copy(body, r.Plain)
		payload, err := json.Marshal(body)
		if err != nil {
			return b.Failure, err
		}
		ctx, cancel := context.WithTimeout(ctx, b.Timeout)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.URL, bytes.NewReader(payload))
		if err != nil {
			return b.Failure, fmt.Errorf("%w: %w", errTestBackend, err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return b.Failure, fmt.Errorf("%w: %w", errTestBackend, err)
		}
		defer resp.Body.Close()
		answer, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		switch {
		case err != nil:
			return b.Failure, fmt.Errorf("%w: %w", errTestBackend, err)
		case slices.Contains(b.Declines, resp.StatusCode):
			return b.Failure, fmt.Errorf("%w: %w: status %d", ErrDeclined, errTestBackend, resp.StatusCode)
		case resp.StatusCode/100 != 2:
			return b.Failure, fmt.Errorf("%w: status %d", errTestBackend, resp.StatusCode)
		case b.OnSuccess == nil:
			return nil, nil
		}
		verbs, err := b.OnSuccess(answer)
		if err != nil {
			return b.Failure, fmt.Errorf("%w: answer refused: %w", errTestBackend, err)
		}
		return verbs, nil
	}
}

type fixture struct {
	entries int // first requests sent by firstStep
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
	fx.flow = fx.newFlow(t, testBackend{URL: fx.server.URL}, opts...)
	return fx
}

func (fx *fixture) newFlow(t *testing.T, b testBackend, opts ...Option) *Flow {
	t.Helper()
	if b.OnSuccess == nil {
		b.OnSuccess = accountSentence
	}
	if b.Failure == nil {
		b.Failure = []twiml.Verb{twiml.Say{Text: sayFailure}}
	}
	opts = append([]Option{WithPublicURL(testPublicURL)}, opts...)
	f, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(b), opts...)
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
