package flowtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/encgather/encgather/internal/twiliocall"
	"github.com/encgather/encgather/internal/twiliosig"
)

// NewRequest returns a webhook request as Twilio would send it, for
// handler tests in the manner of httptest.NewRequest: a form-encoded POST
// (or, for GET, the form in the query) to the absolute URL target, signed
// with authToken ("" for no signature) over target and form.
func NewRequest(method, target string, form url.Values, authToken string) *http.Request {
	body := ""
	var signed url.Values
	if method == http.MethodGet {
		if len(form) > 0 {
			target = twiliocall.AppendQuery(target, form.Encode())
		}
	} else {
		body, signed = form.Encode(), form
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	sig := ""
	if authToken != "" {
		sig = twiliosig.Sign(authToken, target, signed)
	}
	twiliocall.SetHeaders(req, sig, body != "")
	return req
}
