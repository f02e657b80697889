package recording

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/internal/sid"
)

// currentRecording names the call's active recording in the REST API.
const currentRecording = "Twilio.CURRENT"

// Recording statuses and the pause behaviour, as the REST API spells them.
const (
	statusPaused     = "paused"
	statusInProgress = "in-progress"
	pauseSkip        = "skip"
)

// ErrUpdate is reported by Pause and Resume for any failure other than the
// call having no active recording: an error answer from Twilio, a timeout,
// a network error or a context that ended first. The cause is wrapped.
var ErrUpdate = errors.New("recording: update failed")

// Client pauses and resumes call recordings through Twilio's REST API. It
// implements flow.RecordingPauser and is safe for concurrent use.
type Client struct {
	credentials  *client.Credentials
	accountSid   string
	authKind     string // "auth token" or "API key": for printing, never the secret
	edge, region string // TWILIO_EDGE and TWILIO_REGION when the Client was made
	transport    http.RoundTripper
	timeout      time.Duration // one try
	retry        retryPolicy
}

var _ flow.RecordingPauser = (*Client)(nil)

// New returns a Client that authenticates with the account's SID ("AC" and
// 32 hex digits) and auth token.
func New(accountSid, authToken string, opts ...Option) (*Client, error) {
	if !sid.Valid(accountSid, sid.Account) {
		return nil, fmt.Errorf("%w: account SID must be \"AC\" and 32 hex digits", ErrConfig)
	}
	if !validSecret(authToken) {
		return nil, fmt.Errorf("%w: auth token must be a non-empty string of letters and digits", ErrConfig)
	}
	return newClient(accountSid, accountSid, authToken, "auth token", opts)
}

// NewWithAPIKey returns a Client that authenticates with an API key ("SK"
// and 32 hex digits) and its secret, acting on the account accountSid. An
// API key can be revoked on its own, without rotating the account's auth
// token.
func NewWithAPIKey(accountSid, keySid, keySecret string, opts ...Option) (*Client, error) {
	if !sid.Valid(accountSid, sid.Account) {
		return nil, fmt.Errorf("%w: account SID must be \"AC\" and 32 hex digits", ErrConfig)
	}
	if !sid.Valid(keySid, sid.APIKey) {
		return nil, fmt.Errorf("%w: API key SID must be \"SK\" and 32 hex digits", ErrConfig)
	}
	if !validSecret(keySecret) {
		return nil, fmt.Errorf("%w: API key secret must be a non-empty string of letters and digits", ErrConfig)
	}
	return newClient(accountSid, keySid, keySecret, "API key", opts)
}

func newClient(accountSid, username, password, kind string, opts []Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil option", ErrConfig)
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	transport := http.DefaultTransport
	if cfg.client != nil && cfg.client.Transport != nil {
		transport = cfg.client.Transport
	}
	env := client.NewRequestHandler(nil) // reads TWILIO_EDGE and TWILIO_REGION, as twilio-go's clients do
	return &Client{
		credentials: client.NewCredentials(username, password),
		accountSid:  accountSid,
		authKind:    kind,
		edge:        env.Edge,
		region:      env.Region,
		transport:   transport,
		timeout:     cfg.timeout,
		retry:       cfg.retry,
	}, nil
}

// Account returns the SID of the account whose calls the Client acts on.
// A flow that pauses recordings with it refuses requests from any other.
func (c *Client) Account() string { return c.accountSid }

// Pause pauses the active recording of the call callSid, skipping the
// paused time (PauseBehavior "skip"): the recording keeps nothing of it,
// not even silence. It returns nil only when Twilio answers 2xx with the
// recording's status "paused"; an error wrapping flow.ErrNoActiveRecording
// when Twilio's answer says the call has no active recording; and one
// wrapping ErrUpdate on any other answer or failure.
//
// The REST requests run before Pause returns. Each try takes at most the
// Client's timeout (WithTimeout); a try that Twilio refuses for now (429,
// its concurrency limit, or 503), or whose connection failed before the
// request was written, is tried again after a jittered, growing wait
// (WithRetryBackoff), for as long as the retry budget (WithRetryBudget)
// and ctx allow. Setting a recording's status is idempotent, so a second
// try cannot undo the first. When ctx or the budget ends first, the error
// also wraps context.DeadlineExceeded (or ctx's cause), and Pause returns
// without waiting for a wait it has no time for.
func (c *Client) Pause(ctx context.Context, callSid string) error {
	return c.update(ctx, callSid, statusPaused)
}

// Resume resumes the active recording of the call callSid. It returns nil
// only when Twilio answers 2xx with the status "in-progress", and reports
// other answers and honours ctx as Pause does.
func (c *Client) Resume(ctx context.Context, callSid string) error {
	return c.update(ctx, callSid, statusInProgress)
}

func (c *Client) update(ctx context.Context, callSid, status string) error {
	op := "pause"
	if status == statusInProgress {
		op = "resume"
	}
	if !sid.Valid(callSid, sid.Call) {
		return fmt.Errorf("%w: %s: malformed CallSid", ErrUpdate, op)
	}
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUpdate, op, err)
	}
	deadline := c.retry.now().Add(c.retry.budget)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	for n := 1; ; n++ {
		t := c.try(ctx, callSid, status, op)
		if t.err == nil || !t.again {
			return t.err
		}
		if err := context.Cause(ctx); err != nil {
			return giveUp(t.err, n, err)
		}
		wait := c.retry.wait(n, t.retryAfter)
		if deadline.Sub(c.retry.now()) <= wait {
			return giveUp(t.err, n, context.DeadlineExceeded)
		}
		if err := c.retry.sleep(ctx, wait); err != nil {
			return giveUp(t.err, n, err)
		}
	}
}

// giveUp is the error of an update whose last try was refused for now and
// that has no time for another: the last try's error and why it stopped.
func giveUp(last error, tries int, why error) error {
	return fmt.Errorf("%w; gave up after %d tries: %w", last, tries, why)
}

// tryResult is what one try of an update came to.
type tryResult struct {
	err        error         // nil when Twilio confirmed the update
	again      bool          // refused for now, or not sent: worth another try
	retryAfter time.Duration // the wait Twilio's Retry-After asked for, 0 without one
}

// try makes one REST request that sets the call's current recording to
// status, within the Client's timeout and ctx.
func (c *Client) try(ctx context.Context, callSid, status, op string) tryResult {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	params := new(openapi.UpdateCallRecordingParams).SetStatus(status)
	if status == statusPaused {
		params.SetPauseBehavior(pauseSkip)
	}
	a := &attempt{ctx: ctx, base: c.transport}
	answer, err := c.api(a).UpdateCallRecordingWithMetadata(callSid, currentRecording, params)
	if err == nil {
		return tryResult{err: confirm(op, answer.StatusCode, answer.Resource.Status, status)}
	}
	r := tryResult{err: classify(op, err)}
	switch {
	case retryAnswer(a.status):
		r.again = true
		r.retryAfter = parseRetryAfter(a.retryAfter, c.retry.now())
	case a.unsent():
		r.again = true
	}
	return r
}

// validSecret accepts what the REST client accepts as a password.
func validSecret(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}
