package flow

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultBackendTimeout bounds a backend call: well under Twilio's 15 s
// webhook timeout, so the caller hears the failure message, not Twilio's.
const DefaultBackendTimeout = 5 * time.Second

// DefaultCallSidField is the JSON name under which PostJSON sends the
// call's CallSid when Backend.CallSidField is empty.
const DefaultCallSidField = "callSid"

// maxBackendResponse bounds what is read of a backend's answer.
const maxBackendResponse = 64 << 10

// ErrBackend wraps every failure of a Backend: unreachable, slow, non-2xx,
// a redirect, or an answer its OnSuccess refused. The message has the
// status code at most, never a body or a value.
var ErrBackend = errors.New("flow: backend failed")

// Backend describes a service that receives a flow's fields as JSON, in the
// manner of the tutorial's /decrypt-gather function.
type Backend struct {
	// URL receives a POST with a JSON object: each field's name mapped to
	// its sealed hex value (Result.Sealed) or, for Plain steps, its digits,
	// and CallSidField mapped to the call's CallSid. It must be an
	// absolute http or https URL without user information (credentials go
	// in Header).
	URL string

	// CallSidField is the JSON name of the CallSid; empty means
	// DefaultCallSidField. A backend that ignores unknown names (as the
	// tutorial's Node function does) is not affected by it.
	//
	// A backend deduplicates on it: a flow may post the same call twice
	// (Twilio retries a webhook it did not get an answer to in time, and
	// each replica without a shared store serves the retry anew), so a
	// backend that acts on a call (charges, sends, counts an attempt)
	// keeps the answer it gave each CallSid for the length of a call (a
	// few hours covers Twilio's 4-hour call limit) and answers a repeat
	// with it instead of acting again. With WithBoundValues, the CallSid
	// is also what the backend passes to AdditionalData.
	CallSidField string

	// Client's Transport sends the request. A nil Client means a
	// transport from NewBackendTransport, made once per PostJSON and
	// shared by every call it finishes; a nil Transport means
	// http.DefaultTransport.
	//
	// Only the Transport is used: no redirect is ever followed, whatever
	// the Client's CheckRedirect (it would resend the sealed values and
	// Header elsewhere), so a 3xx answer is a failure; Timeout bounds the
	// call instead of Client.Timeout; no Jar is consulted. A service that
	// finishes many calls at once against one backend gives its Transport
	// the settings NewBackendTransport documents, MaxIdleConnsPerHost
	// above all: http.DefaultTransport keeps 2 idle connections per host.
	Client *http.Client
	// Timeout bounds the whole exchange; zero means DefaultBackendTimeout.
	Timeout time.Duration

	// Header is added to the request, e.g. an Authorization header.
	Header http.Header

	// OnSuccess turns a 2xx answer's body into what is said. An error means
	// the answer was unusable, and Failure is said instead.
	OnSuccess func(body []byte) ([]twiml.Verb, error)

	// Failure is said when the backend fails in any way, or declines; a
	// <Hangup> follows.
	Failure []twiml.Verb

	// Declines lists the status codes with which the backend turns a
	// caller away as a normal outcome, such as http.StatusNotFound from
	// the tutorial's backend for an unknown card and PIN. Failure is said,
	// and the error wraps ErrDeclined as well as ErrBackend, so the flow
	// logs it at INFO. Any other status outside 2xx is a failure (ERROR):
	// a 404 from a wrong URL should not pass for a wrong PIN unless the
	// service says so.
	Declines []int
}

// NewBackend returns a Finish that posts the gathered fields to b.URL and
// answers with b.OnSuccess or, on any failure, b.Failure. It reports an
// error wrapping ErrDefinition when b.URL is not an absolute http or https
// URL. Use it when the URL comes from configuration; PostJSON is for a URL
// the program itself gets right.
func NewBackend(b Backend) (Finish, error) {
	if err := checkBackendURL(b.URL); err != nil {
		return nil, err
	}
	if b.Timeout <= 0 {
		b.Timeout = DefaultBackendTimeout
	}
	if b.CallSidField == "" {
		b.CallSidField = DefaultCallSidField
	}
	b.Header = requestHeader(b.Header)
	rt := backendTransport(b.Client)
	return func(ctx context.Context, r *Result) ([]twiml.Verb, error) {
		verbs, err := b.post(ctx, rt, r)
		if err != nil {
			return b.Failure, err
		}
		return verbs, nil
	}, nil
}

// PostJSON is NewBackend for a URL that is known to be right: it panics if
// b.URL is not an absolute http or https URL, a programmer's error in the
// manner of regexp.MustCompile.
func PostJSON(b Backend) Finish {
	finish, err := NewBackend(b)
	if err != nil {
		panic(err.Error())
	}
	return finish
}

// checkBackendURL accepts an absolute http or https URL with a host. The
// error does not quote the URL, which may hold credentials.
func checkBackendURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%w: backend URL is not an absolute http or https URL", ErrDefinition)
	}
	if u.User != nil {
		return fmt.Errorf("%w: backend URL holds credentials: send them in Backend.Header", ErrDefinition)
	}
	return nil
}

// requestHeader is the header every request starts from: the service's,
// and the content type.
func requestHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header, 1)
	}
	out.Set("Content-Type", "application/json")
	return out
}

func (b *Backend) post(ctx context.Context, rt http.RoundTripper, r *Result) ([]twiml.Verb, error) {
	payload, err := appendBody(nil, r, b.CallSidField)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("%w: building request: %w", ErrBackend, err)
	}
	req.Header = b.Header.Clone()
	resp, err := roundTrip(rt, req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	defer resp.Body.Close()
	answer, err := readAnswer(resp)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, b.statusError(resp.StatusCode)
	}
	if b.OnSuccess == nil {
		return nil, nil
	}
	verbs, err := b.OnSuccess(answer)
	if err != nil {
		return nil, fmt.Errorf("%w: answer refused: %w", ErrBackend, err)
	}
	return verbs, nil
}

// errAnswerSize is reported, wrapped in ErrBackend, for an answer over
// maxBackendResponse bytes.
var errAnswerSize = fmt.Errorf("answer over %d bytes", maxBackendResponse)

// readAnswer reads resp's body, at most maxBackendResponse bytes, in one
// allocation when the length is announced.
func readAnswer(resp *http.Response) ([]byte, error) {
	n := resp.ContentLength
	if n > maxBackendResponse {
		return nil, errAnswerSize
	}
	if n >= 0 {
		answer := make([]byte, n)
		if _, err := io.ReadFull(resp.Body, answer); err != nil {
			return nil, fmt.Errorf("reading answer: %w", err)
		}
		return answer, nil
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBackendResponse+1))
	if err != nil {
		return nil, fmt.Errorf("reading answer: %w", err)
	}
	if len(answer) > maxBackendResponse {
		return nil, errAnswerSize
	}
	return answer, nil
}
