package flow

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/encgather/encgather/twiml"
)

// errTooManyRequests is the cause logged for OutcomeTooManyRequests.
var errTooManyRequests = errors.New("flow: the call made more requests than the flow allows")

// Result is what a flow hands its Finish when a call ends: what it has
// gathered, and how it ended.
type Result struct {
	// Outcome is how the call ended: OutcomeFinished when the flow
	// reached its end (every step on the path answered), and, with
	// WithEveryEnding, OutcomeGaveUp (a step used its last attempt) and
	// OutcomeInterrupted (the caller pressed a step's InterruptKey); with
	// WithFinishOnHangUp, OutcomeHungUp.
	Outcome Outcome
	// Step is the step the call ended at, for an Outcome other than
	// OutcomeFinished; Reason says why it gave up, for OutcomeGaveUp.
	Step   string
	Reason Reason
	// Path names the steps whose values the call holds, in the order
	// they were last answered: the way the call took through the flow.
	// A step answered again, after a menu led back, appears once.
	Path []string
	// Facts maps the facts steps revealed (Step.Reveals) to their values.
	Facts map[string]string

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

// Finish answers the caller once the flow reaches its end: the one hook
// every ending reaches. By default it runs only when the flow is done
// (Result.Outcome is OutcomeFinished), so a Finish that posts to a backend
// is never handed a call cut short. WithEveryEnding makes it run, and its
// verbs be said, when a step gives up or the caller interrupts;
// WithFinishOnHangUp makes it run when the caller hangs up, where its
// verbs are ignored (no call is left to say them to). It runs within the
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
	switch {
	case errors.Is(err, ErrDeclined):
		return OutcomeDeclined
	case errors.Is(err, errFinishOverran):
		return OutcomeFinishOverran
	}
	return OutcomeFinishFailed
}

// ending completes d for a call that ends at step at (noStep when it
// reached the flow's end) with outcome o: Finish runs if the flow's
// options say so for o; else the caller hears the goodbye, or nothing
// after a hang-up. The values of the call's OffURL steps are then
// deleted from the ValueStore.
func (f *Flow) ending(wh *webhook, d decision, at int, fields []field, o Outcome) decision {
	if !f.claim(wh, &d) { // Finish, and dropping values kept off the URL, change things
		return d
	}
	// Values kept off the URL go once the call is over, Finish or not; one
	// that fails to go stays sealed, and expires.
	defer f.dropValues(wh.ctx, fields)
	d.outcome = o
	switch {
	case o == OutcomeHungUp && !f.cfg.finishOnHangUp:
		d.verbs = nil
		return d
	case o != OutcomeHungUp && o != OutcomeFinished && !f.cfg.everyEnding:
		d.verbs = f.cfg.goodbye
		return d
	}
	ctx, cancel := f.budget(wh) // values kept off the URL are read back within the request's budget
	defer cancel()
	res, err := f.result(ctx, wh, fields)
	if err != nil {
		d.outcome, d.err, d.verbs = OutcomeStoreFailed, err, f.cfg.apology
		return d
	}
	res.Outcome = o
	if at != noStep {
		res.Step, res.Reason = f.steps[at].Name, d.reason
	}
	verbs, err := f.runFinish(wh, res)
	if err != nil {
		d.outcome, d.err = finishFailure(err), err
	}
	switch {
	case o == OutcomeHungUp:
		d.verbs = nil // an empty <Response/>: the call is gone
	case err != nil && len(verbs) == 0:
		d.verbs = f.cfg.apology
	case len(verbs) == 0 && o != OutcomeFinished:
		d.verbs = f.cfg.goodbye
	default:
		d.verbs = endCall(verbs)
		if err := validFinishVerbs(d.verbs); err != nil {
			d.outcome, d.err, d.verbs = OutcomeFinishFailed, err, f.cfg.apology
		}
	}
	return d
}

func (f *Flow) result(ctx context.Context, wh *webhook, fields []field) (*Result, error) {
	res := &Result{CallSid: wh.callSid, AccountSid: strings.Clone(wh.accountSid), From: strings.Clone(wh.from),
		Sealed: make(map[string]string), Plain: make(map[string]string), Facts: make(map[string]string),
		Path: make([]string, 0, len(fields))}
	for _, name := range f.cfg.entryParams {
		if v, ok := f.entryFact(wh.entry, name); ok {
			res.Facts[name] = v
		}
	}
	for _, fl := range fields {
		step := &f.steps[fl.step]
		name := step.field()
		res.Path = append(res.Path, step.Name)
		switch {
		case fl.plain:
			res.Plain[name] = string(fl.value)
		case fl.reference:
			v, err := f.valueOf(ctx, fl)
			if err != nil {
				return nil, err
			}
			res.Sealed[name] = hex.EncodeToString(v)
		default:
			res.Sealed[name] = hex.EncodeToString(fl.value)
		}
		for i, fact := range step.Reveals {
			if v, ok := factAt(fl.facts, i); ok {
				res.Facts[fact] = v
			}
		}
	}
	return res, nil
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
