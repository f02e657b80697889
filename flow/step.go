package flow

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultAttempts is how many times a step asks before the flow says goodbye.
const DefaultAttempts = 3

// DefaultGatherTimeout is how long a step waits for the first key press, and
// between key presses: Twilio's own default for <Gather>.
const DefaultGatherTimeout = 5 * time.Second

// maxDigits bounds what one step may ask for: enough for any card number,
// account number or PIN, and it keeps sealed fields within a state token.
const maxDigits = 64

// Step is one question of a flow: a prompt, then the keys the caller presses.
//
// By default the answer is sensitive: it is sealed the moment it arrives
// and no later step, log line or URL ever sees it in the clear. A Plain step
// (a menu choice) may instead steer the flow through Next.
type Step struct {
	// Name names the step in URLs and logs: 1 to 32 letters, digits, '-' or
	// '_'. Names are unique within a flow.
	Name string

	// Field is the name the value is handed to the Finish function under
	// (for package flow/backend, the JSON field name). Empty means Name.
	Field string

	// Prompt is said or played while the caller may already type.
	Prompt []twiml.GatherVerb

	// Digits says how many keys to collect. Left unset (the zero Digits),
	// it means Exactly(4); Exactly(0) and Between(0, 0) are not the zero
	// Digits, and New refuses them.
	Digits Digits

	// Timeout is how long Twilio waits for a key press; it is rounded up to
	// whole seconds. Zero means DefaultGatherTimeout.
	Timeout time.Duration

	// Validate, if set, checks the digits after the built-in checks (only
	// 0-9, the right count) have passed. An error makes the caller try
	// again, for ReasonRejected; its text is never said or logged, since it
	// may quote the value.
	Validate func(digits string) error

	// Plain marks a value that is not secret, such as a menu choice. It is
	// carried unsealed inside the (itself sealed) state, handed to Next, and
	// given to Finish in Result.Plain.
	Plain bool

	// Next picks the step that follows a Plain step from its value: a step
	// name, or "" for the step after this one in the flow's list. New
	// refuses it on a sensitive step: a secret must not steer the call.
	Next func(value string) string

	// Attempts is how many times the step asks before the flow says goodbye.
	// Zero means DefaultAttempts.
	Attempts int

	// Retries are said before the prompt when the step asks again. The first
	// one that matches the reason and attempt is used; with none matching,
	// the flow says its built-in sentence for the reason (see Sentences).
	Retries []Retry

	// InsecureKeepRecording leaves the call's recording running while this
	// sensitive step asks, in a flow that pauses recordings
	// (WithRecordingPause): the caller's key tones are then in the
	// recording. Plain steps are always recorded.
	InsecureKeepRecording bool
}

// Digits is how many keys a step collects.
type Digits struct {
	// Min and Max bound the number of digits. When they differ, the caller
	// ends the entry with FinishOnKey.
	Min, Max int
	// FinishOnKey ends a variable-length entry; "" means '#'.
	FinishOnKey twiml.FinishOnKey
}

// Exactly asks for exactly n digits; Twilio submits them as soon as the n-th
// key is pressed. New refuses n < 1: Exactly(0) is not the zero Digits, so
// it never silently means the default of 4.
func Exactly(n int) Digits { return explicit(Digits{Min: n, Max: n}) }

// Between asks for min to max digits, ended with '#'. New refuses
// min < 1 or max < min.
func Between(minDigits, maxDigits int) Digits {
	return explicit(Digits{Min: minDigits, Max: maxDigits})
}

// noDigits is what Exactly(0) and Between(0, 0) return: a Digits that is
// not the zero value (which means Exactly(4)) and that New refuses.
var noDigits = Digits{Min: 0, Max: -1}

// explicit keeps a Digits built by Exactly or Between from reading as
// unset.
func explicit(d Digits) Digits {
	if d.isZero() {
		return noDigits
	}
	return d
}

func (d Digits) isZero() bool { return d == Digits{} }

func (d Digits) exact() bool { return d.Min == d.Max }

func (d Digits) finishKey() twiml.FinishOnKey {
	if d.FinishOnKey == "" {
		return "#"
	}
	return d.FinishOnKey
}

// Reason says why a step is asking.
type Reason int

const (
	// ReasonFirst is the first time a step asks.
	ReasonFirst Reason = iota
	// ReasonTimeout follows silence: no key pressed before the timeout.
	ReasonTimeout
	// ReasonInvalid follows an entry of the wrong length or with a key
	// other than 0-9.
	ReasonInvalid
	// ReasonRejected follows an entry the step's Validate refused.
	ReasonRejected
)

// String returns the reason as it appears in logs.
func (r Reason) String() string {
	switch r {
	case ReasonFirst:
		return "first"
	case ReasonTimeout:
		return "timeout"
	case ReasonInvalid:
		return "invalid"
	case ReasonRejected:
		return "rejected"
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Retry is what a step says before asking again, in the manner of the
// prompts of Twilio's <Pay>, keyed by reason and attempt.
type Retry struct {
	// Reason selects the retries this applies to: ReasonTimeout,
	// ReasonInvalid or ReasonRejected. New refuses ReasonFirst: the first
	// ask says only the prompt.
	Reason Reason
	// Attempt selects one attempt (2 is the first retry, up to the step's
	// Attempts); 0 matches any.
	Attempt int
	// Verbs are said before the step's prompt.
	Verbs []twiml.GatherVerb
}

// retryVerbs returns what to say before the prompt on the given attempt:
// the step's matching Retry, else the built-in sentence for the reason.
func (s *Step) retryVerbs(reason Reason, attempt int, say *Sentences) []twiml.GatherVerb {
	if reason == ReasonFirst {
		return nil
	}
	for _, r := range s.Retries {
		if r.Reason == reason && (r.Attempt == 0 || r.Attempt == attempt) {
			return r.Verbs
		}
	}
	return []twiml.GatherVerb{say.retry(reason, s.Digits)}
}

// ErrInvalidDigits is what the built-in checks report for an entry with a
// wrong count or a key other than 0-9. It never quotes the entry.
var ErrInvalidDigits = errors.New("flow: invalid digits")

// errRejected is what check reports for an entry the step's Validate
// refused. Validate's own error is dropped: it may quote the value.
var errRejected = errors.New("flow: entry refused by the step's Validate")

// check applies the built-in checks (ErrInvalidDigits) and then the
// step's own (errRejected).
func (s *Step) check(digits string) error {
	if len(digits) < s.Digits.Min || len(digits) > s.Digits.Max {
		return ErrInvalidDigits
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return ErrInvalidDigits
		}
	}
	if s.Validate != nil && s.Validate(digits) != nil {
		return errRejected
	}
	return nil
}

// refusal is the reason a step asks again after check refused an entry.
func refusal(err error) Reason {
	if errors.Is(err, errRejected) {
		return ReasonRejected
	}
	return ReasonInvalid
}

// Luhn is a Validate function for full card numbers: it accepts digit
// strings whose Luhn (mod 10) check digit is right.
func Luhn(digits string) error {
	if len(digits) < 2 {
		return ErrInvalidDigits
	}
	sum := 0
	double := false
	for i := len(digits) - 1; i >= 0; i-- {
		c := digits[i]
		if c < '0' || c > '9' {
			return ErrInvalidDigits
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	if sum%10 != 0 {
		return ErrInvalidDigits
	}
	return nil
}

// field returns the name the step's value is handed over under.
func (s *Step) field() string {
	if s.Field == "" {
		return s.Name
	}
	return s.Field
}

// normalize fills defaults and reports definition errors. It runs once, in
// New, so a bad flow fails at start rather than on a call.
func (s *Step) normalize() error {
	if !validName(s.Name) {
		return fmt.Errorf("%w: step name %q must be 1 to 32 letters, digits, '-' or '_'", ErrDefinition, s.Name)
	}
	if s.Digits.isZero() {
		s.Digits = Exactly(4)
	}
	d := s.Digits
	if d == noDigits {
		return fmt.Errorf("%w: step %q asks for no digits (Exactly(0)); leave Digits unset for the default of 4", ErrDefinition, s.Name)
	}
	if d.Min < 1 || d.Max < d.Min || d.Max > maxDigits {
		return fmt.Errorf("%w: step %q: digits must satisfy 1 <= min <= max <= %d", ErrDefinition, s.Name, maxDigits)
	}
	switch d.FinishOnKey {
	case "", "#", "*":
	default:
		return fmt.Errorf("%w: step %q: finish key must be '#' or '*'", ErrDefinition, s.Name)
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultGatherTimeout
	}
	if s.Timeout < time.Second {
		return fmt.Errorf("%w: step %q: timeout must be at least 1s", ErrDefinition, s.Name)
	}
	if s.Attempts == 0 {
		s.Attempts = DefaultAttempts
	}
	if s.Attempts < 1 || s.Attempts > 10 {
		return fmt.Errorf("%w: step %q: attempts must be 1 to 10", ErrDefinition, s.Name)
	}
	if len(s.Prompt) == 0 {
		return fmt.Errorf("%w: step %q has no prompt", ErrDefinition, s.Name)
	}
	if err := validGatherVerbs(s.Prompt); err != nil {
		return fmt.Errorf("%w: step %q: prompt: %w", ErrDefinition, s.Name, err)
	}
	if s.Next != nil && !s.Plain {
		return fmt.Errorf("%w: step %q: Next needs a Plain step (a sensitive value must not steer the call)", ErrDefinition, s.Name)
	}
	return s.checkRetries()
}

// checkRetries refuses a Retry that can never be said or would say
// nothing Twilio accepts.
func (s *Step) checkRetries() error {
	for i, r := range s.Retries {
		switch {
		case r.Reason == ReasonFirst || r.Attempt == 1:
			return fmt.Errorf("%w: step %q: retry %d is keyed on the first ask, which says only the prompt", ErrDefinition, s.Name, i)
		case r.Reason != ReasonTimeout && r.Reason != ReasonInvalid && r.Reason != ReasonRejected:
			return fmt.Errorf("%w: step %q: retry %d has unknown reason %v", ErrDefinition, s.Name, i, r.Reason)
		case r.Attempt < 0 || r.Attempt > s.Attempts:
			return fmt.Errorf("%w: step %q: retry %d is keyed on attempt %d of %d", ErrDefinition, s.Name, i, r.Attempt, s.Attempts)
		}
		if err := validGatherVerbs(r.Verbs); err != nil {
			return fmt.Errorf("%w: step %q: retry %d: %w", ErrDefinition, s.Name, i, err)
		}
	}
	return nil
}

// validGatherVerbs reports what Twilio would refuse in verbs said inside a
// <Gather>, such as an empty <Say> or a <Play/> with nothing to play.
func validGatherVerbs(verbs []twiml.GatherVerb) error {
	return (&twiml.Response{Verbs: []twiml.Verb{twiml.Gather{Verbs: verbs}}}).Validate()
}

func validName(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
