package flow

import (
	"reflect"
	"testing"

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
