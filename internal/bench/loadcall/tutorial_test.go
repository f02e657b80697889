package main

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

// tutorialPath is the tutorial IVR's route.
const tutorialPath = "/encrypted-gather"

// tutorialFlow is the tutorial's IVR for the tool's tests: the example's
// two 4-digit questions and sentences, and a Finish that opens the sealed
// values in process where the example hands them to its backend. The
// example's own package is internal to examples/, and the tool needs only
// the calls' shape: what a Twilio-like caller hears and sends.
func tutorialFlow(t *testing.T, base string) http.Handler {
	t.Helper()
	cipher := aescrypt.New(aescrypt.GenerateKey())
	say := func(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }
	steps := []flow.Step{
		{Name: "getLast4CC", Field: "encryptedCardDigits", Digits: flow.Exactly(4), Timeout: 10 * time.Second,
			Prompt: say("Please enter last 4 digits of your payment card number.")},
		{Name: "getPin", Field: "encryptedPinDigits", Digits: flow.Exactly(4), Timeout: 10 * time.Second,
			Prompt: say("Please enter your unique 4 digit identification number")},
	}
	finish := func(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
		card, errCard := cipher.Open(r.Sealed["encryptedCardDigits"], nil)
		pin, errPin := cipher.Open(r.Sealed["encryptedPinDigits"], nil)
		if errCard != nil || errPin != nil || string(card) != "1234" || string(pin) != "4321" {
			return []twiml.Verb{twiml.Say{Text: "We were not able to locate you in our system. Goodbye."}}, flow.ErrDeclined
		}
		return []twiml.Verb{twiml.Say{Text: "Thank you. Your account number is AC12345678 and your balance is 12.55"}}, nil
	}
	ivr, err := flow.New(cipher, testToken, steps, finish, flow.WithPublicURL(base),
		flow.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	return ivr
}
