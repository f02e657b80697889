package flow

import (
	"context"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

func TestEndCall(t *testing.T) {
	say := twiml.Say{Text: "Connecting you to an agent."}
	dial := twiml.Dial{Nouns: []twiml.DialNoun{twiml.Client{Identity: "agent-7"}}}
	tests := []struct {
		name  string
		verbs []twiml.Verb
		want  []twiml.Verb
	}{
		{"nothing", nil, []twiml.Verb{twiml.Hangup{}}},
		{"a sentence", []twiml.Verb{say}, []twiml.Verb{say, twiml.Hangup{}}},
		{"already hung up", []twiml.Verb{say, twiml.Hangup{}}, []twiml.Verb{say, twiml.Hangup{}}},
		{"rejected", []twiml.Verb{twiml.Reject{}}, []twiml.Verb{twiml.Reject{}}},
		{"redirected", []twiml.Verb{twiml.Redirect{URL: "/menu"}}, []twiml.Verb{twiml.Redirect{URL: "/menu"}}},
		{"dials an agent", []twiml.Verb{say, dial}, []twiml.Verb{say, dial}},
		{"enqueued", []twiml.Verb{twiml.Enqueue{Name: "support"}}, []twiml.Verb{twiml.Enqueue{Name: "support"}}},
		{"a dial in the middle", []twiml.Verb{dial, say}, []twiml.Verb{dial, say, twiml.Hangup{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]twiml.Verb(nil), tt.verbs...)
			got := endCall(in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("endCall(%v) = %v, want %v", tt.verbs, got, tt.want)
			}
			if !reflect.DeepEqual(in, tt.verbs) {
				t.Errorf("endCall changed its argument")
			}
		})
	}
}

func TestFinishDialsAnAgent(t *testing.T) {
	fx := newFixture(t)
	var got Result
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		got = *r
		return []twiml.Verb{
			twiml.Say{Text: "Thank you. Connecting you to an agent."},
			twiml.Dial{Nouns: []twiml.DialNoun{twiml.Client{Identity: "agent-7"}}},
		}, nil
	}
	f, err := New(fx.master, testAuthToken, tutorialSteps(), finish, WithPublicURL(testPublicURL), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	call := fx.caller(f).Call("1234", "4321")
	if call.End != flowtest.EndDialed {
		t.Fatalf("call ended with %v (%v), want dialed\n%s", call.End, call.Err, call.Transcript())
	}
	if got.From != "+15005550001" || !strings.HasPrefix(got.AccountSid, "AC") || got.CallSid == "" {
		t.Errorf("Result has CallSid %q, AccountSid %q, From %q; want the request's", got.CallSid, got.AccountSid, got.From)
	}
	last := call.Events[len(call.Events)-1]
	if last.Kind != flowtest.EventDial || last.Text != "client agent-7" {
		t.Errorf("last event %v %q, want Dial client agent-7", last.Kind, last.Text)
	}
	if body := string(call.Requests[len(call.Requests)-1].Body); strings.Contains(body, "<Hangup") {
		t.Errorf("a Hangup follows the Dial: %s", body)
	}
}
