package flowtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/encgather/encgather/internal/twiliocall"
	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

// session is one call in progress.
type session struct {
	caller *Caller
	ctx    context.Context
	keys   []string
	next   int // index of the next entry
	call   *Call
}

// hop is a request the call makes next: a Gather's action or a Redirect.
type hop struct {
	method string
	url    string
	params url.Values // added to the call's parameters
	final  bool       // the caller hung up: the answer is not followed
}

func (s *session) run() {
	max := s.caller.MaxRequests
	if max <= 0 {
		max = DefaultMaxRequests
	}
	method := s.caller.Method
	if method == "" {
		method = http.MethodPost
	}
	h := &hop{method: method, url: s.caller.URL}
	for h != nil {
		if len(s.call.Requests) >= max {
			s.end(EndRequestCap, nil)
			return
		}
		doc, err := s.fetch(h)
		if err != nil {
			s.end(EndError, err)
			return
		}
		if h.final {
			s.end(EndCallerHangup, nil)
			return
		}
		h = s.follow(doc, h.url)
	}
}

func (s *session) end(e End, err error) {
	s.call.End, s.call.Err = e, err
	if err != nil {
		s.logf("!! %v", err)
	}
}

func (s *session) record(kind EventKind, text string) {
	s.call.Events = append(s.call.Events, Event{Kind: kind, Text: text})
	switch kind {
	case EventSay:
		s.call.Said = append(s.call.Said, text)
	case EventPlay:
		s.call.Played = append(s.call.Played, text)
	}
	s.logf("   %s", Event{Kind: kind, Text: text}.line())
}

// follow plays a document as Twilio would and returns the request it leads
// to, or nil when the call ends.
func (s *session) follow(doc *twiml.Response, docURL string) *hop {
	for _, v := range doc.Verbs {
		switch v := v.(type) {
		case twiml.Say, twiml.Play, twiml.Pause:
			s.play(v)
		case twiml.Gather:
			if next, stop := s.gather(v, docURL); stop {
				return next
			}
		case twiml.Redirect:
			s.record(EventRedirect, v.URL)
			return &hop{method: twiliocall.Method(v.Method), url: twiliocall.Resolve(docURL, v.URL)}
		case twiml.Hangup:
			s.record(EventHangup, "")
			s.end(EndHangup, nil)
			return nil
		case twiml.Reject:
			s.record(EventReject, string(v.Reason))
			s.end(EndRejected, nil)
			return nil
		case twiml.Dial:
			s.record(EventDial, dialled(v))
			s.end(EndDialed, nil)
			return nil
		case twiml.Enqueue:
			s.record(EventEnqueue, v.Name)
			s.end(EndEnqueued, nil)
			return nil
		}
	}
	s.end(EndCompleted, nil)
	return nil
}

// dialled names whom a <Dial> calls, for its Event.
func dialled(d twiml.Dial) string {
	if len(d.Nouns) == 0 {
		return d.PhoneNumber
	}
	names := make([]string, 0, len(d.Nouns))
	for _, n := range d.Nouns {
		switch n := n.(type) {
		case twiml.Number:
			names = append(names, n.PhoneNumber)
		case twiml.Client:
			names = append(names, "client "+n.Identity)
		case twiml.Sip:
			names = append(names, n.URI)
		case twiml.Conference:
			names = append(names, "conference "+n.Name)
		case twiml.Queue:
			names = append(names, "queue "+n.Name)
		}
	}
	return strings.Join(names, ", ")
}

func (s *session) play(v twiml.Verb) {
	switch v := v.(type) {
	case twiml.Say:
		s.record(EventSay, v.Text)
	case twiml.Play:
		if v.URL == "" {
			s.record(EventPlay, "digits "+v.Digits)
		} else {
			s.record(EventPlay, v.URL)
		}
	case twiml.Pause:
		length := v.Length
		if length == 0 {
			length = time.Second
		}
		s.record(EventPause, length.String())
	}
}

// gather plays the nested verbs and answers with the next entry. It
// returns stop=false when the caller was silent and the document goes on
// with its next verb; else the action request, or nil when the caller hung
// up without one.
func (s *session) gather(g twiml.Gather, docURL string) (next *hop, stop bool) {
	for _, v := range g.Verbs {
		s.play(v)
	}
	e := parseEntry(s.nextEntry())
	params := s.answer(g, e)
	if e.hangsUp {
		// Twilio posts the action when the call ends at a <Gather>, with
		// what was typed, if anything, and the call's final status.
		s.record(EventCallerHangup, "")
		if params == nil {
			params = url.Values{}
		}
		params.Set("CallStatus", "completed")
	}
	if params == nil && !g.ActionOnEmptyResult {
		return nil, false
	}
	if params == nil {
		params = url.Values{"Digits": {""}}
	}
	return &hop{method: twiliocall.Method(g.Method), url: twiliocall.Action(docURL, g.Action), params: params, final: e.hangsUp}, true
}

// answer records the caller's entry at g and returns what Twilio posts
// for it, or nil for what it hears as silence: keys at a speech-only
// Gather, words at a keys-only one, or nothing.
func (s *session) answer(g twiml.Gather, e entry) url.Values {
	hearsSpeech := g.Input == twiml.InputSpeech || g.Input == twiml.InputDTMFSpeech
	if e.spoken {
		s.record(EventSpeech, e.speech)
		if !hearsSpeech || e.speech == "" {
			return nil
		}
		return url.Values{"SpeechResult": {e.speech}, "Confidence": {"0.9"}}
	}
	if g.Input == twiml.InputSpeech {
		e.keys = "" // a speech-only Gather does not hear keys
	}
	// The transcript shows what Twilio posts: the keys up to numDigits,
	// or up to the finish key, which ends it.
	digits, finishedOn := typeKeys(e.keys, g)
	if e.keys != "" || !e.hangsUp {
		s.record(EventGather, digits+finishedOn)
	}
	if digits == "" {
		return nil
	}
	params := url.Values{"Digits": {digits}}
	if finishedOn != "" {
		params.Set("FinishedOnKey", finishedOn)
	}
	return params
}

func (s *session) nextEntry() string {
	if s.next >= len(s.keys) {
		return ""
	}
	s.next++
	return s.keys[s.next-1]
}

// typeKeys returns what Twilio submits for the keys in entry: input ends at
// the finish key (not submitted) or at numDigits keys; what was typed
// before a timeout is submitted as it is.
func typeKeys(entry string, g twiml.Gather) (digits, finishedOn string) {
	finish := string(g.FinishOnKey)
	switch g.FinishOnKey {
	case "":
		finish = "#"
	case twiml.NoFinishOnKey:
		finish = ""
	}
	var b strings.Builder
	for i := 0; i < len(entry); i++ {
		key := entry[i : i+1]
		if finish != "" && key == finish {
			return b.String(), finish
		}
		b.WriteString(key)
		if g.NumDigits > 0 && b.Len() == g.NumDigits {
			break
		}
	}
	return b.String(), ""
}

// maxBody bounds what is read of an answer: Twilio's own document limit,
// plus one byte to tell when it is exceeded.
const maxBody = twiml.MaxDocumentSize + 1

// newRequest builds the signed request for h: the call's parameters and
// h's, and the body to send.
func (s *session) newRequest(h *hop) (rec *Request, body string) {
	form := url.Values{}
	for k, v := range s.caller.Params {
		form[k] = append([]string(nil), v...)
	}
	for k, v := range h.params {
		form[k] = append([]string(nil), v...)
	}
	target := h.url
	var signed url.Values
	if h.method == http.MethodGet {
		target = twiliocall.AppendQuery(h.url, form.Encode())
	} else {
		body, signed = form.Encode(), form
	}
	rec = &Request{Method: h.method, URL: target, Form: form}
	if s.caller.AuthToken != "" {
		rec.Signature = twiliosig.Sign(s.caller.AuthToken, target, signed)
	}
	return rec, body
}

// statusCallback posts the call's end to Caller.StatusCallback.
func (s *session) statusCallback() {
	h := &hop{method: http.MethodPost, url: twiliocall.Resolve(s.caller.URL, s.caller.StatusCallback), params: url.Values{
		"CallStatus":     {"completed"},
		"CallDuration":   {"0"}, // no time passes in a simulated call
		"CallbackSource": {"call-progress-events"},
		"SequenceNumber": {"0"},
	}}
	rec, body := s.newRequest(h)
	s.call.StatusCallback = rec
	s.record(EventStatusCallback, "completed")
	s.logf("-> %s %s%s", h.method, rec.URL, describeParams(h.params))
	status, answer, err := s.send(rec, body)
	if err == nil && (status < 200 || status > 299) {
		err = fmt.Errorf("status %d", status)
	}
	rec.StatusCode, rec.Body = status, answer
	if err != nil {
		s.call.Err = errors.Join(s.call.Err, fmt.Errorf("flowtest: status callback: %w", err))
		s.logf("!! status callback: %v", err)
	}
}

// fetch makes one webhook request and parses its answer.
func (s *session) fetch(h *hop) (*twiml.Response, error) {
	rec, body := s.newRequest(h)
	target := rec.URL
	s.call.Requests = append(s.call.Requests, rec)
	s.logf("-> %s %s%s", h.method, target, describeParams(h.params))

	status, answer, err := s.send(rec, body)
	if err != nil {
		return nil, fmt.Errorf("flowtest: request %d (%s %s): %w", len(s.call.Requests), h.method, target, err)
	}
	rec.StatusCode, rec.Body = status, answer
	s.logf("<- %d, %d bytes of TwiML", status, len(answer))
	if status < 200 || status > 299 {
		return nil, fmt.Errorf("flowtest: request %d (%s %s): status %d", len(s.call.Requests), h.method, target, status)
	}
	if len(answer) >= maxBody {
		return nil, fmt.Errorf("flowtest: request %d: answer over %d bytes", len(s.call.Requests), twiml.MaxDocumentSize)
	}
	doc, err := twiml.Parse(answer)
	if err != nil {
		return nil, fmt.Errorf("flowtest: request %d: answer is not TwiML: %w", len(s.call.Requests), err)
	}
	return doc, nil
}

// send delivers a request in-process or over the network.
func (s *session) send(rec *Request, body string) (int, []byte, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, nil, err
	}
	var req *http.Request
	if s.caller.Handler != nil {
		req = httptest.NewRequestWithContext(s.ctx, rec.Method, rec.URL, strings.NewReader(body))
	} else {
		var err error
		req, err = http.NewRequestWithContext(s.ctx, rec.Method, rec.URL, strings.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
	}
	twiliocall.SetHeaders(req, rec.Signature, body != "")
	if s.caller.Handler != nil {
		w := httptest.NewRecorder()
		s.serveSafely(w, req)
		answer := w.Body.Bytes()
		if len(answer) > maxBody {
			answer = answer[:maxBody]
		}
		return w.Code, answer, nil
	}
	client := s.caller.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return resp.StatusCode, answer, err
}

// errPanic is reported when an in-process handler panics.
var errPanic = errors.New("flowtest: handler panicked")

// serveSafely turns a handler's panic into a 500, as net/http's server
// does, so the call ends with EndError instead of crashing the test.
func (s *session) serveSafely(w *httptest.ResponseRecorder, req *http.Request) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				p = "http.ErrAbortHandler"
			}
			w.Code = http.StatusInternalServerError
			s.logf("!! %v", errPanic)
		}
	}()
	s.caller.Handler.ServeHTTP(w, req)
}

// describeParams shows the parameters a verb added, with Digits and
// SpeechResult masked as Twilio's PCI mode masks them in its logs.
func describeParams(params url.Values) string {
	if len(params) == 0 {
		return ""
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v := params.Get(k)
		if k == "Digits" || k == "SpeechResult" {
			v = strings.Repeat("*", len(v))
		}
		b.WriteString(" " + k + "=" + v)
	}
	return b.String()
}

func (s *session) logf(format string, args ...any) {
	if s.caller.Log != nil {
		fmt.Fprintf(s.caller.Log, format+"\n", args...)
	}
}
