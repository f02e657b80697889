package flow

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultMaxAge is how long a state token stays valid: longer than any
// sensible phone call's pause between two steps, short enough that a leaked
// URL is soon worthless.
const DefaultMaxAge = 15 * time.Minute

// DefaultMaxBodyBytes bounds a webhook request body. Twilio's voice webhooks
// are a few hundred bytes to a few kilobytes.
const DefaultMaxBodyBytes = 64 << 10

// Option configures a Flow or a Validator. Options that concern only flows
// are ignored by NewValidator.
type Option func(*config) error

type config struct {
	// signatures
	publicURL       *url.URL
	secondaryToken  string
	trustProxy      bool
	insecureNoCheck bool

	// flow
	logger       *slog.Logger
	maxAge       time.Duration
	now          func() time.Time
	absoluteURLs bool
	goodbye      []twiml.Verb
	apology      []twiml.Verb
	maxBodyBytes int64
	recordings   *Recordings // nil: recordings are left alone
}

func defaultConfig() config {
	return config{
		logger:       slog.New(slog.DiscardHandler),
		maxAge:       DefaultMaxAge,
		now:          time.Now,
		goodbye:      []twiml.Verb{twiml.Say{Text: "We're sorry, we could not get your entry. Goodbye."}, twiml.Hangup{}},
		apology:      []twiml.Verb{twiml.Say{Text: "We're sorry, an application error has occurred. Goodbye."}, twiml.Hangup{}},
		maxBodyBytes: DefaultMaxBodyBytes,
	}
}

func (c *config) apply(opts []Option) error {
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return err
		}
	}
	return nil
}

// WithPublicURL sets the base URL Twilio calls, such as
// "https://ivr.example.com". Signatures are checked against it joined with
// the request's path and query, so it must be what Twilio has configured,
// not what the server sees behind a proxy. A path, if any, is the prefix a
// proxy strips before the request reaches the service.
func WithPublicURL(base string) Option {
	return func(c *config) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return fmt.Errorf("%w: public URL %q must be http(s)://host[:port][/prefix]", ErrDefinition, base)
		}
		u.Path = strings.TrimSuffix(u.Path, "/")
		u.RawPath = ""
		c.publicURL = u
		return nil
	}
}

// WithTrustedProxy says the service sits behind a proxy that sets
// X-Forwarded-Proto and X-Forwarded-Host and removes any a client sent. The
// public URL is then read from those headers when WithPublicURL is not set.
// Without this option they are ignored: anyone can send them.
func WithTrustedProxy() Option {
	return func(c *config) error { c.trustProxy = true; return nil }
}

// WithSecondaryAuthToken accepts signatures made with a second auth token,
// Twilio's secondary token, so the primary can be rotated without dropping
// calls.
func WithSecondaryAuthToken(token string) Option {
	return func(c *config) error {
		if token == "" {
			return fmt.Errorf("%w: empty secondary auth token", ErrDefinition)
		}
		c.secondaryToken = token
		return nil
	}
}

// InsecureSkipSignatureCheck turns off the X-Twilio-Signature check, for
// local development only: anyone who can reach the service can then drive
// it. A warning is logged at start.
func InsecureSkipSignatureCheck() Option {
	return func(c *config) error { c.insecureNoCheck = true; return nil }
}

// WithLogger sets where the flow logs one line per request. The default
// discards. Nothing the caller typed is ever logged, at any level.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrDefinition)
		}
		c.logger = l
		return nil
	}
}

// WithMaxAge sets how long a state token is accepted after it is issued.
// The default is DefaultMaxAge.
func WithMaxAge(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("%w: max age %v is under 1s", ErrDefinition, d)
		}
		c.maxAge = d
		return nil
	}
}

// WithClock replaces time.Now, for tests of token expiry.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrDefinition)
		}
		c.now = now
		return nil
	}
}

// WithAbsoluteURLs makes action and redirect URLs absolute, built from the
// public URL, instead of relative to the current document (which Twilio
// resolves the same way). Use it when something between Twilio and the
// flow rewrites paths.
func WithAbsoluteURLs() Option {
	return func(c *config) error { c.absoluteURLs = true; return nil }
}

// WithGoodbye sets what is said when a step has used all its attempts. A
// <Hangup> is added if the verbs do not end the call themselves.
func WithGoodbye(verbs ...twiml.Verb) Option {
	return func(c *config) error { c.goodbye = endCall(verbs); return nil }
}

// WithApology sets what is said when a request cannot be served: a state
// token that is invalid, from another call or expired; an unknown step; a
// panic in the service's code. A <Hangup> is added if needed.
func WithApology(verbs ...twiml.Verb) Option {
	return func(c *config) error { c.apology = endCall(verbs); return nil }
}

// WithMaxBodyBytes bounds the size of a webhook request body. The default is
// DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) error {
		if n < 1024 {
			return fmt.Errorf("%w: max body bytes %d is under 1024", ErrDefinition, n)
		}
		c.maxBodyBytes = n
		return nil
	}
}

// endCall returns verbs followed by a <Hangup>, unless they already end in a
// verb that ends or moves the call.
func endCall(verbs []twiml.Verb) []twiml.Verb {
	out := append([]twiml.Verb(nil), verbs...)
	if len(out) > 0 {
		switch out[len(out)-1].(type) {
		case twiml.Hangup, twiml.Reject, twiml.Redirect:
			return out
		}
	}
	return append(out, twiml.Hangup{})
}
