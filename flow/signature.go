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
	signed = signedRequest{url: fullURL, signature: r.Header.Get(SignatureHeader)}
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
	return fmt.Errorf("%w: signature does not match %s", ErrSignature, twiliosig.Redacted(signed.url))
}

// Middleware returns a handler that answers 403 to requests without a valid
// signature, logging why, and passes the others to next.
func (v *Validator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Check(r); err != nil {
			if logger := v.cfg.logger; logger.Enabled(r.Context(), slog.LevelWarn) {
				writeLog(r.Context(), logger, slog.LevelWarn, "flow: request refused",
					[]slog.Attr{slog.String("reason", err.Error()), slog.String("remote", r.RemoteAddr)})
			}
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
