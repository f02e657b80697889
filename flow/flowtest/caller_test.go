package flowtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

const (
	testToken = "flowtest-token"
	base      = "https://ivr.example.com"
)

// fakeIVR answers with documents chosen by path, recording each request
// and checking its signature.
type fakeIVR struct {
	t       *testing.T
	mu      sync.Mutex
	docs    map[string]twiml.Response
	forms   []url.Values
	badSigs int
}

func (f *fakeIVR) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	f.forms = append(f.forms, r.Form)
	full := base + r.URL.RequestURI()
	signed := r.PostForm
	if r.Method == http.MethodGet {
		signed = nil
	}
	if !twiliosig.Valid(testToken, full, signed, r.Header.Get("X-Twilio-Signature")) {
		f.badSigs++
	}
	doc, ok := f.docs[r.URL.Path]
	f.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	twiml.WriteHTTP(w, &doc)
}

func say(s string) twiml.Say { return twiml.Say{Text: s} }

func TestGatherRules(t *testing.T) {
	tests := []struct {
		name       string
		gather     twiml.Gather
		entry      string
		wantDigits string // "-" means no request to the action
		wantFinish string
	}{
		{"cut at numDigits", twiml.Gather{Action: "/next", NumDigits: 4}, "123456", "1234", ""},
		{"finish key", twiml.Gather{Action: "/next"}, "12#34", "12", "#"},
		{"custom finish key", twiml.Gather{Action: "/next", FinishOnKey: "*"}, "12*34", "12", "*"},
		{"no finish key", twiml.Gather{Action: "/next", FinishOnKey: twiml.NoFinishOnKey}, "12#4", "12#4", ""},
		{"partial input at timeout", twiml.Gather{Action: "/next", NumDigits: 4}, "12", "12", ""},
		{"silence falls through", twiml.Gather{Action: "/next"}, "", "-", ""},
		{"only the finish key falls through", twiml.Gather{Action: "/next"}, "#", "-", ""},
		{"actionOnEmptyResult", twiml.Gather{Action: "/next", ActionOnEmptyResult: true}, "", "", ""},
		{"speech only hears no keys", twiml.Gather{Action: "/next", Input: twiml.InputSpeech}, "1234", "-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := tt.gather
			g.Verbs = []twiml.GatherVerb{say("Enter.")}
			ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
				"/start": {Verbs: []twiml.Verb{g, say("Nothing entered."), twiml.Hangup{}}},
				"/next":  {Verbs: []twiml.Verb{say("Got it."), twiml.Hangup{}}},
			}}
			call := NewCaller(ivr, base+"/start", testToken).Call(tt.entry)
			if call.End != EndHangup {
				t.Fatalf("end %v (%v)", call.End, call.Err)
			}
			if tt.wantDigits == "-" {
				if len(call.Requests) != 1 || call.Said[len(call.Said)-1] != "Nothing entered." {
					t.Fatalf("want a fall-through, got %d requests:\n%s", len(call.Requests), call.Transcript())
				}
				return
			}
			if len(call.Requests) != 2 {
				t.Fatalf("want 2 requests, got %d:\n%s", len(call.Requests), call.Transcript())
			}
			form := call.Requests[1].Form
			if got := form.Get("Digits"); got != tt.wantDigits {
				t.Errorf("Digits %q, want %q", got, tt.wantDigits)
			}
			if got := form.Get("FinishedOnKey"); got != tt.wantFinish {
				t.Errorf("FinishedOnKey %q, want %q", got, tt.wantFinish)
			}
			if ivr.badSigs != 0 {
				t.Errorf("%d requests had a bad signature", ivr.badSigs)
			}
		})
	}
}

func TestFollowsDocuments(t *testing.T) {
	ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/ivr/start": {Verbs: []twiml.Verb{
			say("Welcome."), twiml.Play{URL: "https://cdn.example.com/tone.mp3"}, twiml.Pause{Length: 2 * time.Second},
			twiml.Gather{Action: "menu?x=1", NumDigits: 1, Verbs: []twiml.GatherVerb{say("Press 1.")}},
			twiml.Redirect{URL: "/ivr/again", Method: twiml.MethodGET},
		}},
		"/ivr/menu":  {Verbs: []twiml.Verb{say("Menu."), twiml.Reject{Reason: twiml.RejectBusy}}},
		"/ivr/again": {Verbs: []twiml.Verb{say("Again.")}},
	}}
	t.Run("gather with a relative action", func(t *testing.T) {
		call := NewCaller(ivr, base+"/ivr/start", testToken).Call("1")
		if call.End != EndRejected {
			t.Fatalf("end %v (%v)\n%s", call.End, call.Err, call.Transcript())
		}
		if got := call.Requests[1].URL; got != base+"/ivr/menu?x=1" {
			t.Errorf("action resolved to %s", got)
		}
		want := []string{"Welcome.", "Press 1.", "Menu."}
		if fmt.Sprint(call.Said) != fmt.Sprint(want) || fmt.Sprint(call.Played) != "[https://cdn.example.com/tone.mp3]" {
			t.Errorf("said %q, played %q", call.Said, call.Played)
		}
		wantTranscript := "Say: Welcome.\nPlay: https://cdn.example.com/tone.mp3\nPause: 2s\nSay: Press 1.\nCaller: 1\nSay: Menu.\nReject: busy\n"
		if call.Transcript() != wantTranscript {
			t.Errorf("transcript:\n%s\nwant:\n%s", call.Transcript(), wantTranscript)
		}
	})
	t.Run("silence then a GET redirect", func(t *testing.T) {
		call := NewCaller(ivr, base+"/ivr/start", testToken).Call()
		if call.End != EndCompleted {
			t.Fatalf("end %v (%v)", call.End, call.Err)
		}
		last := call.Requests[len(call.Requests)-1]
		if last.Method != http.MethodGet || !strings.HasPrefix(last.URL, base+"/ivr/again?") || last.Form.Get("CallSid") != call.Sid {
			t.Errorf("redirect request %s %s", last.Method, last.URL)
		}
		if ivr.badSigs != 0 {
			t.Errorf("%d requests had a bad signature", ivr.badSigs)
		}
	})
}

func TestCallParams(t *testing.T) {
	ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/a": {Verbs: []twiml.Verb{twiml.Gather{Action: "/b"}}},
		"/b": {Verbs: []twiml.Verb{twiml.Hangup{}}},
	}}
	c := NewCaller(ivr, base+"/a", testToken)
	call := c.Call("42#")
	if len(ivr.forms) != 2 {
		t.Fatalf("%d requests", len(ivr.forms))
	}
	for i, form := range ivr.forms {
		for _, k := range []string{"CallSid", "AccountSid", "From", "To", "CallStatus", "Direction", "ApiVersion"} {
			if form.Get(k) == "" {
				t.Errorf("request %d lacks %s", i, k)
			}
		}
		if form.Get("CallSid") != call.Sid || !strings.HasPrefix(call.Sid, "CA") || len(call.Sid) != 34 {
			t.Errorf("request %d: CallSid %q, call %q", i, form.Get("CallSid"), call.Sid)
		}
	}
	if NewCaller(ivr, base+"/a", testToken).Params.Get("CallSid") == call.Sid {
		t.Error("two callers share a CallSid")
	}
}

func TestCallEndsOnErrors(t *testing.T) {
	loop := &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/loop": {Verbs: []twiml.Verb{twiml.Redirect{URL: "/loop"}}},
	}}
	tests := []struct {
		name    string
		handler http.Handler
		want    End
	}{
		{"loop", loop, EndRequestCap},
		{"500", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) }), EndError},
		{"not TwiML", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>") }), EndError},
		{"unknown verb", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, `<Response><Record maxLength="30"/></Response>`)
		}), EndError},
		{"panic", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") }), EndError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCaller(tt.handler, base+"/loop", testToken)
			c.MaxRequests = 5
			call := c.Call()
			if call.End != tt.want {
				t.Fatalf("end %v (%v), want %v", call.End, call.Err, tt.want)
			}
			if tt.want == EndRequestCap && len(call.Requests) != 5 {
				t.Errorf("%d requests, want the cap of 5", len(call.Requests))
			}
			if tt.want == EndError && call.Err == nil {
				t.Error("no error recorded")
			}
		})
	}
}

func TestOverTheNetwork(t *testing.T) {
	ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/a": {Verbs: []twiml.Verb{twiml.Gather{Action: "/b", NumDigits: 2}}},
		"/b": {Verbs: []twiml.Verb{say("Thanks."), twiml.Hangup{}}},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Check the signature against the address the caller used.
		r.ParseForm()
		if !twiliosig.Valid(testToken, "http://"+r.Host+r.URL.RequestURI(), r.PostForm, r.Header.Get("X-Twilio-Signature")) {
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		ivr.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c := NewCaller(nil, srv.URL+"/a", testToken)
	var log strings.Builder
	c.Log = &log
	call := c.Call("12")
	if call.End != EndHangup || call.Said[len(call.Said)-1] != "Thanks." {
		t.Fatalf("end %v (%v)\n%s", call.End, call.Err, call.Transcript())
	}
	if !strings.Contains(log.String(), "Digits=**") || strings.Contains(log.String(), "Digits=12") {
		t.Errorf("log does not mask Digits:\n%s", log.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if call := c.CallContext(ctx); call.End != EndError {
		t.Errorf("cancelled call ended %v", call.End)
	}
}

func TestNewRequestIsSigned(t *testing.T) {
	form := url.Values{"CallSid": {"CA1"}, "Digits": {"5"}}
	req := NewRequest(http.MethodPost, base+"/x?y=1", form, testToken)
	if req.Header.Get("Content-Type") != "application/x-www-form-urlencoded" || req.RequestURI != base+"/x?y=1" {
		t.Fatalf("request %+v", req)
	}
	req.ParseForm()
	if !twiliosig.Valid(testToken, base+"/x?y=1", req.PostForm, req.Header.Get("X-Twilio-Signature")) {
		t.Fatal("bad signature")
	}
	get := NewRequest(http.MethodGet, base+"/x", form, testToken)
	if !twiliosig.Valid(testToken, base+get.URL.RequestURI(), nil, get.Header.Get("X-Twilio-Signature")) {
		t.Fatal("bad GET signature")
	}
	if NewRequest(http.MethodPost, base, form, "").Header.Get("X-Twilio-Signature") != "" {
		t.Fatal("unsigned request carries a signature")
	}
}

func TestNewCallerPanicsOnBadURL(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	NewCaller(nil, "/relative", "")
}

// TestEachCallItsOwnCallSid: every call a Caller places has a CallSid of
// its own, as real calls do (a flow's first request answers once per
// call); a CallSid the test sets is kept for every call.
func TestEachCallItsOwnCallSid(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		seen[r.PostForm.Get("CallSid")]++
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<Response><Hangup/></Response>`)
	})
	c := NewCaller(h, "https://ivr.example.com/voice", "token")
	first := c.Params.Get("CallSid")
	a, b := c.Call(), c.Call()
	if a.Sid != first || b.Sid == a.Sid || len(seen) != 2 {
		t.Errorf("calls %s then %s (NewCaller's %s), %d CallSids seen; want the first, then a new one", a.Sid, b.Sid, first, len(seen))
	}
	c.Params.Set("CallSid", "CA0123456789abcdef0123456789abcdef")
	if x, y := c.Call(), c.Call(); x.Sid != "CA0123456789abcdef0123456789abcdef" || y.Sid != x.Sid {
		t.Errorf("a CallSid the test set became %s, %s", x.Sid, y.Sid)
	}
}
