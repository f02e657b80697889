package flow

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/encgather/encgather/internal/twiliosig"
)

// SignatureHeader is the header Twilio signs every webhook request with.
const SignatureHeader = "X-Twilio-Signature"

// ErrSignature is reported for a request whose X-Twilio-Signature is missing
// or does not match, or whose body cannot be read. The wrapping error says
// which, never the expected value.
var ErrSignature = errors.New("flow: invalid Twilio signature")

var errNoSignature = fmt.Errorf("%w: missing %s header", ErrSignature, SignatureHeader)

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
		if err := opt(&cfg); err != nil {
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
// maximum body size) and leaves it in r.Form and r.PostForm.
//
// The signature covers a POST's application/x-www-form-urlencoded
// parameters. Any other body (JSON, say) is covered only when the signed
// URL carries bodySHA256, the hex SHA-256 of the raw body, as Twilio sends
// it: the body must then hash to it, and is left readable in r.Body. A
// body that neither covers is refused.
func (v *Validator) Check(r *http.Request) error {
	_, err := v.check(r)
	return err
}

// check is Check for a flow: it also returns the URL Twilio requested, as
// the signature was checked against it, so that nothing rebuilds it later.
// With checks off the URL is built as well as the request allows.
func (v *Validator) check(r *http.Request) (signedURL string, err error) {
	if v.cfg.insecureNoCheck {
		if err := parseForm(r, v.cfg.maxBodyBytes); err != nil {
			return "", fmt.Errorf("%w: %w", ErrSignature, err)
		}
		fullURL, err := requestURL(r, &v.cfg)
		if err != nil {
			fullURL = originalRequestURI(r) // relative: the best there is
		}
		return fullURL, nil
	}
	fullURL, err := requestURL(r, &v.cfg)
	if err != nil {
		return "", err
	}
	if twiliosig.HasBodyHash(fullURL) {
		if err := v.checkBody(r, fullURL); err != nil {
			return "", err
		}
		return fullURL, nil
	}
	if err := checkFormBody(r); err != nil {
		return "", err
	}
	if err := parseForm(r, v.cfg.maxBodyBytes); err != nil {
		return "", fmt.Errorf("%w: %w", ErrSignature, err)
	}
	signature := r.Header.Get(SignatureHeader)
	if signature == "" {
		return "", errNoSignature
	}
	var form = r.PostForm
	if r.Method == http.MethodGet {
		form = nil // a GET's parameters are in the signed URL already
	}
	for _, c := range v.checkers {
		if c.Valid(fullURL, form, signature) {
			return fullURL, nil
		}
	}
	return "", fmt.Errorf("%w: signature does not match %s", ErrSignature, twiliosig.Redacted(fullURL))
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
