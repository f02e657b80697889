package flow

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/encgather/encgather/internal/twiliosig"
)

// signatureHeader is the header Twilio signs every webhook request with.
const signatureHeader = "X-Twilio-Signature"

// ErrSignature is reported for a request whose X-Twilio-Signature is missing
// or does not match, or whose body cannot be read. The wrapping error says
// which, never the expected value.
var ErrSignature = errors.New("flow: invalid Twilio signature")

var errNoSignature = fmt.Errorf("%w: missing or malformed %s header (Twilio sends 28 characters of base64)", ErrSignature, signatureHeader)

// wellFormedSignature reports whether s could be an X-Twilio-Signature:
// 28 characters of base64 ending in one "=", an HMAC-SHA1 (20 bytes). The
// checker decodes it strictly later; this only spares reading the body of
// a request that cannot be signed.
func wellFormedSignature(s string) bool { return len(s) == 28 && s[27] == '=' && s[26] != '=' }

// Validator checks Twilio's request signature. Flows use one internally; it
// is exported for handlers that are not flows (status callbacks, say).
type Validator struct {
	checkers []*twiliosig.Checker
	cfg      sigConfig
}

// NewValidator returns a Validator for the given auth token. One of
// WithPublicURL or WithTrustedProxy is required, so that the URL Twilio
// signed is never guessed.
func NewValidator(authToken string, opts ...ValidatorOption) (*Validator, error) {
	cfg := defaultSigConfig()
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil option", ErrDefinition)
		}
		if err := opt.applyValidator(&cfg); err != nil {
			return nil, err
		}
	}
	return newValidator(authToken, cfg)
}

func newValidator(authToken string, cfg sigConfig) (*Validator, error) {
	v := &Validator{cfg: cfg}
	if cfg.insecureNoCheck {
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
// maximum body size and to 100 parameters) and leaves it in r.Form and
// r.PostForm.
//
// The signature covers a POST's application/x-www-form-urlencoded
// parameters. Any other body (JSON, say) is covered only when the signed
// URL carries bodySHA256, the hex SHA-256 of the raw body, as Twilio sends
// it: the body must then hash to it, and is left readable in r.Body. A
// body that neither covers is refused.
func (v *Validator) Check(r *http.Request) error {
	_, fm, err := v.check(r)
	if fm != nil {
		fm.setRequestForm(r)
		fm.release()
	}
	return err
}

// signedRequest is what a signature check vouches for: the URL Twilio
// requested, as the signature was checked against it (so that nothing
// rebuilds it later), and the signature itself, a MAC over all that Twilio
// signed ("" when checks are off).
type signedRequest struct {
	url       string
	signature string
}

// check is Check for a flow: it also returns what the check vouches for,
// and the request's form, which the caller releases. The form is returned
// whenever it could be read, even if the signature does not match. With
// checks off the URL is built as well as the request allows.
func (v *Validator) check(r *http.Request) (signed signedRequest, fm *form, err error) {
	if v.cfg.insecureNoCheck {
		if fm, err = v.readForm(r); err != nil {
			return signedRequest{}, nil, err
		}
		fullURL, err := requestURL(r, &v.cfg)
		if err != nil {
			fullURL = originalRequestURI(r) // relative: the best there is
		}
		return signedRequest{url: fullURL}, fm, nil
	}
	fullURL, err := requestURL(r, &v.cfg)
	if err != nil {
		return signedRequest{}, nil, err
	}
	signed = signedRequest{url: fullURL, signature: r.Header.Get(signatureHeader)}
	if !wellFormedSignature(signed.signature) {
		// Refused before the body is read: a request without a signature
		// costs no parsing.
		return signedRequest{}, nil, errNoSignature
	}
	if twiliosig.HasBodyHash(fullURL) {
		if err := v.checkBody(r, signed); err != nil {
			return signedRequest{}, nil, err
		}
		fm, err = v.readForm(r)
		return signed, fm, err
	}
	if err := checkFormBody(r); err != nil {
		return signedRequest{}, nil, err
	}
	if fm, err = v.readForm(r); err != nil {
		return signedRequest{}, nil, err
	}
	return signed, fm, v.checkForm(r, signed, fm)
}

// readForm reads r's form, bounded by the maximum body size and to
// maxParams parameters, before any signature work.
func (v *Validator) readForm(r *http.Request) (*form, error) {
	fm, err := readForm(r, v.cfg.maxBodyBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return fm, nil
}

// checkForm checks r's signature over the signed URL and the body's
// parameters, read into fm.
func (v *Validator) checkForm(r *http.Request, signed signedRequest, fm *form) error {
	if signed.signature == "" {
		return errNoSignature
	}
	params := fm.body()
	if r.Method == http.MethodGet {
		params = nil // a GET's parameters are in the signed URL already
	}
	for _, c := range v.checkers {
		if c.ValidParams(signed.url, params, signed.signature) {
			return nil
		}
	}
	return v.mismatch(signed.url, "")
}

// mismatch is the error for a well-formed signature that matches nothing
// tried, in words a service's operator can act on: a wrong auth token and
// a wrong public URL look the same from here, so it names both. what
// names a further part of the request the signature covered ("" for
// none).
func (v *Validator) mismatch(signedURL, what string) error {
	source := "the public URL (WithPublicURL)"
	if v.cfg.publicURL == nil {
		source = "the URL rebuilt from the proxy's X-Forwarded-Proto and X-Forwarded-Host"
	}
	tokens := "the auth token"
	if len(v.checkers) > 1 {
		tokens = "either auth token"
	}
	return fmt.Errorf("%w: the signature%s matches neither %s nor its port variants under %s; check the auth token and %s, which must be the URL Twilio calls",
		ErrSignature, what, twiliosig.Redacted(signedURL), tokens, source)
}

// Middleware returns a handler that answers 403 to requests without a valid
// signature, logging why, and passes the others to next.
//
// What Twilio's signature binds, and what it does not: it covers the URL
// (scheme, host, port, path and query) and every form parameter's name
// and value, but not the HTTP method, not the other headers, and not the
// boundaries between parameters: names and values are concatenated
// sorted by name, so "Digits12=34" signs like "Digits=1234" (and "a=bc"
// like "ab=c"). A handler behind Middleware must not give a parameter a
// meaning that depends on where one ends, and must not let the method
// change what a request does; a signed request may also be replayed (a
// flow's own single use prevents that for flows).
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

// DefaultMaxBodyBytes bounds a webhook request body. Twilio's voice webhooks
// are a few hundred bytes to a few kilobytes.
const DefaultMaxBodyBytes = 64 << 10

// ValidatorOption configures a Validator (NewValidator).
type ValidatorOption interface {
	applyValidator(*sigConfig) error
}

// CommonOption is an option that New and NewValidator both take, with one
// meaning for both: it configures the signature check, or says where
// refused requests are logged. It is an Option and a ValidatorOption.
type CommonOption struct {
	apply func(*sigConfig) error
}

func (o CommonOption) applyFlow(c *config) error         { return o.apply(&c.sig) }
func (o CommonOption) applyValidator(c *sigConfig) error { return o.apply(c) }

// commonOption makes a CommonOption of apply.
func commonOption(apply func(*sigConfig) error) CommonOption { return CommonOption{apply: apply} }

// sigConfig is what CommonOptions set. It holds the secondary auth token
// and the public URL, which may hold a password: it never prints (see
// Validator.Format).
type sigConfig struct {
	publicURL       *url.URL
	publicBase      string // the public URL as written, without a final '/'
	secondaryToken  string
	trustProxy      bool
	insecureNoCheck bool
	maxBodyBytes    int64
	logger          *slog.Logger
}

func defaultSigConfig() sigConfig {
	return sigConfig{maxBodyBytes: DefaultMaxBodyBytes, logger: slog.Default()}
}

// WithPublicURL sets the base URL Twilio calls, such as
// "https://ivr.example.com". Signatures are checked against it joined with
// the path and query of the request as it reached this server, so it must
// be what Twilio has configured, not what the server sees behind a proxy.
//
// Its path, if any, is only what a proxy in front strips before the
// request reaches this server. The two ways a prefix "/ivr" disappears
// differ:
//
//   - A proxy strips it (Twilio calls https://ivr.example.com/ivr/verify,
//     the server sees /verify): WithPublicURL("https://ivr.example.com/ivr").
//   - http.StripPrefix strips it inside this server (the server sees
//     /ivr/verify, and StripPrefix hands /verify to the flow): the flow
//     reads the path as the request line carried it, before StripPrefix,
//     so WithPublicURL("https://ivr.example.com"), without /ivr; adding it
//     would check https://ivr.example.com/ivr/ivr/verify.
//
// The URL is signed as written, as Twilio signs it: a port that is not the
// default, percent escapes in the path ("/my%20ivr") and the credentials
// of HTTP authentication ("https://user:password@host") are kept. The
// password is never logged or quoted in an error.
func WithPublicURL(base string) CommonOption {
	return commonOption(func(c *sigConfig) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(base, "#") {
			quoted := "" // an unparsed URL may hold a password: not quoted
			if err == nil {
				quoted = fmt.Sprintf(" %q", u.Redacted())
			}
			return fmt.Errorf("%w: public URL%s must be http(s)://[user[:password]@]host[:port][/prefix]", ErrDefinition, quoted)
		}
		c.publicURL = u
		c.publicBase = strings.TrimSuffix(base, "/")
		return nil
	})
}

// checkActionURLs refuses absolute action URLs built from a public URL
// that holds credentials: every action URL would carry the password, and
// Twilio's request inspector shows each one. Stripping it is no way out:
// Twilio signs an action request over its URL as written, and a flow
// checks it against the public URL, password included.
func (c *config) checkActionURLs() error {
	if c.absoluteURLs && c.sig.publicURL != nil && c.sig.publicURL.User != nil {
		return fmt.Errorf("%w: WithAbsoluteURLs with a public URL that holds credentials would write the password into every action URL; keep action URLs relative (the default)", ErrDefinition)
	}
	return nil
}

// WithTrustedProxy says the service sits behind a proxy that sets
// X-Forwarded-Proto and X-Forwarded-Host and removes any a client sent. The
// public URL is then read from those headers when WithPublicURL is not set.
// Without this option they are ignored: anyone can send them.
func WithTrustedProxy() CommonOption {
	return commonOption(func(c *sigConfig) error { c.trustProxy = true; return nil })
}

// WithSecondaryAuthToken accepts signatures made with a second auth token,
// Twilio's secondary token, so the primary can be rotated without dropping
// calls.
func WithSecondaryAuthToken(token string) CommonOption {
	return commonOption(func(c *sigConfig) error {
		if token == "" {
			return fmt.Errorf("%w: empty secondary auth token", ErrDefinition)
		}
		c.secondaryToken = token
		return nil
	})
}

// InsecureSkipSignatureCheck turns off the X-Twilio-Signature check, for
// local development only: anyone who can reach the service can then drive
// it. A warning is logged at start.
func InsecureSkipSignatureCheck() CommonOption {
	return commonOption(func(c *sigConfig) error { c.insecureNoCheck = true; return nil })
}

// WithMaxBodyBytes bounds the size of a webhook request body. The default is
// DefaultMaxBodyBytes.
func WithMaxBodyBytes(n int64) CommonOption {
	return commonOption(func(c *sigConfig) error {
		if n < 1024 {
			return fmt.Errorf("%w: max body bytes %d is under 1024", ErrDefinition, n)
		}
		c.maxBodyBytes = n
		return nil
	})
}

// WithLogger sets where logging goes: for a Flow, its one line per
// request (refusals included); for a Validator, the requests Middleware
// refuses. The default is slog.Default() as it is when New or
// NewValidator is called, so that a refused request is never silent; pass
// a logger with slog.DiscardHandler to log nothing. Nothing the caller
// typed is ever logged, at any level.
func WithLogger(l *slog.Logger) CommonOption {
	return commonOption(func(c *sigConfig) error {
		if l == nil {
			return fmt.Errorf("%w: nil logger", ErrDefinition)
		}
		c.logger = l
		return nil
	})
}
