package flow

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/twiml"
)

// claimTTL is the claim a flow makes for a token of its first step, as
// consume computes it: the step's token life plus clockSkew.
func claimTTL(t testing.TB, f *Flow) time.Duration {
	t.Helper()
	s := &f.steps[0]
	return f.tokenLife(s, s.Prompt, s.Digits) + clockSkew
}

// TestMemoryStoreFlood floods a flow's default memory store with distinct
// calls for a full minute of its clock, at the fastest rate one replica
// reaches on a 2-core machine (8,000 requests a second) and at the attack
// rate a review measured (80 robocalls, about 52 claims a second): every
// request claims and saves an answer, and no claim is refused for room.
// The claims live as long as the tutorial's tokens do; answers only for
// the retry window. With the old store (50,000 entries, every claim kept
// 16 minutes) the 8,000-a-second flood filled it in about 6 seconds.
func TestMemoryStoreFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("a million claims")
	}
	fx := newFixture(t)
	ttl := claimTTL(t, fx.flow)
	if ttl > 2*time.Minute {
		t.Fatalf("the tutorial's claim lasts %v; the default store is sized for about 105 s", ttl)
	}
	record := make([]byte, 100) // the answer's size does not change the count
	for _, rate := range []int{8000, 52} {
		m, clock := newTestMemoryStore(t, DefaultMemoryStoreEntries)
		every := time.Second / time.Duration(rate)
		n := rate * 60
		for i := range n {
			id := testID(uint64(i))
			claimed, _, err := m.Claim(t.Context(), id, ttl)
			if err != nil || !claimed {
				t.Fatalf("rate %d/s: claim %d at %v: %v, %v", rate, i, time.Duration(i)*every, claimed, err)
			}
			if err := m.Save(t.Context(), id, record, DefaultRetryWindow); err != nil {
				t.Fatalf("rate %d/s: save %d: %v", rate, i, err)
			}
			clock.advance(every)
		}
		if got, kept := m.Len(), len(m.kept)-m.head; got != n || kept > rate*int(DefaultRetryWindow/time.Second)+1 {
			t.Errorf("rate %d/s: %d claims and %d answers held after a minute; want %d and at most the window's", rate, got, kept, n)
		}
	}
}

// BenchmarkMemoryStoreFootprint measures what a claim costs the heap,
// bare and with an answer saved for the retry window, as the
// MemoryStore's doc quotes it: B/claim.
func BenchmarkMemoryStoreFootprint(b *testing.B) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil }
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, tutorialSteps(), finish, WithPublicURL(testPublicURL))
	if err != nil {
		b.Fatal(err)
	}
	ttl := claimTTL(b, f)
	const claims = 200_000
	for _, saved := range []int{0, 1000} {
		b.Run(map[int]string{0: "bare", 1000: "with 1KB answer"}[saved], func(b *testing.B) {
			record := make([]byte, saved)
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				m, clock := newTestMemoryStore(b, claims)
				for i := range claims {
					id := testID(uint64(i))
					if _, _, err := m.Claim(context.Background(), id, ttl); err != nil {
						b.Fatal(err)
					}
					if saved > 0 {
						if err := m.Save(context.Background(), id, record, time.Hour); err != nil {
							b.Fatal(err)
						}
					}
					clock.advance(time.Microsecond)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/claims, "B/claim")
				runtime.KeepAlive(m)
			}
		})
	}
}
