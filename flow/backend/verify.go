package backend

import (
	"bytes"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// DefaultMaxSkew is how far a request's timestamp may be from the
// verifier's clock, either way: room for clocks a little apart and a slow
// network, short enough that a captured request soon stops being accepted.
const DefaultMaxSkew = 5 * time.Minute

// DefaultMaxBody bounds the body a Verifier reads: a flow's fields are a
// few hundred bytes of JSON.
const DefaultMaxBody = 64 << 10

// The errors Verify reports. Each message names the reason only, never the
// expected signature, a secret or the body.
var (
	// ErrUnsigned: the request has no SignatureHeader.
	ErrUnsigned = errors.New("backend: request not signed")
	// ErrMalformed: the header is not t=<unix seconds>,v1=<hex>.
	ErrMalformed = errors.New("backend: malformed signature header")
	// ErrStale: the timestamp is older than the allowed skew.
	ErrStale = errors.New("backend: signature too old")
	// ErrFuture: the timestamp is further ahead than the allowed skew.
	ErrFuture = errors.New("backend: signature from the future")
	// ErrSignature: no secret gives the signature for this method, path,
	// timestamp and body.
	ErrSignature = errors.New("backend: signature does not match")
	// ErrBodyTooLarge: the body is over the verifier's limit.
	ErrBodyTooLarge = errors.New("backend: request body too large")
	// ErrBody: the body could not be read.
	ErrBody = errors.New("backend: reading request body")
)

// Verifier checks the signature a Finish from New puts on its requests.
// It is safe for concurrent use.
type Verifier struct {
	secrets *Secrets
	maxSkew time.Duration
	maxBody int64
	now     func() time.Time
	onError func(http.ResponseWriter, *http.Request, error)
}

// VerifierOption configures NewVerifier.
type VerifierOption func(*Verifier) error

// WithMaxSkew sets how far a timestamp may be from the clock, either way;
// DefaultMaxSkew unless given. It must be positive and at most an hour.
func WithMaxSkew(d time.Duration) VerifierOption {
	return func(v *Verifier) error {
		if d <= 0 || d > time.Hour {
			return fmt.Errorf("%w: max skew must be positive and at most an hour", ErrVerifier)
		}
		v.maxSkew = d
		return nil
	}
}

// WithMaxBody sets the most bytes of body read; DefaultMaxBody unless
// given. It must be positive.
func WithMaxBody(n int64) VerifierOption {
	return func(v *Verifier) error {
		if n <= 0 {
			return fmt.Errorf("%w: max body must be positive", ErrVerifier)
		}
		v.maxBody = n
		return nil
	}
}

// WithClock sets the clock timestamps are compared with; time.Now unless
// given. For tests.
func WithClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrVerifier)
		}
		v.now = now
		return nil
	}
}

// WithErrorHandler sets what Middleware answers a request Verify refuses;
// it is handed Verify's error, which names no secret. Unless given, the
// answer is 413 for ErrBodyTooLarge, 400 for ErrBody and 401 otherwise,
// with a short text naming the reason.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) VerifierOption {
	return func(v *Verifier) error {
		if h == nil {
			return fmt.Errorf("%w: nil error handler", ErrVerifier)
		}
		v.onError = h
		return nil
	}
}

// ErrVerifier is wrapped by NewVerifier's errors.
var ErrVerifier = errors.New("backend: invalid verifier")

// NewVerifier returns a Verifier that accepts requests signed with any of
// secrets.
func NewVerifier(secrets *Secrets, opts ...VerifierOption) (*Verifier, error) {
	if secrets == nil || len(secrets.all) == 0 {
		return nil, fmt.Errorf("%w: no secrets", ErrVerifier)
	}
	v := &Verifier{secrets: secrets, maxSkew: DefaultMaxSkew, maxBody: DefaultMaxBody, now: time.Now, onError: refuse}
	for _, opt := range opts {
		if err := opt(v); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// Verify reads r's body, at most the verifier's limit, and returns it if
// r carries a signature over its method, path and query, timestamp and
// body, made with one of the secrets, timestamped within the allowed skew
// of the clock. MACs are compared in constant time. r.Body is consumed;
// Middleware restores it for the next handler.
//
// The path is r.URL's as the server received it, so Verify and Middleware
// go before anything that rewrites it, such as http.StripPrefix; a proxy
// in front must pass the path and query on unchanged.
func (v *Verifier) Verify(r *http.Request) ([]byte, error) {
	h := r.Header.Values(SignatureHeader)
	if len(h) == 0 {
		return nil, ErrUnsigned
	}
	if len(h) > 1 {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, errHeader)
	}
	sig, err := parseHeader(h[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err := v.checkTime(sig.t); err != nil {
		return nil, err
	}
	body, err := v.readBody(r)
	if err != nil {
		return nil, err
	}
	if !v.matches(sig, r.Method, target(r.URL), body) {
		return nil, ErrSignature
	}
	return body, nil
}

// checkTime refuses a timestamp more than maxSkew from the clock.
func (v *Verifier) checkTime(t int64) error {
	now := v.now().Unix()
	skew := int64(v.maxSkew / time.Second)
	switch {
	case t < now-skew:
		return ErrStale
	case t > now+skew:
		return ErrFuture
	}
	return nil
}

// matches reports whether any of sig's MACs is that of any secret.
func (v *Verifier) matches(sig signedHeader, method, target string, body []byte) bool {
	ok := false
	for _, s := range v.secrets.all {
		want := signature(s, sig.t, method, target, body)
		for _, mac := range sig.macs {
			if hmac.Equal(mac, want) {
				ok = true
			}
		}
	}
	return ok
}

// readBody reads r.Body up to maxBody bytes.
func (v *Verifier) readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return []byte{}, nil
	}
	if r.ContentLength > v.maxBody {
		return nil, ErrBodyTooLarge
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBody, err)
	}
	if int64(len(body)) > v.maxBody {
		return nil, ErrBodyTooLarge
	}
	return body, nil
}

// Middleware passes to next only the requests Verify accepts, with the
// body it read put back in r.Body; others get the error handler's answer
// (WithErrorHandler) and next never runs.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := v.Verify(r)
		if err != nil {
			v.onError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		next.ServeHTTP(w, r)
	})
}

// refuse is the default error handler.
func refuse(w http.ResponseWriter, _ *http.Request, err error) {
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
	case errors.Is(err, ErrBody):
		http.Error(w, "bad request", http.StatusBadRequest)
	default:
		http.Error(w, "unauthorized: "+reason(err), http.StatusUnauthorized)
	}
}

// reason is the text of err's sentinel without the package prefix.
func reason(err error) string {
	for _, s := range []error{ErrUnsigned, ErrMalformed, ErrStale, ErrFuture, ErrSignature} {
		if errors.Is(err, s) {
			return s.Error()[len("backend: "):]
		}
	}
	return "request not authenticated"
}
