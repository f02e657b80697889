package card

import "errors"

// The errors the checks return, each matched with errors.Is and each the
// cause of one of <Pay>'s error types (ErrorTypeOf). Their text never holds
// the value checked.
var (
	// ErrInvalidNumber reports a card number of the wrong form, check digit
	// or length (invalid-card-number).
	ErrInvalidNumber = errors.New("card: invalid card number")
	// ErrBrandNotAccepted reports a card number of a brand not accepted, or
	// of no known brand (invalid-card-type).
	ErrBrandNotAccepted = errors.New("card: card brand not accepted")
	// ErrInvalidDate reports an expiry date of the wrong form, in the past
	// or too far ahead (invalid-date).
	ErrInvalidDate = errors.New("card: invalid expiry date")
	// ErrInvalidSecurityCode reports a security code of the wrong form or
	// length for the brand (invalid-security-code).
	ErrInvalidSecurityCode = errors.New("card: invalid security code")
	// ErrInvalidPostalCode reports a postal code of the wrong form or length
	// (invalid-postal-code).
	ErrInvalidPostalCode = errors.New("card: invalid postal code")
	// ErrInvalidRoutingNumber reports a routing number of the wrong form,
	// prefix or check digit (invalid-bank-routing-number).
	ErrInvalidRoutingNumber = errors.New("card: invalid bank routing number")
	// ErrInvalidAccountNumber reports a bank account number of the wrong
	// form or length (invalid-bank-account-number).
	ErrInvalidAccountNumber = errors.New("card: invalid bank account number")
)

// ErrorType is one of <Pay>'s error types: why the caller is asked again,
// as <Pay>'s <Prompt errorType="…"> names it.
type ErrorType string

// <Pay>'s error types.
const (
	ErrorInputTimeout             ErrorType = "input-timeout"
	ErrorInvalidCardNumber        ErrorType = "invalid-card-number"
	ErrorInvalidCardType          ErrorType = "invalid-card-type"
	ErrorInvalidDate              ErrorType = "invalid-date"
	ErrorInvalidSecurityCode      ErrorType = "invalid-security-code"
	ErrorInvalidPostalCode        ErrorType = "invalid-postal-code"
	ErrorInvalidBankRoutingNumber ErrorType = "invalid-bank-routing-number"
	ErrorInvalidBankAccountNumber ErrorType = "invalid-bank-account-number"
)

// errorTypes maps each sentinel to its error type.
var errorTypes = []struct {
	err error
	typ ErrorType
}{
	{ErrInvalidNumber, ErrorInvalidCardNumber},
	{ErrBrandNotAccepted, ErrorInvalidCardType},
	{ErrInvalidDate, ErrorInvalidDate},
	{ErrInvalidSecurityCode, ErrorInvalidSecurityCode},
	{ErrInvalidPostalCode, ErrorInvalidPostalCode},
	{ErrInvalidRoutingNumber, ErrorInvalidBankRoutingNumber},
	{ErrInvalidAccountNumber, ErrorInvalidBankAccountNumber},
}

// ErrorTypeOf gives the <Pay> error type of an error from this package's
// checks, looking through wrapping with errors.Is, and "" for nil or any
// other error. A timeout is the engine's to see, not a check's:
// ErrorInputTimeout is never returned.
func ErrorTypeOf(err error) ErrorType {
	if err == nil {
		return ""
	}
	for _, e := range errorTypes {
		if errors.Is(err, e.err) {
			return e.typ
		}
	}
	return ""
}

// Step is one of <Pay>'s capture steps, as its <Prompt for="…"> names it.
type Step string

// <Pay>'s capture steps.
const (
	StepCardNumber        Step = "payment-card-number"
	StepExpirationDate    Step = "expiration-date"
	StepSecurityCode      Step = "security-code"
	StepPostalCode        Step = "postal-code"
	StepBankRoutingNumber Step = "bank-routing-number"
	StepBankAccountNumber Step = "bank-account-number"
)

// Result is how a <Pay> capture ended, as the Result parameter of its
// action callback says.
type Result string

// <Pay>'s results.
const (
	ResultSuccess                   Result = "success"
	ResultTooManyFailedAttempts     Result = "too-many-failed-attempts"
	ResultCallerInterruptedWithStar Result = "caller-interrupted-with-star"
	ResultCallerHungUp              Result = "caller-hung-up"
)
