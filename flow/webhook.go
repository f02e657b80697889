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
	speech     string // SpeechResult: a transcript, as sensitive as digits
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
	// query is the request's query parameters (valid as params is), for
	// a first request's entry parameters; entry is the call's entry
	// values, encoded: read from the first request, then from the state.
	query []twiliosig.Param
	entry []byte
	// now is the flow's clock when the request was read: one reading for
	// all the engine's checks and the times it writes.
	now time.Time
	// arrived is when the request was read, by the wall clock: its
	// budget's start.
	arrived time.Time
}

// readWebhook takes what the engine needs from a request whose form was
// read into fm and whose signature check vouched for signed, and which
// arrived at start. The
// CallSid is copied out of the form's text, which holds the digits, so
// that a service keeping it keeps nothing else.
func (f *Flow) readWebhook(ctx context.Context, fm *form, signed signedRequest, start time.Time) webhook {
	wh := webhook{ctx: ctx, signed: signed, params: fm.body(), query: fm.query(), now: f.cfg.clock(start), arrived: start}
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
	case "SpeechResult":
		return 1 << 7, &wh.speech
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

// sealedActionURL is where Twilio sends the answer to a step: base (the
// public URL of the current document, with WithAbsoluteURLs) or, by
// default, relative to the current document, so the flow works under any
// mount point; its query names the step and carries st, sealed for it. The
// URL is built in a pooled buffer, so the string is its one allocation.
func (f *Flow) sealedActionURL(base, step string, st *state, callSid string) string {
	bp := getScratch(0)
	b := appendActionPrefix(*bp, base, step)
	b = f.states.appendToken(b, st, callSid, step)
	action := string(b)
	*bp = b
	putScratch(bp, nil) // nothing secret: a URL
	return action
}

// appendActionPrefix appends an action URL up to its token.
func appendActionPrefix(dst []byte, base, step string) []byte {
	dst = append(dst, base...)
	dst = append(dst, '?')
	dst = append(dst, stepParam...)
	dst = append(dst, '=')
	dst = append(dst, step...) // names are [A-Za-z0-9_-]: nothing to escape
	dst = append(dst, '&')
	dst = append(dst, stateParam...)
	dst = append(dst, '=')
	return dst // a token is base64url: nothing to escape
}

// twilioURLLimit is the longest URL Twilio documents that it accepts for a
// callback: 4,000 characters (error 21609, "The URL exceeds the
// 4000-character limit", https://www.twilio.com/docs/api/errors/21609).
// Twilio documents no other figure for a <Gather> action or <Redirect>
// URL, so a flow keeps its action URLs within this one.
const twilioURLLimit = 4000

// urlReserve is what an action URL may hold besides the token: the public
// URL and path of the webhook (Twilio resolves a relative action against
// it) and "?step=NAME&state=". maxTokenLen + urlReserve = twilioURLLimit.
const urlReserve = 500
