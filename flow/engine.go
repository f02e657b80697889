package flow

import (
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

// decideSafely runs serve and turns a panic in it, or in the service's
// Validate, Next, Sealer or Finish, into the apology.
func (f *Flow) decideSafely(wh *webhook) (d decision) {
	defer func() {
		if p := recover(); p != nil {
			d = refused(wh.callSid, outcomePanic,
				fmt.Errorf("flow: panic of type %T recovered (its value is not logged: it may hold a caller's input)", p),
				f.cfg.apology)
			d.stack = stripArguments(debug.Stack())
			if idx, ok := f.index[wh.step]; ok && wh.token != "" {
				d.answered = idx
				d.paused = f.pausesRecording(idx) // the recording rule resumes after a sensitive step
			}
		}
	}()
	return f.serve(wh)
}

// serve is the engine: one signed webhook in, one decision out. It opens
// the state, runs the step on the digits, seals them and decides what to
// ask next.
func (f *Flow) serve(wh *webhook) decision {
	if wh.repeated != "" {
		return refused(wh.callSid, outcomeBadRequest, fmt.Errorf("flow: parameter %s given more than once", wh.repeated), f.cfg.apology)
	}
	if !validCallSid(wh.callSid) {
		return refused(wh.callSid, outcomeBadRequest, errors.New("flow: missing or malformed CallSid"), f.cfg.apology)
	}
	if err := f.checkAccount(wh.accountSid); err != nil {
		return refused(wh.callSid, outcomeWrongAccount, err, f.cfg.apology)
	}
	if wh.token == "" {
		// A new call. Anything else in the query is ignored: without a
		// state nothing can be skipped or carried over.
		return f.ask(wh, decision{answered: noStep, outcome: outcomeAsked}, 0, &state{attempt: 1})
	}

	idx, ok := f.index[wh.step]
	if !ok {
		return refused(wh.callSid, outcomeUnknownStep, errors.New("flow: unknown step in action URL"), f.cfg.apology)
	}
	// Until a state says otherwise, a sensitive step's recording may be
	// paused: a request that cannot be served resumes it, which is
	// harmless if it runs.
	d := decision{callSid: wh.callSid, answered: idx, asked: noStep, paused: f.pausesRecording(idx)}
	st, err := f.states.open(wh.token, wh.callSid, wh.step, len(f.steps))
	if err != nil {
		return f.fail(d, outcomeBadState, err)
	}
	d.attempt, d.paused = st.attempt, st.paused
	if err := f.checkAge(st, wh.now); err != nil {
		return f.fail(d, outcomeExpired, err)
	}
	if d, ok = f.consume(wh, d, st); !ok {
		return d
	}

	step := &f.steps[idx]
	if wh.digits == "" {
		return f.retry(wh, d, idx, st, ReasonTimeout)
	}
	if err := step.check(wh.digits); err != nil {
		return f.retry(wh, d, idx, st, refusal(err))
	}
	fl, err := f.gathered(idx, wh.digits, wh.callSid)
	if err != nil {
		return f.fail(d, outcomeSealFailed, err)
	}
	fields := setField(st.fields, fl)
	next := f.nextStep(idx, wh.digits)
	switch {
	case next < 0:
		return f.fail(d, outcomeBadNext, errors.New("flow: Next returned an unknown step name"))
	case next == len(f.steps):
		return f.finishCall(wh, d, fields)
	}
	d.outcome = outcomeGathered
	return f.ask(wh, d, next, &state{attempt: 1, fields: fields})
}

// fail completes d as a request answered with the apology.
func (f *Flow) fail(d decision, o outcome, err error) decision {
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
		d.outcome, d.verbs = outcomeGaveUp, f.cfg.goodbye
		return d
	}
	d.outcome = outcomeRetry
	return f.ask(wh, d, idx, &state{attempt: st.attempt + 1, fields: st.fields})
}

// ask completes d by asking step idx with the new state st: a <Gather>
// whose action carries st, then a <Redirect> to the same URL that Twilio
// follows only on silence (it then posts no Digits, which the flow reads as
// a timeout). d.outcome and d.reason are already set.
func (f *Flow) ask(wh *webhook, d decision, idx int, st *state) decision {
	step := &f.steps[idx]
	st.issuedAt, st.paused = wh.now, f.pausedFor(idx)
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
	d.callSid, d.asked = wh.callSid, idx
	d.verbs = []twiml.Verb{gather, twiml.Redirect{URL: action, Method: twiml.MethodPOST}}
	return d
}

// finishCall hands the sealed fields to the service's Finish, within the
// flow's finish timeout.
func (f *Flow) finishCall(wh *webhook, d decision, fields []field) decision {
	ctx, cancel := context.WithTimeout(wh.ctx, f.cfg.finishTime)
	defer cancel()
	verbs, err := f.finish(ctx, f.result(wh, fields))
	d.outcome = outcomeFinished
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
