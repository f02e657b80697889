package recording

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"
)

// attempt is the transport of one try of an update. twilio-go builds its
// requests without a context and keeps neither the HTTP status nor the
// headers of an error answer, so the try's transport gives each request
// the try's context and notes what came back: the status, any
// Retry-After, and whether a failed request was written at all.
type attempt struct {
	ctx  context.Context
	base http.RoundTripper

	sent       bool        // RoundTrip was called
	wrote      atomic.Bool // the request's headers were written
	status     int         // the answer's HTTP status, 0 without an answer
	retryAfter string      // the answer's Retry-After header
}

// RoundTrip sends r under the try's context.
func (a *attempt) RoundTrip(r *http.Request) (*http.Response, error) {
	a.sent = true
	trace := &httptrace.ClientTrace{WroteHeaders: func() { a.wrote.Store(true) }}
	resp, err := a.base.RoundTrip(r.WithContext(httptrace.WithClientTrace(a.ctx, trace)))
	if resp != nil {
		a.status = resp.StatusCode
		a.retryAfter = resp.Header.Get("Retry-After")
	}
	return resp, err
}

// unsent reports whether the try failed before its request was written:
// the transport was called and failed without writing the headers (no
// connection, a refused dial, a failed TLS handshake). A transport that
// reports no writes (no httptrace support) is taken at its word; setting
// a recording's status twice does no harm.
func (a *attempt) unsent() bool {
	return a.sent && a.status == 0 && !a.wrote.Load()
}

// api returns the REST API as seen through a, on c's account and
// credentials, with the edge and region c was made with.
func (c *Client) api(a *attempt) *openapi.ApiService {
	tc := &client.Client{
		Credentials: c.credentials,
		HTTPClient:  &http.Client{Transport: a, CheckRedirect: noRedirects},
	}
	tc.SetAccountSid(c.accountSid)
	return openapi.NewApiService(&client.RequestHandler{Client: tc, Edge: c.edge, Region: c.region})
}

// noRedirects makes an http.Client return a redirect as the answer.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
