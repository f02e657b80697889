package tutorial

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
)

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestGuessLimiter(t *testing.T) {
	type step struct {
		card, from string
		after      time.Duration // the clock moves on by this first
		succeed    bool          // the attempt, if allowed, is right
		allowed    bool
	}
	wrong := func(card, from string, allowed bool) step { return step{card: card, from: from, allowed: allowed} }
	five := []step{wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true)}
	tests := []struct {
		name  string
		steps []step
	}{
		{"five wrong, then locked", append(five, wrong("1234", "+1", false), step{card: "1234", from: "+1", succeed: true, allowed: false})},
		{"another number is not locked", append(five, wrong("1234", "+2", true))},
		{"another card is not locked", append(five, wrong("9999", "+1", true))},
		{"unlocked when the window ends", append(five, wrong("1234", "+1", false), step{card: "1234", from: "+1", after: GuessWindow, allowed: true})},
		{"still locked just before", append(five, step{card: "1234", from: "+1", after: GuessWindow - time.Second, allowed: false})},
		{"a right answer resets the count", append(five[:4], step{card: "1234", from: "+1", succeed: true, allowed: true},
			wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true),
			wrong("1234", "+1", false))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Unix(1_800_000_000, 0)}
			l := newGuessLimiter(MaxWrongGuesses, GuessWindow, c.now)
			for i, s := range tt.steps {
				c.t = c.t.Add(s.after)
				k := l.key([]byte(s.card), s.from)
				if got := l.attempt(k); got != s.allowed {
					t.Fatalf("attempt %d (%s, %s): allowed %v, want %v", i+1, s.card, s.from, got, s.allowed)
				}
				if s.allowed && s.succeed {
					l.succeeded(k)
				}
			}
		})
	}
}

// TestGuessLimiterFull: a limiter full of live keys refuses a new key
// rather than forget a count, and makes room once windows end.
func TestGuessLimiterFull(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	l := newGuessLimiter(MaxWrongGuesses, GuessWindow, c.now)
	for i := range maxGuessKeys {
		var k [32]byte
		k[0], k[1], k[2] = byte(i), byte(i>>8), byte(i>>16)
		if !l.attempt(k) {
			t.Fatalf("key %d refused", i)
		}
	}
	fresh := l.key([]byte(KnownCard), "+1")
	if l.attempt(fresh) {
		t.Fatal("a full limiter took a new key")
	}
	c.t = c.t.Add(GuessWindow)
	if !l.attempt(fresh) {
		t.Fatal("no room once every window ended")
	}
}

// TestBackendLimitsGuesses: after five wrong PINs for a card from one
// number, decrypt-gather answers 429 without comparing, even to the
// right PIN; a caller from another number with a card of the same last
// four digits is not locked out.
func TestBackendLimitsGuesses(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	h := Backend(c)
	body := func(pin, from string) string {
		b, _ := json.Marshal(map[string]string{
			CardField: c.Seal([]byte(KnownCard), nil), PinField: c.Seal([]byte(pin), nil), "from": from,
		})
		return string(b)
	}
	const attacker, customer = "+15005550006", "+15005550009"
	tests := []struct {
		name     string
		pin      string
		from     string
		wantCode int
	}{
		{"wrong 1", "0001", attacker, http.StatusNotFound},
		{"wrong 2", "0002", attacker, http.StatusNotFound},
		{"wrong 3", "0003", attacker, http.StatusNotFound},
		{"wrong 4", "0004", attacker, http.StatusNotFound},
		{"wrong 5", "0005", attacker, http.StatusNotFound},
		{"wrong 6 locked", "0006", attacker, http.StatusTooManyRequests},
		{"right PIN locked too", KnownPin, attacker, http.StatusTooManyRequests},
		{"the customer is not locked out", KnownPin, customer, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, answer := post(h, body(tt.pin, tt.from))
			if code != tt.wantCode {
				t.Fatalf("status %d (%s), want %d", code, answer, tt.wantCode)
			}
			if code == http.StatusTooManyRequests && answer != TooManyGuesses {
				t.Errorf("answer %q", answer)
			}
		})
	}
}
