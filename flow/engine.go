package flow

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/encgather/encgather/twiml"
)

// clockSkew is how far apart replicas' clocks may be: how far in the
// future a state's issue time may lie, and how much longer than its
// token's life a claim is kept, for a replica whose clock is behind.
// Servers kept by NTP agree within milliseconds; ten seconds is ample,
// and every second of it is claims the single-use store holds.
const clockSkew = 10 * time.Second

// errExpired is the cause logged for a state past its maximum age.
var errExpired = errors.New("flow: state expired")

// noStep marks a decision that answered or asks no step.
const noStep = -1

// decision is what the engine decided for one request. It is final once
// its token is claimed: when decide returns, unless the request changed
// nothing outside itself, in which case the handler's settle claims the
// token with the rendered answer and, should another request have claimed
// it first, replaces the decision with a retry's or a replay's. Writing,
// saving and logging only read it.
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

// decide is the engine: one signed webhook in, the decision out. It
// runs the step and, where the call's recording must change, the
// recording rule: pausing before the token that says "paused" is sealed,
// resuming once nothing sensitive is asked.
func (f *Flow) decide(wh *webhook) decision {
	d := f.serve(wh)
	if d.asked == noStep && d.paused && f.touchesRecording(wh, true, false) && f.claim(wh, &d) {
		d.recording = f.recordingRule(wh, true, false)
	}
	return d
}

// serve opens the state, claims its token, runs the step on the entry,
// seals it and decides what to ask next, or how the call ends.
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
		// A new call. Anything else in the query but the declared entry
		// parameters is ignored: without a state nothing can be skipped
		// or carried over.
		entry, err := f.readEntry(wh)
		if err != nil {
			return refused(wh.callSid, OutcomeBadRequest, err, f.cfg.apology)
		}
		wh.entry = entry
		d := decision{callSid: wh.callSid, answered: noStep, asked: noStep, outcome: OutcomeAsked}
		f.reserveEntry(wh, &d)
		return f.ask(wh, d, 0, &state{attempt: 1}, nil)
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
	f.reserve(wh, &d, st.id, st.expires)
	d.paused, wh.entry = st.paused, st.entry

	// A caller who hung up hears nothing more: no check, no retry.
	hungUp := callEnded(wh.callStatus)
	if hungUp && !f.cfg.finishOnHangUp {
		return f.ending(wh, d, idx, st.fields, OutcomeHungUp)
	}
	step := &f.steps[idx]
	if k := step.InterruptKey; !hungUp && k != "" && strings.Contains(wh.digits, string(k)) {
		return f.ending(wh, d, idx, st.fields, OutcomeInterrupted)
	}
	if step.OffURL && !f.claim(wh, &d) { // a value kept off the URL is stored
		return d
	}
	call := f.callView(wh, idx, st)
	fl, reason, cause, o, err := f.accept(wh, idx, call)
	switch {
	case hungUp:
		fields := st.fields
		if reason == ReasonFirst && o == "" {
			fields = setField(fields, fl)
		}
		return f.ending(wh, d, idx, fields, OutcomeHungUp)
	case o != "":
		return f.fail(d, o, err)
	case reason != ReasonFirst:
		return f.retry(wh, d, idx, st, reason, cause)
	}
	fields := setField(st.fields, fl)
	next := f.nextStep(idx, fl)
	switch {
	case next < 0:
		return f.fail(d, OutcomeBadNext, errors.New("flow: Next returned a name outside its Targets"))
	case next == len(f.steps):
		return f.ending(wh, d, noStep, fields, OutcomeFinished)
	}
	d.outcome = OutcomeGathered
	return f.ask(wh, d, next, &state{attempt: 1, fields: fields, requests: st.requests}, nil)
}

// accept reads the caller's entry at step idx and, if the step's checks
// pass, returns it as a field: sealed, unless the step is plain, with the
// facts it reveals. Otherwise it returns why the step asks again (and
// the step's own error, which only selects a Retry), or the outcome and
// cause of a failure.
func (f *Flow) accept(wh *webhook, idx int, call *Call) (fl field, reason Reason, cause error, o Outcome, err error) {
	step := &f.steps[idx]
	value, spoken := wh.digits, false
	if step.Input.speech() && wh.speech != "" && (value == "" || !step.Input.keys()) {
		value, spoken = wh.speech, true
		if step.Normalize != nil {
			var ok bool
			if value, ok = step.Normalize(value); !ok {
				return field{}, ReasonInvalid, nil, "", nil
			}
		}
	} else if !step.Input.keys() {
		value = ""
	}
	if value == "" {
		return field{}, ReasonTimeout, nil, "", nil
	}
	digits, err := f.digitsFor(idx, call)
	if err != nil {
		return field{}, ReasonFirst, nil, OutcomeBadStep, err
	}
	if err, cause := step.check(call, digits, value, spoken); err != nil {
		return field{}, refusal(err), cause, "", nil
	}
	if fl, err = f.gathered(idx, value, wh.callSid); err != nil {
		return field{}, ReasonFirst, nil, OutcomeSealFailed, err
	}
	if step.Reveal != nil {
		if fl.facts, err = f.reveal(step, value); err != nil {
			return field{}, ReasonFirst, nil, OutcomeBadStep, err
		}
	}
	if step.OffURL {
		if fl, err = f.keepOffURL(wh.ctx, fl); err != nil {
			return field{}, ReasonFirst, nil, OutcomeStoreFailed, err
		}
	}
	return fl, ReasonFirst, nil, "", nil
}

// fail completes d as a request answered with the apology.
func (f *Flow) fail(d decision, o Outcome, err error) decision {
	d.outcome, d.err, d.verbs = o, err, f.cfg.apology
	return d
}

// checkAge refuses a state past its own expiry or the flow's max age, or
// issued in the future (beyond clockSkew).
func (f *Flow) checkAge(st *state, now time.Time) error {
	if now.Sub(st.issuedAt) > f.cfg.maxAge || now.After(st.expires) || st.issuedAt.Sub(now) > clockSkew {
		return errExpired
	}
	return nil
}

// setField adds fl at the end of the path, removing the value the same
// step gathered before (a menu can lead back to an earlier step): the
// fields are the steps answered, in the order of their latest answers.
func setField(fields []field, fl field) []field {
	for i := range fields {
		if fields[i].step == fl.step {
			fields = append(fields[:i], fields[i+1:]...)
			break
		}
	}
	return append(fields, fl)
}

// nextStep returns the index of the step after idx: len(f.steps) when the
// flow is done, -1 when a Next function names no step it declared.
func (f *Flow) nextStep(idx int, fl field) int {
	step := &f.steps[idx]
	if step.Next != nil {
		if name := step.Next(string(fl.value)); name != "" {
			if !slices.Contains(step.Targets, name) {
				return -1
			}
			return f.successor(name)
		}
	}
	return f.next[idx]
}

// retry asks the same step again, or ends the call after the last attempt.
func (f *Flow) retry(wh *webhook, d decision, idx int, st *state, reason Reason, cause error) decision {
	d.reason = reason
	if st.attempt >= f.steps[idx].Attempts {
		return f.ending(wh, d, idx, st.fields, OutcomeGaveUp)
	}
	d.outcome = OutcomeRetry
	return f.ask(wh, d, idx, &state{attempt: st.attempt + 1, fields: st.fields, requests: st.requests}, cause)
}

// ask completes d by asking step idx with the new state st: a <Gather>
// whose action carries st, then a <Redirect> to the same URL that Twilio
// follows only on silence (it then posts no Digits, which the flow reads as
// a timeout). d.outcome and d.reason are already set; cause is the error
// the step's checks refused the last entry with, for its Retries.
//
// The recording rule runs first: st says "paused" only once the pause
// is confirmed, and a pause that fails closed issues no token at all.
func (f *Flow) ask(wh *webhook, d decision, idx int, st *state, cause error) decision {
	d.callSid = wh.callSid
	if st.requests++; st.requests > f.cfg.maxRequests {
		return f.fail(d, OutcomeTooManyRequests, errTooManyRequests)
	}
	step := &f.steps[idx]
	call := f.callView(wh, idx, st)
	digits, err := f.digitsFor(idx, call)
	if err != nil {
		return f.fail(d, OutcomeBadStep, err)
	}
	prompt, err := f.promptFor(idx, call)
	if err != nil {
		return f.fail(d, OutcomeBadStep, err)
	}
	asks := f.pausesRecording(idx)
	if f.touchesRecording(wh, d.paused, asks) && !f.claim(wh, &d) {
		return d
	}
	if d.recording = f.recordingRule(wh, d.paused, asks); d.recording.failedClosed {
		d.outcome, d.verbs = OutcomeRecordingFailed, f.cfg.apology
		return d
	}
	if extra := step.retryVerbs(d.reason, st.attempt, cause, digits, &f.cfg.sentences); len(extra) > 0 {
		prompt = append(append(make([]twiml.GatherVerb, 0, len(extra)+len(prompt)), extra...), prompt...)
	}
	st.issuedAt, st.paused, st.entry = wh.now, f.cfg.recordings != nil && asks, wh.entry
	st.expires = wh.now.Add(f.tokenLife(step, prompt, digits))
	action := f.sealedActionURL(wh.actionBase, step.Name, st, wh.callSid)
	d.asked = idx
	d.verbs = []twiml.Verb{step.gather(action, prompt, digits), twiml.Redirect{URL: action, Method: twiml.MethodPOST}}
	return d
}

// gather is the step's <Gather> for one ask.
func (s *Step) gather(action string, prompt []twiml.GatherVerb, digits Digits) twiml.Gather {
	g := twiml.Gather{
		Input:   s.Input.twiml(),
		Action:  action,
		Method:  twiml.MethodPOST,
		Timeout: s.Timeout,
		Verbs:   prompt,
	}
	if s.Input.keys() {
		g.NumDigits = digits.Max
		if !digits.exact() || s.InterruptKey != "" {
			g.FinishOnKey = digits.finishKey()
		}
	}
	if s.Input.speech() {
		sp := &s.Speech
		g.SpeechModel, g.Hints, g.Language, g.SpeechTimeout = sp.Model, sp.Hints, sp.Language, sp.Timeout
		g.MaxSpeechTime, g.ProfanityFilter, g.Enhanced = sp.MaxSpeechTime, sp.ProfanityFilter, sp.Enhanced
		g.PartialResultCallback = sp.PartialResultCallback
	}
	return g
}

// tokenSlack is what a token's life allows beyond its step's own time:
// the answer's way to Twilio and back, and clocks that differ.
const tokenSlack = clockSkew + 30*time.Second

// Assumed lengths, for a token's life: a <Say> at about 12 characters
// a second; a <Play> of an audio file, whose length is not known.
const (
	sayPerChar  = 80 * time.Millisecond
	playAllowed = 2 * time.Minute
)

// tokenLife is how long the token asking step with prompt and digits
// stays valid: the prompt said in full, then the timeout before each key
// (Twilio's timeout runs again after each one) and a transcript's
// longest time, and a slack; never past the flow's max age.
func (f *Flow) tokenLife(step *Step, prompt []twiml.GatherVerb, digits Digits) time.Duration {
	life := tokenSlack + step.Timeout*time.Duration(digits.Max+1)
	if step.Input.speech() {
		life += max(step.Speech.MaxSpeechTime, 60*time.Second) + max(step.Speech.Timeout, step.Timeout)
	}
	for _, v := range prompt {
		var one time.Duration
		loop := 1
		switch v := v.(type) {
		case twiml.Say:
			one, loop = sayPerChar*time.Duration(len(v.Text)+sayContentLen(v.Content)), v.Loop
		case twiml.Play:
			one, loop = playAllowed, v.Loop
			if v.URL == "" {
				one = time.Duration(len(v.Digits)) * time.Second
			}
		case twiml.Pause:
			one = max(v.Length, time.Second)
		}
		if loop == twiml.LoopForever {
			return f.cfg.maxAge
		}
		life += one * time.Duration(max(loop, 1))
	}
	return min(life.Round(time.Second)+time.Second, f.cfg.maxAge)
}

// sayContentLen is how many characters of SSML content a <Say> speaks, at
// most: its text, as the content renders it.
func sayContentLen(content []twiml.Speech) int {
	if len(content) == 0 {
		return 0
	}
	return len((&twiml.Response{Verbs: []twiml.Verb{twiml.Say{Content: content}}}).AppendXML(nil))
}

// panicked is the decision for a request during which the service's code
// (Validate, Next, Sealer, Finish, a Store, a RecordingPauser, the
// observer) panicked with p: the apology, and the stack without its
// argument words. The recording is left as it is: the call ends.
func (f *Flow) panicked(wh *webhook, p any) decision {
	stack := []byte(nil)
	if fp, ok := p.(*finishPanic); ok { // Finish panicked in its own goroutine
		p, stack = fp.value, fp.stack
	}
	d := refused(wh.callSid, OutcomePanic,
		fmt.Errorf("flow: panic of type %T recovered (its value is not logged: it may hold a caller's input)", p),
		f.cfg.apology)
	if stack == nil {
		stack = stripArguments(debug.Stack())
	}
	d.stack = stack
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
