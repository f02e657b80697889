package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/redisstore/redistest"
)

// errSaveRefused is the failure heldStore gives a save it refuses.
var errSaveRefused = errors.New("redisstore_test: save refused")

// heldStore is a Store on Redis whose saves can be held back until
// released, or refused, and which counts the claims that found their
// token still running (claimed elsewhere, nothing saved yet).
type heldStore struct {
	flow.Store
	hold    atomic.Bool
	refuse  atomic.Bool
	saving  chan struct{} // a held save has begun
	release chan struct{} // lets held saves through
	running atomic.Int64
}

func newHeldStore(inner flow.Store) *heldStore {
	return &heldStore{Store: inner, saving: make(chan struct{}, 1), release: make(chan struct{})}
}

func (s *heldStore) Claim(ctx context.Context, id flow.TokenID, ttl time.Duration) (bool, []byte, error) {
	claimed, saved, err := s.Store.Claim(ctx, id, ttl)
	if err == nil && !claimed && saved == nil {
		s.running.Add(1)
	}
	return claimed, saved, err
}

func (s *heldStore) Save(ctx context.Context, id flow.TokenID, record []byte, keep time.Duration) error {
	if s.refuse.Load() {
		return errSaveRefused
	}
	if s.hold.Load() {
		s.saving <- struct{}{}
		<-s.release
	}
	return s.Store.Save(ctx, id, record, keep)
}

// writeSignal is a ResponseRecorder that says when the answer's body was
// written.
type writeSignal struct {
	*httptest.ResponseRecorder
	once    sync.Once
	written chan struct{}
}

func (w *writeSignal) Write(p []byte) (int, error) {
	n, err := w.ResponseRecorder.Write(p)
	w.once.Do(func() { close(w.written) })
	return n, err
}

// TestAnswerBeforeSave serves the PIN step on one replica with its save
// to Redis held back or refused, and sends the identical request (Twilio's
// retry) to the other replica. The first request's answer is written
// before its save. A retry that comes before the save lands waits for it
// and gets the same answer; a refused save is logged, the token stays
// claimed, and the retry gets the apology. The backend runs once.
func TestAnswerBeforeSave(t *testing.T) {
	tests := []struct {
		name      string
		refuse    bool
		wantRetry string // what the retry hears: "" for the first answer
	}{
		{name: "retry before the save lands", refuse: false},
		{name: "save fails", refuse: true, wantRetry: replicaApology},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := redistest.NewServer(t)
			var stores []*heldStore
			rs := newReplicaSet(t, 2, func() flow.Store {
				s := newHeldStore(newStore(t, srv))
				stores = append(stores, s)
				return s
			})
			_, pin := callUntilPIN(t, rs)
			first, other := stores[0], stores[1]
			first.hold.Store(!tt.refuse)
			first.refuse.Store(tt.refuse)

			w := &writeSignal{ResponseRecorder: httptest.NewRecorder(), written: make(chan struct{})}
			firstDone := make(chan struct{})
			go func() {
				defer close(firstDone)
				rs.flows[0].ServeHTTP(w, pin())
			}()
			if !tt.refuse {
				<-first.saving
				select {
				case <-w.written: // answered, and the save not landed yet
				default:
					t.Fatal("the save began before the answer was written")
				}
			} else {
				<-firstDone
			}
			if !strings.Contains(w.Body.String(), replicaSuccess) {
				t.Fatalf("first PIN request answered %s, want %q; log:\n%s", w.Body, replicaSuccess, rs.logs.String())
			}

			retry := httptest.NewRecorder()
			retryDone := make(chan struct{})
			go func() {
				defer close(retryDone)
				rs.flows[1].ServeHTTP(retry, pin())
			}()
			if !tt.refuse {
				waitUntil(t, func() bool { return other.running.Load() > 0 })
				close(first.release)
				<-firstDone
			}
			<-retryDone

			want := w.Body.String()
			if tt.wantRetry != "" {
				want = tt.wantRetry
			}
			if !strings.Contains(retry.Body.String(), want) || retry.Code != http.StatusOK {
				t.Errorf("retry answered %d %s, want %q", retry.Code, retry.Body, want)
			}
			if tt.refuse {
				if !rs.logs.has(`"level":"WARN"`, errSaveRefused.Error()) {
					t.Errorf("refused save not logged as a warning")
				}
				// Past the retry window too, the token stays claimed.
				rs.clockOff.Store(int64(flow.DefaultRetryWindow + time.Second))
				rec := httptest.NewRecorder()
				rs.flows[1].ServeHTTP(rec, pin())
				if !isApology(rec) {
					t.Errorf("replay after the window answered %s, want the apology", rec.Body)
				}
			}
			if n := rs.hits.Load(); n != 1 {
				t.Errorf("backend called %d times, want 1", n)
			}
		})
	}
}
