package flow

import (
	"errors"
	"testing"
	"time"

	"github.com/encgather/encgather/twiml"
)

func TestNewRefusesOptions(t *testing.T) {
	fx := newFixture(t)
	finish := postJSON(testBackend{URL: "http://127.0.0.1:1"})
	tests := []struct {
		name string
		opt  Option
	}{
		{"nil option", nil},
		{"nil observer", WithObserver(nil)},
		{"zero finish timeout", WithFinishTimeout(0)},
		{"finish timeout past Twilio's", WithFinishTimeout(15 * time.Second)},
		{"empty Say as goodbye", WithGoodbye(twiml.Say{})},
		{"empty Play as apology", WithApology(twiml.Play{})},
		{"empty sentences", WithSentences(Sentences{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(fx.master, testAuthToken, tutorialSteps(), finish, WithPublicURL(testPublicURL), tt.opt)
			if !errors.Is(err, ErrDefinition) {
				t.Fatalf("New: %v, want ErrDefinition", err)
			}
		})
	}
}

// TestGoodbyeOverridesSentence: WithGoodbye wins over the sentences,
// whichever comes first.
func TestGoodbyeOverridesSentence(t *testing.T) {
	fx := newFixture(t)
	bye := twiml.Say{Text: "Custom goodbye."}
	for name, opts := range map[string][]Option{
		"sentences first": {WithSentences(spanish()), WithGoodbye(bye)},
		"goodbye first":   {WithGoodbye(bye), WithSentences(spanish())},
	} {
		t.Run(name, func(t *testing.T) {
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, opts...)
			if got := fx.caller(f).Call("", "", "").LastSaid(); got != bye.Text {
				t.Errorf("last said %q, want %q", got, bye.Text)
			}
		})
	}
}
