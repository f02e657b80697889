package backend

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

// DefaultTimeout bounds a backend call: well under Twilio's 15 s webhook
// timeout, so the caller hears the failure sentence, not Twilio's.
const DefaultTimeout = 5 * time.Second

// The JSON names under which the CallSid and the caller's number are sent
// unless Config says otherwise.
const (
	DefaultCallSidField = "callSid"
	DefaultFromField    = "from"
)

// maxAnswer bounds what is read of a backend's answer.
const maxAnswer = 64 << 10

// Config describes a backend that receives a flow's fields as JSON, in
// the manner of the Twilio tutorial's /decrypt-gather function.
type Config struct {
	// URL receives a POST of the JSON body (see the package doc). It must
	// be an absolute http or https URL without user information
	// (credentials go in Header).
	URL string

	// Signing is the secret each request is signed with, the newest of
	// the shared secrets (Secrets.Newest); the zero Secret sends requests
	// unsigned. A backend that opens values sealed to a public key must
	// insist on a signature: anyone can seal to a public key.
	Signing Secret

	// OnSuccess turns a 2xx answer's body into what is said. It is
	// required. An error means the answer was unusable: Failure is said,
	// and the error is wrapped in the Finish's, so it must not quote the
	// body.
	OnSuccess func(body []byte) ([]twiml.Verb, error)

	// Decline is said when the backend answers one of DeclineStatuses: it
	// found no match for the caller's entries, a normal outcome. Nil means
	// a <Say> of DefaultDecline. The flow adds a <Hangup> unless the verbs
	// end the call or hand it on.
	Decline []twiml.Verb
	// DeclineStatuses are the statuses that mean a decline; nil means
	// 404 alone. Any other status outside 2xx is a failure: list a status
	// here only if the backend sends it for no match, not for a wrong URL.
	DeclineStatuses []int
	// Failure is said when the backend is unreachable, slow, answers any
	// other status outside 2xx, redirects, or sends an answer too large or
	// refused by OnSuccess. Nil means a <Say> of DefaultFailure.
	Failure []twiml.Verb

	// CallSidField is the JSON name of the CallSid; "" means
	// DefaultCallSidField. A backend deduplicates on it: a flow may post
	// the same call twice (Twilio retries a webhook it did not get an
	// answer to in time), so a backend that acts on a call keeps the
	// answer it gave each CallSid for the length of a call and answers a
	// repeat with it. With flow.WithBoundValues it is also what the
	// backend passes to flow.AdditionalData.
	CallSidField string
	// FromField is the JSON name of the caller's number (Result.From);
	// "" means DefaultFromField. A backend may key its limit on wrong
	// guesses on it. OmitFrom leaves the number out.
	FromField string
	// OmitFrom leaves the caller's number out of the body.
	OmitFrom bool

	// Header is added to each request, e.g. an Authorization header.
	Header http.Header

	// Client's Transport sends the request. A nil Client means a
	// transport from NewTransport, made once by New and shared by every
	// call it finishes; a nil Transport means http.DefaultTransport.
	//
	// Only the Transport is used: no redirect is ever followed, whatever
	// the Client's CheckRedirect (it would resend the sealed values and
	// Header elsewhere), so a 3xx answer is a failure; Timeout bounds the
	// call instead of Client.Timeout; no Jar is consulted. A service that
	// finishes many calls at once against one backend gives its Transport
	// the settings NewTransport documents, MaxIdleConnsPerHost above all.
	Client *http.Client
	// Timeout bounds the whole exchange; zero means DefaultTimeout.
	Timeout time.Duration
}

// finisher is a Config made ready by New.
type finisher struct {
	url             string
	signing         Secret
	onSuccess       func([]byte) ([]twiml.Verb, error)
	decline         []twiml.Verb
	declineStatuses []int
	failure         []twiml.Verb
	fields          fieldNames
	header          http.Header
	rt              http.RoundTripper
	timeout         time.Duration
	now             func() time.Time
}

// New returns a Finish that posts the gathered fields to c.URL and answers
// with c.OnSuccess, c.Decline or c.Failure (see Config). Its errors wrap
// flow.ErrDefinition and name the field at fault: a missing OnSuccess, a
// URL that is not absolute http or https or holds credentials, Decline or
// Failure verbs Twilio would refuse, a status in DeclineStatuses outside
// 100 to 599, or CallSidField and FromField the same.
func New(c Config) (flow.Finish, error) {
	f, err := newFinisher(c)
	if err != nil {
		return nil, err
	}
	return f.finish, nil
}

// Must returns finish, or panics with err: for a Config the program
// itself gets right, as in backend.Must(backend.New(cfg)).
func Must(finish flow.Finish, err error) flow.Finish {
	if err != nil {
		panic(err.Error())
	}
	return finish
}

func newFinisher(c Config) (*finisher, error) {
	if c.OnSuccess == nil {
		return nil, fmt.Errorf("%w: backend: Config.OnSuccess is nil", flow.ErrDefinition)
	}
	if err := checkURL(c.URL); err != nil {
		return nil, err
	}
	f := &finisher{
		url: c.URL, signing: c.Signing, onSuccess: c.OnSuccess,
		decline: orSay(c.Decline, DefaultDecline), failure: orSay(c.Failure, DefaultFailure),
		declineStatuses: c.DeclineStatuses, timeout: c.Timeout,
		header: requestHeader(c.Header), rt: transport(c.Client), now: time.Now,
	}
	if f.declineStatuses == nil {
		f.declineStatuses = []int{http.StatusNotFound}
	}
	if f.timeout <= 0 {
		f.timeout = DefaultTimeout
	}
	for _, check := range []func() error{
		func() error { return checkVerbs("Decline", f.decline) },
		func() error { return checkVerbs("Failure", f.failure) },
		func() error { return checkStatuses(f.declineStatuses) },
	} {
		if err := check(); err != nil {
			return nil, err
		}
	}
	var err error
	f.fields, err = newFieldNames(c)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// checkURL accepts an absolute http or https URL with a host. The error
// does not quote the URL, which may hold credentials.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%w: backend: Config.URL is not an absolute http or https URL", flow.ErrDefinition)
	}
	if u.User != nil {
		return fmt.Errorf("%w: backend: Config.URL holds credentials: send them in Config.Header", flow.ErrDefinition)
	}
	return nil
}

// checkVerbs refuses verbs Twilio would not accept.
func checkVerbs(field string, verbs []twiml.Verb) error {
	if err := (&twiml.Response{Verbs: verbs}).Validate(); err != nil {
		return fmt.Errorf("%w: backend: Config.%s: %w", flow.ErrDefinition, field, err)
	}
	return nil
}

// checkStatuses refuses a status no HTTP server sends.
func checkStatuses(statuses []int) error {
	for _, s := range statuses {
		if s < 100 || s > 599 {
			return fmt.Errorf("%w: backend: Config.DeclineStatuses holds %d, not an HTTP status", flow.ErrDefinition, s)
		}
	}
	return nil
}

// requestHeader is the header every request starts from: the service's,
// and the content type.
func requestHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header, 2)
	}
	out.Set("Content-Type", "application/json")
	out.Del(SignatureHeader)
	return out
}

// finish is the flow.Finish: the backend's verbs, or the decline or
// failure verbs with the error saying which.
func (f *finisher) finish(ctx context.Context, r *flow.Result) ([]twiml.Verb, error) {
	verbs, err := f.post(ctx, r)
	switch {
	case err == nil:
		return verbs, nil
	case declined(err):
		return f.decline, err
	default:
		return f.failure, err
	}
}

func (f *finisher) post(ctx context.Context, r *flow.Result) ([]twiml.Verb, error) {
	body, err := f.fields.body(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFailed, err)
	}
	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: building request: %w", ErrFailed, err)
	}
	req.Header = f.header.Clone()
	if !f.signing.IsZero() {
		Sign(req, body, f.signing, f.now())
	}
	resp, err := roundTrip(f.rt, req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFailed, err)
	}
	defer resp.Body.Close()
	answer, err := readAnswer(resp)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFailed, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{Status: resp.StatusCode, Declined: slices.Contains(f.declineStatuses, resp.StatusCode)}
	}
	verbs, err := f.onSuccess(answer)
	if err != nil {
		return nil, fmt.Errorf("%w: answer unusable: %w", ErrFailed, err)
	}
	return verbs, nil
}

// errAnswerSize is reported, wrapped in ErrFailed, for an answer over
// maxAnswer bytes.
var errAnswerSize = fmt.Errorf("answer over %d bytes", maxAnswer)

// readAnswer reads resp's body, at most maxAnswer bytes.
func readAnswer(resp *http.Response) ([]byte, error) {
	if resp.ContentLength > maxAnswer {
		return nil, errAnswerSize
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("reading answer: %w", err)
	}
	if len(answer) > maxAnswer {
		return nil, errAnswerSize
	}
	return answer, nil
}
