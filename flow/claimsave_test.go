package flow

import (
	"bytes"
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
)

// countingStore is a MemoryStore, a ClaimSaver, that counts each kind of
// call and those made on the wrong side of the answer's write, and can
// hold one ClaimSave call until released.
type countingStore struct {
	*MemoryStore
	written                  *atomic.Bool
	claims, saves, claimSave atomic.Int32
	late                     atomic.Int32  // Claim and ClaimSave calls made after the answer was written
	early                    atomic.Int32  // Save calls made before it was
	holdAt                   atomic.Int32  // the ClaimSave call to hold, counting from 1; 0 for none
	holding                  chan struct{} // the held call has come
	release                  chan struct{} // lets it through
}

func (s *countingStore) Claim(ctx context.Context, id TokenID, ttl time.Duration) (bool, []byte, error) {
	s.claims.Add(1)
	if s.written != nil && s.written.Load() {
		s.late.Add(1)
	}
	return s.MemoryStore.Claim(ctx, id, ttl)
}

func (s *countingStore) Save(ctx context.Context, id TokenID, record []byte, keep time.Duration) error {
	s.saves.Add(1)
	if s.written != nil && !s.written.Load() {
		s.early.Add(1)
	}
	return s.MemoryStore.Save(ctx, id, record, keep)
}

func (s *countingStore) ClaimSave(ctx context.Context, id TokenID, ttl time.Duration, record []byte, keep time.Duration) (bool, []byte, error) {
	if n := s.claimSave.Add(1); n == s.holdAt.Load() {
		close(s.holding)
		<-s.release
	}
	if s.written != nil && s.written.Load() {
		s.late.Add(1)
	}
	return s.MemoryStore.ClaimSave(ctx, id, ttl, record, keep)
}

// TestOneRoundTripPerStep runs the tutorial's call on a ClaimSaver: the
// entry and the account step, which change nothing outside their
// requests, ask the store once each, claiming and saving together before
// the answer is written; the PIN step claims before Finish runs and
// saves after its answer is written. Each request retried gets its first
// answer byte for byte, and the backend runs once.
func TestOneRoundTripPerStep(t *testing.T) {
	fx := newFixture(t)
	mem, err := NewMemoryStore(100)
	if err != nil {
		t.Fatal(err)
	}
	var written atomic.Bool
	store := &countingStore{MemoryStore: mem, written: &written}
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store))
	call := fx.caller(watchWrites(f, &written)).Call("1234", "4321")
	if call.LastSaid() != saySuccess {
		t.Fatalf("call failed:\n%s", call.Transcript())
	}
	got := [3]int32{store.claimSave.Load(), store.claims.Load(), store.saves.Load()}
	if want := [3]int32{2, 1, 1}; got != want {
		t.Errorf("ClaimSave, Claim, Save calls = %v, want %v", got, want)
	}
	if store.late.Load() != 0 || store.early.Load() != 0 {
		t.Errorf("%d claims after the answer was written, %d saves before; want none", store.late.Load(), store.early.Load())
	}
	written.Store(false)
	for i, r := range call.Requests {
		if rec := resend(f, r, nil); !bytes.Equal(rec.Body.Bytes(), r.Body) {
			t.Errorf("retry of request %d got %s, want the first answer %s", i, rec.Body, r.Body)
		}
	}
	if n := fx.backendHits(); n != 1 {
		t.Errorf("backend called %d times, want 1", n)
	}
}

// TestClaimRace sends a step's request and, while the first one's claim
// is held on its way to the store, a second: the same request (Twilio's
// retry) or one with other digits (a replay). The second claims first,
// so its answer is the token's; the first gets that answer byte for byte
// when it is the same request, and the apology when it is not. Only one
// of them is logged as gathered.
func TestClaimRace(t *testing.T) {
	tests := []struct {
		name          string
		secondDigits  string
		wantSame      bool
		wantFirstLogs string
	}{
		{"identical request", "1234", true, `"outcome":"retried"`},
		{"other digits", "9999", false, `"outcome":"replayed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			mem, err := NewMemoryStore(100)
			if err != nil {
				t.Fatal(err)
			}
			store := &countingStore{MemoryStore: mem}
			var logs logBuffer
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithStore(store), WithLogger(logs.logger()))
			card := fx.firstStep(t, f)
			store.holding, store.release = make(chan struct{}), make(chan struct{})
			store.holdAt.Store(store.claimSave.Load() + 1)

			firstDone := make(chan *httptest.ResponseRecorder)
			go func() { firstDone <- serve(f, card, callForm(testCallSid, "Digits", "1234")) }()
			<-store.holding
			second := serve(f, card, callForm(testCallSid, "Digits", tt.secondDigits))
			close(store.release)
			first := <-firstDone
			if _, err := flowtest.GatherAction(testWebhook, second.Body.Bytes()); err != nil {
				t.Fatalf("second request, first to claim: %v\n%s", err, second.Body)
			}
			if same := bytes.Equal(first.Body.Bytes(), second.Body.Bytes()); same != tt.wantSame {
				t.Errorf("first request got the second's answer = %v, want %v\n%s", same, tt.wantSame, first.Body)
			}
			if !tt.wantSame && !apologized(first) {
				t.Errorf("first request: %s, want the apology", first.Body)
			}
			if n := logs.count(`"outcome":"gathered"`); n != 1 {
				t.Errorf("%d requests logged as gathered, want 1:\n%s", n, logs.String())
			}
			if logs.count(tt.wantFirstLogs) != 1 {
				t.Errorf("want one line with %s:\n%s", tt.wantFirstLogs, logs.String())
			}
		})
	}
}
