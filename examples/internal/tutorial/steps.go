package tutorial

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/encgather/encgather/flow"
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
// processData step does, and says the account and balance it answers, or
// the tutorial's failure sentence on any error. The backend's 404 ("No
// data found") is a decline, a normal outcome, not a failure. It reports a
// backendURL that is not an absolute http(s) URL.
func Finish(backendURL string) (flow.Finish, error) {
	return flow.NewBackend(flow.Backend{
		URL:       backendURL,
		Timeout:   5 * time.Second,
		Declines:  []int{http.StatusNotFound},
		OnSuccess: accountSentence,
		Failure:   []twiml.Verb{twiml.Say{Text: SayFailure}},
	})
}

// Account is the backend's answer for a found caller.
type Account struct {
	Account string `json:"account"`
	Balance string `json:"balance"`
}

var errNoAccount = errors.New("tutorial: backend answer has no account or balance")

func accountSentence(body []byte) ([]twiml.Verb, error) {
	var a Account
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, err
	}
	if a.Account == "" || a.Balance == "" {
		return nil, errNoAccount
	}
	return []twiml.Verb{twiml.Say{Text: SaySuccess(a.Account, a.Balance)}}, nil
}
