package tutorial

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/twiml"
)

// The tutorial's routes and JSON field names.
const (
	IVRPath     = "/encrypted-gather"
	BackendPath = "/decrypt-gather"
	CardField   = "encryptedCardDigits"
	PinField    = "encryptedPinDigits"
)

// Steps are the tutorial's two questions: the last four card digits, then
// the PIN, each a 4-digit <Gather> with a 10 s timeout.
func Steps() []flow.Step {
	return []flow.Step{
		{Name: "getLast4CC", Field: CardField, Digits: flow.Exactly(4), Timeout: 10 * time.Second, Prompt: say(SayCard)},
		{Name: "getPin", Field: PinField, Digits: flow.Exactly(4), Timeout: 10 * time.Second, Prompt: say(SayPin)},
	}
}

// Finish posts the sealed fields to backendURL as the tutorial's
// processData step does, with the CallSid and the caller's number beside
// them, signed with signing unless it is the zero Secret. It says the
// account and balance the backend answers, or the tutorial's failure
// sentence on anything else. The backend's 404 ("No data found") and 429
// (the guess limit) are declines, normal outcomes; the rest are failures.
// It reports a backendURL that is not an absolute http(s) URL.
func Finish(backendURL string, signing backend.Secret) (flow.Finish, error) {
	sorry := []twiml.Verb{twiml.Say{Text: SayFailure}}
	return backend.New(backend.Config{
		URL:             backendURL,
		Signing:         signing,
		Timeout:         5 * time.Second,
		OnSuccess:       accountSentence,
		Decline:         sorry,
		DeclineStatuses: []int{http.StatusNotFound, http.StatusTooManyRequests},
		Failure:         sorry,
	})
}

// SigningSecret is the secret the IVR signs with: the newest of
// BACKEND_SIGNING_SECRET, or the zero Secret when it is unset.
func (c *Config) SigningSecret() backend.Secret {
	if c.Signing == nil {
		return backend.Secret{}
	}
	return c.Signing.Newest()
}

// Account is the backend's answer for a found caller.
type Account struct {
	Account string `json:"account"`
	Balance string `json:"balance"`
}

// errNoAccount is the one error for an answer without an account: the
// decoder's would quote a byte of the answer.
var errNoAccount = errors.New("tutorial: backend answer is not an account and balance")

func accountSentence(body []byte) ([]twiml.Verb, error) {
	var a Account
	if json.Unmarshal(body, &a) != nil {
		return nil, errNoAccount
	}
	if a.Account == "" || a.Balance == "" {
		return nil, errNoAccount
	}
	return []twiml.Verb{twiml.Say{Text: SaySuccess(a.Account, a.Balance)}}, nil
}
