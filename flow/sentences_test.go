package flow

import (
	"context"
	"errors"
	"testing"

	"github.com/encgather/encgather/twiml"
)

// spanish is a translation of DefaultSentences in an Amazon Polly voice.
func spanish() Sentences {
	return Sentences{
		NoInput:     "No recibimos ninguna entrada.",
		WrongLength: "Eso no fueron {n} dígitos.",
		Invalid:     "Esa entrada no es válida.",
		Rejected:    "Esa entrada no fue aceptada.",
		Goodbye:     "Lo sentimos, no pudimos obtener su entrada. Adiós.",
		Apology:     "Lo sentimos, ocurrió un error en la aplicación. Adiós.",
		Voice:       "Polly.Lupe",
		Language:    "es-US",
	}
}

// says returns every <Say> of a TwiML document, nested ones included.
func says(t *testing.T, body []byte) []twiml.Say {
	t.Helper()
	doc, err := twiml.Parse(body)
	if err != nil {
		t.Fatalf("answer is not TwiML: %v", err)
	}
	var out []twiml.Say
	for _, v := range doc.Verbs {
		switch v := v.(type) {
		case twiml.Say:
			out = append(out, v)
		case twiml.Gather:
			for _, n := range v.Verbs {
				if s, ok := n.(twiml.Say); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// TestSentencesVoiceEverywhere checks that every built-in sentence is said
// in the sentences' language and voice: retries for each reason, the
// goodbye and the apology.
func TestSentencesVoiceEverywhere(t *testing.T) {
	fx := newFixture(t)
	es := spanish()
	prompt := func(s string) []twiml.GatherVerb { return []twiml.GatherVerb{es.say(s)} }
	steps := []Step{
		{Name: "tarjeta", Digits: Exactly(16), Validate: Luhn, Attempts: 4, Prompt: prompt("Marque su número de tarjeta.")},
		{Name: "cuenta", Digits: Between(6, 10), Prompt: prompt("Marque su número de cuenta.")},
	}
	finish := func(context.Context, *Result) ([]twiml.Verb, error) { return nil, errors.New("no") }
	f, err := New(fx.master, testAuthToken, steps, finish, WithPublicURL(testPublicURL), WithSentences(es))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		keys []string
		want []string // in order
	}{
		{"retries and goodbye", []string{"", "12", "4111111111111112", "4111111111111112"},
			[]string{es.NoInput, "Eso no fueron 16 dígitos.", es.Rejected, es.Goodbye}},
		{"invalid on a Between step", []string{"4111111111111111", "12#", "123456#"},
			[]string{es.Invalid, es.Apology}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := fx.caller(f).Call(tt.keys...)
			if !isSubsequence(tt.want, call.Said) {
				t.Fatalf("said %q, want in order %q", call.Said, tt.want)
			}
			for _, req := range call.Requests {
				for _, s := range says(t, req.Body) {
					if s.Voice != es.Voice || s.Language != es.Language {
						t.Errorf("%q said with voice %q, language %q", s.Text, s.Voice, s.Language)
					}
				}
			}
		})
	}
}

func TestWithSentencesRefuses(t *testing.T) {
	empty := spanish()
	empty.Rejected = " "
	control := spanish()
	control.Goodbye = "Adiós\x00"
	for name, s := range map[string]Sentences{"empty sentence": empty, "control character": control, "zero value": {}} {
		t.Run(name, func(t *testing.T) {
			var c config
			if err := WithSentences(s).applyFlow(&c); !errors.Is(err, ErrDefinition) {
				t.Fatalf("WithSentences: %v, want ErrDefinition", err)
			}
		})
	}
	t.Run("the default", func(t *testing.T) {
		var c config
		if err := WithSentences(DefaultSentences()).applyFlow(&c); err != nil {
			t.Fatalf("WithSentences(DefaultSentences()): %v", err)
		}
	})
}

// TestRejectedIsNotWrongLength: a caller who typed 16 digits that fail
// Luhn must not hear "That was not 16 digits."
func TestRejectedIsNotWrongLength(t *testing.T) {
	fx := newFixture(t)
	steps := []Step{{Name: "card", Digits: Exactly(16), Validate: Luhn,
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Card number."}}}}
	done := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: "done"}}, nil
	}
	f, err := New(fx.master, testAuthToken, steps, done, WithPublicURL(testPublicURL))
	if err != nil {
		t.Fatal(err)
	}
	call := fx.caller(f).Call("4111111111111112", "411111111111111", "4111111111111111")
	want := []string{"Card number.", "That entry was not accepted.", "Card number.", "That was not 16 digits.", "Card number.", "done"}
	if len(call.Said) != len(want) || !isSubsequence(want, call.Said) {
		t.Fatalf("said %q, want %q", call.Said, want)
	}
}
