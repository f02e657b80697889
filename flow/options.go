package flow

import (
	"fmt"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultMaxAge is how long a state token stays valid: longer than any
// sensible phone call's pause between two steps, short enough that a leaked
// URL is soon worthless.
const DefaultMaxAge = 15 * time.Minute

// DefaultFinishTimeout bounds a Finish: the deadline of the context it is
// given. It leaves room, under Twilio's 15 s webhook timeout, for the
// request's other work and the answer's way back.
const DefaultFinishTimeout = 10 * time.Second

// twilioWebhookTimeout is how long Twilio waits for a webhook's answer.
const twilioWebhookTimeout = 15 * time.Second

// Option configures a Flow (New). The CommonOptions (WithPublicURL,
// WithLogger, ...) are Options too.
type Option interface {
	applyFlow(*config) error
}

// flowOption is an Option that concerns only flows.
type flowOption func(*config) error

func (o flowOption) applyFlow(c *config) error { return o(c) }

type config struct {
	sig           sigConfig
	maxAge        time.Duration
	now           func() time.Time // nil: the request's arrival, read by time.Now
	absoluteURLs  bool
	sentences     Sentences
	goodbye       []twiml.Verb // nil: sentences.Goodbye
	apology       []twiml.Verb // nil: sentences.Apology
	finishTime    time.Duration
	requestBudget time.Duration
	observer      func(Event)     // nil: no observer
	rawErrorText  bool            // log the service's error text unmasked
	sealer        Sealer          // nil: values are sealed by the master cipher
	boundValues   bool            // the master cipher binds field and CallSid
	recordings    RecordingPauser // nil: recordings are left alone
	values        ValueStore      // nil: no step keeps its value off the URL

	everyEnding    bool     // Finish runs for give-ups and interruptions too
	finishOnHangUp bool     // Finish runs when the caller hangs up
	maxRequests    int      // the most requests one call may make
	entryParams    []string // the first request's query parameters kept (WithEntryParams)

	recordingFailOpen bool // ask even when a pause failed
	single            singleUseConfig
}

func defaultConfig() config {
	return config{
		sig:           defaultSigConfig(),
		maxAge:        DefaultMaxAge,
		sentences:     DefaultSentences(),
		finishTime:    DefaultFinishTimeout,
		requestBudget: DefaultRequestBudget,
		maxRequests:   DefaultMaxRequests,
	}
}

func (c *config) apply(opts []Option) error {
	for _, opt := range opts {
		if opt == nil {
			return fmt.Errorf("%w: nil option", ErrDefinition)
		}
		if err := opt.applyFlow(c); err != nil {
			return err
		}
	}
	if c.goodbye == nil {
		c.goodbye = c.sentences.ending(c.sentences.Goodbye)
	}
	if c.apology == nil {
		c.apology = c.sentences.ending(c.sentences.Apology)
	}
	return nil
}

// WithMaxAge sets how long a state token is accepted after it is issued.
// The default is DefaultMaxAge.
func WithMaxAge(d time.Duration) Option {
	return flowOption(func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("%w: max age %v is under 1s", ErrDefinition, d)
		}
		c.maxAge = d
		return nil
	})
}

// WithClock replaces time.Now, for tests of token expiry.
func WithClock(now func() time.Time) Option {
	return flowOption(func(c *config) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrDefinition)
		}
		c.now = now
		return nil
	})
}

// clock returns the flow's time for a request that arrived at start:
// start itself, unless WithClock replaced the clock. One reading serves
// all of a request's checks and the times it writes.
func (c *config) clock(start time.Time) time.Time {
	if c.now == nil {
		return start
	}
	return c.now()
}

// WithAbsoluteURLs makes action and redirect URLs absolute, built from the
// public URL, instead of relative to the current document (which Twilio
// resolves the same way). Use it when something between Twilio and the
// flow rewrites paths.
func WithAbsoluteURLs() Option {
	return flowOption(func(c *config) error { c.absoluteURLs = true; return nil })
}

// WithGoodbye sets what is said when a step has used all its attempts,
// instead of the Goodbye sentence. A <Hangup> is added if the verbs do not
// end the call themselves.
func WithGoodbye(verbs ...twiml.Verb) Option {
	return flowOption(func(c *config) error {
		v, err := endingVerbs("goodbye", verbs)
		c.goodbye = v
		return err
	})
}

// WithApology sets what is said when a request cannot be served, instead
// of the Apology sentence: a state token that is invalid, from another
// call or expired; an unknown step; a value that could not be sealed; a
// panic in the service's code. A <Hangup> is added if needed.
func WithApology(verbs ...twiml.Verb) Option {
	return flowOption(func(c *config) error {
		v, err := endingVerbs("apology", verbs)
		c.apology = v
		return err
	})
}

// endingVerbs returns verbs that end the call, or an error if Twilio would
// refuse them.
func endingVerbs(what string, verbs []twiml.Verb) ([]twiml.Verb, error) {
	v := endCall(verbs)
	if err := (&twiml.Response{Verbs: v}).Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrDefinition, what, err)
	}
	return v, nil
}

// WithFinishTimeout sets the deadline of the context a Finish is given
// (a backend hand-off's own timeout applies within it). The default is
// DefaultFinishTimeout; it must be under Twilio's 15 s webhook timeout, so
// that the caller hears the flow's answer rather than Twilio's error.
func WithFinishTimeout(d time.Duration) Option {
	return flowOption(func(c *config) error {
		if d <= 0 || d >= twilioWebhookTimeout {
			return fmt.Errorf("%w: finish timeout %v is not between 0 and Twilio's %v", ErrDefinition, d, twilioWebhookTimeout)
		}
		c.finishTime = d
		return nil
	})
}

// WithEveryEnding makes the flow call its Finish when a step has used its
// last attempt (Result.Outcome is OutcomeGaveUp) and when the caller
// presses a step's InterruptKey (OutcomeInterrupted), as well as when
// the flow is done; its verbs are then said (the goodbye when there are
// none). By default those endings say the goodbye and Finish does not
// run, so a Finish that posts to a backend only ever sees a complete
// call.
func WithEveryEnding() Option {
	return flowOption(func(c *config) error { c.everyEnding = true; return nil })
}

// WithFinishOnHangUp makes the flow call its Finish when the caller hangs
// up (Result.Outcome is OutcomeHungUp), with the values gathered before
// and the entry the hang-up request carries, if it passes the step's
// checks: a payment captured in full may still be wanted. Its verbs are
// ignored: the call is gone, and the answer is an empty <Response/>. By
// default a hang-up runs no check and no Finish.
func WithFinishOnHangUp() Option {
	return flowOption(func(c *config) error { c.finishOnHangUp = true; return nil })
}

// DefaultMaxRequests is how many requests one call may make of a flow
// (each asks once): past it, the flow says its apology. It stops a call
// that loops through a menu forever.
const DefaultMaxRequests = 100

// maxRequestsLimit bounds WithMaxRequests, and the count a state carries.
const maxRequestsLimit = 10000

// WithMaxRequests sets how many requests one call may make: at least 2,
// at most 10,000. The default is DefaultMaxRequests.
func WithMaxRequests(n int) Option {
	return flowOption(func(c *config) error {
		if n < 2 || n > maxRequestsLimit {
			return fmt.Errorf("%w: max requests %d is not between 2 and %d", ErrDefinition, n, maxRequestsLimit)
		}
		c.maxRequests = n
		return nil
	})
}
