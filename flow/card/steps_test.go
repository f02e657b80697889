package card_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/card"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

const (
	testToken   = "test-auth-token-0123456789abcdef"
	testWebhook = "https://ivr.example.com/pay"
	visa        = "4111111111111111"
	amex        = "378282246310005" // American Express's published test number
)

// testNow is the flow's clock in these tests: 15 June 2026.
var testNow = time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)

// captured records what Finish was handed.
type captured struct {
	results []card.Capture
	raw     []*flow.Result
}

func (c *captured) finish(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
	c.raw = append(c.raw, r)
	got := card.ResultOf(r)
	c.results = append(c.results, got)
	return []twiml.Verb{twiml.Say{Text: fmt.Sprintf("result %s %s %s", got.Result, got.Brand, got.Last4)}}, nil
}

// newCardFlow returns a flow of the card steps with o, its record of
// endings and a buffer of its log at debug level.
func newCardFlow(t *testing.T, o card.Options, extra ...flow.Option) (*flow.Flow, *captured, *bytes.Buffer) {
	t.Helper()
	steps, err := card.Steps(o)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	rec := &captured{}
	opts := append([]flow.Option{flow.WithPublicURL("https://ivr.example.com"), flow.WithValueStore(flow.NewMemoryValueStore()),
		flow.WithClock(func() time.Time { return testNow }),
		flow.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))},
		card.FlowOptions()...)
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testToken, steps, rec.finish, append(opts, extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	return f, rec, &logs
}

func place(f *flow.Flow, entries ...string) *flowtest.Call {
	return flowtest.NewCaller(f, testWebhook, testToken).Call(entries...)
}

func TestStepsWholeCall(t *testing.T) {
	def := card.DefaultSentences()
	tests := []struct {
		name       string
		entries    []string
		result     card.Result
		brand      card.Brand
		last4      string
		hears      string // a sentence the caller hears
		wantSealed int
	}{
		{"visa", []string{visa + "#", "1228", "123"}, card.ResultSuccess, card.Visa, "1111", "", 3},
		{"amex four-digit code", []string{amex + "#", "1228", "1234"}, card.ResultSuccess, card.Amex, "0005", def.SecurityCodeAmex, 3},
		{"bad check digit then visa", []string{"4111111111111112#", visa + "#", "1228", "123"},
			card.ResultSuccess, card.Visa, "1111", def.InvalidCardNumber, 3},
		{"brand not accepted", []string{"6011111111111117#", visa + "#", "1228", "123"},
			card.ResultSuccess, card.Visa, "1111", def.InvalidCardType, 3},
		{"amex three-digit code", []string{amex + "#", "1228", "123", "1234"},
			card.ResultSuccess, card.Amex, "0005", def.InvalidSecurityCode, 3},
		{"expired", []string{visa + "#", "0526", "0626", "123"}, card.ResultSuccess, card.Visa, "1111", def.InvalidDate, 3},
		{"no such month", []string{visa + "#", "1326", "0626", "123"}, card.ResultSuccess, card.Visa, "1111", def.InvalidDate, 3},
		{"silence", []string{"", visa + "#", "1228", "123"}, card.ResultSuccess, card.Visa, "1111", def.InputTimeout, 3},
		{"star", []string{visa + "#", "*"}, card.ResultCallerInterruptedWithStar, card.Visa, "1111", "", 1},
		{"star in number", []string{"4111*"}, card.ResultCallerInterruptedWithStar, "", "", "", 0},
		{"hang up", []string{visa + "#", flowtest.HangUp}, card.ResultCallerHungUp, card.Visa, "1111", "", 1},
		{"too many failures", []string{"1#", "1#", "1#"}, card.ResultTooManyFailedAttempts, "", "", def.InvalidCardNumber, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rec, _ := newCardFlow(t, card.Options{})
			call := place(f, tt.entries...)
			if len(rec.results) != 1 {
				t.Fatalf("Finish ran %d times; transcript:\n%s", len(rec.results), call.Transcript())
			}
			got := rec.results[0]
			if got.Result != tt.result || got.Brand != tt.brand || got.Last4 != tt.last4 || len(got.Sealed) != tt.wantSealed {
				t.Errorf("ResultOf = %+v, want %s %s %s with %d sealed\n%s", got, tt.result, tt.brand, tt.last4, tt.wantSealed, call.Transcript())
			}
			if tt.hears != "" && !slices.Contains(call.Said, tt.hears) {
				t.Errorf("caller never heard %q:\n%s", tt.hears, call.Transcript())
			}
		})
	}
}

func TestStepsTooManyFailedAttempts(t *testing.T) {
	f, rec, _ := newCardFlow(t, card.Options{Attempts: 2})
	place(f, visa+"#", "", "")
	if len(rec.results) != 1 {
		t.Fatalf("Finish ran %d times", len(rec.results))
	}
	got := rec.results[0]
	if got.Result != card.ResultTooManyFailedAttempts || got.Step != card.StepExpirationDate || got.ErrorType != card.ErrorInputTimeout {
		t.Errorf("got %+v, want too-many-failed-attempts at expiration-date by input-timeout", got)
	}
}

// TestStepsExpiryEdges checks expiry against the flow's clock at month
// and year ends: a card is good through its month, everywhere on Earth.
func TestStepsExpiryEdges(t *testing.T) {
	tests := []struct {
		name   string
		now    time.Time
		expiry string
		ok     bool
	}{
		{"this month", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "1226", true},
		{"last month", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "1126", false},
		{"year end still valid somewhere", time.Date(2027, 1, 1, 11, 0, 0, 0, time.UTC), "1226", true},
		{"year end over everywhere", time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC), "1226", false},
		{"next year", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), "0127", true},
		{"twenty years ahead", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), "0646", true},
		{"beyond twenty years", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), "0746", false},
		{"month zero", time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), "0027", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := card.Steps(card.Options{Attempts: 1})
			if err != nil {
				t.Fatal(err)
			}
			rec := &captured{}
			f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testToken, steps, rec.finish,
				flow.WithPublicURL("https://ivr.example.com"), flow.WithClock(func() time.Time { return tt.now }),
				flow.WithValueStore(flow.NewMemoryValueStore()),
				flow.WithEveryEnding())
			if err != nil {
				t.Fatal(err)
			}
			place(f, visa+"#", tt.expiry, "123")
			if len(rec.results) != 1 {
				t.Fatalf("Finish ran %d times", len(rec.results))
			}
			if ok := rec.results[0].Result == card.ResultSuccess; ok != tt.ok {
				t.Errorf("expiry %s at %v: result %s, want success %v", tt.expiry, tt.now, rec.results[0].Result, tt.ok)
			}
		})
	}
}

// TestStepsSecurityCodeLength checks the code's length by the revealed
// brand: what the <Gather> asks for and what is accepted.
func TestStepsSecurityCodeLength(t *testing.T) {
	tests := []struct {
		name, number, code string
		numDigits          string
		ok                 bool
	}{
		{"visa 3", visa, "123", `numDigits="3"`, true},
		{"visa 4 is 3 and a stray key", visa, "1234", `numDigits="3"`, true},
		{"mastercard 3", "5555555555554444", "123", `numDigits="3"`, true},
		{"amex 4", amex, "1234", `numDigits="4"`, true},
		{"amex 3", amex, "123", `numDigits="4"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rec, _ := newCardFlow(t, card.Options{Attempts: 1})
			call := place(f, tt.number+"#", "1228", tt.code)
			if n := len(call.Requests); n < 3 || !strings.Contains(string(call.Requests[2].Body), tt.numDigits) {
				t.Fatalf("security code gather does not ask %s:\n%s", tt.numDigits, call.Transcript())
			}
			if ok := len(rec.results) == 1 && rec.results[0].Result == card.ResultSuccess; ok != tt.ok {
				t.Errorf("code %q for %s: success %v, want %v\n%s", tt.code, tt.name, ok, tt.ok, call.Transcript())
			}
		})
	}
}

func TestStepsKeypadOnly(t *testing.T) {
	steps, err := card.Steps(card.Options{PostalCode: true})
	if err != nil {
		t.Fatal(err)
	}
	bank, err := card.BankSteps(card.BankOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(steps, bank...) {
		if s.Input != flow.InputKeys || s.InterruptKey != card.InterruptKey {
			t.Errorf("step %s: input %v, interrupt %q; want keys only and %q", s.Name, s.Input, s.InterruptKey, card.InterruptKey)
		}
	}
}

func TestStepsPostalCode(t *testing.T) {
	f, rec, _ := newCardFlow(t, card.Options{PostalCode: true, MinPostalCodeLen: 5})
	call := place(f, visa+"#", "1228", "123", "123#", "94105#")
	if len(rec.results) != 1 || rec.results[0].Result != card.ResultSuccess || len(rec.results[0].Sealed) != 4 {
		t.Fatalf("results %+v\n%s", rec.results, call.Transcript())
	}
	def := card.DefaultSentences()
	if !slices.Contains(call.Said, def.InvalidPostalCode) || !strings.Contains(def.PostalCode, "letters cannot") {
		t.Errorf("postal code sentences not heard:\n%s", call.Transcript())
	}
}

func TestBankSteps(t *testing.T) {
	steps, err := card.BankSteps(card.BankOptions{MinAccountNumberLen: 4, MaxAccountNumberLen: 12})
	if err != nil {
		t.Fatal(err)
	}
	rec := &captured{}
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testToken, steps, rec.finish,
		append(card.FlowOptions(), flow.WithPublicURL("https://ivr.example.com"))...)
	if err != nil {
		t.Fatal(err)
	}
	def := card.DefaultSentences()
	// 9, then 021000021 (JPMorgan Chase's routing number) after a wrong
	// check digit; an account number too short, then one that fits.
	call := place(f, "9", "2", "021000022", "021000021", "12#", "123456789#")
	if len(rec.results) != 1 {
		t.Fatalf("Finish ran %d times:\n%s", len(rec.results), call.Transcript())
	}
	got := rec.results[0]
	if got.Result != card.ResultSuccess || got.AccountType != card.ConsumerSavings || len(got.Sealed) != 2 {
		t.Errorf("got %+v", got)
	}
	for _, s := range []string{def.InvalidAccountType, def.InvalidBankRoutingNumber, def.InvalidBankAccountNumber} {
		if !slices.Contains(call.Said, s) {
			t.Errorf("caller never heard %q:\n%s", s, call.Transcript())
		}
	}
}

func TestPrompts(t *testing.T) {
	custom := func(s string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: s}} }
	f, _, _ := newCardFlow(t, card.Options{Prompts: []card.Prompt{
		{For: card.StepCardNumber, Verbs: custom("Card, please.")},
		{For: card.StepCardNumber, ErrorType: card.ErrorInvalidCardNumber, Attempt: 2, Verbs: custom("Not that one.")},
		{For: card.StepCardNumber, ErrorType: card.ErrorInvalidCardNumber, Verbs: custom("Still not.")},
		{For: card.StepSecurityCode, CardType: card.Amex, Verbs: custom("Amex code.")},
	}})
	call := place(f, "4111111111111112#", "4111111111111113#", amex+"#", "1228", "1234")
	want := []string{"Card, please.", "Not that one.", "Card, please.", "Still not.", "Card, please.",
		card.DefaultSentences().ExpirationDate, "Amex code."}
	if !slices.Equal(call.Said[:len(want)], want) {
		t.Errorf("said %q, want %q", call.Said, want)
	}
}

func TestOptionsRefused(t *testing.T) {
	empty := card.DefaultSentences()
	empty.InvalidDate = " "
	tests := []struct {
		name string
		err  error
	}{
		{"unknown brand", func() error { _, err := card.Steps(card.Options{Brands: []card.Brand{"unionpay"}}); return err }()},
		{"no brand", func() error { _, err := card.Steps(card.Options{Brands: []card.Brand{}}); return err }()},
		{"postal length", func() error { _, err := card.Steps(card.Options{MinPostalCodeLen: 11}); return err }()},
		{"empty sentence", func() error { _, err := card.Steps(card.Options{Sentences: &empty}); return err }()},
		{"empty prompt", func() error {
			_, err := card.Steps(card.Options{Prompts: []card.Prompt{{For: card.StepCardNumber}}})
			return err
		}()},
		{"account lengths crossed", func() error {
			_, err := card.BankSteps(card.BankOptions{MinAccountNumberLen: 9, MaxAccountNumberLen: 4})
			return err
		}()},
		{"account type", func() error { _, err := card.BankSteps(card.BankOptions{AccountType: "gold"}); return err }()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, card.ErrOptions) || !errors.Is(tt.err, flow.ErrDefinition) {
				t.Errorf("err = %v, want ErrOptions", tt.err)
			}
		})
	}
}

func TestSecurityCodeOffURL(t *testing.T) {
	tests := []struct {
		name   string
		o      card.Options
		offURL []bool // number, expiry, code, postal code
	}{
		{"default", card.Options{PostalCode: true}, []bool{false, false, true, false}},
		{"code in the URL", card.Options{PostalCode: true, SecurityCodeInURL: true}, []bool{false, false, false, false}},
		{"all off the URL", card.Options{PostalCode: true, OffURL: true, SecurityCodeInURL: true}, []bool{true, true, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := card.Steps(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range steps {
				if s.OffURL != tt.offURL[i] {
					t.Errorf("step %s: OffURL %v, want %v", s.Name, s.OffURL, tt.offURL[i])
				}
			}
		})
	}
	steps, _ := card.Steps(card.Options{})
	_, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), testToken, steps, (&captured{}).finish,
		flow.WithPublicURL("https://ivr.example.com"))
	if !errors.Is(err, flow.ErrDefinition) {
		t.Errorf("New without a ValueStore: %v, want ErrDefinition", err)
	}
}
