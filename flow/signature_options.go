package flow

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
)

// DefaultMaxBodyBytes bounds a webhook request body. Twilio's voice webhooks
// are a few hundred bytes to a few kilobytes.
const DefaultMaxBodyBytes = 64 << 10

// ValidatorOption configures a Validator, or the signature check and
// logging of a Flow: every ValidatorOption is also an Option.
type ValidatorOption func(*sigConfig) error

func (o ValidatorOption) applyFlow(c *config) error { return o(&c.sig) }

type sigConfig struct {
	publicURL       *url.URL
	publicBase      string // the public URL as written, without a final '/'
	secondaryToken  string
	trustProxy      bool
	insecureNoCheck bool
	maxBodyBytes    int64
	logger          *slog.Logger
}

func defaultSigConfig() sigConfig {
	return sigConfig{maxBodyBytes: DefaultMaxBodyBytes, logger: slog.Default()}
}

// WithPublicURL sets the base URL Twilio calls, such as
// "https://ivr.example.com". Signatures are checked against it joined with
// the request's path and query, so it must be what Twilio has configured,
// not what the server sees behind a proxy. A path, if any, is the prefix a
// proxy strips before the request reaches the service.
//
// The URL is signed as written, as Twilio signs it: a port that is not the
// default, percent escapes in the path ("/my%20ivr") and the credentials
// of HTTP authentication ("https://user:password@host") are kept. The
// password is never logged or quoted in an error.
func WithPublicURL(base string) ValidatorOption {
	return func(c *sigConfig) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(base, "#") {
			quoted := "" // an unparsed URL may hold a password: not quoted
			if err == nil {
				quoted = fmt.Sprintf(" %q", u.Redacted())
			}
			return fmt.Errorf("%w: public URL%s must be http(s)://[user[:password]@]host[:port][/prefix]", ErrDefinition, quoted)
		}
		c.publicURL = u
		c.publicBase = strings.TrimSuffix(base, "/")
		return nil
	}
}

// WithTrustedProxy says the service sits behind a proxy that sets
// X-Forwarded-Proto and X-Forwarded-Host and removes any a client sent. The
// public URL is then read from those headers when WithPublicURL is not set.
// Without this option they are ignored: anyone can send them.
func WithTrustedProxy() ValidatorOption {
	return func(c *sigConfig) error { c.trustProxy = true; return nil }
}

// WithSecondaryAuthToken accepts signatures made with a second auth token,
// Twilio's secondary token, so the primary can be rotated without dropping
// calls.
func WithSecondaryAuthToken(token string) ValidatorOption {
	return func(c *sigConfig) error {
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
func InsecureSkipSignatureCheck() ValidatorOption {
	return func(c *sigConfig) error { c.insecureNoCheck = true; return nil }
}

// WithMaxBodyBytes bounds the size of a webhook request body. The default is
// DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) ValidatorOption {
	return func(c *sigConfig) error {
		if n < 1024 {
			return fmt.Errorf("%w: max body bytes %d is under 1024", ErrDefinition, n)
		}
		c.maxBodyBytes = n
		return nil
	}
}

// WithLogger sets where a Validator logs refused requests and a Flow logs
// one line per request. The default is slog.Default() as it is when New or
// NewValidator is called, so that a refused request is never silent; pass
// a logger with slog.DiscardHandler to log nothing. Nothing the caller
// typed is ever logged, at any level.
func WithLogger(l *slog.Logger) ValidatorOption {
	return func(c *sigConfig) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrDefinition)
		}
		c.logger = l
		return nil
	}
}
