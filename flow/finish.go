package flow

import (
	"context"
	"encoding/hex"

	"github.com/encgather/encgather/twiml"
)

// Result is what a flow has gathered when its last step is done.
type Result struct {
	// CallSid is the call the values were gathered on.
	CallSid string
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
// webhook request, so it must answer well within Twilio's 15 s timeout.
//
// If it returns an error, the flow logs it (so it must not quote a value)
// and says the returned verbs, or the flow's apology when there are none. A
// <Hangup> is added when the verbs do not end the call themselves.
type Finish func(ctx context.Context, r *Result) ([]twiml.Verb, error)

func (f *Flow) result(callSid string, fields []field) *Result {
	res := &Result{CallSid: callSid, Sealed: make(map[string]string), Plain: make(map[string]string)}
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
// verb that ends or moves the call.
func endCall(verbs []twiml.Verb) []twiml.Verb {
	out := append([]twiml.Verb(nil), verbs...)
	if len(out) > 0 {
		switch out[len(out)-1].(type) {
		case twiml.Hangup, twiml.Reject, twiml.Redirect:
			return out
		}
	}
	return append(out, twiml.Hangup{})
}
