package flowtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// DefaultMaxRequests is the cap on webhook requests in one call; a call that
// reaches it ends with EndRequestCap, which is how a loop shows up.
const DefaultMaxRequests = 25

// DefaultTimeout is how long Twilio waits for a webhook's answer before it
// gives up on the request: 15 seconds.
const DefaultTimeout = 15 * time.Second

// ApplicationError is what Twilio says to the caller when a webhook fails,
// just before it ends the call.
const ApplicationError = "We're sorry, an application error has occurred. Goodbye."

// ErrTimeout is what Call.Err wraps when a webhook did not answer within
// Caller.Timeout (and, with Caller.RetryTimedOut, nor did its retry).
var ErrTimeout = errors.New("flowtest: webhook timed out")

// Caller places simulated calls. Its fields may be changed before Call.
type Caller struct {
	// Handler serves the call in-process. When nil, requests go to URL
	// over the network with Client.
	Handler http.Handler

	// Client is used only when Handler is nil; nil means
	// http.DefaultClient.
	Client *http.Client

	// URL is the call's first webhook, absolute.
	URL string

	// Method is the first webhook's method; "" means POST.
	Method string

	// AuthToken signs every request (X-Twilio-Signature); "" sends none.
	AuthToken string

	// Params are sent on every request, as Twilio sends a call's
	// parameters. NewCaller fills in realistic values with a fresh CallSid,
	// and each later Call gets a fresh one too, as every real call has its
	// own; a CallSid the test sets itself is kept for every call.
	Params url.Values

	// placed is the CallSid NewCaller or the last Call chose, to tell it
	// from one the test set; called says a call has used it.
	placed string
	called bool

	// MaxRequests caps the webhook requests of one call; 0 means
	// DefaultMaxRequests.
	MaxRequests int

	// Timeout is how long a webhook request may take, as Twilio's own
	// timeout; 0 means DefaultTimeout. A request that takes longer is
	// given up on, as Twilio does: the handler's context is cancelled,
	// its late answer is ignored, the caller hears ApplicationError and
	// the call ends with EndError and an Err wrapping ErrTimeout. Tests
	// set a short Timeout and a handler that blocks until released, so
	// that nothing sleeps.
	Timeout time.Duration

	// RetryTimedOut makes a timed-out webhook request be sent once more,
	// the same request with the same signature, and its answer used, as
	// Twilio does when a webhook URL asks for a retry on a read timeout
	// (the connection override #rp=rt). Both requests are in
	// Call.Requests, the first with TimedOut set. The status callback is
	// never retried.
	RetryTimedOut bool

	// Log, if set, receives each event and request as it happens, one line
	// each, as Twilio's debugger would show them.
	Log io.Writer

	// StatusCallback, if set, is where the call's status callback is
	// POSTed once the call ends, signed like every request, with the
	// call's parameters and CallStatus "completed", as Twilio does for a
	// number's "call status changes" URL. A relative URL is resolved
	// against URL. The request goes to Handler too, or over the network.
	StatusCallback string
}

// NewCaller returns a Caller for the webhook at webhookURL served by h,
// signing with authToken. It panics if webhookURL is not an absolute
// http(s) URL: a test bug.
func NewCaller(h http.Handler, webhookURL, authToken string) *Caller {
	u, err := url.Parse(webhookURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		panic(fmt.Sprintf("flowtest: NewCaller: %q is not an absolute http(s) URL", webhookURL))
	}
	params := DefaultParams()
	return &Caller{
		Handler:   h,
		URL:       webhookURL,
		AuthToken: authToken,
		Params:    params,
		placed:    params.Get("CallSid"),
	}
}

// DefaultParams returns the parameters Twilio sends with an inbound voice
// call's webhooks, with a fresh random CallSid and example numbers.
func DefaultParams() url.Values {
	return url.Values{
		"AccountSid": {"AC" + randomHex(16)},
		"ApiVersion": {"2010-04-01"},
		"CallSid":    {"CA" + randomHex(16)},
		"CallStatus": {"in-progress"},
		"Called":     {"+15005550006"},
		"Caller":     {"+15005550001"},
		"Direction":  {"inbound"},
		"From":       {"+15005550001"},
		"To":         {"+15005550006"},
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Call places one call. Each entry answers one <Gather> in turn: keys
// such as "1234", "12#" (ended by the finish key), or "" for silence;
// Speech("...") for words, which only a speech <Gather> hears; and HangUp,
// alone or after keys, to hang up. Once the entries run out the caller
// stays silent; entries left when the call ends are in Call.Unused. Call
// never panics on a misbehaving application: it records how the call
// ended.
func (c *Caller) Call(entries ...string) *Call {
	return c.CallContext(context.Background(), entries...)
}

// CallContext is Call with a context that bounds the whole call.
func (c *Caller) CallContext(ctx context.Context, entries ...string) *Call {
	return c.place(ctx, "", entries)
}

// place places a call whose first request goes to start, or to c.URL when
// start is "".
func (c *Caller) place(ctx context.Context, start string, entries []string) *Call {
	if c.called && c.placed != "" && c.Params.Get("CallSid") == c.placed {
		c.placed = "CA" + randomHex(16)
		c.Params.Set("CallSid", c.placed)
	}
	c.called = true
	s := &session{caller: c, ctx: ctx, keys: entries, call: &Call{Sid: c.Params.Get("CallSid")}, start: start}
	s.run()
	s.call.Unused = append([]string(nil), entries[s.next:]...)
	if c.StatusCallback != "" {
		s.statusCallback()
	}
	return s.call
}
