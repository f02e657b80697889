package flow

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/twiml"
)

// StepParam and StateParam are the query parameters of every action URL a
// flow writes: the step the answer is for, and the sealed state.
const (
	StepParam  = "step"
	StateParam = "state"
)

// clockSkew is how far in the future a state's issue time may lie, for
// replicas whose clocks differ a little.
const clockSkew = time.Minute

// Flow is an http.Handler that runs a sequence of steps over a Twilio voice
// call. It keeps no state between requests: everything a call needs travels
// in one sealed query parameter, so any replica sharing the key and the auth
// token serves any request.
type Flow struct {
	master    *aescrypt.Cipher
	steps     []Step
	index     map[string]int
	finish    Finish
	cfg       config
	validator *Validator
	states    stateCodec
}

// New returns a Flow that asks steps in order and hands their values to
// finish. master seals sensitive values (it is what the backend opens them
// with) and, through a derived key, the state; authToken checks Twilio's
// signatures. The steps are copied, with defaults filled in.
func New(master *aescrypt.Cipher, authToken string, steps []Step, finish Finish, opts ...Option) (*Flow, error) {
	if master == nil {
		return nil, fmt.Errorf("%w: nil cipher", ErrDefinition)
	}
	if finish == nil {
		return nil, fmt.Errorf("%w: %w", ErrDefinition, errNoFinish)
	}
	if len(steps) == 0 || len(steps) > maxFields {
		return nil, fmt.Errorf("%w: a flow needs 1 to %d steps", ErrDefinition, maxFields)
	}
	cfg := defaultConfig()
	if err := cfg.apply(opts); err != nil {
		return nil, err
	}
	f := &Flow{
		master: master,
		steps:  append([]Step(nil), steps...),
		index:  make(map[string]int, len(steps)),
		finish: finish,
		cfg:    cfg,
	}
	if err := f.checkSteps(); err != nil {
		return nil, err
	}
	v, err := newValidator(authToken, cfg)
	if err != nil {
		return nil, err
	}
	f.validator = v
	names := make([]string, len(f.steps))
	for i := range f.steps {
		names[i] = f.steps[i].Name
	}
	f.states = newStateCodec(master, names)
	return f, nil
}

func (f *Flow) checkSteps() error {
	fields := make(map[string]bool, len(f.steps))
	for i := range f.steps {
		s := &f.steps[i]
		if err := s.normalize(); err != nil {
			return err
		}
		if _, dup := f.index[s.Name]; dup {
			return fmt.Errorf("%w: duplicate step name %q", ErrDefinition, s.Name)
		}
		if fields[s.field()] {
			return fmt.Errorf("%w: duplicate field name %q", ErrDefinition, s.field())
		}
		f.index[s.Name] = i
		fields[s.field()] = true
	}
	return nil
}

// ServeHTTP answers one Twilio webhook request: it checks the signature,
// opens the state, takes the caller's digits and answers with TwiML.
func (f *Flow) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev := event{start: time.Now()}
	defer func() { f.logEvent(r.Context(), &ev) }()

	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		ev.outcome = outcomeBadMethod
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := f.validator.Check(r); err != nil {
		ev.err = err
		if errors.Is(err, errBody) {
			ev.outcome = outcomeBadRequest
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ev.outcome = outcomeBadSignature
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	verbs := f.serveSafely(r, &ev)
	verbs = f.recordingAround(r, &ev, verbs)
	f.write(w, verbs, &ev)
}

// serveSafely runs serve and turns a panic in it, or in the service's
// Validate, Next or Finish, into the apology.
func (f *Flow) serveSafely(r *http.Request, ev *event) (verbs []twiml.Verb) {
	defer func() {
		if p := recover(); p != nil {
			ev.outcome = outcomePanic
			ev.err = fmt.Errorf("flow: panic of type %T recovered (its value is not logged: it may hold a caller's input)", p)
			ev.stack = true
			verbs = f.cfg.apology
		}
	}()
	return f.serve(r, ev)
}

// serve is the engine: one request in, the verbs to answer with out.
func (f *Flow) serve(r *http.Request, ev *event) []twiml.Verb {
	callSid := r.Form.Get("CallSid")
	ev.callSid = callSid
	if !validCallSid(callSid) {
		ev.outcome = outcomeBadRequest
		ev.err = errors.New("flow: missing or malformed CallSid")
		return f.cfg.apology
	}
	token := queryValue(r, StateParam)
	if token == "" {
		// A new call. Anything else in the query is ignored: without a
		// state nothing can be skipped or carried over.
		return f.ask(r, ev, 0, &state{attempt: 1}, ReasonFirst)
	}

	stepName := queryValue(r, StepParam)
	idx, ok := f.index[stepName]
	if !ok {
		ev.outcome = outcomeUnknownStep
		ev.err = errors.New("flow: unknown step in action URL")
		return f.cfg.apology
	}
	step := &f.steps[idx]
	ev.step, ev.stepSensitive = step.Name, !step.Plain
	st, err := f.states.open(token, callSid, stepName, len(f.steps))
	if err != nil {
		ev.outcome = outcomeBadState
		ev.err = err
		return f.cfg.apology
	}
	ev.attempt = st.attempt
	if err := f.checkAge(st); err != nil {
		ev.outcome = outcomeExpired
		ev.err = err
		return f.cfg.apology
	}

	digits := r.Form.Get("Digits")
	if digits == "" {
		return f.retry(r, ev, idx, st, ReasonTimeout)
	}
	if err := step.check(digits); err != nil {
		return f.retry(r, ev, idx, st, ReasonInvalid)
	}
	st.fields = setField(st.fields, f.gathered(idx, digits))
	next := f.nextStep(idx, digits)
	if next < 0 {
		ev.outcome = outcomeBadNext
		ev.err = errors.New("flow: Next returned an unknown step name")
		return f.cfg.apology
	}
	if next == len(f.steps) {
		return f.finishCall(r, ev, st)
	}
	ev.outcome = outcomeGathered
	return f.ask(r, ev, next, &state{attempt: 1, fields: st.fields}, ReasonFirst)
}

// queryValue returns a parameter of the request's URL, never of its body.
// r.Form holds the body's values (also in r.PostForm) and then the
// query's, so the query is not parsed a second time.
func queryValue(r *http.Request, name string) string {
	vals := r.Form[name]
	if len(vals) <= len(r.PostForm[name]) {
		return ""
	}
	return vals[len(vals)-1]
}

// ErrExpired is the cause logged for a state past its maximum age.
var ErrExpired = errors.New("flow: state expired")

func (f *Flow) checkAge(st *state) error {
	now := f.cfg.now()
	if now.Sub(st.issuedAt) > f.cfg.maxAge || st.issuedAt.Sub(now) > clockSkew {
		return ErrExpired
	}
	return nil
}

// gathered turns accepted digits into a field: sealed with the master key,
// unless the step is plain. This is the only place plaintext is kept, and
// only for the length of the request.
func (f *Flow) gathered(idx int, digits string) field {
	if f.steps[idx].Plain {
		return field{step: idx, plain: true, value: []byte(digits)}
	}
	sealed := f.master.SealBytes(make([]byte, 0, aescrypt.NonceSize+len(digits)+aescrypt.Overhead), []byte(digits), nil)
	return field{step: idx, value: sealed}
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
func (f *Flow) retry(r *http.Request, ev *event, idx int, st *state, reason Reason) []twiml.Verb {
	ev.reason = reason
	if st.attempt >= f.steps[idx].Attempts {
		ev.outcome = outcomeGaveUp
		return f.cfg.goodbye
	}
	return f.ask(r, ev, idx, &state{attempt: st.attempt + 1, fields: st.fields}, reason)
}

// ask renders step idx: a <Gather> whose action carries the new state, then
// a <Redirect> to the same URL that Twilio follows only on silence (it then
// posts no Digits, which the flow reads as a timeout).
func (f *Flow) ask(r *http.Request, ev *event, idx int, st *state, reason Reason) []twiml.Verb {
	step := &f.steps[idx]
	st.issuedAt = f.cfg.now()
	action := f.actionURL(r, step.Name, f.states.seal(st, ev.callSid, step.Name))

	prompt := step.Prompt
	if extra := step.retryVerbs(reason, st.attempt); len(extra) > 0 {
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
	if ev.outcome == "" {
		ev.outcome = outcomeAsked
		if reason != ReasonFirst {
			ev.outcome = outcomeRetry
		}
	}
	ev.nextStep, ev.nextSensitive = step.Name, !step.Plain
	return []twiml.Verb{gather, twiml.Redirect{URL: action, Method: twiml.MethodPOST}}
}

// actionURL is where Twilio sends the answer to a step: relative to the
// current document by default, so the flow works under any mount point.
func (f *Flow) actionURL(r *http.Request, step, token string) string {
	var b strings.Builder
	if f.cfg.absoluteURLs {
		b.WriteString(f.validator.publicBase(r))
		b.WriteString(requestPath(r))
	}
	b.Grow(len(StepParam) + len(step) + len(StateParam) + len(token) + 4)
	b.WriteByte('?')
	b.WriteString(StepParam)
	b.WriteByte('=')
	b.WriteString(step) // names are [A-Za-z0-9_-]: nothing to escape
	b.WriteByte('&')
	b.WriteString(StateParam)
	b.WriteByte('=')
	b.WriteString(token) // base64url: nothing to escape
	return b.String()
}

// requestPath is the escaped path the client requested, before any
// StripPrefix.
func requestPath(r *http.Request) string {
	uri := originalRequestURI(r)
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		uri = uri[:i]
	}
	return uri
}

// finishCall hands the sealed fields to the service's Finish.
func (f *Flow) finishCall(r *http.Request, ev *event, st *state) []twiml.Verb {
	ev.outcome = outcomeFinished
	res := f.result(ev.callSid, st)
	verbs, err := f.finish(r.Context(), res)
	if err != nil {
		ev.outcome = outcomeFinishFailed
		ev.err = err
		if len(verbs) == 0 {
			return f.cfg.apology
		}
	}
	return endCall(verbs)
}

func (f *Flow) result(callSid string, st *state) *Result {
	res := &Result{CallSid: callSid, Sealed: make(map[string]string), Plain: make(map[string]string)}
	for _, fl := range st.fields {
		name := f.steps[fl.step].field()
		if fl.plain {
			res.Plain[name] = string(fl.value)
		} else {
			res.Sealed[name] = hexEncode(fl.value)
		}
	}
	return res
}

// validCallSid accepts what Twilio sends: "CA" and 32 hex digits. The check
// keeps arbitrary input out of additional data and log lines.
func validCallSid(sid string) bool { return validSid(sid, "CA") }
