package tutorial

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// The backend's limit on wrong guesses: after MaxWrongGuesses answers
// that found no account for one key within GuessWindow, the key is
// locked until the window, counted from its first wrong guess, ends.
const (
	MaxWrongGuesses = 5
	GuessWindow     = 15 * time.Minute
)

// maxGuessKeys bounds the keys the limiter remembers. When it is full of
// keys whose window has not ended, a new key is refused: the limiter
// fails closed rather than forget a count.
const maxGuessKeys = 100_000

// guessLimiter counts the attempts made on each key within a window.
//
// The key is the card's last four digits together with the caller's
// number, as the IVR gives it (the "from" field) in a request it signed.
// Keyed on the card alone, a caller could lock out every customer whose
// card ends in the same four digits, five wrong PINs for each of ten
// thousand endings; keyed on the number alone, a caller could try one
// PIN on each card. A caller who changes numbers gets a new count: the
// limit slows guessing to five tries per number per window, and a
// backend with real accounts also limits per account, across numbers,
// in its own database. The number is trusted only when the hand-off is
// signed (BACKEND_SIGNING_SECRET): unsigned, whoever can send values can
// send any number.
//
// Keys are kept as an HMAC with a random per-process key, so the
// limiter's memory holds no card digits. The count lives in one
// process: replicas of the backend each keep their own.
type guessLimiter struct {
	mu      sync.Mutex
	hashKey [32]byte
	max     int
	window  time.Duration
	now     func() time.Time
	entries map[[32]byte]*guessCount
}

type guessCount struct {
	n     int
	start time.Time // when the window began: the key's first attempt
}

func newGuessLimiter(max int, window time.Duration, now func() time.Time) *guessLimiter {
	l := &guessLimiter{max: max, window: window, now: now, entries: make(map[[32]byte]*guessCount)}
	rand.Read(l.hashKey[:])
	return l
}

// key is the limiter's key for a card and a caller's number.
func (l *guessLimiter) key(card []byte, from string) [32]byte {
	m := hmac.New(sha256.New, l.hashKey[:])
	m.Write(card)
	m.Write([]byte{0})
	m.Write([]byte(from))
	return [32]byte(m.Sum(nil))
}

// attempt counts an attempt on k and reports whether it may go ahead:
// false once max attempts have been counted in the window. Counting
// before the answer is known makes concurrent guesses count too.
func (l *guessLimiter) attempt(k [32]byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, ok := l.entries[k]
	if ok && now.Sub(c.start) >= l.window {
		delete(l.entries, k)
		ok = false
	}
	if !ok {
		if len(l.entries) >= maxGuessKeys && !l.prune(now) {
			return false
		}
		c = &guessCount{start: now}
		l.entries[k] = c
	}
	if c.n >= l.max {
		return false
	}
	c.n++
	return true
}

// succeeded forgets k's count: the caller knew the PIN.
func (l *guessLimiter) succeeded(k [32]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, k)
}

// prune drops the keys whose window has ended and reports whether there
// is room for another.
func (l *guessLimiter) prune(now time.Time) bool {
	for k, c := range l.entries {
		if now.Sub(c.start) >= l.window {
			delete(l.entries, k)
		}
	}
	return len(l.entries) < maxGuessKeys
}
