package card

import "fmt"

// MaxPostalCodeLen is the longest postal code CheckPostalCode takes: ten
// digits, room for a US ZIP+4 keyed without its hyphen (nine) and the
// all-digit codes of other countries.
const MaxPostalCodeLen = 10

// The reasons the code checks give, each wrapping its sentinel.
var (
	errCodeForm    = fmt.Errorf("%w: not digits", ErrInvalidSecurityCode)
	errCodeLength  = fmt.Errorf("%w: wrong length for the brand", ErrInvalidSecurityCode)
	errPostalForm  = fmt.Errorf("%w: not digits", ErrInvalidPostalCode)
	errPostalShort = fmt.Errorf("%w: too short", ErrInvalidPostalCode)
	errPostalLong  = fmt.Errorf("%w: too long", ErrInvalidPostalCode)
)

// SecurityCodeLen is the length of b's security code: 4 for amex (the
// four-digit CID printed on the front), 3 for every other brand (CVV2,
// CVC2 and the like, on the back).
func SecurityCodeLen(b Brand) int {
	if b == Amex {
		return 4
	}
	return 3
}

// CheckSecurityCode checks a security code as keyed for a card of brand b:
// digits only, SecurityCodeLen(b) of them, so an Amex code of three digits
// fails. A failure wraps ErrInvalidSecurityCode (<Pay>'s
// invalid-security-code). The code itself is never in the error.
func CheckSecurityCode(code string, b Brand) error {
	if len(code) == 0 || !allDigits(code) {
		return errCodeForm
	}
	if len(code) != SecurityCodeLen(b) {
		return errCodeLength
	}
	return nil
}

// CheckPostalCode checks a postal code as keyed: digits only, at least
// minLen of them (as <Pay>'s minPostalCodeLength; below 1 counts as 1)
// and at most MaxPostalCodeLen. A failure wraps ErrInvalidPostalCode
// (<Pay>'s invalid-postal-code).
//
// A keypad types digits only. A postal code with letters, as in the United
// Kingdom (SW1A 1AA) or Canada (K1A 0B1), cannot be keyed: it needs speech
// input, or the step is skipped and the processor does without it.
func CheckPostalCode(code string, minLen int) error {
	minLen = max(minLen, 1)
	switch {
	case !allDigits(code):
		return errPostalForm
	case len(code) < minLen:
		return errPostalShort
	case len(code) > MaxPostalCodeLen:
		return errPostalLong
	}
	return nil
}
