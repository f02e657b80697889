package flow

import (
	"fmt"
	"time"
)

// DefaultRetryWindow is how long after a request is answered an identical
// request (a retry: Twilio sends a webhook again when the first attempt
// failed or timed out) gets the same answer instead of a refusal. It is
// Twilio's own webhook timeout.
const DefaultRetryWindow = 15 * time.Second

// DefaultMemoryStoreEntries bounds the MemoryStore a Flow makes for itself
// when no WithStore is given: enough for about 50 steps a second with the
// default maximum age, in at most about 80 MB.
const DefaultMemoryStoreEntries = 50_000

// WithStore sets where a flow records the state tokens it has answered. The
// default is a MemoryStore of DefaultMemoryStoreEntries, private to the
// Flow: it protects one replica only. Replicas behind a load balancer need
// one store they all share (package flow/redisstore), or a token answered
// by one could be replayed to another.
func WithStore(s Store) Option {
	return flowOption(func(c *config) error {
		if s == nil {
			return fmt.Errorf("%w: nil Store", ErrDefinition)
		}
		c.single.store = s
		return nil
	})
}

// WithRetryWindow sets how long after an answer an identical request gets
// the same answer again; the default is DefaultRetryWindow, or the maximum
// age if that is shorter. Zero refuses every second use of a token, retries
// included. The window cannot exceed the maximum age (WithMaxAge).
func WithRetryWindow(d time.Duration) Option {
	return flowOption(func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: negative retry window %v", ErrDefinition, d)
		}
		c.single.retryWindow, c.single.retryWindowSet = d, true
		return nil
	})
}

// InsecureStoreFailOpen makes a flow run a step even when the single-use
// store cannot say whether the step's token was used before (the store is
// unreachable, slow past its timeout, or full), logging a warning. A replay
// may then succeed. The default fails closed: the flow apologises, ends the
// call and logs an error.
func InsecureStoreFailOpen() Option {
	return flowOption(func(c *config) error { c.single.failOpen = true; return nil })
}

// singleUseConfig is what the options above set.
type singleUseConfig struct {
	store          Store         // nil: a MemoryStore of the Flow's own
	retryWindow    time.Duration // see WithRetryWindow
	retryWindowSet bool
	failOpen       bool // run a step even when the store failed
}

// checkRetryWindow refuses a retry window longer than the maximum age, and
// shortens the default one to it.
func (c *config) checkRetryWindow() error {
	s := &c.single
	if !s.retryWindowSet {
		s.retryWindow = min(DefaultRetryWindow, c.maxAge)
		return nil
	}
	if s.retryWindow > c.maxAge {
		return fmt.Errorf("%w: retry window %v is longer than the max age %v", ErrDefinition, s.retryWindow, c.maxAge)
	}
	return nil
}
