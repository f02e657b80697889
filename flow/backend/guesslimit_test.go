package backend

import (
	"errors"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
)

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestGuessLimiter(t *testing.T) {
	const window = 15 * time.Minute
	type step struct {
		card, from string
		after      time.Duration // the clock moves on by this first
		match      bool          // the attempt, if allowed, is right
		allowed    bool
	}
	wrong := func(card, from string, allowed bool) step { return step{card: card, from: from, allowed: allowed} }
	five := []step{wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true)}
	tests := []struct {
		name  string
		steps []step
	}{
		{"five wrong, then locked", append(five, wrong("1234", "+1", false), step{card: "1234", from: "+1", match: true, allowed: false})},
		{"another number is not locked", append(five, wrong("1234", "+2", true))},
		{"another card is not locked", append(five, wrong("9999", "+1", true))},
		{"parts do not run together", append(five, wrong("123", "4+1", true))},
		{"unlocked when the window ends", append(five, wrong("1234", "+1", false), step{card: "1234", from: "+1", after: window, allowed: true})},
		{"still locked just before", append(five, step{card: "1234", from: "+1", after: window - time.Second, allowed: false})},
		{"a match resets the count", append(five[:4], step{card: "1234", from: "+1", match: true, allowed: true},
			wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true), wrong("1234", "+1", true),
			wrong("1234", "+1", false))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{t: time.Unix(1_800_000_000, 0)}
			l, err := NewGuessLimiter(5, window, c.now)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				c.t = c.t.Add(s.after)
				k := l.Key([]byte(s.card), []byte(s.from))
				if got := l.Attempt(k); got != s.allowed {
					t.Fatalf("attempt %d (%s, %s): allowed %v, want %v", i+1, s.card, s.from, got, s.allowed)
				}
				if s.allowed && s.match {
					l.Matched(k)
				}
			}
		})
	}
}

// TestGuessLimiterFull: a limiter full of live keys refuses a new key
// rather than forget a count, and makes room once windows end.
func TestGuessLimiterFull(t *testing.T) {
	c := &clock{t: time.Unix(1_800_000_000, 0)}
	l, err := NewGuessLimiter(5, time.Minute, c.now)
	if err != nil {
		t.Fatal(err)
	}
	l.keys = 1000
	for i := range l.keys {
		if !l.Attempt(l.Key([]byte{byte(i), byte(i >> 8)})) {
			t.Fatalf("key %d refused", i)
		}
	}
	fresh := l.Key([]byte("1234"), []byte("+1"))
	if l.Attempt(fresh) {
		t.Fatal("a full limiter took a new key")
	}
	c.t = c.t.Add(time.Minute)
	if !l.Attempt(fresh) {
		t.Fatal("no room once every window ended")
	}
	if _, err := NewGuessLimiter(0, time.Minute, nil); !errors.Is(err, flow.ErrDefinition) {
		t.Errorf("no tries allowed: %v, want ErrDefinition", err)
	}
}
