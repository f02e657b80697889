package backend

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	"github.com/encgather/encgather/flow"
)

// DefaultMaxGuessKeys bounds the keys a GuessLimiter remembers. When it is
// full of keys whose window has not ended, a new key is refused: the
// limiter fails closed rather than forget a count.
const DefaultMaxGuessKeys = 100_000

// GuessLimiter counts, per key, a backend's tries without a match within
// a window, so that a caller cannot try every PIN: a signature proves a
// request came from the IVR, not that its caller is patient only within
// reason.
//
// Choose the key so that one caller cannot lock out others: a card's last
// four digits alone would let a caller lock out every customer whose card
// ends alike; a caller's number alone would let a caller try one PIN on
// every card. The examples key on the secret part a caller claims (the
// last four, a date of birth) together with the caller's number from the
// IVR's signed hand-off (Result.From): a caller who changes numbers gets a
// new count, so a backend with real accounts also limits per account,
// across numbers, in its own database.
//
// Keys are kept as an HMAC under a random key of the limiter's own, so its
// memory holds no digits. The counts live in one process: replicas of a
// backend each keep their own. It is safe for concurrent use.
type GuessLimiter struct {
	mu      sync.Mutex
	hashKey [32]byte
	max     int
	window  time.Duration
	keys    int
	now     func() time.Time
	entries map[GuessKey]*guessCount
}

// GuessKey names what a GuessLimiter counts tries on: an HMAC of the
// parts Key was given.
type GuessKey [sha256.Size]byte

type guessCount struct {
	n     int
	start time.Time // the window's start: the key's first try
}

// NewGuessLimiter returns a limiter that allows max tries without a match
// per key within window, counted from the key's first try; now is its
// clock (nil means time.Now).
func NewGuessLimiter(max int, window time.Duration, now func() time.Time) (*GuessLimiter, error) {
	if max < 1 || window <= 0 {
		return nil, fmt.Errorf("%w: a guess limit needs at least one try and a positive window", flow.ErrDefinition)
	}
	if now == nil {
		now = time.Now
	}
	l := &GuessLimiter{max: max, window: window, keys: DefaultMaxGuessKeys, now: now, entries: make(map[GuessKey]*guessCount)}
	rand.Read(l.hashKey[:])
	return l, nil
}

// Key returns the key for parts, such as a card's last four digits and
// the caller's number. Each part is length-prefixed, so no two lists of
// parts share a key.
func (l *GuessLimiter) Key(parts ...[]byte) GuessKey {
	m := hmac.New(sha256.New, l.hashKey[:])
	var n [binary.MaxVarintLen64]byte
	for _, p := range parts {
		m.Write(n[:binary.PutUvarint(n[:], uint64(len(p)))])
		m.Write(p)
	}
	return GuessKey(m.Sum(nil))
}

// Attempt counts a try on k and reports whether it may go ahead: false
// once max tries have been counted in k's window, or when the limiter has
// no room left for a new key. Counting before the answer is known makes
// concurrent guesses count too; Matched forgets the count.
func (l *GuessLimiter) Attempt(k GuessKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	c, ok := l.entries[k]
	if ok && now.Sub(c.start) >= l.window {
		delete(l.entries, k)
		ok = false
	}
	if !ok {
		if len(l.entries) >= l.keys && !l.prune(now) {
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

// Matched forgets k's count: the caller knew the answer.
func (l *GuessLimiter) Matched(k GuessKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.entries, k)
}

// prune drops the keys whose window has ended and reports whether there
// is room for another.
func (l *GuessLimiter) prune(now time.Time) bool {
	for k, c := range l.entries {
		if now.Sub(c.start) >= l.window {
			delete(l.entries, k)
		}
	}
	return len(l.entries) < l.keys
}
