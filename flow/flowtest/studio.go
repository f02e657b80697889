package flowtest

import (
	"context"
	"net/url"
	"strings"

	"github.com/encgather/encgather/internal/twiliocall"
)

// CallFromStudio places a call as a TwiML Redirect widget of Twilio
// Studio sends one into the application: its first request goes to the
// Caller's URL with params added to the query string (a widget's URL
// such as "https://ivr.example.com/encrypted-gather?lang={{flow.variables.lang}}",
// its Liquid rendered), signed like every request, the query included.
// Entries answer the <Gather>s as for Call. When the application sends
// the call back, with a <Redirect> to Studio's return URL (or anywhere on
// another host), the call ends with EndRedirected and Call.RedirectURL;
// Call.ReturnParams reads its query.
func (c *Caller) CallFromStudio(params url.Values, entries ...string) *Call {
	return c.CallFromStudioContext(context.Background(), params, entries...)
}

// CallFromStudioContext is CallFromStudio with a context that bounds the
// whole call.
func (c *Caller) CallFromStudioContext(ctx context.Context, params url.Values, entries ...string) *Call {
	return c.place(ctx, twiliocall.AppendQuery(c.URL, params.Encode()), entries)
}

// ReturnParams returns the query parameters of Call.RedirectURL (what
// Studio would put in "{{widgets.<widget>.<name>}}"), or nil when the call
// did not end with EndRedirected.
func (c *Call) ReturnParams() url.Values {
	if c.End != EndRedirected {
		return nil
	}
	u, err := url.Parse(c.RedirectURL)
	if err != nil {
		return nil
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil
	}
	return q
}

// leaves reports whether target lies on another host than the call's
// first URL: a <Redirect> there hands the call to another application.
func (s *session) leaves(target string) bool {
	from, err1 := url.Parse(s.caller.URL)
	to, err2 := url.Parse(target)
	return err1 == nil && err2 == nil && to.Host != "" && !strings.EqualFold(to.Host, from.Host)
}
