package flow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/twilio/twilio-go"
	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/encgather/encgather/twiml"
)

// DefaultRecordingTimeout bounds each request to Twilio's REST API that
// pauses or resumes a recording. A webhook makes at most one such request,
// so it stays well within Twilio's 15 s webhook timeout.
const DefaultRecordingTimeout = 3 * time.Second

// MaxRecordingTimeout is the longest timeout WithRecordingTimeout accepts.
const MaxRecordingTimeout = 5 * time.Second

// currentRecording names the call's active recording in the REST API.
const currentRecording = "Twilio.CURRENT"

// Recording statuses and the pause behaviour, as the REST API spells them.
const (
	recordingPaused     = "paused"
	recordingInProgress = "in-progress"
	pauseSkip           = "skip"
)

// What a request did to the call's recording, as logged in the "recording"
// attribute of its line.
const (
	recPaused       = "paused"        // the recording was paused before a sensitive step
	recResumed      = "resumed"       // the recording was resumed after one
	recNone         = "none"          // Twilio found no active recording: nothing to do
	recPauseFailed  = "pause_failed"  // pausing failed (see "error")
	recResumeFailed = "resume_failed" // resuming failed (see "error")
)

// outcomeRecordingFailed is logged, as an error, when a pause failed closed:
// the request was answered with the apology instead of the step.
const outcomeRecordingFailed = "recording_failed"

// ErrNoActiveRecording is reported by Recordings.Pause and Recordings.Resume
// when the call has no active recording (Twilio answers "not found"). A flow
// treats it as normal and carries on.
var ErrNoActiveRecording = errors.New("flow: call has no active recording")

// ErrRecordingUpdate is reported by Recordings.Pause and Recordings.Resume
// for any other failure: an error answer from Twilio, a timeout, a network
// error or a canceled context. The cause is wrapped.
var ErrRecordingUpdate = errors.New("flow: recording update failed")

// Recordings pauses and resumes call recordings through Twilio's REST API,
// so that a call being recorded does not keep the key tones of a sensitive
// entry. A Flow uses it through WithRecordingPause. It is safe for
// concurrent use.
//
// Every REST request is bounded by a timeout (DefaultRecordingTimeout). By
// default a failed pause fails closed: the flow does not ask for the value,
// apologises and ends the call. InsecureRecordingFailOpen asks anyway.
type Recordings struct {
	api        *openapi.ApiService
	accountSid string
	authKind   string // "auth token" or "API key": for String, never the secret
	timeout    time.Duration
	failOpen   bool
}

// RecordingsOption configures Recordings.
type RecordingsOption func(*recordingsConfig) error

type recordingsConfig struct {
	timeout  time.Duration
	client   *http.Client
	failOpen bool
}

// WithRecordingTimeout bounds each REST request, from 1 ms to
// MaxRecordingTimeout. The default is DefaultRecordingTimeout.
func WithRecordingTimeout(d time.Duration) RecordingsOption {
	return func(c *recordingsConfig) error {
		if d < time.Millisecond || d > MaxRecordingTimeout {
			return fmt.Errorf("%w: recording timeout %v is not within 1ms to %v", ErrDefinition, d, MaxRecordingTimeout)
		}
		c.timeout = d
		return nil
	}
}

// WithRecordingHTTPClient sends the REST requests through c's Transport,
// for a proxy or a test server. Only the Transport is used: the timeout is
// the recordings' own and redirects are not followed.
func WithRecordingHTTPClient(c *http.Client) RecordingsOption {
	return func(cfg *recordingsConfig) error {
		if c == nil {
			return fmt.Errorf("%w: nil recording HTTP client", ErrDefinition)
		}
		cfg.client = c
		return nil
	}
}

// InsecureRecordingFailOpen makes a flow ask for a sensitive value even when
// the recording could not be paused (for any reason other than there being
// no recording), logging a warning. The key tones may then be in the
// recording. The default fails closed: the flow apologises and ends the
// call without asking.
func InsecureRecordingFailOpen() RecordingsOption {
	return func(c *recordingsConfig) error { c.failOpen = true; return nil }
}

// NewRecordings returns Recordings that authenticate with the account's SID
// ("AC" and 32 hex digits) and auth token.
func NewRecordings(accountSid, authToken string, opts ...RecordingsOption) (*Recordings, error) {
	if !validSid(accountSid, "AC") {
		return nil, fmt.Errorf("%w: account SID must be \"AC\" and 32 hex digits", ErrDefinition)
	}
	if !validSecret(authToken) {
		return nil, fmt.Errorf("%w: auth token must be a non-empty string of letters and digits", ErrDefinition)
	}
	return newRecordings(accountSid, accountSid, authToken, "auth token", opts)
}

// NewRecordingsWithAPIKey returns Recordings that authenticate with an API
// key ("SK" and 32 hex digits) and its secret, acting on the account
// accountSid. An API key can be revoked on its own, without rotating the
// account's auth token.
func NewRecordingsWithAPIKey(accountSid, keySid, keySecret string, opts ...RecordingsOption) (*Recordings, error) {
	if !validSid(accountSid, "AC") {
		return nil, fmt.Errorf("%w: account SID must be \"AC\" and 32 hex digits", ErrDefinition)
	}
	if !validSid(keySid, "SK") {
		return nil, fmt.Errorf("%w: API key SID must be \"SK\" and 32 hex digits", ErrDefinition)
	}
	if !validSecret(keySecret) {
		return nil, fmt.Errorf("%w: API key secret must be a non-empty string of letters and digits", ErrDefinition)
	}
	return newRecordings(accountSid, keySid, keySecret, "API key", opts)
}

func newRecordings(accountSid, username, password, kind string, opts []RecordingsOption) (*Recordings, error) {
	cfg := recordingsConfig{timeout: DefaultRecordingTimeout}
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
	return &Recordings{
		api:        rest.Api,
		accountSid: accountSid,
		authKind:   kind,
		timeout:    cfg.timeout,
		failOpen:   cfg.failOpen,
	}, nil
}

// String describes the Recordings by account; it never shows the secret.
func (r *Recordings) String() string {
	return "flow.Recordings{account: " + r.accountSid + ", auth: " + r.authKind + " (redacted)}"
}

// GoString is String, so %#v shows no secret either.
func (r *Recordings) GoString() string { return r.String() }

// LogValue is String, so slog shows no secret either.
func (r *Recordings) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes String as a JSON string, so JSON shows no secret
// either.
func (r *Recordings) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// Pause pauses the active recording of the call callSid, skipping the paused
// time (PauseBehavior "skip"): the recording keeps nothing of it, not even
// silence. It returns an error wrapping ErrNoActiveRecording when the call
// has none, and one wrapping ErrRecordingUpdate on any other failure.
//
// The REST request takes at most the recordings' timeout; Pause stops
// waiting for it earlier if ctx ends, but the request runs to completion.
func (r *Recordings) Pause(ctx context.Context, callSid string) error {
	return r.update(ctx, callSid, recordingPaused)
}

// Resume resumes the active recording of the call callSid. It reports errors
// as Pause does.
func (r *Recordings) Resume(ctx context.Context, callSid string) error {
	return r.update(ctx, callSid, recordingInProgress)
}

func (r *Recordings) update(ctx context.Context, callSid, status string) error {
	if !validCallSid(callSid) {
		return fmt.Errorf("%w: malformed CallSid", ErrRecordingUpdate)
	}
	params := new(openapi.UpdateCallRecordingParams).SetStatus(status)
	if status == recordingPaused {
		params.SetPauseBehavior(pauseSkip)
	}
	// The REST client takes no context: its HTTP client's timeout bounds
	// the request, and the caller stops waiting when ctx ends.
	done := make(chan error, 1)
	go func() {
		_, err := r.api.UpdateCallRecording(callSid, currentRecording, params)
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = context.Cause(ctx)
	}
	return classifyRecordingError(status, err)
}

// classifyRecordingError turns the REST client's error into ours. Twilio's
// error messages name the call and the recording, never a caller's input.
func classifyRecordingError(status string, err error) error {
	if err == nil {
		return nil
	}
	op := "pause"
	if status == recordingInProgress {
		op = "resume"
	}
	var rest *client.TwilioRestError
	if errors.As(err, &rest) {
		if rest.Status == http.StatusNotFound || rest.Code == 20404 {
			return fmt.Errorf("%w (%s)", ErrNoActiveRecording, op)
		}
		return fmt.Errorf("%w: %s: Twilio answered status %d, error code %d", ErrRecordingUpdate, op, rest.Status, rest.Code)
	}
	return fmt.Errorf("%w: %s: %w", ErrRecordingUpdate, op, err)
}

// WithRecordingPause makes the flow pause the call's recording before it
// asks a sensitive step and resume it once the value is sealed, through
// rec. Plain steps and steps marked InsecureKeepRecording are recorded.
//
// A request makes at most one REST request, and only on a transition:
//
//   - it asks a sensitive step and did not answer one (the call's first
//     request, or after a plain step): pause, before the prompt is sent;
//   - it answered a sensitive step and asks none (a plain step follows, the
//     flow finishes, the caller has used every attempt, or the request
//     cannot be served): resume;
//   - it answered a sensitive step and asks another, or the same one again
//     after silence or a bad entry: nothing, the recording stays paused, so
//     the caller's second try is not recorded either.
//
// A call with no active recording is normal: Twilio answers "not found" and
// the flow carries on. If a pause fails otherwise, the flow apologises and
// ends the call without asking (unless rec was made with
// InsecureRecordingFailOpen, when it logs a warning and asks). A failed
// resume is logged as a warning; the value is already sealed.
//
// If the call ends while the recording is paused (the caller hangs up
// during a sensitive step), the recording ends with the call and keeps
// nothing of the paused part; no status callback is needed. Should Twilio
// still post the step's action, its CallStatus says the call is over and
// the flow attempts a resume, which Twilio may answer "not found".
func WithRecordingPause(rec *Recordings) Option {
	return func(c *config) error {
		if rec == nil {
			return fmt.Errorf("%w: nil Recordings", ErrDefinition)
		}
		c.recordings = rec
		return nil
	}
}

// pausesRecording reports whether the named step is asked with the
// recording paused. An empty or unknown name is no step.
func (f *Flow) pausesRecording(name string) bool {
	if name == "" {
		return false
	}
	idx, ok := f.index[name]
	if !ok {
		return false
	}
	s := &f.steps[idx]
	return !s.Plain && !s.InsecureKeepRecording
}

// recordingAround pauses or resumes the call's recording as the request
// leaves or enters a sensitive step, and returns the verbs to answer with:
// verbs, or the apology when a pause failed closed.
func (f *Flow) recordingAround(r *http.Request, ev *event, verbs []twiml.Verb) []twiml.Verb {
	rec := f.cfg.recordings
	if rec == nil || !validCallSid(ev.callSid) {
		return verbs
	}
	answered := f.pausesRecording(ev.step)
	asks := ev.outcome != outcomePanic && f.pausesRecording(ev.nextStep)
	ended := callEnded(r.Form.Get("CallStatus"))
	switch {
	case answered && (!asks || ended):
		f.resumeRecording(r.Context(), rec, ev)
	case asks && !answered && !ended:
		return f.pauseRecording(r.Context(), rec, ev, verbs)
	}
	return verbs
}

// callEnded reports whether a request's CallStatus says the call is over:
// Twilio may post a <Gather>'s action after the caller hung up.
func callEnded(status string) bool {
	switch status {
	case "completed", "canceled", "busy", "failed", "no-answer":
		return true
	}
	return false
}

func (f *Flow) pauseRecording(ctx context.Context, rec *Recordings, ev *event, verbs []twiml.Verb) []twiml.Verb {
	err := rec.Pause(ctx, ev.callSid)
	switch {
	case err == nil:
		ev.recording = recPaused
	case errors.Is(err, ErrNoActiveRecording):
		ev.recording = recNone
	default:
		ev.recording = recPauseFailed
		ev.err = err
		if !rec.failOpen {
			ev.outcome = outcomeRecordingFailed
			ev.nextStep, ev.nextSensitive = "", false
			return f.cfg.apology
		}
	}
	return verbs
}

func (f *Flow) resumeRecording(ctx context.Context, rec *Recordings, ev *event) {
	err := rec.Resume(ctx, ev.callSid)
	switch {
	case err == nil:
		ev.recording = recResumed
	case errors.Is(err, ErrNoActiveRecording):
		ev.recording = recNone
	default:
		ev.recording = recResumeFailed
		if ev.err == nil {
			ev.err = err
		} else {
			ev.err = errors.Join(ev.err, err)
		}
	}
}

// recordingFailed reports whether a request's recording outcome deserves at
// least a warning.
func recordingFailed(outcome string) bool {
	return outcome == recPauseFailed || outcome == recResumeFailed
}

// validSid accepts a Twilio SID: the two-letter prefix and 32 hex digits.
func validSid(sid, prefix string) bool {
	if len(sid) != 34 || sid[:2] != prefix {
		return false
	}
	for i := 2; i < len(sid); i++ {
		c := sid[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
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
