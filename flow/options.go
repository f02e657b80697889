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

// Option configures a Flow. Every ValidatorOption is an Option too, and
// configures the Flow's signature check.
type Option interface {
	applyFlow(*config) error
}

// flowOption is an Option that concerns only flows.
type flowOption func(*config) error

func (o flowOption) applyFlow(c *config) error { return o(c) }

type config struct {
	sig          sigConfig
	maxAge       time.Duration
	now          func() time.Time
	absoluteURLs bool
	goodbye      []twiml.Verb
	apology      []twiml.Verb
	sealer       Sealer          // nil: values are sealed by the master cipher
	recordings   RecordingPauser // nil: recordings are left alone
	failOpen     bool            // ask even when a pause failed
	single       singleUseConfig
}

func defaultConfig() config {
	return config{
		sig:     defaultSigConfig(),
		maxAge:  DefaultMaxAge,
		now:     time.Now,
		goodbye: []twiml.Verb{twiml.Say{Text: "We're sorry, we could not get your entry. Goodbye."}, twiml.Hangup{}},
		apology: []twiml.Verb{twiml.Say{Text: "We're sorry, an application error has occurred. Goodbye."}, twiml.Hangup{}},
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

// WithAbsoluteURLs makes action and redirect URLs absolute, built from the
// public URL, instead of relative to the current document (which Twilio
// resolves the same way). Use it when something between Twilio and the
// flow rewrites paths.
func WithAbsoluteURLs() Option {
	return flowOption(func(c *config) error { c.absoluteURLs = true; return nil })
}

// WithGoodbye sets what is said when a step has used all its attempts. A
// <Hangup> is added if the verbs do not end the call themselves.
func WithGoodbye(verbs ...twiml.Verb) Option {
	return flowOption(func(c *config) error { c.goodbye = endCall(verbs); return nil })
}

// WithApology sets what is said when a request cannot be served: a state
// token that is invalid, from another call or expired; an unknown step; a
// value that could not be sealed; a panic in the service's code. A
// <Hangup> is added if needed.
func WithApology(verbs ...twiml.Verb) Option {
	return flowOption(func(c *config) error { c.apology = endCall(verbs); return nil })
}
