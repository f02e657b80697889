package accounts

import "time"

// The default guess limit (a backend.GuessLimiter keyed on the date of
// birth and the caller's number from the IVR's signed request: keyed on
// the date alone, a caller could lock out everyone born on a day; on the
// number alone, try one PIN on each date): after DefaultMaxWrong wrong
// PINs within DefaultWindow, counted from the first, further tries are
// refused until the window ends.
const (
	DefaultMaxWrong = 3
	DefaultWindow   = 15 * time.Minute
)
