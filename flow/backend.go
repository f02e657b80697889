package flow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultBackendTimeout bounds a backend call: well under Twilio's 15 s
// webhook timeout, so the caller hears the failure message, not Twilio's.
const DefaultBackendTimeout = 5 * time.Second

// maxBackendResponse bounds what is read of a backend's answer.
const maxBackendResponse = 64 << 10

// ErrBackend wraps every failure of a Backend: unreachable, slow, non-2xx,
// or an answer its OnSuccess refused. The message has the status code at
// most, never a body or a value.
var ErrBackend = errors.New("flow: backend failed")

// Backend describes a service that receives a flow's fields as JSON, in the
// manner of the tutorial's /decrypt-gather function.
type Backend struct {
	// URL receives a POST with a JSON object: each field's name mapped to
	// its sealed hex value (Result.Sealed) or, for Plain steps, its digits.
	URL string

	// Client sends the request. Nil means a client that follows no
	// redirects (a redirect would resend sealed values elsewhere).
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

// PostJSON returns a Finish that posts the gathered fields to b.URL and
// answers with b.OnSuccess or, on any failure, b.Failure.
func PostJSON(b Backend) Finish {
	if b.Timeout <= 0 {
		b.Timeout = DefaultBackendTimeout
	}
	if b.Client == nil {
		b.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}}
	}
	return func(ctx context.Context, r *Result) ([]twiml.Verb, error) {
		verbs, err := b.post(ctx, r)
		if err != nil {
			return b.Failure, err
		}
		return verbs, nil
	}
}

func (b *Backend) post(ctx context.Context, r *Result) ([]twiml.Verb, error) {
	body := make(map[string]string, len(r.Sealed)+len(r.Plain))
	for k, v := range r.Plain {
		body[k] = v
	}
	for k, v := range r.Sealed {
		body[k] = v
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, b.URL, bytes.NewReader(payload))
	if err != nil {
		return nil, fmt.Errorf("%w: building request: %w", ErrBackend, err)
	}
	for k, vs := range b.Header {
		req.Header[k] = append([]string(nil), vs...)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.Client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBackendResponse+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading answer: %w", ErrBackend, err)
	}
	if len(answer) > maxBackendResponse {
		return nil, fmt.Errorf("%w: answer over %d bytes", ErrBackend, maxBackendResponse)
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
