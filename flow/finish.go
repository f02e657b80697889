package flow

import (
	"context"
	"errors"

	"github.com/encgather/encgather/twiml"
)

// Result is what a flow has gathered when its last step is done.
type Result struct {
	// CallSid is the call the values were gathered on.
	CallSid string
	// Sealed maps each sensitive step's field name to its value sealed with
	// the flow's master key, in aescrypt's hex format (no additional data):
	// what a backend opens with aescrypt.Cipher.Open or Node's crypto.
	Sealed map[string]string
	// Plain maps each Plain step's field name to its digits.
	Plain map[string]string
}

// Finish answers the caller once every step is done. It runs within the
// webhook request, so it must answer well within Twilio's 15 s timeout.
//
// If it returns an error, the flow logs it (so it must not quote a value)
// and says the returned verbs, or the flow's apology when there are none. A
// <Hangup> is added when the verbs do not end the call themselves.
type Finish func(ctx context.Context, r *Result) ([]twiml.Verb, error)

// errNoFinish is returned by New for a flow without a Finish.
var errNoFinish = errors.New("flow: nil Finish")
