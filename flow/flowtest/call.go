package flowtest

import (
	"net/url"
	"strconv"
	"strings"
)

// Call is the record of one simulated call.
type Call struct {
	Sid      string     // the CallSid used
	Said     []string   // every <Say> text, in order
	Played   []string   // every <Play> URL (or digits, for a DTMF <Play>), in order
	Events   []Event    // everything that happened, in order
	Requests []*Request // every webhook request, in order
	End      End        // how the call ended
	// RedirectURL is the absolute URL of the <Redirect> that took the
	// call to another host (Twilio Studio's return, say), when End is
	// EndRedirected: the request that application gets is not simulated.
	RedirectURL string
	Err         error // why, when End is EndError; or why the status callback failed

	// Unused are the entries the call ended before the caller typed or
	// said them, in order: a script longer than the call.
	Unused []string

	// StatusCallback is the request to Caller.StatusCallback once the call
	// ended, and its answer; nil without one.
	StatusCallback *Request
}

// LastSaid returns the last <Say> text of the call, or "" if nothing was
// said: usually how the call ended.
func (c *Call) LastSaid() string {
	if len(c.Said) == 0 {
		return ""
	}
	return c.Said[len(c.Said)-1]
}

// Request is one webhook request and its answer.
type Request struct {
	Method     string
	URL        string     // the absolute URL requested
	Form       url.Values // the parameters sent (the POST body, or the query of a GET)
	Signature  string     // the X-Twilio-Signature sent
	StatusCode int
	Body       []byte // the answer
	TimedOut   bool   // no answer came within Caller.Timeout; StatusCode and Body are empty
}

// Event is one thing that happened on the call.
type Event struct {
	Kind EventKind
	// Text is the Say text, Play URL, pause length, the keys entered
	// ("" for silence), the words said, the URL a Redirect went to, or
	// the CallStatus a status callback reported, whom a Dial dialled
	// (numbers, client identities, SIP URIs, "conference NAME" or
	// "queue NAME", comma-separated), or the queue an Enqueue joined.
	Text string
}

// EventKind says what an Event is.
type EventKind int

// The kinds of Event.
const (
	EventSay EventKind = iota
	EventPlay
	EventPause
	EventGather
	EventRedirect
	EventHangup
	EventReject
	EventSpeech         // the caller answered a speech <Gather> with words
	EventCallerHangup   // the caller hung up
	EventStatusCallback // Twilio's status callback, after the call
	EventDial           // a <Dial> handed the call on; Text names whom it dialled
	EventEnqueue        // an <Enqueue> put the call in a queue; Text is the queue
)

var eventNames = [...]string{"Say", "Play", "Pause", "Caller", "Redirect", "Hangup", "Reject",
	"Caller says", "Caller hangs up", "Status callback", "Dial", "Enqueue"}

// String returns the kind's name as Transcript writes it.
func (k EventKind) String() string {
	if k >= 0 && int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "EventKind(" + strconv.Itoa(int(k)) + ")"
}

// End says how a call ended.
type End int

// The ways a call ends.
const (
	EndCompleted    End = iota // the document ran out of verbs
	EndHangup                  // a <Hangup>
	EndRejected                // a <Reject>
	EndRequestCap              // MaxRequests was reached: the application loops
	EndError                   // a request failed, was not 2xx, or its answer was not TwiML
	EndCallerHangup            // the caller hung up (a HangUp entry)
	EndDialed                  // a <Dial> handed the call on (the dialled party is not simulated)
	EndEnqueued                // an <Enqueue> put the call in a queue
	EndRedirected              // a <Redirect> to another host took the call away (see Call.RedirectURL)
)

var endNames = [...]string{"completed", "hangup", "rejected", "request cap", "error", "caller hung up", "dialed", "enqueued", "redirected"}

// String returns the end's name.
func (e End) String() string {
	if e >= 0 && int(e) < len(endNames) {
		return endNames[e]
	}
	return "End(" + strconv.Itoa(int(e)) + ")"
}

// Transcript renders the call one event a line, such as
//
//	Say: Please enter your PIN.
//	Caller: 1234
//	Hangup
func (c *Call) Transcript() string {
	var b strings.Builder
	for _, ev := range c.Events {
		b.WriteString(ev.line())
		b.WriteByte('\n')
	}
	return b.String()
}

func (ev Event) line() string {
	switch ev.Kind {
	case EventHangup, EventReject, EventCallerHangup:
		if ev.Text == "" {
			return ev.Kind.String()
		}
	case EventGather:
		if ev.Text == "" {
			return "Caller: (silence)"
		}
	}
	return ev.Kind.String() + ": " + ev.Text
}
