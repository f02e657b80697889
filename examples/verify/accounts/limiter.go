package accounts

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"
)

// The default guess limit: after DefaultMaxWrong wrong PINs for one
// caller's number and date of birth within DefaultWindow, counted from
// the first, further tries are refused until the window ends.
const (
	DefaultMaxWrong = 3
	DefaultWindow   = 15 * time.Minute
)

// maxLimiterKeys bounds the keys the limiter remembers. When it is full of
// keys whose window has not ended, a new key is refused: the limiter
// fails closed rather than forget a count.
const maxLimiterKeys = 100_000

// limiter counts tries without a match per key within a window.
//
// The key is the date of birth with the caller's number, as the IVR's
// signed request gives it. Keyed on the date alone, a caller could lock
// out everyone born on a day; on the number alone, try one PIN on each
// date. A caller who changes numbers gets a new count; a backend with real
// accounts also limits per account, across numbers, in its database.
//
// Keys are an HMAC under a random per-process key, so the limiter's
// memory holds no date of birth. Each process keeps its own counts.
type limiter struct {
	mu      sync.Mutex
	hashKey [32]byte
	max     int
	window  time.Duration
	now     func() time.Time
	entries map[[32]byte]*wrongCount
}

type wrongCount struct {
	n     int
	start time.Time // the first try: the window's start
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	l := &limiter{max: max, window: window, now: now, entries: make(map[[32]byte]*wrongCount)}
	rand.Read(l.hashKey[:])
	return l
}

// key is the limiter's key for a date of birth and a caller's number.
func (l *limiter) key(dateOfBirth []byte, from string) [32]byte {
	m := hmac.New(sha256.New, l.hashKey[:])
	m.Write(dateOfBirth)
	m.Write([]byte{0})
	m.Write([]byte(from))
	return [32]byte(m.Sum(nil))
}

// attempt counts a try on k and reports whether it may go ahead: false
// once max tries have been counted in the window without a match, or
// when the limiter has no room left for k. Counting before the answer is
// known makes concurrent guesses count too; a match forgets the count.
func (l *limiter) attempt(k [32]byte) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, ok := l.entries[k]
	if ok && now.Sub(c.start) >= l.window {
		delete(l.entries, k)
		ok = false
	}
	if !ok {
		if len(l.entries) >= maxLimiterKeys && !l.prune(now) {
			return false
		}
		c = &wrongCount{start: now}
		l.entries[k] = c
	}
	if c.n >= l.max {
		return false
	}
	c.n++
	return true
}

// matched forgets k's count: the caller knew the PIN.
func (l *limiter) matched(k [32]byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, k)
}

// prune drops the keys whose window has ended and reports whether there
// is room for another.
func (l *limiter) prune(now time.Time) bool {
	for k, c := range l.entries {
		if now.Sub(c.start) >= l.window {
			delete(l.entries, k)
		}
	}
	return len(l.entries) < maxLimiterKeys
}
