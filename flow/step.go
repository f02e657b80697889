package flow

import (
	"errors"
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

// Step is one question of a flow: a prompt, then the keys the caller
// presses or the words the caller says.
//
// By default the answer is sensitive: it is sealed the moment it arrives
// and no later step, log line or URL ever sees it in the clear. A Plain step
// (a menu choice) may instead steer the flow through Next.
//
// A flow is a graph: after a step comes the step its Then names, or the
// next in the list when Then is "", and End after the last one. New
// refuses a successor that names no step, a step that no path reaches and
// a cycle that no Plain step's Next can leave.
//
// A step's functions (Validate, Check, Normalize, Reveal, Next, PromptFor,
// DigitsFor) answer from their arguments and change nothing: a flow may
// run them for a request that turns out to be a retry or a replay of one
// already answered (it claims the token together with saving the answer,
// in one store round trip), and then throws away what they returned.
// What must happen once belongs in Finish.
type Step struct {
	// Name names the step in URLs and logs: 1 to 32 letters, digits, '-' or
	// '_'. Names are unique within a flow.
	Name string

	// Field is the name the value is handed to the Finish function under
	// (for package flow/backend, the JSON field name). Empty means Name.
	Field string

	// Prompt is said or played while the caller may already type.
	Prompt []twiml.GatherVerb

	// PromptFor, if set, builds the prompt from the call so far (a voice
	// chosen at an earlier menu, a brand an earlier step revealed) in
	// place of Prompt, which may then be left out. Its verbs are checked
	// as Prompt is, at run time: no verbs, or verbs Twilio would refuse,
	// fail the request with the apology. A state token's life is sized
	// from the verbs it returns.
	PromptFor func(c *Call) []twiml.GatherVerb

	// Digits says how many keys to collect: Exactly(n) or Between(min,
	// max). New refuses a keypad step without it. A speech-only step
	// leaves it unset, unless its Normalize turns words into digits.
	Digits Digits

	// DigitsFor, if set, picks the step's Digits from the call so far,
	// such as 4 for a card whose brand an earlier step revealed as Amex
	// and 3 for the others. What it returns must lie within Digits (its
	// Min at least Digits.Min, its Max at most Digits.Max), which New
	// uses to size the state token; anything else fails the request with
	// the apology.
	DigitsFor func(c *Call) Digits

	// Timeout is how long Twilio waits for a key press; it is rounded up to
	// whole seconds. Zero means DefaultGatherTimeout.
	Timeout time.Duration

	// Validate, if set, checks the digits after the built-in checks (only
	// 0-9, the right count) have passed. An error makes the caller try
	// again, for ReasonRejected; its text is never said or logged, since it
	// may quote the value.
	Validate func(digits string) error

	// Check is Validate for checks that need the call so far: earlier
	// Plain values, revealed facts, the flow's clock and the attempt. It
	// runs after Validate. Its error is treated as Validate's, and a
	// Retry whose Err matches it (errors.Is) is said before the prompt.
	Check func(c *Call, value string) error

	// Plain marks a value that is not secret, such as a menu choice. It is
	// carried unsealed inside the (itself sealed) state, handed to Next, and
	// given to Finish in Result.Plain.
	Plain bool

	// Then names the step that follows this one: a step's Name, End for
	// the end of the flow (Finish runs), or "" for the next step in the
	// flow's list (End after the last).
	Then string

	// Next picks the step that follows a Plain step from its value: one
	// of Targets, or "" for Then. New refuses it on a sensitive step (a
	// secret must not steer the call) and without Targets; a name outside
	// Targets at run time fails the request with the apology.
	Next func(value string) string

	// Targets are the names Next may return (step names or End), declared
	// so that New can check the graph.
	Targets []string

	// InterruptKey, "*" or "#", lets the caller leave the flow from this
	// step: an entry holding the key ends the call as OutcomeInterrupted
	// (see WithEveryEnding). It must differ from the step's finish key;
	// on an Exactly(n) step the caller presses it and waits for the
	// timeout. "" (the default) reads the key as a wrong entry.
	InterruptKey twiml.FinishOnKey

	// Reveals names the facts Reveal may derive from a sensitive value,
	// such as "brand" and "last4". Names are unique within a flow.
	Reveals []string

	// Reveal derives non-secret facts from the step's accepted value: at
	// most one value per name in Reveals, each at most MaxFactLen
	// printable ASCII characters. The facts travel in the sealed state
	// beside the Plain values, for later steps (Call.Fact) and Finish
	// (Result.Facts); they are never logged. A fact is not a secret only
	// if the service makes it so: for a card number, PCI DSS allows at
	// most its first six and last four digits to be shown, and no fact
	// may hold more. A Reveal that returns an undeclared name or an
	// over-long value fails the request with the apology.
	Reveal func(value string) map[string]string

	// Input says how the caller answers: InputKeys (the default),
	// InputSpeech or InputKeysOrSpeech.
	Input Input

	// Speech sets Twilio's speech attributes of a step whose Input
	// includes speech.
	Speech SpeechOptions

	// MaxSpeechLen is the longest transcript a speech step keeps, in
	// bytes, after Normalize: a longer one is a wrong entry. It sizes the
	// state token; New requires it on a speech step, up to 256.
	MaxSpeechLen int

	// Normalize, if set, turns a transcript into the value the step
	// keeps, such as SpokenDigits; false makes the caller try again as
	// for a wrong entry. On a step with Digits, the value is then checked
	// as typed digits are.
	Normalize func(transcript string) (string, bool)

	// Attempts is how many times the step asks before the flow says goodbye.
	// Zero means DefaultAttempts.
	Attempts int

	// Retries are said before the prompt when the step asks again. The first
	// one that matches the reason and attempt is used; with none matching,
	// the flow says its built-in sentence for the reason (see Sentences).
	Retries []Retry

	// OffURL keeps the step's sealed value out of the state token, and so
	// out of the action URLs that Twilio keeps in its request logs: the
	// value goes to the flow's ValueStore (WithValueStore) under a random
	// Reference, which the token carries instead. The value lives for the
	// flow's max age from when it is gathered (a call still going after
	// that ends with the apology) and is deleted once the call has ended
	// (after Finish, if it runs). New refuses it on a
	// Plain step, and without a ValueStore. Off the URL, a value costs a
	// token 16 bytes whatever its size, which lifts the limit a
	// post-quantum Sealer's long values put on the number of steps.
	OffURL bool

	// InsecureKeepRecording leaves the call's recording running while this
	// sensitive step asks, in a flow that pauses recordings
	// (WithRecordingPause): the caller's key tones are then in the
	// recording. Plain steps are always recorded.
	InsecureKeepRecording bool
}

// End, as a step's Then or one of its Targets, ends the flow: Finish
// runs. It is no valid step name.
const End = "(end)"

// MaxFactLen bounds the value of one fact a step reveals, in bytes.
const MaxFactLen = 32

// maxReveals bounds the facts one step may declare.
const maxReveals = 8

// Input is how a step's caller answers.
type Input uint8

// The inputs.
const (
	InputKeys         Input = iota // keys only: Twilio's input="dtmf"
	InputSpeech                    // speech only: input="speech"
	InputKeysOrSpeech              // either: input="dtmf speech"
)

func (in Input) keys() bool   { return in != InputSpeech }
func (in Input) speech() bool { return in != InputKeys }

func (in Input) twiml() twiml.Input {
	switch in {
	case InputSpeech:
		return twiml.InputSpeech
	case InputKeysOrSpeech:
		return twiml.InputDTMFSpeech
	}
	return twiml.InputDTMF
}

// SpeechOptions are Twilio's speech attributes of a <Gather>; each zero
// value leaves Twilio's default.
type SpeechOptions struct {
	Model           string        // speechModel, such as "phone_call" or "numbers_and_commands"
	Hints           string        // hints: words or phrases, comma-separated
	Language        string        // language, such as "en-US"
	Timeout         time.Duration // speechTimeout; twiml.SpeechTimeoutAuto writes "auto"
	MaxSpeechTime   time.Duration // maxSpeechTime; 0 leaves Twilio's 60 s
	ProfanityFilter twiml.Toggle  // profanityFilter
	Enhanced        bool          // enhanced: the premium phone_call model

	// PartialResultCallback receives interim transcripts. New refuses it
	// on a sensitive step: it would send the words to another URL.
	PartialResultCallback string
}

// Digits is how many keys a step collects.
type Digits struct {
	// Min and Max bound the number of digits. When they differ, the caller
	// ends the entry with FinishOnKey.
	Min, Max int
	// FinishOnKey ends a variable-length entry; "" means '#'.
	FinishOnKey twiml.FinishOnKey

	// between marks a Digits made by Between, which New refuses with
	// min == max: Exactly says that, and submits on the last key.
	between bool
}

// Exactly asks for exactly n digits; Twilio submits them as soon as the n-th
// key is pressed. New refuses n < 1.
func Exactly(n int) Digits { return explicit(Digits{Min: n, Max: n}) }

// Between asks for min to max digits, ended with '#'. New refuses
// min < 1, max < min, and max == min: a fixed count is Exactly(n), which
// submits on the last key instead of waiting for '#'.
func Between(minDigits, maxDigits int) Digits {
	d := explicit(Digits{Min: minDigits, Max: maxDigits})
	d.between = true
	return d
}

// noDigits is what Exactly(0) and Between(0, 0) return: a Digits that is
// not the zero value (which means the step asks for no keys) and that New
// refuses on a keypad step.
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

// within reports whether d, as a DigitsFor returned it, lies within the
// step's declared bounds.
func (d Digits) within(bound Digits) bool {
	return d.Min >= bound.Min && d.Max <= bound.Max && d.Min >= 1 && d.Min <= d.Max &&
		(d.FinishOnKey == "" || d.FinishOnKey == "#" || d.FinishOnKey == "*")
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
	// ReasonRejected follows an entry the step's Validate or Check refused.
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
	// Err, if set, selects the entries refused with an error that
	// errors.Is matches to it (ReasonRejected only): "that card number is
	// not valid" apart from "we do not accept that card".
	Err error
	// Verbs are said before the step's prompt.
	Verbs []twiml.GatherVerb
}

// retryVerbs returns what to say before the prompt on the given attempt:
// the step's matching Retry, else the built-in sentence for the reason.
// cause is the error Validate or Check refused the entry with, if any.
func (s *Step) retryVerbs(reason Reason, attempt int, cause error, d Digits, say *Sentences) []twiml.GatherVerb {
	if reason == ReasonFirst {
		return nil
	}
	for _, r := range s.Retries {
		if r.Reason == reason && (r.Attempt == 0 || r.Attempt == attempt) &&
			(r.Err == nil || cause != nil && errors.Is(cause, r.Err)) {
			return r.Verbs
		}
	}
	return []twiml.GatherVerb{say.retry(reason, d)}
}

// field returns the name the step's value is handed over under.
func (s *Step) field() string {
	if s.Field == "" {
		return s.Name
	}
	return s.Field
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
