package flow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/encgather/encgather/twiml"
)

// clockSkew is how far in the future a state's issue time may lie, for
// replicas whose clocks differ a little.
const clockSkew = time.Minute

// errExpired is the cause logged for a state past its maximum age.
var errExpired = errors.New("flow: state expired")

// noStep marks a decision that answered or asks no step.
const noStep = -1

// decision is what the engine decided for one request, final when decide
// returns it: the handler renders, saves, writes and logs it, and none of
// them changes it.
type decision struct {
	callSid  string
	answered int // index of the step the request answered, or noStep
	attempt  int // attempt of the answered step
	asked    int // index of the step asked next, or noStep
	outcome  Outcome
	reason   Reason // why the asked step asks again, when it does
	err      error  // the cause of a refusal or failure; never holds a value
	verbs    []twiml.Verb
	status   int // the HTTP status of a refusal answered without TwiML; 0 for TwiML
	// unverifiedCallSid is the CallSid a request refused for its
	// signature claims: logged under a name that says no one vouched
	// for it.
	unverifiedCallSid string
	stack             []byte // where a panic happened, for the log
	use               tokenUse
	recording         recordingResult // what the recording rule did

	// paused says the call's recording was paused when the request came,
	// as the request's state says; only a request that holds its token's
	// claim ever says so, since only such a request may touch the
	// recording.
	paused bool
}

// refused is the decision for a request the engine does not serve.
func refused(callSid string, o Outcome, err error, verbs []twiml.Verb) decision {
	return decision{callSid: callSid, answered: noStep, asked: noStep, outcome: o, err: err, verbs: verbs}
}

// decide is the engine: one signed webhook in, the final decision out. It
// runs the step and, where the call's recording must change, the
// recording rule: pausing before the token that says "paused" is sealed,
// resuming once nothing sensitive is asked.
func (f *Flow) decide(wh *webhook) decision {
	d := f.serve(wh)
	if d.asked == noStep && d.paused {
		d.recording = f.recordingRule(wh, true, false)
	}
	return d
}

// serve opens the state, claims its token, runs the step on the digits,
// seals them and decides what to ask next.
func (f *Flow) serve(wh *webhook) decision {
	if wh.repeated != "" {
		return refused(wh.callSid, OutcomeBadRequest, fmt.Errorf("flow: parameter %s given more than once", wh.repeated), f.cfg.apology)
	}
	if !validCallSid(wh.callSid) {
		return refused(wh.callSid, OutcomeBadRequest, errors.New("flow: missing or malformed CallSid"), f.cfg.apology)
	}
	if err := f.checkAccount(wh.accountSid); err != nil {
		return refused(wh.callSid, OutcomeWrongAccount, err, f.cfg.apology)
	}
	if wh.token == "" {
		// A new call. Anything else in the query is ignored: without a
		// state nothing can be skipped or carried over.
		d, ok := f.consumeEntry(wh, decision{callSid: wh.callSid, answered: noStep, asked: noStep, outcome: OutcomeAsked})
		if !ok {
			return d
		}
		return f.ask(wh, d, 0, &state{attempt: 1})
	}

	idx, ok := f.index[wh.step]
	if !ok {
		return refused(wh.callSid, OutcomeUnknownStep, errors.New("flow: unknown step in action URL"), f.cfg.apology)
	}
	d := decision{callSid: wh.callSid, answered: idx, asked: noStep}
	st, err := f.states.open(wh.token, wh.callSid, wh.step, len(f.steps))
	if err != nil {
		return f.fail(d, OutcomeBadState, err)
	}
	d.attempt = st.attempt
	if err := f.checkAge(st, wh.now); err != nil {
		return f.fail(d, OutcomeExpired, err)
	}
	if d, ok = f.consume(wh, d, st.id, st.issuedAt.Add(f.cfg.maxAge)); !ok {
		return d
	}
	d.paused = st.paused

	step := &f.steps[idx]
	if wh.digits == "" {
		return f.retry(wh, d, idx, st, ReasonTimeout)
	}
	if err := step.check(wh.digits); err != nil {
		return f.retry(wh, d, idx, st, refusal(err))
	}
	fl, err := f.gathered(idx, wh.digits, wh.callSid)
	if err != nil {
		return f.fail(d, OutcomeSealFailed, err)
	}
	fields := setField(st.fields, fl)
	next := f.nextStep(idx, wh.digits)
	switch {
	case next < 0:
		return f.fail(d, OutcomeBadNext, errors.New("flow: Next returned an unknown step name"))
	case next == len(f.steps):
		return f.finishCall(wh, d, fields)
	}
	d.outcome = OutcomeGathered
	return f.ask(wh, d, next, &state{attempt: 1, fields: fields})
}

// fail completes d as a request answered with the apology.
func (f *Flow) fail(d decision, o Outcome, err error) decision {
	d.outcome, d.err, d.verbs = o, err, f.cfg.apology
	return d
}

func (f *Flow) checkAge(st *state, now time.Time) error {
	if now.Sub(st.issuedAt) > f.cfg.maxAge || st.issuedAt.Sub(now) > clockSkew {
		return errExpired
	}
	return nil
}

// setField adds fl, replacing a value the same step gathered before (a menu
// can lead back to an earlier step).
func setField(fields []field, fl field) []field {
	for i := range fields {
		if fields[i].step == fl.step {
			fields[i] = fl
			return fields
		}
	}
	return append(fields, fl)
}

// nextStep returns the index of the step after idx: len(f.steps) when the
// flow is done, -1 when a Next function names no step.
func (f *Flow) nextStep(idx int, value string) int {
	step := &f.steps[idx]
	if step.Plain && step.Next != nil {
		if name := step.Next(value); name != "" {
			next, ok := f.index[name]
			if !ok {
				return -1
			}
			return next
		}
	}
	return idx + 1
}

// retry asks the same step again, or says goodbye after the last attempt.
func (f *Flow) retry(wh *webhook, d decision, idx int, st *state, reason Reason) decision {
	d.reason = reason
	if st.attempt >= f.steps[idx].Attempts {
		d.outcome, d.verbs = OutcomeGaveUp, f.cfg.goodbye
		return d
	}
	d.outcome = OutcomeRetry
	return f.ask(wh, d, idx, &state{attempt: st.attempt + 1, fields: st.fields})
}

// ask completes d by asking step idx with the new state st: a <Gather>
// whose action carries st, then a <Redirect> to the same URL that Twilio
// follows only on silence (it then posts no Digits, which the flow reads as
// a timeout). d.outcome and d.reason are already set.
//
// The recording rule runs first: st says "paused" only once the pause
// is confirmed, and a pause that fails closed issues no token at all.
func (f *Flow) ask(wh *webhook, d decision, idx int, st *state) decision {
	d.callSid = wh.callSid
	asks := f.pausesRecording(idx)
	if d.recording = f.recordingRule(wh, d.paused, asks); d.recording.failedClosed {
		d.outcome, d.verbs = OutcomeRecordingFailed, f.cfg.apology
		return d
	}
	step := &f.steps[idx]
	st.issuedAt, st.paused = wh.now, f.cfg.recordings != nil && asks
	action := f.sealedActionURL(wh.actionBase, step.Name, st, wh.callSid)

	prompt := step.Prompt
	if extra := step.retryVerbs(d.reason, st.attempt, &f.cfg.sentences); len(extra) > 0 {
		prompt = append(append(make([]twiml.GatherVerb, 0, len(extra)+len(prompt)), extra...), prompt...)
	}
	gather := twiml.Gather{
		Input:     twiml.InputDTMF,
		Action:    action,
		Method:    twiml.MethodPOST,
		Timeout:   step.Timeout,
		NumDigits: step.Digits.Max,
		Verbs:     prompt,
	}
	if !step.Digits.exact() {
		gather.FinishOnKey = step.Digits.finishKey()
	}
	d.asked = idx
	d.verbs = []twiml.Verb{gather, twiml.Redirect{URL: action, Method: twiml.MethodPOST}}
	return d
}

// finishCall hands the sealed fields to the service's Finish, within the
// flow's finish timeout.
func (f *Flow) finishCall(wh *webhook, d decision, fields []field) decision {
	ctx, cancel := context.WithTimeout(wh.ctx, f.cfg.finishTime)
	defer cancel()
	verbs, err := f.finish(ctx, f.result(wh, fields))
	d.outcome = OutcomeFinished
	if err != nil {
		d.outcome, d.err = finishFailure(err), err
		if len(verbs) == 0 {
			d.verbs = f.cfg.apology
			return d
		}
	}
	d.verbs = endCall(verbs)
	return d
}

// panicked is the decision for a request during which the service's code
// (Validate, Next, Sealer, Finish, a Store, a RecordingPauser, the
// observer) panicked with p: the apology, and the stack without its
// argument words. The recording is left as it is: the call ends.
func (f *Flow) panicked(wh *webhook, p any) decision {
	d := refused(wh.callSid, OutcomePanic,
		fmt.Errorf("flow: panic of type %T recovered (its value is not logged: it may hold a caller's input)", p),
		f.cfg.apology)
	d.stack = stripArguments(debug.Stack())
	if idx, ok := f.index[wh.step]; ok && wh.token != "" {
		d.answered = idx
	}
	return d
}

// stripArguments rewrites each function line of a goroutine stack trace,
// such as "pkg.f(0xc000012345, 0x4)", to "pkg.f(...)". Go prints a frame's
// arguments as machine words, which can be a caller's digits or point to
// them; the function names and file lines are kept. An argument list holds
// no parentheses, so it is the line's last opening one.
func stripArguments(stack []byte) []byte {
	out := make([]byte, 0, len(stack))
	for line := range bytes.Lines(stack) {
		body, nl := bytes.CutSuffix(line, []byte("\n"))
		if len(body) > 0 && body[0] != '\t' && bytes.HasSuffix(body, []byte(")")) {
			if i := bytes.LastIndexByte(body, '('); i > 0 && i < len(body)-2 {
				out = append(out, body[:i]...)
				out = append(out, "(...)"...)
				if nl {
					out = append(out, '\n')
				}
				continue
			}
		}
		out = append(out, line...)
	}
	return out
}
