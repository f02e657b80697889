package flowtest

import (
	"testing"

	"github.com/encgather/encgather/twiml"
)

func TestHandOff(t *testing.T) {
	tests := []struct {
		name           string
		verb           twiml.Verb
		wantEnd        End
		wantTranscript string
	}{
		{"dial a number", twiml.Dial{PhoneNumber: "+15005550006"}, EndDialed,
			"Say: Connecting you.\nDial: +15005550006\n"},
		{"dial nouns", twiml.Dial{Nouns: []twiml.DialNoun{
			twiml.Number{PhoneNumber: "+15005550006"}, twiml.Client{Identity: "agent-7"}, twiml.Sip{URI: "sip:agent@example.com"},
		}}, EndDialed, "Say: Connecting you.\nDial: +15005550006, client agent-7, sip:agent@example.com\n"},
		{"dial a conference", twiml.Dial{Nouns: []twiml.DialNoun{twiml.Conference{Name: "room"}}}, EndDialed,
			"Say: Connecting you.\nDial: conference room\n"},
		{"dial a queue", twiml.Dial{Nouns: []twiml.DialNoun{twiml.Queue{Name: "support"}}}, EndDialed,
			"Say: Connecting you.\nDial: queue support\n"},
		{"enqueue", twiml.Enqueue{Name: "support"}, EndEnqueued, "Say: Connecting you.\nEnqueue: support\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
				"/ivr/start": {Verbs: []twiml.Verb{say("Connecting you."), tt.verb, say("Never said.")}},
			}}
			call := NewCaller(ivr, base+"/ivr/start", testToken).Call()
			if call.End != tt.wantEnd || call.Err != nil {
				t.Fatalf("end %v (%v), want %v", call.End, call.Err, tt.wantEnd)
			}
			if got := call.Transcript(); got != tt.wantTranscript {
				t.Errorf("transcript:\n%s\nwant:\n%s", got, tt.wantTranscript)
			}
		})
	}
}
