package flow

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/encgather/encgather/internal/twiliosig"
)

// SignatureHeader is the header Twilio signs every webhook request with.
const SignatureHeader = "X-Twilio-Signature"

// ErrSignature is reported for a request whose X-Twilio-Signature is missing
// or does not match. The wrapping error says which, never the expected value.
var ErrSignature = errors.New("flow: invalid Twilio signature")

// ErrDefinition is reported by New and NewValidator for a configuration or
// flow definition that cannot work.
var ErrDefinition = errors.New("flow: invalid definition")

// Validator checks Twilio's request signature. Flows use one internally; it
// is exported for handlers that are not flows (status callbacks, say).
type Validator struct {
	checkers   []*twiliosig.Checker
	cfg        config
	skipChecks bool
}

// NewValidator returns a Validator for the given auth token. Of the options,
// WithPublicURL, WithTrustedProxy, WithSecondaryAuthToken,
// InsecureSkipSignatureCheck, WithMaxBodyBytes and WithLogger apply; the
// others are ignored. One of WithPublicURL or WithTrustedProxy is required,
// so that the URL Twilio signed is never guessed.
func NewValidator(authToken string, opts ...Option) (*Validator, error) {
	cfg := defaultConfig()
	if err := cfg.apply(opts); err != nil {
		return nil, err
	}
	return newValidator(authToken, cfg)
}

func newValidator(authToken string, cfg config) (*Validator, error) {
	v := &Validator{cfg: cfg, skipChecks: cfg.insecureNoCheck}
	if v.skipChecks {
		cfg.logger.Warn("flow: signature checks are OFF (InsecureSkipSignatureCheck); anyone who can reach this service can drive it")
		return v, nil
	}
	if authToken == "" {
		return nil, fmt.Errorf("%w: empty auth token", ErrDefinition)
	}
	if cfg.publicURL == nil && !cfg.trustProxy {
		return nil, fmt.Errorf("%w: signatures need WithPublicURL or WithTrustedProxy", ErrDefinition)
	}
	v.checkers = []*twiliosig.Checker{twiliosig.NewChecker(authToken)}
	if cfg.secondaryToken != "" {
		v.checkers = append(v.checkers, twiliosig.NewChecker(cfg.secondaryToken))
	}
	return v, nil
}

// Check reports whether r carries a valid Twilio signature: nil, or an error
// wrapping ErrSignature. It parses the request's form (bounded by the
// maximum body size) and leaves it in r.Form and r.PostForm.
func (v *Validator) Check(r *http.Request) error {
	if err := parseForm(r, v.cfg.maxBodyBytes); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	if v.skipChecks {
		return nil
	}
	signature := r.Header.Get(SignatureHeader)
	if signature == "" {
		return fmt.Errorf("%w: missing %s header", ErrSignature, SignatureHeader)
	}
	fullURL, err := v.requestURL(r)
	if err != nil {
		return err
	}
	var form = r.PostForm
	if r.Method == http.MethodGet {
		form = nil // a GET's parameters are in the signed URL already
	}
	for _, c := range v.checkers {
		if c.Valid(fullURL, form, signature) {
			return nil
		}
	}
	return fmt.Errorf("%w: signature does not match %s", ErrSignature, withoutQuery(fullURL))
}

// Middleware returns a handler that answers 403 to requests without a valid
// signature, logging why, and passes the others to next.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Check(r); err != nil {
			v.cfg.logger.LogAttrs(r.Context(), slog.LevelWarn, "flow: request refused",
				slog.String("reason", err.Error()), slog.String("remote", r.RemoteAddr))
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requestURL rebuilds the URL Twilio requested. The path and query come
// from the request line as the client sent it (r.RequestURI), so the URL is
// right under any mount point, even after http.StripPrefix.
func (v *Validator) requestURL(r *http.Request) (string, error) {
	uri := originalRequestURI(r)
	if u := v.cfg.publicURL; u != nil {
		return u.Scheme + "://" + u.Host + u.Path + uri, nil
	}
	proto := firstHeaderValue(r, "X-Forwarded-Proto")
	if proto == "" {
		proto = "https"
		if r.TLS == nil {
			proto = "http"
		}
	}
	host := firstHeaderValue(r, "X-Forwarded-Host")
	if host == "" {
		host = r.Host
	}
	if proto != "http" && proto != "https" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", fmt.Errorf("%w: cannot rebuild the public URL from forwarded headers", ErrSignature)
	}
	return proto + "://" + host + uri, nil
}

// publicBase returns scheme://host[/prefix] for absolute URLs.
func (v *Validator) publicBase(r *http.Request) string {
	full, err := v.requestURL(r)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(full, originalRequestURI(r))
}

// originalRequestURI returns the path and query as the client sent them,
// before any handler such as http.StripPrefix rewrote r.URL. A request line
// in absolute form ("POST https://host/path HTTP/1.1") loses its scheme and
// host.
func originalRequestURI(r *http.Request) string {
	uri := r.RequestURI
	if scheme, rest, ok := strings.Cut(uri, "://"); ok && !strings.ContainsAny(scheme, "/?") {
		if i := strings.IndexAny(rest, "/?"); i >= 0 {
			uri = rest[i:]
		} else {
			uri = "/"
		}
		if uri[0] == '?' {
			uri = "/" + uri
		}
	}
	if uri == "" || uri[0] != '/' {
		return r.URL.RequestURI()
	}
	return uri
}

func firstHeaderValue(r *http.Request, name string) string {
	v := r.Header.Get(name)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// errBody is reported for a body that is too large or not a form.
var errBody = errors.New("flow: malformed or oversized request body")

// parseForm parses r's form once, with the body bounded.
func parseForm(r *http.Request, maxBytes int64) error {
	if r.PostForm != nil {
		return nil
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBytes)
	}
	if err := r.ParseForm(); err != nil {
		return errBody
	}
	return nil
}

// withoutQuery drops the query, which may hold a state token, for logs.
func withoutQuery(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
