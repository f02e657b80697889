package recording

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// DefaultTimeout bounds each REST request that pauses or resumes a
// recording. A webhook makes at most one such request, so it stays well
// within Twilio's 15 s webhook timeout.
const DefaultTimeout = 3 * time.Second

// MaxTimeout is the longest timeout WithTimeout accepts.
const MaxTimeout = 5 * time.Second

// ErrConfig is reported by New and NewWithAPIKey for credentials or options
// that cannot work. The message never quotes a secret.
var ErrConfig = errors.New("recording: invalid configuration")

// Option configures a Client.
type Option func(*config) error

type config struct {
	timeout time.Duration
	client  *http.Client
}

// WithTimeout bounds each REST request, from 1 ms to MaxTimeout. The
// default is DefaultTimeout.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond || d > MaxTimeout {
			return fmt.Errorf("%w: timeout %v is not within 1ms to %v", ErrConfig, d, MaxTimeout)
		}
		c.timeout = d
		return nil
	}
}

// WithHTTPClient sends the REST requests through c's Transport, for a
// proxy or a test server. Only the Transport is used: the timeout is the
// Client's own and redirects are not followed.
func WithHTTPClient(c *http.Client) Option {
	return func(cfg *config) error {
		if c == nil {
			return fmt.Errorf("%w: nil HTTP client", ErrConfig)
		}
		cfg.client = c
		return nil
	}
}
