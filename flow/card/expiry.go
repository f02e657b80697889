package card

import (
	"fmt"
	"time"
)

// MaxExpiryAhead is how far ahead an expiry date may lie: 20 years, in
// months, from the current month. Cards are issued for a few years (five
// is common, ten is rare); a date further ahead is a mistyped year.
const MaxExpiryAhead = 20 * 12

// lastTimeZone is the offset of the last time zone on Earth to leave a
// month, UTC−12 ("Anywhere on Earth").
const lastTimeZone = -12 * time.Hour

// The reasons CheckExpiry gives, each wrapping ErrInvalidDate.
var (
	errDateForm  = fmt.Errorf("%w: not MMYY", ErrInvalidDate)
	errDateMonth = fmt.Errorf("%w: no such month", ErrInvalidDate)
	errDatePast  = fmt.Errorf("%w: in the past", ErrInvalidDate)
	errDateAhead = fmt.Errorf("%w: too far ahead", ErrInvalidDate)
)

// CheckExpiry checks a card's expiry date as keyed: MMYY, four digits, a
// month 01 to 12, not in the past and no more than MaxExpiryAhead months
// ahead of now. A failure wraps ErrInvalidDate (<Pay>'s invalid-date).
//
// A card is valid through the last day of its month. Which day that is
// depends on where one stands, and the caller may be anywhere: CheckExpiry
// takes a card as expired only once its month has ended everywhere on
// Earth, in UTC−12, so a card still valid where its holder is calling from
// is not refused. (The card's issuer decides in the end; CheckExpiry only
// catches dates no issuer would take.) A card expiring in December 2026 is
// accepted until 2027-01-01 12:00 UTC.
//
// The two-digit year is read as the year with those last two digits
// nearest to now's year, so that 05 means 2105 in 2090, not 2005.
func CheckExpiry(mmyy string, now time.Time) error {
	if len(mmyy) != 4 || !allDigits(mmyy) {
		return errDateForm
	}
	month := leading(mmyy, 2)
	if month < 1 || month > 12 {
		return errDateMonth
	}
	last := now.UTC().Add(lastTimeZone)
	year := nearestYear(leading(mmyy[2:], 2), last.Year())
	ahead := (year*12 + month - 1) - (last.Year()*12 + int(last.Month()) - 1)
	switch {
	case ahead < 0:
		return errDatePast
	case ahead > MaxExpiryAhead:
		return errDateAhead
	}
	return nil
}

// nearestYear returns the year ending in the two digits yy that lies
// nearest to now.
func nearestYear(yy, now int) int {
	year := now - now%100 + yy
	switch {
	case year < now-50:
		year += 100
	case year > now+50:
		year -= 100
	}
	return year
}
