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
	prefix           string
	timeout          time.Duration
	assumeNoEviction bool
	autoPipeline     bool
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

// AssumeNoEviction makes New take the caller's word that Redis runs with
// maxmemory-policy noeviction, instead of reading the policy with CONFIG
// GET. It is for a Redis that refuses CONFIG, as managed services often
// do: check the policy in the service's own settings before using it.
// With any other policy, Redis evicts claims under memory pressure (the
// volatile-* policies pick exactly such keys, which have a time to live)
// and the tokens they stood for can be answered again.
func AssumeNoEviction() Option {
	return func(c *config) error {
		c.assumeNoEviction = true
		return nil
	}
}

// WithAutoPipeline sends the store's claims and saves through go-redis's
// autopipeliner on the client New is given (its deferred face, the
// client's AsyncAutoPipeline, which closes with the client): concurrent
// requests' commands share one connection and one write, instead of a
// connection and a system call each. It pays under many concurrent calls;
// at 8 it cost about a tenth of the calls a second (see the README's
// measurements). The store's timeout still bounds every call: a request
// stops waiting when it ends, and fails closed. The eviction check and
// Ready use the client itself. The client's Options.AutoPipelineOptions
// tune the batching (the README measured a flush delay of 50 and 200 µs:
// no gain on loopback). go-redis marks its autopipeliner experimental.
// New refuses the option on a client other than a *redis.Client or
// *redis.ClusterClient.
func WithAutoPipeline() Option {
	return func(c *config) error {
		c.autoPipeline = true
		return nil
	}
}
