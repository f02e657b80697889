package flow

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

// BenchmarkStepPublicKey is BenchmarkStep in public-key mode: the card
// step's digits sealed to the backend's public key under each KEM, beside
// the default AES-GCM Sealer. The second step's state carries the sealed
// card value, so the state is sealed and opened at its real size.
func BenchmarkStepPublicKey(b *testing.B) {
	for _, s := range testSealers {
		b.Run(s.name, func(b *testing.B) {
			opts, _ := s.options(b)
			p := newBenchPinStep(b, opts...)
			benchFreshSteps(b, &freshSteps{f: p.flow, make: p.request}, "step=getZip")
		})
	}
}

// pinSteps makes signed requests that answer the PIN step, each with a
// fresh token (a token answers once) whose state carries the card value
// sealed by the flow's Sealer.
type pinSteps struct {
	flow *Flow
	card field
	body string
	form url.Values
}

// newBenchPinStep prepares the flow and the card value the PIN step's
// requests carry. Single use runs with a store that keeps nothing, so the
// benchmark measures the step, not the store's size.
func newBenchPinStep(b *testing.B, opts ...Option) pinSteps {
	b.Helper()
	opts = append([]Option{WithPublicURL(testPublicURL), WithStore(nopStore{}), WithLogger(slog.New(slog.DiscardHandler))}, opts...)
	// A third step after the PIN, so that answering the PIN asks a step
	// (with both values in its state) instead of calling a backend.
	steps := append(tutorialSteps(), Step{Name: "getZip", Field: "encryptedZip", Digits: Exactly(5),
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your ZIP code."}}})
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps,
		postJSON(testBackend{URL: "http://127.0.0.1:1"}), opts...)
	if err != nil {
		b.Fatal(err)
	}
	card, err := f.gathered(0, "1234", testCallSid)
	if err != nil {
		b.Fatal(err)
	}
	form := callForm(testCallSid, "Digits", "4321", "From", "+15005550006", "To", "+15005550001",
		"CallStatus", "in-progress", "Direction", "inbound", "ApiVersion", "2010-04-01")
	return pinSteps{flow: f, card: card, body: form.Encode(), form: form}
}

// request returns a signed request answering the PIN step with a new token.
func (p pinSteps) request() *http.Request {
	now := time.Now()
	st := &state{issuedAt: now, expires: now.Add(DefaultMaxAge), attempt: 1, fields: []field{p.card}}
	target := testWebhook + "?" + stepParam + "=getPin&" + stateParam + "=" + p.flow.states.seal(st, testCallSid, "getPin")
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(p.body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, target, p.form))
	return req
}
