package flowtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/encgather/encgather/internal/twiliocall"
)

// send delivers a request in-process or over the network and waits for
// its answer no longer than the caller's Timeout, as Twilio does: past it,
// the request's context is cancelled and the error wraps ErrTimeout.
func (s *session) send(rec *Request, body string) (int, []byte, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, nil, err
	}
	timeout := s.caller.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	status, answer, err := s.deliver(ctx, rec, body)
	if err != nil && s.ctx.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return 0, nil, fmt.Errorf("%w: no answer within %v", ErrTimeout, timeout)
	}
	return status, answer, err
}

// deliver makes the request and reads its answer within ctx.
func (s *session) deliver(ctx context.Context, rec *Request, body string) (int, []byte, error) {
	if s.caller.Handler != nil {
		return s.serve(ctx, rec, body)
	}
	req, err := http.NewRequestWithContext(ctx, rec.Method, rec.URL, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	twiliocall.SetHeaders(req, rec.Signature, body != "")
	client := s.caller.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, answer, err
}

// serve runs the in-process handler in a goroutine of its own, so that a
// handler that does not answer in time is left behind, with its context
// cancelled and its answer never read, as Twilio leaves a slow server.
func (s *session) serve(ctx context.Context, rec *Request, body string) (int, []byte, error) {
	req := httptest.NewRequestWithContext(ctx, rec.Method, rec.URL, strings.NewReader(body))
	twiliocall.SetHeaders(req, rec.Signature, body != "")
	w := httptest.NewRecorder()
	done := make(chan bool, 1)
	go func() {
		panicked := true
		defer func() { done <- panicked }()
		panicked = serveSafely(s.caller.Handler, w, req)
	}()
	select {
	case panicked := <-done:
		if panicked {
			s.logf("!! %v", errPanic)
		}
		// A handler that returned because its context ended (Twilio
		// hung up on it) answered too late, whichever case select saw.
		if err := ctx.Err(); err != nil {
			return 0, nil, err
		}
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	}
	answer := w.Body.Bytes()
	if len(answer) > maxBody {
		answer = answer[:maxBody]
	}
	return w.Code, answer, nil
}

// retry records the one retry of rec, which timed out with err: the same
// request, with the same signature.
func (s *session) retry(rec *Request, err error) *Request {
	rec.TimedOut = true
	s.logf("!! %v; retrying", err)
	again := &Request{Method: rec.Method, URL: rec.URL, Form: rec.Form, Signature: rec.Signature}
	s.call.Requests = append(s.call.Requests, again)
	s.logf("-> %s %s (retry)", again.Method, again.URL)
	return again
}

// errPanic is reported when an in-process handler panics.
var errPanic = errors.New("flowtest: handler panicked")

// serveSafely turns a handler's panic into a 500, as net/http's server
// does, so the call ends with EndError instead of crashing the test. It
// reports whether the handler panicked.
func serveSafely(h http.Handler, w *httptest.ResponseRecorder, req *http.Request) (panicked bool) {
	defer func() {
		if p := recover(); p != nil {
			w.Code = http.StatusInternalServerError
			panicked = true
		}
	}()
	h.ServeHTTP(w, req)
	return false
}
