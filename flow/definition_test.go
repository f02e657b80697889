package flow

import (
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/twiml"
)

// TestStateBoundToDefinition issues a token on one deploy of the tutorial
// and answers it on another whose card step means something else. The
// token must not finish: the backend hears nothing. A change that leaves
// the meaning alone (wording, timeout) keeps calls in progress working.
func TestStateBoundToDefinition(t *testing.T) {
	tests := []struct {
		name     string
		change   func(card *Step)
		finishes bool
	}{
		{"card prompt was worded otherwise", func(s *Step) { s.Prompt = []twiml.GatherVerb{twiml.Say{Text: "Card?"}} }, true},
		{"card step waited longer", func(s *Step) { s.Timeout = 20 * time.Second }, true},
		{"card step was plain", func(s *Step) { s.Plain = true }, false},
		{"card field had another name", func(s *Step) { s.Field = "cardDigits" }, false},
		{"card step took 4 to 6 digits", func(s *Step) { s.Digits = Between(4, 6) }, false},
		{"card step took 3 digits", func(s *Step) { s.Digits = Exactly(3) }, false},
		{"card step had another name", func(s *Step) { s.Name = "getCard" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			steps := tutorialSteps()
			tt.change(&steps[0])
			before, err := New(fx.master, testAuthToken, steps, postJSON(testBackend{URL: fx.server.URL, OnSuccess: accountSentence,
				Failure: []twiml.Verb{twiml.Say{Text: sayFailure}}}), WithPublicURL(testPublicURL))
			if err != nil {
				t.Fatal(err)
			}
			card := "1234"
			if steps[0].Digits.Min == 3 {
				card = "123"
			}
			pinAction := actionAfter(t, before, fx.firstStep(t, before), card)

			rec := serve(fx.flow, pinAction, callForm(testCallSid, "Digits", "4321"))
			if tt.finishes {
				if !strings.Contains(rec.Body.String(), saySuccess) {
					t.Errorf("got %d %s, want success", rec.Code, rec.Body)
				}
				return
			}
			if !apologized(rec) {
				t.Errorf("got %d %s, want the apology", rec.Code, rec.Body)
			}
			if len(fx.backend.bodies) != 0 {
				t.Errorf("the backend was sent %v", fx.backend.bodies)
			}
		})
	}
}
