package card

import "fmt"

// RoutingNumberLen is the length of an ABA routing transit number.
const RoutingNumberLen = 9

// MaxAccountNumberLen is the longest bank account number: the 17
// characters of the DFI account number field in a NACHA ACH entry.
const MaxAccountNumberLen = 17

// The reasons the bank checks give, each wrapping its sentinel.
var (
	errRoutingForm   = fmt.Errorf("%w: not %d digits", ErrInvalidRoutingNumber, RoutingNumberLen)
	errRoutingPrefix = fmt.Errorf("%w: no such Federal Reserve prefix", ErrInvalidRoutingNumber)
	errRoutingCheck  = fmt.Errorf("%w: check digit does not match", ErrInvalidRoutingNumber)
	errAccountForm   = fmt.Errorf("%w: not digits", ErrInvalidAccountNumber)
	errAccountLength = fmt.Errorf("%w: wrong length", ErrInvalidAccountNumber)
)

// CheckRoutingNumber checks a US bank's ABA routing transit number as
// keyed: nine digits whose first two name a Federal Reserve routing
// symbol an ACH debit can be drawn on (01–12, a Federal Reserve district;
// 21–32, a thrift in one; 61–72, an electronic-only number in one), and
// whose weighted sum 3·d1 + 7·d2 + d3 + 3·d4 + 7·d5 + d6 + 3·d7 + 7·d8 + d9
// is a multiple of 10. The prefixes 00 (the US Government) and 80
// (traveler's checks) are not a caller's bank account, and 000000000
// passes the checksum alone. See
// https://en.wikipedia.org/wiki/ABA_routing_transit_number. A failure
// wraps ErrInvalidRoutingNumber (<Pay>'s invalid-bank-routing-number).
func CheckRoutingNumber(aba string) error {
	if len(aba) != RoutingNumberLen || !allDigits(aba) {
		return errRoutingForm
	}
	switch p := leading(aba, 2); {
	case p >= 1 && p <= 12, p >= 21 && p <= 32, p >= 61 && p <= 72:
	default:
		return errRoutingPrefix
	}
	weights := [RoutingNumberLen]int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i, w := range weights {
		sum += w * int(aba[i]-'0')
	}
	if sum%10 != 0 {
		return errRoutingCheck
	}
	return nil
}

// CheckAccountNumber checks a bank account number as keyed: digits only,
// from minLen to maxLen of them. US account numbers have no common length
// or check digit, so the bounds are the bank's or the service's to set;
// they are held to 1..MaxAccountNumberLen, and bounds that cross after
// that take nothing. A failure wraps ErrInvalidAccountNumber (<Pay>'s
// invalid-bank-account-number).
func CheckAccountNumber(digits string, minLen, maxLen int) error {
	minLen = max(minLen, 1)
	maxLen = min(maxLen, MaxAccountNumberLen)
	if len(digits) == 0 || !allDigits(digits) {
		return errAccountForm
	}
	if len(digits) < minLen || len(digits) > maxLen {
		return errAccountLength
	}
	return nil
}
