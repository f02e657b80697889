package flowtest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/encgather/encgather/internal/twiliosig"
	"github.com/encgather/encgather/twiml"
)

// twoStepIVR asks at /start with g, then answers /next with what it got.
func twoStepIVR(t *testing.T, g twiml.Gather) *fakeIVR {
	g.Action = "/next"
	g.Verbs = []twiml.GatherVerb{say("Go ahead.")}
	return &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/start": {Verbs: []twiml.Verb{g, say("Nothing heard."), twiml.Hangup{}}},
		"/next":  {Verbs: []twiml.Verb{say("Got it."), twiml.Hangup{}}},
	}}
}

func TestEntries(t *testing.T) {
	keys := twiml.Gather{NumDigits: 4}
	speech := twiml.Gather{Input: twiml.InputSpeech}
	both := twiml.Gather{Input: twiml.InputDTMFSpeech}
	tests := []struct {
		name       string
		gather     twiml.Gather
		entries    []string
		wantEnd    End
		wantParams url.Values // of the second request; nil for none
		transcript string
	}{
		{"hang up at a prompt", keys, []string{HangUp, "1234"}, EndCallerHangup, url.Values{"CallStatus": {"completed"}},
			"Say: Go ahead.\nCaller hangs up\n"},
		{"hang up mid-entry", keys, []string{"12" + HangUp}, EndCallerHangup,
			url.Values{"Digits": {"12"}, "CallStatus": {"completed"}},
			"Say: Go ahead.\nCaller: 12\nCaller hangs up\n"},
		{"speech to a speech Gather", speech, []string{Speech("my balance")}, EndHangup,
			url.Values{"SpeechResult": {"my balance"}, "Confidence": {"0.9"}, "CallStatus": {"in-progress"}},
			"Say: Go ahead.\nCaller says: my balance\nSay: Got it.\nHangup\n"},
		{"speech to a dtmf speech Gather", both, []string{Speech("yes")}, EndHangup,
			url.Values{"SpeechResult": {"yes"}}, "Say: Go ahead.\nCaller says: yes\nSay: Got it.\nHangup\n"},
		{"keys past numDigits are not sent", keys, []string{"123456"}, EndHangup,
			url.Values{"Digits": {"1234"}}, "Say: Go ahead.\nCaller: 1234\nSay: Got it.\nHangup\n"},
		{"keys after the finish key are not sent", twiml.Gather{NumDigits: 6}, []string{"12#34"}, EndHangup,
			url.Values{"Digits": {"12"}}, "Say: Go ahead.\nCaller: 12#\nSay: Got it.\nHangup\n"},
		{"keys to a dtmf speech Gather", both, []string{"7#"}, EndHangup,
			url.Values{"Digits": {"7"}}, "Say: Go ahead.\nCaller: 7#\nSay: Got it.\nHangup\n"},
		{"speech to a keys Gather is silence", keys, []string{Speech("1234")}, EndHangup, nil,
			"Say: Go ahead.\nCaller says: 1234\nSay: Nothing heard.\nHangup\n"},
		{"keys to a speech Gather are silence", speech, []string{"1234"}, EndHangup, nil,
			"Say: Go ahead.\nCaller: (silence)\nSay: Nothing heard.\nHangup\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := NewCaller(twoStepIVR(t, tt.gather), base+"/start", testToken).Call(tt.entries...)
			if call.End != tt.wantEnd {
				t.Fatalf("end %v (%v), want %v\n%s", call.End, call.Err, tt.wantEnd, call.Transcript())
			}
			if got := call.Transcript(); got != tt.transcript {
				t.Errorf("transcript:\n%s\nwant:\n%s", got, tt.transcript)
			}
			if tt.wantParams == nil {
				if len(call.Requests) != 1 {
					t.Errorf("%d requests, want only the first", len(call.Requests))
				}
				return
			}
			if len(call.Requests) != 2 {
				t.Fatalf("%d requests, want 2", len(call.Requests))
			}
			form := call.Requests[1].Form
			for k := range tt.wantParams {
				if form.Get(k) != tt.wantParams.Get(k) {
					t.Errorf("%s = %q, want %q", k, form.Get(k), tt.wantParams.Get(k))
				}
			}
			if !tt.wantParams.Has("Digits") && form.Has("Digits") {
				t.Errorf("Digits sent: %q", form.Get("Digits"))
			}
			if tt.wantParams.Get("SpeechResult") == "" && form.Has("SpeechResult") {
				t.Errorf("keys sent a SpeechResult")
			}
		})
	}
}

func TestUnusedEntries(t *testing.T) {
	ivr := twoStepIVR(t, twiml.Gather{NumDigits: 4})
	tests := []struct {
		entries []string
		want    []string
	}{
		{[]string{"1234"}, nil},
		{[]string{"1234", "5678", ""}, []string{"5678", ""}},
		{[]string{HangUp, "1234"}, []string{"1234"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.entries), func(t *testing.T) {
			call := NewCaller(ivr, base+"/start", testToken).Call(tt.entries...)
			if fmt.Sprint(call.Unused) != fmt.Sprint(tt.want) || len(call.Unused) != len(tt.want) {
				t.Errorf("Unused = %q, want %q", call.Unused, tt.want)
			}
		})
	}
}

func TestStatusCallback(t *testing.T) {
	var mu sync.Mutex
	var got []url.Values
	var badSigs int
	mux := http.NewServeMux()
	ivr := twoStepIVR(t, twiml.Gather{NumDigits: 4})
	mux.Handle("/start", ivr)
	mux.Handle("/next", ivr)
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.PostForm)
		if !twiliosig.Valid(testToken, base+r.URL.RequestURI(), r.PostForm, r.Header.Get("X-Twilio-Signature")) {
			badSigs++
		}
	})
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 500) })

	for _, entries := range [][]string{{"1234"}, {"12" + HangUp}, {HangUp}} {
		t.Run(strings.Join(entries, ","), func(t *testing.T) {
			got = nil
			c := NewCaller(mux, base+"/start", testToken)
			c.StatusCallback = "/status"
			call := c.Call(entries...)
			if call.Err != nil || call.StatusCallback == nil || call.StatusCallback.StatusCode != 200 {
				t.Fatalf("status callback %+v, err %v", call.StatusCallback, call.Err)
			}
			if len(got) != 1 || got[0].Get("CallStatus") != "completed" || got[0].Get("CallSid") != call.Sid {
				t.Fatalf("status callback got %v", got)
			}
			if badSigs != 0 {
				t.Errorf("status callback not signed")
			}
			if ev := call.Events[len(call.Events)-1]; ev.Kind != EventStatusCallback {
				t.Errorf("last event %v, want the status callback", ev)
			}
		})
	}
	t.Run("failing callback", func(t *testing.T) {
		c := NewCaller(mux, base+"/start", testToken)
		c.StatusCallback = base + "/broken"
		call := c.Call("1234")
		if call.End != EndHangup || call.Err == nil || call.StatusCallback.StatusCode != 500 {
			t.Fatalf("end %v, err %v, callback %+v", call.End, call.Err, call.StatusCallback)
		}
	})
	t.Run("none by default", func(t *testing.T) {
		if call := NewCaller(mux, base+"/start", testToken).Call("1234"); call.StatusCallback != nil {
			t.Errorf("a status callback without StatusCallback")
		}
	})
}
