package flow

import (
	"context"
	"strings"
	"time"

	"github.com/encgather/encgather/flow/internal/sid"
	"github.com/encgather/encgather/internal/twiliosig"
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
	from       string // the caller's number, as Twilio gives it
	callStatus string
	actionBase string // scheme://host/path for absolute action URLs, else ""
	repeated   string // a parameter read above that the request holds twice, else ""
	// What the signature check vouched for, and the signed body's
	// parameters, which tell a retry from a replay. params belongs to the
	// request's form: it is valid until the form is released, after the
	// engine has decided.
	signed signedRequest
	params []twiliosig.Param
	// now is the flow's clock when the request was read: one reading for
	// all the engine's checks and the times it writes.
	now time.Time
}

// readWebhook takes what the engine needs from a request whose form was
// read into fm and whose signature check vouched for signed, and which
// arrived at start. The
// CallSid is copied out of the form's text, which holds the digits, so
// that a service keeping it keeps nothing else.
func (f *Flow) readWebhook(ctx context.Context, fm *form, signed signedRequest, start time.Time) webhook {
	wh := webhook{ctx: ctx, signed: signed, params: fm.params[:fm.nBody], now: f.cfg.clock(start)}
	var seen uint8
	for i, p := range fm.params {
		bit, field := wh.field(p.Name, i >= fm.nBody)
		if field == nil {
			continue
		}
		if seen&bit != 0 {
			wh.repeated = p.Name
		}
		seen |= bit
		*field = p.Value
	}
	wh.callSid = strings.Clone(wh.callSid)
	if f.cfg.absoluteURLs {
		wh.actionBase = withoutQuery(signed.url)
	}
	return wh
}

// field returns the field of wh that the parameter name fills, and a bit
// of its own, or nil for a parameter the engine does not read. Twilio's
// parameters come from the body or the query (a GET's are there); the
// flow's own from the query of the action URL only.
func (wh *webhook) field(name string, inQuery bool) (uint8, *string) {
	switch name {
	case "CallSid":
		return 1 << 0, &wh.callSid
	case "Digits":
		return 1 << 1, &wh.digits
	case "CallStatus":
		return 1 << 2, &wh.callStatus
	case "AccountSid":
		return 1 << 3, &wh.accountSid
	case "From":
		return 1 << 6, &wh.from
	}
	if !inQuery {
		return 0, nil
	}
	switch name {
	case stepParam:
		return 1 << 4, &wh.step
	case stateParam:
		return 1 << 5, &wh.token
	}
	return 0, nil
}

// validCallSid accepts what Twilio sends: "CA" and 32 hex digits.
func validCallSid(s string) bool { return sid.Valid(s, sid.Call) }
