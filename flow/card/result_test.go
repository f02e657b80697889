package card_test

import (
	"testing"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/card"
)

func TestResultOf(t *testing.T) {
	tests := []struct {
		name    string
		r       flow.Result
		result  card.Result
		step    card.Step
		errType card.ErrorType
	}{
		{"finished", flow.Result{Outcome: flow.OutcomeFinished, Step: ""}, card.ResultSuccess, "", ""},
		{"gave up on silence", flow.Result{Outcome: flow.OutcomeGaveUp, Step: "expiration-date", Reason: flow.ReasonTimeout},
			card.ResultTooManyFailedAttempts, card.StepExpirationDate, card.ErrorInputTimeout},
		{"gave up on wrong codes", flow.Result{Outcome: flow.OutcomeGaveUp, Step: "security-code", Reason: flow.ReasonRejected},
			card.ResultTooManyFailedAttempts, card.StepSecurityCode, card.ErrorInvalidSecurityCode},
		{"gave up on wrong lengths", flow.Result{Outcome: flow.OutcomeGaveUp, Step: "bank-routing-number", Reason: flow.ReasonInvalid},
			card.ResultTooManyFailedAttempts, card.StepBankRoutingNumber, card.ErrorInvalidBankRoutingNumber},
		{"star", flow.Result{Outcome: flow.OutcomeInterrupted, Step: "payment-card-number"},
			card.ResultCallerInterruptedWithStar, card.StepCardNumber, ""},
		{"hung up", flow.Result{Outcome: flow.OutcomeHungUp, Step: "postal-code"}, card.ResultCallerHungUp, card.StepPostalCode, ""},
		{"another step", flow.Result{Outcome: flow.OutcomeHungUp, Step: "menu"}, card.ResultCallerHungUp, "", ""},
		{"not a <Pay> ending", flow.Result{Outcome: flow.OutcomeDeclined}, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := card.ResultOf(&tt.r)
			if got.Result != tt.result || got.Step != tt.step || got.ErrorType != tt.errType {
				t.Errorf("ResultOf = %s at %q (%q), want %s at %q (%q)", got.Result, got.Step, got.ErrorType, tt.result, tt.step, tt.errType)
			}
		})
	}
}

func TestResultOfValues(t *testing.T) {
	r := &flow.Result{Outcome: flow.OutcomeFinished,
		Facts:  map[string]string{card.FactBrand: "amex", card.FactLast4: "0005", card.FactMasked: "xxxx-xxxxxx-x0005"},
		Plain:  map[string]string{"bank-account-type": "3"},
		Sealed: map[string]string{"payment-card-number": "aa", "security-code": "bb", "other": "cc"}}
	got := card.ResultOf(r)
	if got.Brand != card.Amex || got.Last4 != "0005" || got.MaskedNumber != "xxxx-xxxxxx-x0005" ||
		got.AccountType != card.CommercialChecking || len(got.Sealed) != 2 || got.Sealed[card.StepSecurityCode] != "bb" {
		t.Errorf("ResultOf = %+v", got)
	}
}
