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

// DefaultRetryBudget bounds one Pause or Resume, every try and every wait
// between tries included, unless its context ends sooner. It is
// DefaultTimeout, the bound of a single try: retries do not make an update
// take longer than one request that hangs, so a webhook that also calls a
// backend (flow.DefaultFinishTimeout) still answers within Twilio's 15 s
// webhook timeout.
const DefaultRetryBudget = DefaultTimeout

// MaxRetryBudget is the longest budget WithRetryBudget accepts. A webhook
// must answer within Twilio's 15 s: a longer budget leaves less for the
// rest of the request, unless the webhook's context is shorter.
const MaxRetryBudget = 10 * time.Second

// DefaultFirstRetryWait and DefaultMaxRetryWait are the waits of
// WithRetryBackoff's default: about a tenth of a second before the first
// retry, doubling, never more than a second.
const (
	DefaultFirstRetryWait = 100 * time.Millisecond
	DefaultMaxRetryWait   = time.Second
)

// MaxRetryWait is the longest wait between tries WithRetryBackoff accepts.
const MaxRetryWait = 5 * time.Second

// ErrConfig is reported by New and NewWithAPIKey for credentials or options
// that cannot work. The message never quotes a secret.
var ErrConfig = errors.New("recording: invalid configuration")

// Option configures a Client.
type Option func(*config) error

type config struct {
	timeout time.Duration
	client  *http.Client
	retry   retryPolicy
}

func defaultConfig() config {
	return config{timeout: DefaultTimeout, retry: defaultRetryPolicy()}
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

// WithRetryBudget bounds the time one Pause or Resume may take, every try
// and every wait between tries included, from 1 ms to MaxRetryBudget. The
// context given to Pause or Resume bounds it further when it ends sooner.
// Each try is also bounded by the timeout (WithTimeout). The default is
// DefaultRetryBudget.
//
// An update is tried again only when Twilio refused it for now (429, its
// concurrency limit, error 20429; or 503) or the connection failed before
// the request was written; any other answer is final.
func WithRetryBudget(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond || d > MaxRetryBudget {
			return fmt.Errorf("%w: retry budget %v is not within 1ms to %v", ErrConfig, d, MaxRetryBudget)
		}
		c.retry.budget = d
		return nil
	}
}

// WithRetryBackoff sets the waits between tries of an update: first before
// the first retry, doubled before each next one, never more than max. Each
// wait is drawn at random from the upper half of that (between half of it
// and all of it), so that webhooks refused together do not retry together.
// A Retry-After in Twilio's answer is waited instead, held within first and
// max. first must be at least 1 ms and max from first to MaxRetryWait. The
// defaults are DefaultFirstRetryWait and DefaultMaxRetryWait.
func WithRetryBackoff(first, max time.Duration) Option {
	return func(c *config) error {
		if first < time.Millisecond || max < first || max > MaxRetryWait {
			return fmt.Errorf("%w: retry waits %v to %v are not within 1ms to %v, first no more than max", ErrConfig, first, max, MaxRetryWait)
		}
		c.retry.first, c.retry.max = first, max
		return nil
	}
}
