package card

import "github.com/encgather/encgather/flow"

// Capture is a flow.Result read as <Pay>'s action callback reads: how the
// capture ended in <Pay>'s words, what may be shown of the card in the
// clear, and the sealed values for the backend that tokenizes them.
type Capture struct {
	// Result is how the capture ended: ResultSuccess,
	// ResultTooManyFailedAttempts, ResultCallerInterruptedWithStar or
	// ResultCallerHungUp; "" for an ending of the flow that is none of
	// these (one a Finish is not handed).
	Result Result
	// Step is the step the capture ended at, unless it succeeded (<Pay>'s
	// PaymentError step); "" when it is none of this package's.
	Step Step
	// ErrorType says why the last attempt of Step failed, for
	// ResultTooManyFailedAttempts: ErrorInputTimeout, or the step's own
	// invalid-… type (a card of a brand not accepted reads as
	// invalid-card-number here: the flow keeps the kind of error, not
	// the error).
	ErrorType ErrorType

	// Brand, Last4 and MaskedNumber are what the card number step
	// revealed, in the clear; "" when the call did not get that far.
	Brand        Brand
	Last4        string
	MaskedNumber string
	// AccountType is the bank account's type the menu gave, if asked.
	AccountType AccountType

	// Sealed holds the sealed values by step, hex-encoded as in
	// flow.Result.Sealed: the card number, expiry, security code, postal
	// code, routing and account numbers the call gathered. Only the
	// backend opens them.
	Sealed map[Step]string
}

// ResultOf reads r, a flow's Result, as a Capture. Values of steps other
// than this package's are left out.
func ResultOf(r *flow.Result) Capture {
	c := Capture{Result: resultOf(r.Outcome), Sealed: make(map[Step]string)}
	if c.Result != ResultSuccess {
		c.Step = ourStep(r.Step)
	}
	if c.Result == ResultTooManyFailedAttempts {
		c.ErrorType = errorTypeOf(c.Step, r.Reason)
	}
	c.Brand = Brand(r.Facts[FactBrand])
	c.Last4, c.MaskedNumber = r.Facts[FactLast4], r.Facts[FactMasked]
	if k, ok := r.Plain[string(StepBankAccountType)]; ok && len(k) == 1 && k >= "1" && k <= "4" {
		c.AccountType = accountTypes[k[0]-'1']
	}
	for _, s := range sealedSteps {
		if v, ok := r.Sealed[string(s)]; ok {
			c.Sealed[s] = v
		}
	}
	return c
}

var sealedSteps = [...]Step{StepCardNumber, StepExpirationDate, StepSecurityCode, StepPostalCode,
	StepBankRoutingNumber, StepBankAccountNumber}

// resultOf maps a flow's outcome to <Pay>'s result.
func resultOf(o flow.Outcome) Result {
	switch o {
	case flow.OutcomeFinished:
		return ResultSuccess
	case flow.OutcomeGaveUp:
		return ResultTooManyFailedAttempts
	case flow.OutcomeInterrupted:
		return ResultCallerInterruptedWithStar
	case flow.OutcomeHungUp:
		return ResultCallerHungUp
	}
	return ""
}

// ourStep returns name as one of this package's steps, or "".
func ourStep(name string) Step {
	for _, s := range sealedSteps {
		if string(s) == name {
			return s
		}
	}
	if name == string(StepBankAccountType) {
		return StepBankAccountType
	}
	return ""
}

// stepErrors are the error types of a wrong entry at each step.
var stepErrors = map[Step]ErrorType{
	StepCardNumber:        ErrorInvalidCardNumber,
	StepExpirationDate:    ErrorInvalidDate,
	StepSecurityCode:      ErrorInvalidSecurityCode,
	StepPostalCode:        ErrorInvalidPostalCode,
	StepBankRoutingNumber: ErrorInvalidBankRoutingNumber,
	StepBankAccountNumber: ErrorInvalidBankAccountNumber,
}

// errorTypeOf is the error type of a step that gave up for reason.
func errorTypeOf(s Step, reason flow.Reason) ErrorType {
	if reason == flow.ReasonTimeout {
		return ErrorInputTimeout
	}
	return stepErrors[s]
}
