package flow

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/encgather/encgather/flow/internal/sid"
)

// webhook is what the engine reads of one signed request: nothing else of
// the *http.Request reaches it.
type webhook struct {
	ctx        context.Context
	callSid    string
	accountSid string
	step       string // the step parameter of the URL
	token      string // the state parameter of the URL
	digits     string
	callStatus string
	actionBase string // scheme://host/path for absolute action URLs, else ""
	// The URL Twilio signed and the signed form parameters, which tell a
	// retry from a replay.
	signedURL string
	form      url.Values
}

// readWebhook takes what the engine needs from a request whose signature
// was checked against signedURL.
func (f *Flow) readWebhook(r *http.Request, signedURL string) webhook {
	wh := webhook{
		ctx:        r.Context(),
		callSid:    r.Form.Get("CallSid"),
		accountSid: r.Form.Get("AccountSid"),
		step:       queryValue(r, StepParam),
		token:      queryValue(r, StateParam),
		digits:     r.Form.Get("Digits"),
		callStatus: r.Form.Get("CallStatus"),
		signedURL:  signedURL,
		form:       r.PostForm,
	}
	if f.cfg.absoluteURLs {
		wh.actionBase = withoutQuery(signedURL)
	}
	return wh
}

// queryValue returns a parameter of the request's URL, never of its body.
// r.Form holds the body's values (also in r.PostForm) and then the
// query's, so the query is not parsed a second time.
func queryValue(r *http.Request, name string) string {
	vals := r.Form[name]
	if len(vals) <= len(r.PostForm[name]) {
		return ""
	}
	return vals[len(vals)-1]
}

// validCallSid accepts what Twilio sends: "CA" and 32 hex digits.
func validCallSid(s string) bool { return sid.Valid(s, sid.Call) }

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
