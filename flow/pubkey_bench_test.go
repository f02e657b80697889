package flow

import (
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
			benchServe(b, newBenchPinStep(b, opts...), "step=getZip")
		})
	}
}

// newBenchPinStep prepares the request that answers the PIN step, its
// state carrying the card value sealed by the flow's Sealer.
func newBenchPinStep(b *testing.B, opts ...Option) benchRequest {
	b.Helper()
	opts = append([]Option{WithPublicURL(testPublicURL)}, opts...)
	// A third step after the PIN, so that answering the PIN asks a step
	// (with both values in its state) instead of calling a backend.
	steps := append(tutorialSteps(), Step{Name: "getZip", Field: "encryptedZip", Digits: Exactly(5),
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your ZIP code."}}})
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, steps,
		PostJSON(Backend{URL: "http://127.0.0.1:1"}), opts...)
	if err != nil {
		b.Fatal(err)
	}
	card, err := f.gathered(0, "1234", testCallSid)
	if err != nil {
		b.Fatal(err)
	}
	st := &state{issuedAt: time.Now(), attempt: 1, fields: []field{card}}
	target := testWebhook + "?" + StepParam + "=getPin&" + StateParam + "=" + f.states.seal(st, testCallSid, "getPin")
	form := callForm(testCallSid, "Digits", "4321", "From", "+15005550006", "To", "+15005550001",
		"CallStatus", "in-progress", "Direction", "inbound", "ApiVersion", "2010-04-01")
	return benchRequest{flow: f, target: target, body: form.Encode(), sig: twiliosig.Sign(testAuthToken, target, form)}
}
