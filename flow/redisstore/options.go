package redisstore

import (
	"errors"
	"time"
)

// DefaultPrefix begins every key the store writes.
const DefaultPrefix = "encgather:used:"

// DefaultTimeout bounds each Claim and Save: long enough for a Redis on the
// same network, short against Twilio's 15-second webhook timeout.
const DefaultTimeout = 500 * time.Millisecond

// Option configures a Store.
type Option func(*config) error

type config struct {
	prefix  string
	timeout time.Duration
}

// errTimeout reports a WithTimeout that would never let a call finish.
var errTimeout = errors.New("redisstore: timeout must be positive")

// WithPrefix begins every key with prefix instead of DefaultPrefix, to keep
// several flows or environments apart on one Redis.
func WithPrefix(prefix string) Option {
	return func(c *config) error {
		c.prefix = prefix
		return nil
	}
}

// WithTimeout bounds each Claim and Save by d instead of DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return errTimeout
		}
		c.timeout = d
		return nil
	}
}
