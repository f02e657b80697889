package flow

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/twiml"
)

func TestStepCheck(t *testing.T) {
	errCustom := errors.New("custom")
	tests := []struct {
		name   string
		step   Step
		digits string
		want   error
	}{
		{"exact ok", Step{Digits: Exactly(4)}, "1234", nil},
		{"exact short", Step{Digits: Exactly(4)}, "123", ErrInvalidDigits},
		{"exact long", Step{Digits: Exactly(4)}, "12345", ErrInvalidDigits},
		{"star", Step{Digits: Exactly(4)}, "12*4", ErrInvalidDigits},
		{"hash", Step{Digits: Exactly(4)}, "123#", ErrInvalidDigits},
		{"letter", Step{Digits: Exactly(4)}, "12a4", ErrInvalidDigits},
		{"unicode digit", Step{Digits: Exactly(2)}, "٣", ErrInvalidDigits},
		{"between low", Step{Digits: Between(2, 6)}, "12", nil},
		{"between high", Step{Digits: Between(2, 6)}, "123456", nil},
		{"between over", Step{Digits: Between(2, 6)}, "1234567", ErrInvalidDigits},
		{"custom refuses", Step{Digits: Exactly(4), Validate: func(string) error { return errCustom }}, "1234", errRejected},
		{"custom not run on bad digits", Step{Digits: Exactly(4), Validate: func(string) error { panic("ran") }}, "12", ErrInvalidDigits},
		{"luhn ok", Step{Digits: Between(12, 19), Validate: Luhn}, "4111111111111111", nil},
		{"luhn bad", Step{Digits: Between(12, 19), Validate: Luhn}, "4111111111111112", errRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err, _ := tt.step.check(nil, tt.step.Digits, tt.digits, false)
			if !errors.Is(err, tt.want) {
				t.Fatalf("check(%q) = %v, want %v", tt.digits, err, tt.want)
			}
			if errors.Is(err, errCustom) {
				t.Errorf("check passes on Validate's error, which may quote the value: %v", err)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	valid := []string{"4111111111111111", "5555555555554444", "378282246310005", "79927398713", "0000000000000000"}
	invalid := []string{"4111111111111121", "79927398710", "1", "", "7992739871x"}
	for _, s := range valid {
		if err := Luhn(s); err != nil {
			t.Errorf("Luhn(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range invalid {
		if err := Luhn(s); err == nil {
			t.Errorf("Luhn(%q) = nil, want an error", s)
		}
	}
}

func TestStepNormalize(t *testing.T) {
	prompt := []twiml.GatherVerb{twiml.Say{Text: "Enter"}}
	s := Step{Name: "card", Prompt: prompt, Digits: Exactly(4)}
	if err := s.normalize(); err != nil {
		t.Fatal(err)
	}
	if s.Digits != Exactly(4) || s.Timeout != DefaultGatherTimeout || s.Attempts != DefaultAttempts || s.field() != "card" {
		t.Fatalf("defaults not filled: %+v", s)
	}

	next := func(string) string { return "" }
	bad := map[string]Step{
		"no Digits":                {Name: "a", Prompt: prompt},
		"Between(4, 4)":            {Name: "a", Prompt: prompt, Digits: Between(4, 4)},
		"Exactly(0)":               {Name: "a", Prompt: prompt, Digits: Exactly(0)},
		"Between(0, 0)":            {Name: "a", Prompt: prompt, Digits: Between(0, 0)},
		"Exactly(-1)":              {Name: "a", Prompt: prompt, Digits: Exactly(-1)},
		"empty Play in prompt":     {Name: "a", Prompt: []twiml.GatherVerb{twiml.Play{}}},
		"empty Say in prompt":      {Name: "a", Prompt: []twiml.GatherVerb{twiml.Say{}}},
		"Next on a sensitive step": {Name: "a", Prompt: prompt, Digits: Exactly(4), Next: next},
		"retry on the first ask":   {Name: "a", Prompt: prompt, Digits: Exactly(4), Retries: []Retry{{Reason: ReasonFirst, Verbs: prompt}}},
		"retry on attempt 1":       {Name: "a", Prompt: prompt, Digits: Exactly(4), Retries: []Retry{{Reason: ReasonTimeout, Attempt: 1, Verbs: prompt}}},
		"retry past the attempts":  {Name: "a", Prompt: prompt, Digits: Exactly(4), Retries: []Retry{{Reason: ReasonTimeout, Attempt: 4, Verbs: prompt}}},
		"retry, unknown reason":    {Name: "a", Prompt: prompt, Digits: Exactly(4), Retries: []Retry{{Reason: Reason(9), Verbs: prompt}}},
		"retry with an empty Play": {Name: "a", Prompt: prompt, Digits: Exactly(4), Retries: []Retry{{Reason: ReasonInvalid, Verbs: []twiml.GatherVerb{twiml.Play{}}}}},
		"empty name":               {Prompt: prompt, Digits: Exactly(4)},
		"long name":                {Name: strings.Repeat("a", 33), Prompt: prompt, Digits: Exactly(4)},
		"name with space":          {Name: "a b", Prompt: prompt, Digits: Exactly(4)},
		"no prompt":                {Name: "a"},
		"min > max":                {Name: "a", Prompt: prompt, Digits: Digits{Min: 5, Max: 4}},
		"zero min":                 {Name: "a", Prompt: prompt, Digits: Digits{Min: 0, Max: 4}},
		"too many digits":          {Name: "a", Prompt: prompt, Digits: Exactly(maxDigits + 1)},
		"finish key":               {Name: "a", Prompt: prompt, Digits: Digits{Min: 1, Max: 4, FinishOnKey: "5"}},
		"short timeout":            {Name: "a", Prompt: prompt, Digits: Exactly(4), Timeout: time.Millisecond},
		"attempts":                 {Name: "a", Prompt: prompt, Digits: Exactly(4), Attempts: 11},
	}
	for name, s := range bad {
		t.Run(name, func(t *testing.T) {
			if err := s.normalize(); !errors.Is(err, ErrDefinition) {
				t.Fatalf("normalize = %v, want ErrDefinition", err)
			}
		})
	}
}

func TestRetryVerbs(t *testing.T) {
	custom := []twiml.GatherVerb{twiml.Say{Text: "Second try, no input."}}
	s := Step{Name: "pin", Digits: Exactly(4), Retries: []Retry{{Reason: ReasonTimeout, Attempt: 2, Verbs: custom}}}
	say := func(v []twiml.GatherVerb) string {
		if len(v) != 1 {
			return ""
		}
		return v[0].(twiml.Say).Text
	}
	en := DefaultSentences()
	if got := s.retryVerbs(ReasonFirst, 1, nil, s.Digits, &en); got != nil {
		t.Errorf("first attempt: got %v, want nothing", got)
	}
	tests := []struct {
		name    string
		step    Step
		reason  Reason
		attempt int
		want    string
	}{
		{"timeout, the step's retry", s, ReasonTimeout, 2, "Second try, no input."},
		{"timeout, built-in", s, ReasonTimeout, 3, "We didn't receive any input."},
		{"invalid, exact", s, ReasonInvalid, 2, "That was not 4 digits."},
		{"invalid, between", Step{Digits: Between(12, 19)}, ReasonInvalid, 2, "That entry was not valid."},
		{"rejected, not a length", Step{Digits: Exactly(16)}, ReasonRejected, 2, "That entry was not accepted."},
		{"rejected, the step's retry", Step{Digits: Exactly(16), Retries: []Retry{
			{Reason: ReasonInvalid, Verbs: custom},
			{Reason: ReasonRejected, Verbs: []twiml.GatherVerb{twiml.Say{Text: "That card number is not valid."}}},
		}}, ReasonRejected, 2, "That card number is not valid."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := say(tt.step.retryVerbs(tt.reason, tt.attempt, nil, tt.step.Digits, &en)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
