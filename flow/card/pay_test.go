package card

import (
	"errors"
	"fmt"
	"io"
	"testing"
	"time"
)

func TestErrorTypeOf(t *testing.T) {
	_, numberErr := CheckNumber("4242424242424241", Brands())
	_, typeErr := CheckNumber("378282246310005", DefaultBrands()[:1])
	tests := []struct {
		name string
		err  error
		want ErrorType
	}{
		{"card number", numberErr, "invalid-card-number"},
		{"card type", typeErr, "invalid-card-type"},
		{"date", CheckExpiry("1399", time.Now()), "invalid-date"},
		{"security code", CheckSecurityCode("123", Amex), "invalid-security-code"},
		{"postal code", CheckPostalCode("9410", 5), "invalid-postal-code"},
		{"routing number", CheckRoutingNumber("011000016"), "invalid-bank-routing-number"},
		{"account number", CheckAccountNumber("12", 4, 17), "invalid-bank-account-number"},
		{"wrapped again", fmt.Errorf("step: %w", CheckSecurityCode("1", Visa)), "invalid-security-code"},
		{"each sentinel", ErrInvalidNumber, "invalid-card-number"},
		{"nil", nil, ""},
		{"another error", io.EOF, ""},
		{"brand list is no <Pay> error", ErrBrandList, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorTypeOf(tt.err); got != tt.want {
				t.Errorf("ErrorTypeOf(%v) = %q; want %q", tt.err, got, tt.want)
			}
		})
	}
}

// TestSentinelsDistinct checks that no sentinel matches another, so
// ErrorTypeOf's answer does not hang on the order of its table.
func TestSentinelsDistinct(t *testing.T) {
	for i, a := range errorTypes {
		for j, b := range errorTypes {
			if i != j && (errors.Is(a.err, b.err) || a.typ == b.typ) {
				t.Errorf("%v and %v are not distinct", a.err, b.err)
			}
		}
	}
}

// TestPayVocabulary pins the spelling of <Pay>'s names.
func TestPayVocabulary(t *testing.T) {
	got := []string{
		string(ErrorInputTimeout), string(ErrorInvalidCardNumber), string(ErrorInvalidCardType),
		string(ErrorInvalidDate), string(ErrorInvalidSecurityCode), string(ErrorInvalidPostalCode),
		string(ErrorInvalidBankRoutingNumber), string(ErrorInvalidBankAccountNumber),
		string(StepCardNumber), string(StepExpirationDate), string(StepSecurityCode),
		string(StepPostalCode), string(StepBankRoutingNumber), string(StepBankAccountNumber),
		string(ResultSuccess), string(ResultTooManyFailedAttempts),
		string(ResultCallerInterruptedWithStar), string(ResultCallerHungUp),
	}
	want := []string{
		"input-timeout", "invalid-card-number", "invalid-card-type",
		"invalid-date", "invalid-security-code", "invalid-postal-code",
		"invalid-bank-routing-number", "invalid-bank-account-number",
		"payment-card-number", "expiration-date", "security-code",
		"postal-code", "bank-routing-number", "bank-account-number",
		"success", "too-many-failed-attempts",
		"caller-interrupted-with-star", "caller-hung-up",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%q; want %q", got[i], want[i])
		}
	}
}
