package flow

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/encgather/encgather/internal/twiliosig"
)

// errUnsignedBody is the cause of refusing a body that no signature covers:
// one that is neither a POST form nor hashed into the signed URL.
var errUnsignedBody = errors.New("flow: a body that is not a POST form is signed only through " + twiliosig.BodyHashParam)

// checkBody checks a request whose signed URL carries bodySHA256, as Twilio
// signs a body that is not a form (JSON): the signature covers the URL
// alone, and the raw body, read within the size limit, must hash to the
// value in the URL. The body is then put back, so the handler reads it
// whole, and a form body is also parsed into r.PostForm.
func (v *Validator) checkBody(r *http.Request, signed signedRequest) error {
	body, err := readBody(r, v.cfg.maxBodyBytes)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	if signed.signature == "" {
		return errNoSignature
	}
	ok := false
	for _, c := range v.checkers {
		ok = c.ValidBody(signed.url, body, signed.signature) || ok
	}
	if !ok {
		return fmt.Errorf("%w: signature or %s does not match %s", ErrSignature, twiliosig.BodyHashParam, twiliosig.Redacted(signed.url))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err := parseForm(r, v.cfg.maxBodyBytes); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// readBody reads r's whole body, refusing one over maxBytes.
func readBody(r *http.Request, maxBytes int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBytes))
	if err != nil {
		return nil, errBody
	}
	return body, nil
}

// checkFormBody refuses a request whose body the form signature does not
// cover: any body but a POST's application/x-www-form-urlencoded one.
// Twilio signs a form's parameters, and any other body only through
// bodySHA256 (checkBody).
func checkFormBody(r *http.Request) error {
	if r.Method == http.MethodPost && isForm(r) || !hasBody(r) {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrSignature, errUnsignedBody)
}

// isForm reports whether r's media type is a URL-encoded form. Its
// parameters, if any, are left to r.ParseForm, which refuses bad ones.
func isForm(r *http.Request) bool {
	mediaType, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "application/x-www-form-urlencoded")
}

// hasBody reports whether r has a body of at least one byte. A body of
// unknown length is read one byte into; it is refused anyway if it has
// one.
func hasBody(r *http.Request) bool {
	switch {
	case r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0:
		return false
	case r.ContentLength > 0:
		return true
	}
	var b [1]byte
	n, _ := io.ReadFull(r.Body, b[:])
	return n > 0
}
