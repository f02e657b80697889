package tutorial

import "time"

// The backend's limit on wrong guesses: after MaxWrongGuesses answers
// that found no account for one key within GuessWindow, the key is
// locked until the window, counted from its first wrong guess, ends.
const (
	MaxWrongGuesses = 5
	GuessWindow     = 15 * time.Minute
)
