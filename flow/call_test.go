package flow

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// brandOf is a tiny brand rule for tests: 34 and 37 are Amex, 4 Visa, 5
// Mastercard; anything else is not accepted.
func brandOf(number string) string {
	switch {
	case strings.HasPrefix(number, "34"), strings.HasPrefix(number, "37"):
		return "amex"
	case strings.HasPrefix(number, "4"):
		return "visa"
	case strings.HasPrefix(number, "5"):
		return "mastercard"
	}
	return ""
}

var (
	errNotAccepted = errors.New("test: card not accepted")
	errCodeLength  = errors.New("test: security code of the wrong length for the brand")
)

// brandSteps asks a card number, which reveals its brand and last four
// digits, then its security code: 4 digits for Amex, 3 for the others.
// With byDigitsFor the code's count comes from DigitsFor; else a Check
// compares it with the brand.
func brandSteps(byDigitsFor bool) []Step {
	card := Step{Name: "card", Digits: Between(12, 19), Validate: Luhn, Prompt: sayV("Card number, then pound."),
		Check: func(c *Call, number string) error {
			if brandOf(number) == "" {
				return errNotAccepted
			}
			return nil
		},
		Reveals: []string{"brand", "last4"},
		Reveal: func(number string) map[string]string {
			return map[string]string{"brand": brandOf(number), "last4": number[len(number)-4:]}
		},
		Retries: []Retry{
			{Reason: ReasonRejected, Err: errNotAccepted, Verbs: sayV("We do not accept that card.")},
			{Reason: ReasonRejected, Err: ErrInvalidDigits, Verbs: sayV("That card number is not valid.")},
		},
	}
	code := Step{Name: "code", Digits: Between(3, 4), // no Prompt: PromptFor says it
		PromptFor: func(c *Call) []twiml.GatherVerb {
			brand, _ := c.Fact("brand")
			if brand == "amex" {
				return sayV("Enter the 4 digit code on the front of your card.")
			}
			return sayV("Enter the 3 digit code on the back of your " + brand + " card.")
		},
		Retries: []Retry{{Reason: ReasonRejected, Err: errCodeLength, Verbs: sayV("That code has the wrong length for your card.")}},
	}
	if byDigitsFor {
		code.DigitsFor = func(c *Call) Digits {
			if brand, _ := c.Fact("brand"); brand == "amex" {
				return Exactly(4)
			}
			return Exactly(3)
		}
	} else {
		code.Check = func(c *Call, v string) error {
			brand, ok := c.Fact("brand")
			if !ok || (brand == "amex") != (len(v) == 4) {
				return errCodeLength
			}
			return nil
		}
	}
	return []Step{card, code}
}

// TestSecurityCodeByBrand checks a security code's length against the
// brand the card step revealed, and that the facts reach Finish.
func TestSecurityCodeByBrand(t *testing.T) {
	tests := []struct {
		name        string
		byDigitsFor bool
		keys        []string
		wantSaid    []string
		wantFacts   map[string]string
	}{
		{"amex, 3 digits then 4, Check", false, []string{"378282246310005#", "123#", "1234#"}, []string{
			"Card number, then pound.", "Enter the 4 digit code on the front of your card.",
			"That code has the wrong length for your card.", "Enter the 4 digit code on the front of your card.", "Finished finished."},
			map[string]string{"brand": "amex", "last4": "0005"}},
		{"visa, 4 digits then 3, Check", false, []string{"4111111111111111#", "1234#", "123#"}, []string{
			"Card number, then pound.", "Enter the 3 digit code on the back of your visa card.",
			"That code has the wrong length for your card.", "Enter the 3 digit code on the back of your visa card.", "Finished finished."},
			map[string]string{"brand": "visa", "last4": "1111"}},
		{"amex, DigitsFor", true, []string{"378282246310005#", "123", "1234"}, []string{
			"Card number, then pound.", "Enter the 4 digit code on the front of your card.",
			"That was not 4 digits.", "Enter the 4 digit code on the front of your card.", "Finished finished."},
			map[string]string{"brand": "amex", "last4": "0005"}},
		{"visa, DigitsFor", true, []string{"4111111111111111#", "123"}, []string{
			"Card number, then pound.", "Enter the 3 digit code on the back of your visa card.", "Finished finished."},
			map[string]string{"brand": "visa", "last4": "1111"}},
		{"errors told apart", true, []string{"4111111111111112#", "6011111111111117#", "5555555555554444#", "123"}, []string{
			"Card number, then pound.", "That card number is not valid.", "Card number, then pound.",
			"We do not accept that card.", "Card number, then pound.",
			"Enter the 3 digit code on the back of your mastercard card.", "Finished finished."},
			map[string]string{"brand": "mastercard", "last4": "4444"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rec := newRecorded(t, brandSteps(tt.byDigitsFor))
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(tt.keys...)
			if !slices.Equal(call.Said, tt.wantSaid) {
				t.Fatalf("said:\n%q\nwant:\n%q", call.Said, tt.wantSaid)
			}
			if len(rec.results) != 1 {
				t.Fatalf("Finish ran %d times", len(rec.results))
			}
			r := rec.results[0]
			if len(r.Facts) != len(tt.wantFacts) || r.Facts["brand"] != tt.wantFacts["brand"] || r.Facts["last4"] != tt.wantFacts["last4"] {
				t.Errorf("facts %v, want %v", r.Facts, tt.wantFacts)
			}
			if len(r.Sealed) != 2 {
				t.Errorf("%d sealed values, want 2", len(r.Sealed))
			}
		})
	}
}

// TestStepFunctionsOutOfBounds: what a step's functions return at run
// time must keep to the step's declaration, or the request fails.
func TestStepFunctionsOutOfBounds(t *testing.T) {
	tests := []struct {
		name  string
		alter func(s *Step)
		keys  []string
	}{
		{"DigitsFor over the bound", func(s *Step) { s.DigitsFor = func(*Call) Digits { return Exactly(5) } }, []string{"4111111111111111#"}},
		{"DigitsFor under the bound", func(s *Step) { s.DigitsFor = func(*Call) Digits { return Between(2, 3) } }, []string{"4111111111111111#"}},
		{"PromptFor, an empty Say", func(s *Step) { s.PromptFor = func(*Call) []twiml.GatherVerb { return sayV("") } }, []string{"4111111111111111#"}},
		{"PromptFor, nothing", func(s *Step) { s.PromptFor = func(*Call) []twiml.GatherVerb { return nil } }, []string{"4111111111111111#"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps := brandSteps(false)
			tt.alter(&steps[1])
			f, rec := newRecorded(t, steps)
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(tt.keys...)
			if call.LastSaid() != DefaultSentences().Apology || !slices.Contains(rec.outcomes(), OutcomeBadStep) {
				t.Fatalf("outcomes %v\n%s", rec.outcomes(), call.Transcript())
			}
		})
	}
	reveals := map[string]func(string) map[string]string{
		"an undeclared fact": func(string) map[string]string { return map[string]string{"brand": "visa", "pan": "x"} },
		"an over-long fact":  func(string) map[string]string { return map[string]string{"brand": strings.Repeat("v", MaxFactLen+1)} },
		"a control byte":     func(string) map[string]string { return map[string]string{"brand": "vi\nsa"} },
	}
	for name, reveal := range reveals {
		t.Run("Reveal, "+name, func(t *testing.T) {
			steps := brandSteps(false)
			steps[0].Reveal = reveal
			f, rec := newRecorded(t, steps)
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call("4111111111111111#")
			if call.LastSaid() != DefaultSentences().Apology || !slices.Contains(rec.outcomes(), OutcomeBadStep) {
				t.Fatalf("outcomes %v\n%s", rec.outcomes(), call.Transcript())
			}
		})
	}
}

func TestDate(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	c := &Call{now: now}
	adult := Date(DateMMDDYYYY, Past(), AgeBetween(18, 120))
	expiry := Date(DateYYYYMMDD, Future())
	tests := []struct {
		name   string
		check  func(*Call, string) error
		digits string
		want   error
	}{
		{"a date of birth", adult, "07041976", nil},
		{"eighteen today", adult, "12042008", nil},
		{"eighteen tomorrow", adult, "12052008", ErrDateOutOfRange},
		{"no 30 February", adult, "02301990", ErrInvalidDate},
		{"no month 13", adult, "13011990", ErrInvalidDate},
		{"no day 0", adult, "01001990", ErrInvalidDate},
		{"29 February of a leap year", adult, "02292000", nil},
		{"29 February of another year", adult, "02291999", ErrInvalidDate},
		{"over 120", adult, "01011900", ErrDateOutOfRange},
		{"in the future", adult, "01012030", ErrDateOutOfRange},
		{"year 0", adult, "01010000", ErrInvalidDate},
		{"seven digits", adult, "0704197", ErrInvalidDate},
		{"future, tomorrow", expiry, "20261205", nil},
		{"future, today", expiry, "20261204", ErrDateOutOfRange},
		{"future, yesterday", expiry, "20261203", ErrDateOutOfRange},
		{"YYYYMMDD, not a date", expiry, "20271301", ErrInvalidDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(c, tt.digits); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Date(%q) = %v, want %v", tt.digits, err, tt.want)
			}
		})
	}
}

// TestDateAgainstTheFlowsClock: a date step checks against WithClock's
// time, not the machine's.
func TestDateAgainstTheFlowsClock(t *testing.T) {
	for _, tt := range []struct {
		today time.Time
		want  Outcome
	}{
		{time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC), OutcomeFinished},
		{time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC), OutcomeGaveUp},
	} {
		t.Run(tt.today.Format(time.DateOnly), func(t *testing.T) {
			steps := []Step{{Name: "dob", Digits: Exactly(8), Attempts: 1, Prompt: sayV("Date of birth."),
				Check: Date(DateMMDDYYYY, Past(), AgeBetween(18, 120))}}
			f, rec := newRecorded(t, steps, WithClock(func() time.Time { return tt.today }))
			flowtest.NewCaller(f, testWebhook, testAuthToken).Call("12042008")
			if got := rec.outcomes(); got[len(got)-1] != tt.want {
				t.Errorf("outcomes %v, want %v last", got, tt.want)
			}
		})
	}
}

func TestSpokenDigits(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"four three two one", "4321", true},
		{"Four, three, two, one.", "4321", true},
		{"4 3 2 1", "4321", true},
		{"4321", "4321", true},
		{"double seven oh five", "7705", true},
		{"triple 9", "999", true},
		{"one two three four five six", "123456", true},
		{"my pin is 1234", "", false},
		{"double", "", false},
		{"", "", false},
		{"1234-5678", "12345678", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := SpokenDigits(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SpokenDigits(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
