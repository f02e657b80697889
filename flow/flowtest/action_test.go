package flowtest

import (
	"errors"
	"testing"

	"github.com/encgather/encgather/twiml"
)

func TestGatherAction(t *testing.T) {
	const docURL = base + "/ivr/step?x=1"
	tests := []struct {
		name    string
		doc     string
		want    string
		wantErr bool
	}{
		{name: "relative query", doc: `<Response><Gather action="?step=b&amp;state=t"/></Response>`,
			want: base + "/ivr/step?step=b&state=t"},
		{name: "relative path", doc: `<Response><Say>hi</Say><Gather action="next"/></Response>`,
			want: base + "/ivr/next"},
		{name: "absolute", doc: `<Response><Gather action="https://other.example.com/a"/></Response>`,
			want: "https://other.example.com/a"},
		{name: "no action", doc: `<Response><Gather/></Response>`, want: docURL},
		{name: "first of two", doc: `<Response><Gather action="/one"/><Gather action="/two"/></Response>`,
			want: base + "/one"},
		{name: "no Gather", doc: `<Response><Hangup/></Response>`, wantErr: true},
		{name: "not TwiML", doc: `<html/>`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GatherAction(docURL, []byte(tt.doc))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("GatherAction = %q, %v; want %q (error %v)", got, err, tt.want, tt.wantErr)
			}
		})
	}
	if _, err := GatherAction(docURL, []byte(`<Response/>`)); !errors.Is(err, errNoGather) {
		t.Errorf("empty document: %v, want errNoGather", err)
	}
}

func TestLastSaid(t *testing.T) {
	ivr := &fakeIVR{t: t, docs: map[string]twiml.Response{
		"/": {Verbs: []twiml.Verb{say("first"), say("last"), twiml.Hangup{}}},
	}}
	if got := NewCaller(ivr, base+"/", testToken).Call().LastSaid(); got != "last" {
		t.Errorf("LastSaid = %q, want %q", got, "last")
	}
	if got := (&Call{}).LastSaid(); got != "" {
		t.Errorf("LastSaid of a silent call = %q, want \"\"", got)
	}
}
