package card

import (
	"fmt"
	"github.com/encgather/encgather/flow"
	"slices"
	"strings"
)

// The lengths of a card number <Pay> takes: ISO/IEC 7812 numbers of 12 to
// 19 digits.
const (
	MinNumberLen = 12
	MaxNumberLen = 19
)

// The reasons CheckNumber gives, each wrapping its sentinel. Made once so
// that checking a number allocates nothing.
var (
	errNumberForm   = fmt.Errorf("%w: not %d to %d digits", ErrInvalidNumber, MinNumberLen, MaxNumberLen)
	errNumberCheck  = fmt.Errorf("%w: check digit does not match", ErrInvalidNumber)
	errNumberLength = fmt.Errorf("%w: wrong length for its brand", ErrInvalidNumber)
	errBrandUnknown = fmt.Errorf("%w: no known brand", ErrBrandNotAccepted)
	errBrandRefused = fmt.Errorf("%w: brand not in the accepted list", ErrBrandNotAccepted)
)

// CheckNumber checks a card number as keyed, digits only, and returns its
// brand. In order, the number must be MinNumberLen to MaxNumberLen digits,
// pass the Luhn check, belong to a known brand (BrandOf), have a length that
// brand issues, and be of a brand in accepted.
//
// A number of the wrong form, check digit or length gives an error
// wrapping ErrInvalidNumber (<Pay>'s invalid-card-number). A well-formed
// number of a brand this package does not know (a UnionPay 62… is
// maestro here, but a UATP 1… is nothing) or of a brand not in accepted
// gives one wrapping ErrBrandNotAccepted (invalid-card-type): the caller
// typed a card correctly and should be told which cards are taken. No
// error quotes the number.
func CheckNumber(number string, accepted []Brand) (Brand, error) {
	if len(number) < MinNumberLen || len(number) > MaxNumberLen || !allDigits(number) {
		return "", errNumberForm
	}
	if flow.Luhn(number) != nil {
		return "", errNumberCheck
	}
	b, ok := BrandOf(number)
	if !ok {
		return "", errBrandUnknown
	}
	if !b.issues(len(number)) {
		return "", errNumberLength
	}
	if !slices.Contains(accepted, b) {
		return "", errBrandRefused
	}
	return b, nil
}

// Last4 returns the last four digits of a card number of MinNumberLen to
// MaxNumberLen digits, and "" for anything else, so that it never shows
// the greater part of something too short to be a card.
func Last4(number string) string {
	if !cardShaped(number) {
		return ""
	}
	return number[len(number)-4:]
}

// Mask writes a card number as <Pay> reports it: every digit an x but the
// last four, in the groups cards of its length are printed in, as in
// xxxx-xxxxxx-x0005 for an Amex and xxxx-xxxx-xxxx-4242 for a Visa. PCI DSS allows at most the
// first six and the last four digits of a card number to be shown; Mask
// shows the last four only, as <Pay> does. Anything but MinNumberLen to
// MaxNumberLen digits gives "", so Mask never shows digits of an input it
// cannot place.
func Mask(number string) string {
	if !cardShaped(number) {
		return ""
	}
	groups := printGroups(number)
	var sb strings.Builder
	sb.Grow(len(number) + len(groups))
	i := 0
	for g, n := range groups {
		if g > 0 {
			sb.WriteByte('-')
		}
		for end := i + n; i < end; i++ {
			if i < len(number)-4 {
				sb.WriteByte('x')
			} else {
				sb.WriteByte(number[i])
			}
		}
	}
	return sb.String()
}

// printGroups gives the digit groups a card of number's length is printed
// in: 4-6-5 for 15 digits (Amex, enRoute), 4-6-4 for 14 (Diners),
// fours otherwise with the rest in the last group.
func printGroups(number string) []int {
	switch len(number) {
	case 15:
		return []int{4, 6, 5}
	case 14:
		return []int{4, 6, 4}
	}
	var groups []int
	for n := len(number); n > 0; n -= 4 {
		groups = append(groups, min(n, 4))
	}
	return groups
}

// cardShaped reports whether s is MinNumberLen to MaxNumberLen digits.
func cardShaped(s string) bool {
	return len(s) >= MinNumberLen && len(s) <= MaxNumberLen && allDigits(s)
}
