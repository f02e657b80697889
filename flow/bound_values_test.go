package flow

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/encgather/encgather/twiml"
)

// gatherSealed runs the tutorial's call on a flow with opts and returns
// what its Finish was handed.
func gatherSealed(t *testing.T, fx *fixture, opts ...Option) *Result {
	t.Helper()
	var got *Result
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		got = r
		return []twiml.Verb{twiml.Say{Text: "done"}}, nil
	}
	f, err := New(fx.master, testAuthToken, tutorialSteps(), finish, append([]Option{WithPublicURL(testPublicURL)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if call := fx.caller(f).Call("1234", "4321"); call.LastSaid() != "done" {
		t.Fatalf("call did not finish:\n%s", call.Transcript())
	}
	return got
}

func TestBoundValuesRefuseSwaps(t *testing.T) {
	fx := newFixture(t)
	const card, pin = "encryptedCardDigits", "encryptedPinDigits"
	call := gatherSealed(t, fx, WithBoundValues())
	other := gatherSealed(t, fx, WithBoundValues())
	if call.CallSid == other.CallSid {
		t.Fatal("two calls share a CallSid")
	}
	tests := []struct {
		name           string
		value          string // the sealed hex presented to the backend
		field, callSid string // where the backend finds it
		want           string // "" means refused
	}{
		{"card in place", call.Sealed[card], card, call.CallSid, "1234"},
		{"pin in place", call.Sealed[pin], pin, call.CallSid, "4321"},
		{"card moved to the pin field", call.Sealed[card], pin, call.CallSid, ""},
		{"pin moved to the card field", call.Sealed[pin], card, call.CallSid, ""},
		{"card from another call", other.Sealed[card], card, call.CallSid, ""},
		{"card under another CallSid", call.Sealed[card], card, other.CallSid, ""},
		{"no additional data", call.Sealed[card], "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad := AdditionalData(tt.field, tt.callSid)
			if tt.field == "" {
				ad = nil
			}
			got, err := fx.master.Open(tt.value, ad)
			switch {
			case tt.want == "" && err == nil:
				t.Errorf("opened to %d digits, want refused", len(got))
			case tt.want != "" && (err != nil || string(got) != tt.want):
				t.Errorf("did not open to the gathered digits: %v", err)
			}
		})
	}
}

func TestUnboundValuesOpenWithoutAdditionalData(t *testing.T) {
	fx := newFixture(t)
	res := gatherSealed(t, fx)
	if _, err := fx.master.Open(res.Sealed["encryptedCardDigits"], nil); err != nil {
		t.Errorf("an unbound value does not open without additional data: %v", err)
	}
	if _, err := fx.master.Open(res.Sealed["encryptedCardDigits"], AdditionalData("encryptedCardDigits", res.CallSid)); err == nil {
		t.Error("an unbound value opens with additional data")
	}
}

func TestAdditionalData(t *testing.T) {
	tests := []struct {
		field, callSid string
		want           []byte
	}{
		{"encryptedPinDigits", testCallSid, []byte("encgather value v1\x00encryptedPinDigits\x00" + testCallSid)},
		{"", "", []byte("encgather value v1\x00\x00")},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if got := AdditionalData(tt.field, tt.callSid); !bytes.Equal(got, tt.want) {
				t.Errorf("AdditionalData(%q, %q) = %q, want %q", tt.field, tt.callSid, got, tt.want)
			}
		})
	}
}

func TestNewRefusesBoundValuesItCannotBind(t *testing.T) {
	fx := newFixture(t)
	nul := tutorialSteps()
	nul[1].Field = "pin\x00digits"
	tests := []struct {
		name  string
		steps []Step
		opts  []Option
	}{
		{"with a Sealer", tutorialSteps(), []Option{WithBoundValues(), WithSealer(&tagSealer{})}},
		{"with a Sealer given first", tutorialSteps(), []Option{WithSealer(&tagSealer{}), WithBoundValues()}},
		{"NUL in a field name", nul, []Option{WithBoundValues()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := append([]Option{WithPublicURL(testPublicURL)}, tt.opts...)
			if _, err := New(fx.master, testAuthToken, tt.steps, postJSON(testBackend{URL: fx.server.URL}), opts...); !errors.Is(err, ErrDefinition) {
				t.Errorf("New err = %v, want ErrDefinition", err)
			}
		})
	}
}
