package flow

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/encgather/encgather/twiml"
)

// Result is what a flow has gathered when its last step is done.
type Result struct {
	// CallSid is the call the values were gathered on.
	CallSid string
	// AccountSid is the account the call belongs to, as the signed
	// request said.
	AccountSid string
	// From is the caller's number as the signed request gave it (Twilio's
	// From parameter): not a secret, but not verified by anyone either.
	From string
	// Sealed maps each sensitive step's field name to its sealed value,
	// hex-encoded. By default the value is sealed with the flow's master
	// key in aescrypt's format (no additional data): what a backend opens
	// with aescrypt.Cipher.Open or Node's crypto. With WithBoundValues its
	// additional data is AdditionalData(field, CallSid). With WithSealer it
	// is what the Sealer made.
	Sealed map[string]string
	// Plain maps each Plain step's field name to its digits.
	Plain map[string]string
}

// Finish answers the caller once every step is done. It runs within the
// webhook request, so it must answer well within Twilio's 15 s timeout:
// ctx has a deadline, DefaultFinishTimeout unless WithFinishTimeout says
// otherwise, and is cancelled if Twilio hangs up on the request.
//
// If it returns an error, the flow logs it (so it must not quote a value)
// and says the returned verbs, or the flow's apology when there are none.
// An error wrapping ErrDeclined is a normal outcome (a wrong PIN), logged
// at INFO as "declined"; any other is a failure, logged at ERROR as
// "finish_failed". A <Hangup> is added when the verbs do not end the call
// themselves; a Finish that hands a verified caller on ends with a <Dial>
// (to a <Number>, <Client>, <Sip>, <Conference> or <Queue>) or an
// <Enqueue>, and nothing is added after it.
type Finish func(ctx context.Context, r *Result) ([]twiml.Verb, error)

// ErrDeclined is what a Finish wraps when it turns the caller away as a
// normal outcome: the backend found no account for the values, say. The
// flow says the Finish's verbs, logs the decline at INFO and reports the
// outcome "declined", apart from failures. Package flow/backend wraps it
// for a backend's "no match" statuses.
var ErrDeclined = errors.New("flow: declined")

// finishFailure is the outcome of a Finish that returned err.
func finishFailure(err error) Outcome {
	if errors.Is(err, ErrDeclined) {
		return OutcomeDeclined
	}
	return OutcomeFinishFailed
}

func (f *Flow) result(wh *webhook, fields []field) *Result {
	res := &Result{CallSid: wh.callSid, AccountSid: strings.Clone(wh.accountSid), From: strings.Clone(wh.from), Sealed: make(map[string]string), Plain: make(map[string]string)}
	for _, fl := range fields {
		name := f.steps[fl.step].field()
		if fl.plain {
			res.Plain[name] = string(fl.value)
		} else {
			res.Sealed[name] = hex.EncodeToString(fl.value)
		}
	}
	return res
}

// endCall returns verbs followed by a <Hangup>, unless they already end in a
// verb that ends the call or hands it on (<Dial>, <Enqueue>, <Redirect>).
func endCall(verbs []twiml.Verb) []twiml.Verb {
	out := append([]twiml.Verb(nil), verbs...)
	if len(out) > 0 {
		last := out[len(out)-1]
		if _, redirect := last.(twiml.Redirect); redirect || twiml.EndsCall(last) {
			return out
		}
	}
	return append(out, twiml.Hangup{})
}
