// Package twiliocall holds the rules Twilio follows when it drives a voice
// call's webhooks, for the code that plays Twilio's part (flowtest's
// simulated caller, the load generator): how it resolves an action or
// Redirect URL, the method it uses when none is given, where a GET
// request's parameters go, and the headers each request carries.
package twiliocall

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"

	"github.com/encgather/encgather/twiml"
)

// Method returns the HTTP method of a verb's method attribute: POST when
// it is empty, as Twilio defaults.
func Method(m twiml.Method) string {
	if m == "" {
		return http.MethodPost
	}
	return string(m)
}

// Resolve returns ref relative to the document's URL, as Twilio resolves
// action and Redirect URLs. A URL that does not parse is returned as given.
func Resolve(docURL, ref string) string {
	base, err := url.Parse(docURL)
	if err != nil {
		return ref
	}
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ref
	}
	return base.ResolveReference(r).String()
}

// AppendQuery adds an encoded query to target, after its own query if it
// has one, as Twilio sends a GET request's parameters.
func AppendQuery(target, query string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + query
}

// SetHeaders sets the headers Twilio's webhook requests carry: the
// signature unless it is empty, the form's content type when the request
// has a form body, and a fresh idempotency token. It sets no
// Idempotency-Key header: net/http may resend a request that has one.
func SetHeaders(req *http.Request, signature string, form bool) {
	if form {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if signature != "" {
		req.Header.Set("X-Twilio-Signature", signature)
	}
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	req.Header.Set("I-Twilio-Idempotency-Token", idempotencyToken())
	req.Header.Set("Accept", "*/*")
}

// idempotencyToken returns 32 random hex digits.
func idempotencyToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Action returns where a Gather's answer goes: its action resolved
// against the document's URL, or that URL itself when it has none.
func Action(docURL, action string) string {
	if action == "" {
		return docURL
	}
	return Resolve(docURL, action)
}
