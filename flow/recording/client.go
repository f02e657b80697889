package recording

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/twilio/twilio-go"
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
	api        *openapi.ApiService
	accountSid string
	authKind   string // "auth token" or "API key": for printing, never the secret
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
	cfg := config{timeout: DefaultTimeout}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	hc := &http.Client{
		Timeout:       cfg.timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if cfg.client != nil {
		hc.Transport = cfg.client.Transport
	}
	c := &client.Client{Credentials: client.NewCredentials(username, password), HTTPClient: hc}
	c.SetAccountSid(accountSid)
	rest := twilio.NewRestClientWithParams(twilio.ClientParams{Client: c})
	return &Client{api: rest.Api, accountSid: accountSid, authKind: kind}, nil
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
// The REST request runs before Pause returns and takes at most the
// Client's timeout. The REST client takes no context: a ctx that has
// already ended stops Pause before the request, not during it.
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
	params := new(openapi.UpdateCallRecordingParams).SetStatus(status)
	if status == statusPaused {
		params.SetPauseBehavior(pauseSkip)
	}
	answer, err := c.api.UpdateCallRecordingWithMetadata(callSid, currentRecording, params)
	if err != nil {
		return classify(op, err)
	}
	return confirm(op, answer.StatusCode, answer.Resource.Status, status)
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
