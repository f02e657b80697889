package flow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Outcome is what a webhook request came to. Each request's log line
// carries it in its "outcome" attribute, and its Event in Outcome.
type Outcome string

// The outcomes, in the order a call meets them. Level gives each one's
// log level.
const (
	OutcomeAsked       Outcome = "asked"       // a call's first request: its first step was asked
	OutcomeGathered    Outcome = "gathered"    // a value was accepted and the next step asked
	OutcomeRetry       Outcome = "retry"       // a step was asked again (see Event.Reason)
	OutcomeGaveUp      Outcome = "gave_up"     // the last attempt failed: goodbye (see Event.Reason)
	OutcomeFinished    Outcome = "finished"    // Finish answered the caller
	OutcomeInterrupted Outcome = "interrupted" // the caller pressed a step's InterruptKey
	OutcomeHungUp      Outcome = "hung_up"     // the action request says the call ended: an empty answer
	OutcomeDeclined    Outcome = "declined"    // Finish declined the caller (ErrDeclined): a normal outcome
	OutcomeRetried     Outcome = "retried"     // an identical request inside the retry window: the first answer again

	OutcomeFinishFailed    Outcome = "finish_failed"    // Finish returned an error, or TwiML that Twilio would refuse
	OutcomeFinishOverran   Outcome = "finish_overran"   // Finish took longer than the request's budget: the apology
	OutcomeSealFailed      Outcome = "seal_failed"      // the Sealer refused a value
	OutcomeBadNext         Outcome = "bad_next"         // a Next function named a step outside its Targets
	OutcomeBadStep         Outcome = "bad_step"         // a step's DigitsFor, PromptFor or Reveal broke its declaration
	OutcomePanic           Outcome = "panic"            // the service's code panicked
	OutcomeRecordingFailed Outcome = "recording_failed" // a recording pause failed closed: the apology instead of the step
	OutcomeStoreFailed     Outcome = "store_failed"     // the single-use store could not answer: the apology

	OutcomeBadSignature    Outcome = "bad_signature"     // 403: the signature is missing or does not match
	OutcomeBadRequest      Outcome = "bad_request"       // a malformed body, parameter or CallSid
	OutcomeBadMethod       Outcome = "bad_method"        // neither GET nor POST
	OutcomeBadState        Outcome = "bad_state"         // a state token tampered with, or from another call, step or flow
	OutcomeExpired         Outcome = "expired"           // a state token past its maximum age
	OutcomeUnknownStep     Outcome = "unknown_step"      // a step parameter that names no step
	OutcomeWrongAccount    Outcome = "wrong_account"     // an AccountSid other than the recording pauser's
	OutcomeReplayed        Outcome = "replayed"          // a state token used before, by another request or past the retry window
	OutcomeTooManyRequests Outcome = "too_many_requests" // the call made more requests than WithMaxRequests allows
)

// Level is the log level of a request with outcome o: slog.LevelInfo for
// the normal course of calls, slog.LevelWarn for security events (the
// request was not Twilio's, or not this call's as it stands now),
// slog.LevelError for failures of the service's code, configuration or
// dependencies.
func (o Outcome) Level() slog.Level {
	switch o {
	case OutcomeBadSignature, OutcomeBadState, OutcomeExpired, OutcomeUnknownStep, OutcomeBadRequest, OutcomeBadMethod,
		OutcomeWrongAccount, OutcomeReplayed, OutcomeFinishOverran, OutcomeTooManyRequests:
		return slog.LevelWarn
	case OutcomePanic, OutcomeFinishFailed, OutcomeBadNext, OutcomeBadStep, OutcomeSealFailed, OutcomeRecordingFailed,
		OutcomeStoreFailed:
		return slog.LevelError
	}
	return slog.LevelInfo
}

// fromServiceCode reports whether a request with outcome o failed in the
// service's code or dependencies, whose error is then its cause.
func (o Outcome) fromServiceCode() bool {
	switch o {
	case OutcomeFinishFailed, OutcomeDeclined, OutcomeSealFailed, OutcomeStoreFailed, OutcomeFinishOverran:
		return true
	}
	return false
}

// RecordingAction is what a request did to the call's recording, as its
// log line's "recording" attribute and Event.Recording show it.
type RecordingAction string

// The recording actions; a request that did nothing has "".
const (
	RecordingPaused       RecordingAction = "paused"        // paused before a sensitive step
	RecordingResumed      RecordingAction = "resumed"       // resumed after one
	RecordingNone         RecordingAction = "none"          // the call has no active recording: nothing to do
	RecordingPauseFailed  RecordingAction = "pause_failed"  // pausing failed (see Event.Err)
	RecordingResumeFailed RecordingAction = "resume_failed" // resuming failed (see Event.Err)
)

// Event is the record of one webhook request, as its log line shows it:
// names, counts and outcomes, never a value the caller typed nor a state
// token. A flow hands one to its observer (WithObserver) for every request.
type Event struct {
	// CallSid is the request's call; "" when the request had none or was
	// refused for its signature.
	CallSid string
	// UnverifiedCallSid is, for a request refused for its signature, the
	// CallSid its form claims (when it has a CallSid's shape): nothing
	// vouches for it, but it helps find which calls a wrong auth token or
	// public URL refused.
	UnverifiedCallSid string
	// Step is the step the request answered, and Attempt which attempt
	// it was; "" and 0 for a call's first request or a refused one.
	Step    string
	Attempt int
	// NextStep is the step the answer asks; "" when it asks none.
	NextStep string
	// Outcome is what the request came to.
	Outcome Outcome
	// Reason says why a step was asked again, or given up on.
	Reason Reason
	// Recording is what the request did to the call's recording, or "".
	Recording RecordingAction
	// Duration is how long the request took, up to its answer.
	Duration time.Duration
	// Level classes the request as its log line does: the outcome's
	// Level, raised to slog.LevelWarn when the recording or the
	// single-use store failed on the way.
	Level slog.Level
	// Err is the cause of a refusal or failure, or nil. It wraps the
	// package's sentinels (ErrSignature, ErrDeclined, ...) and the
	// service's own errors for errors.Is and errors.As. The flow's own
	// errors never quote a value; in the text of the service's (from
	// Finish, a Sealer, a Store, a RecordingPauser) every run of four or
	// more decimal digits is masked as "####", except within a Twilio SID
	// (two capital letters and 32 lowercase hex digits), unless the flow
	// has InsecureRawErrorText. A date of birth written with separators or
	// a 3-digit code would survive the mask: errors still must not quote
	// a value.
	Err error
	// ErrType is the Go type of the cause (%T), for telling failures apart
	// when the text is masked; "" when there is no cause.
	ErrType string
}

// WithObserver makes the flow call observe with the Event of every
// request, after the answer is written and before it is logged: for
// counting outcomes in a service's metrics. observe only reads the event;
// it runs within the request, so it must be quick and safe for concurrent
// use. A panic in it is recovered and logged like one in Finish.
func WithObserver(observe func(Event)) Option {
	return flowOption(func(c *config) error {
		if observe == nil {
			return fmt.Errorf("%w: nil observer", ErrDefinition)
		}
		c.observer = observe
		return nil
	})
}

// acts is what the handler did with a decision after it was made: errors
// of saving the answer for a retry and of writing it.
type acts struct {
	saveErr, writeErr error
}

// logRequest reports a request from its decision and what the handler did
// with it: it builds the request's Event, hands it to the observer, and
// writes its one line. The line holds names, counts and outcomes only:
// nothing the caller typed, and no state token.
func (f *Flow) logRequest(ctx context.Context, start time.Time, d *decision, a acts) {
	logger := f.cfg.sig.logger
	level := d.level(a)
	// Nobody to tell: not even the clock is read.
	if f.cfg.observer == nil && !logger.Enabled(ctx, level) {
		return
	}
	ev := f.event(start, level, d, a)
	if f.cfg.observer != nil {
		f.cfg.observer(ev)
	}
	f.writeLine(ctx, &ev, d.stack)
}

// writeLine writes ev's line, with a panic's stack when there is one.
func (f *Flow) writeLine(ctx context.Context, ev *Event, stack []byte) {
	logger := f.cfg.sig.logger
	if !logger.Enabled(ctx, ev.Level) {
		return
	}
	attrs := make([]slog.Attr, 0, 13)
	attrs = append(attrs,
		slog.String("call_sid", ev.CallSid),
		slog.String("outcome", string(ev.Outcome)),
		slog.Duration("duration", ev.Duration))
	if ev.UnverifiedCallSid != "" {
		attrs = append(attrs, slog.String("unverified_call_sid", ev.UnverifiedCallSid))
	}
	if ev.Step != "" {
		attrs = append(attrs, slog.String("step", ev.Step), slog.Int("attempt", ev.Attempt))
	}
	if ev.Reason != ReasonFirst {
		attrs = append(attrs, slog.String("reason", ev.Reason.String()))
	}
	if ev.NextStep != "" {
		attrs = append(attrs, slog.String("next_step", ev.NextStep))
	}
	if ev.Recording != "" {
		attrs = append(attrs, slog.String("recording", string(ev.Recording)))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	if ev.ErrType != "" {
		attrs = append(attrs, slog.String("error_type", ev.ErrType))
	}
	if stack != nil {
		attrs = append(attrs, slog.String("stack", string(stack)))
	}
	logger.LogAttrs(ctx, ev.Level, "flow request", attrs...)
}

// event reads a request's Event, at level, from its decision and what
// followed it.
func (f *Flow) event(start time.Time, level slog.Level, d *decision, a acts) Event {
	ev := Event{
		CallSid:           d.callSid,
		UnverifiedCallSid: d.unverifiedCallSid,
		Outcome:           d.outcome,
		Reason:            d.reason,
		Recording:         d.recording.action,
		Duration:          time.Since(start),
		Level:             level,
		Err:               joinErrors(d.err, d.use.storeErr, d.recording.err, a.saveErr, a.writeErr),
	}
	if d.outcome.fromServiceCode() {
		ev.ErrType = fmt.Sprintf("%T", d.err)
	}
	if !f.cfg.rawErrorText {
		ev.Err = redactErr(ev.Err)
	}
	if d.answered != noStep {
		ev.Step, ev.Attempt = f.steps[d.answered].Name, d.attempt
	}
	if d.asked != noStep {
		ev.NextStep = f.steps[d.asked].Name
	}
	return ev
}

// level is the level of a request's line: its outcome's, raised to a
// warning when the recording or the single-use store failed on the way.
func (d *decision) level(a acts) slog.Level {
	level := d.outcome.Level()
	if level < slog.LevelWarn && (d.recording.failed() || a.saveErr != nil || d.use.storeErr != nil) {
		level = slog.LevelWarn
	}
	return level
}

// joinErrors is errors.Join, except that a single error is returned as it
// is, for an observer that compares it.
func joinErrors(errs ...error) error {
	var one error
	for _, err := range errs {
		if err != nil {
			if one != nil {
				return errors.Join(errs...)
			}
			one = err
		}
	}
	return one
}

// Format prints a Flow as its step names and public URL, password
// redacted, for every verb: a Flow holds the auth tokens and the public
// URL's password, which no %v, %+v or %#v may print (nor slog, which
// prints through fmt; encoding/json sees no exported field).
func (f *Flow) Format(s fmt.State, _ rune) {
	if f == nil {
		io.WriteString(s, "flow.Flow(nil)")
		return
	}
	names := make([]string, len(f.steps))
	for i := range f.steps {
		names[i] = f.steps[i].Name
	}
	fmt.Fprintf(s, "flow.Flow{steps: %s; public URL: %s}", strings.Join(names, ", "), f.cfg.sig.shownURL())
}

// Format prints a Validator as its public URL, password redacted, for
// every verb: it holds the auth tokens, which nothing may print.
func (v *Validator) Format(s fmt.State, _ rune) {
	if v == nil {
		io.WriteString(s, "flow.Validator(nil)")
		return
	}
	fmt.Fprintf(s, "flow.Validator{public URL: %s}", v.cfg.shownURL())
}

// shownURL is the public URL as it may be shown: its password redacted,
// or how the URL is found when none is set.
func (c *sigConfig) shownURL() string {
	switch {
	case c.publicURL != nil:
		return c.publicURL.Redacted()
	case c.trustProxy:
		return "(from a trusted proxy's headers)"
	}
	return "(none)"
}

// InsecureRawErrorText makes a flow log the text of errors from the
// service's code (Finish, Sealer, Store, RecordingPauser) as it is, for
// development. By default runs of four or more decimal digits in it are
// masked (see Event.Err): a Finish that returns
// fmt.Errorf("no account for pin %s", pin) must not put the PIN in a log
// line. A Validate error is never logged either way.
func InsecureRawErrorText() Option {
	return flowOption(func(c *config) error { c.rawErrorText = true; return nil })
}

// digitMask replaces a run of four or more decimal digits in logged error
// text.
const digitMask = "####"

// redactedError is an error from the service's code as a flow logs it:
// its text with digit runs masked, and the error itself behind Unwrap, so
// errors.Is and errors.As still see the sentinels it wraps.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr returns err with its text masked by maskDigits, or err itself
// when there is nothing to mask.
func redactErr(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	masked := maskDigits(text)
	if masked == text {
		return err
	}
	return &redactedError{text: masked, err: err}
}

// maskDigits replaces every run of four or more decimal digits in s with
// digitMask, except inside a Twilio SID: two capital letters and 32
// lowercase hex digits standing alone as a word (a CallSid "CA…", an
// AccountSid "AC…"), which names a call, not its caller's input.
func maskDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && isWordByte(s[j]) {
			j++
		}
		if j == i {
			b.WriteByte(s[i])
			i++
			continue
		}
		word := s[i:j]
		if isSID(word) {
			b.WriteString(word)
		} else {
			maskWord(&b, word)
		}
		i = j
	}
	return b.String()
}

// maskWord writes word with its runs of four or more digits masked.
func maskWord(b *strings.Builder, word string) {
	for i := 0; i < len(word); {
		j := i
		for j < len(word) && '0' <= word[j] && word[j] <= '9' {
			j++
		}
		switch {
		case j-i >= 4:
			b.WriteString(digitMask)
		case j > i:
			b.WriteString(word[i:j])
		default:
			b.WriteByte(word[i])
			j = i + 1
		}
		i = j
	}
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isSID reports whether word has a Twilio SID's shape.
func isSID(word string) bool {
	if len(word) != 34 || word[0] < 'A' || word[0] > 'Z' || word[1] < 'A' || word[1] > 'Z' {
		return false
	}
	for i := 2; i < len(word); i++ {
		if c := word[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
