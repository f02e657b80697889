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
	// (for PostJSON, the JSON field name). Empty means Name.
	Field string

	// Prompt is said or played while the caller may already type.
	Prompt []twiml.GatherVerb

	// Digits says how many keys to collect. The zero value means Exactly(4).
	Digits Digits

	// Timeout is how long Twilio waits for a key press; it is rounded up to
	// whole seconds. Zero means DefaultGatherTimeout.
	Timeout time.Duration

	// Validate, if set, checks the digits after the built-in checks (only
	// 0-9, the right count) have passed. An error makes the caller try
	// again; its text is never said or logged, since it may quote the value.
	Validate func(digits string) error

	// Plain marks a value that is not secret, such as a menu choice. It is
	// carried unsealed inside the (itself sealed) state, handed to Next, and
	// given to Finish in Result.Plain.
	Plain bool

	// Next picks the step that follows a Plain step from its value: a step
	// name, or "" for the step after this one in the flow's list. Ignored for
	// sensitive steps.
	Next func(value string) string

	// Attempts is how many times the step asks before the flow says goodbye.
	// Zero means DefaultAttempts.
	Attempts int

	// Retries are said before the prompt when the step asks again. The first
	// one that matches the reason and attempt is used; with none matching,
	// the flow says a built-in sentence for the reason.
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
// key is pressed.
func Exactly(n int) Digits { return Digits{Min: n, Max: n} }

// Between asks for min to max digits, ended with '#'.
func Between(minDigits, maxDigits int) Digits { return Digits{Min: minDigits, Max: maxDigits} }

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
	// ReasonInvalid follows an entry that failed validation.
	ReasonInvalid
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
	}
	return "Reason(" + strconv.Itoa(int(r)) + ")"
}

// Retry is what a step says before asking again, in the manner of the
// prompts of Twilio's <Pay>, keyed by reason and attempt.
type Retry struct {
	// Reason selects the retries this applies to: ReasonTimeout or
	// ReasonInvalid.
	Reason Reason
	// Attempt selects one attempt (2 is the first retry); 0 matches any.
	Attempt int
	// Verbs are said before the step's prompt.
	Verbs []twiml.GatherVerb
}

// retryVerbs returns what to say before the prompt on the given attempt.
func (s *Step) retryVerbs(reason Reason, attempt int) []twiml.GatherVerb {
	if reason == ReasonFirst {
		return nil
	}
	for _, r := range s.Retries {
		if r.Reason == reason && (r.Attempt == 0 || r.Attempt == attempt) {
			return r.Verbs
		}
	}
	switch reason {
	case ReasonTimeout:
		return []twiml.GatherVerb{twiml.Say{Text: "We didn't receive any input."}}
	default:
		if s.Digits.exact() {
			return []twiml.GatherVerb{twiml.Say{Text: "That was not " + strconv.Itoa(s.Digits.Min) + " digits."}}
		}
		return []twiml.GatherVerb{twiml.Say{Text: "That entry was not valid."}}
	}
}

// ErrInvalidDigits is what the built-in checks report for an entry with a
// wrong count or a key other than 0-9. It never quotes the entry.
var ErrInvalidDigits = errors.New("flow: invalid digits")

// check applies the built-in checks and then the step's own.
func (s *Step) check(digits string) error {
	if len(digits) < s.Digits.Min || len(digits) > s.Digits.Max {
		return ErrInvalidDigits
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return ErrInvalidDigits
		}
	}
	if s.Validate != nil {
		return s.Validate(digits)
	}
	return nil
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
	return nil
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
