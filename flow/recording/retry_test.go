package recording_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/recording"
)

// fakeClock is a clock that moves only when a retry sleeps on it, and
// remembers each wait.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := context.Cause(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.waits = append(c.waits, d)
	return nil
}

func (c *fakeClock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.waits)
}

// noJitter draws every wait at its longest, so that waits can be counted.
func noJitter(d time.Duration) time.Duration { return d }

// TestRetry checks which answers an update tries again, how long it waits
// between tries, and when it gives up, on a clock that only the waits
// move.
func TestRetry(t *testing.T) {
	const (
		first = 500 * time.Millisecond
		max   = 2 * time.Second
	)
	tests := []struct {
		name      string
		answers   []fakeAnswer // the first answers, then answerOK unless always is set
		always    fakeAnswer
		dials     int32         // refused connections before any request
		budget    time.Duration // 0: DefaultRetryBudget, 3 s
		deadline  time.Duration // of the caller's context, on the fake clock; 0 for none
		wantErr   []error       // nil for success
		wantTries int
		wantWaits []time.Duration
	}{
		{name: "429 twice", answers: []fakeAnswer{answerTooMany, answerTooMany},
			wantTries: 3, wantWaits: []time.Duration{first, 2 * first}},
		{name: "503 once", answers: []fakeAnswer{answerUnavailable},
			wantTries: 2, wantWaits: []time.Duration{first}},
		{name: "429 then 503", answers: []fakeAnswer{answerTooMany, answerUnavailable},
			wantTries: 3, wantWaits: []time.Duration{first, 2 * first}},
		{name: "Retry-After waited", answers: []fakeAnswer{answerTooManyRetryAfter},
			wantTries: 2, wantWaits: []time.Duration{2 * time.Second}},
		{name: "connection refused twice", dials: 2,
			wantTries: 3, wantWaits: []time.Duration{first, 2 * first}},
		{name: "429 until the default budget ends", always: answerTooMany,
			wantErr:   []error{recording.ErrUpdate, context.DeadlineExceeded},
			wantTries: 3, wantWaits: []time.Duration{first, 2 * first}}, // tries at 0, 0.5 and 1.5 s; 2 s more would pass 3 s
		{name: "429 until the context's deadline", always: answerTooMany, budget: recording.MaxRetryBudget, deadline: 1200 * time.Millisecond,
			wantErr:   []error{recording.ErrUpdate, context.DeadlineExceeded},
			wantTries: 2, wantWaits: []time.Duration{first}}, // tries at 0 and 0.5 s; 1 s more would pass 1.2 s
		{name: "429 until a longer budget ends, waits capped", always: answerTooMany, budget: recording.MaxRetryBudget,
			wantErr:   []error{recording.ErrUpdate, context.DeadlineExceeded},
			wantTries: 7, wantWaits: []time.Duration{first, 2 * first, max, max, max, max}}, // tries at 0, 0.5, 1.5, 3.5, 5.5, 7.5 and 9.5 s
		{name: "500 is final", answers: []fakeAnswer{answerError},
			wantErr: []error{recording.ErrUpdate}, wantTries: 1},
		{name: "502 is final", answers: []fakeAnswer{answerGarbage},
			wantErr: []error{recording.ErrUpdate}, wantTries: 1},
		{name: "not found is final", answers: []fakeAnswer{answerNotFound},
			wantErr: []error{flow.ErrNoActiveRecording}, wantTries: 1},
		{name: "connection lost after the request was written", answers: []fakeAnswer{answerDrop},
			wantErr: []error{recording.ErrUpdate}, wantTries: 1},
		{name: "429, then a final answer", answers: []fakeAnswer{answerTooMany, answerOtherStatus},
			wantErr: []error{recording.ErrUpdate}, wantTries: 2, wantWaits: []time.Duration{first}},
	}
	ops := []struct {
		name   string
		status string
		call   func(*recording.Client, context.Context, string) error
	}{
		{"Pause", "paused", (*recording.Client).Pause},
		{"Resume", "in-progress", (*recording.Client).Resume},
	}
	for _, op := range ops {
		for _, tt := range tests {
			t.Run(op.name+"/"+tt.name, func(t *testing.T) {
				ft := newFakeTwilio(t)
				ft.answerFirst(op.status, tt.answers...)
				ft.answer(op.status, tt.always)
				clock := newFakeClock()
				transport := &failingDials{next: ft.client().Transport}
				transport.n.Store(tt.dials)
				opts := []recording.Option{
					recording.WithHTTPClient(&http.Client{Transport: transport}),
					recording.WithRetryBackoff(first, max),
					recording.WithRetryClock(clock.now, clock.sleep, noJitter),
				}
				if tt.budget != 0 {
					opts = append(opts, recording.WithRetryBudget(tt.budget))
				}
				rec, err := recording.New(recAccountSid, recAuthToken, opts...)
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				if tt.deadline != 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithDeadline(ctx, clock.now().Add(tt.deadline))
					defer cancel()
				}

				err = op.call(rec, ctx, recCallSid)
				if tt.wantErr == nil && err != nil {
					t.Fatalf("%s: %v", op.name, err)
				}
				for _, want := range tt.wantErr {
					if !errors.Is(err, want) {
						t.Errorf("%s: %v, want it to wrap %v", op.name, err, want)
					}
				}
				if err != nil && (strings.Contains(err.Error(), recAuthToken) || !strings.HasPrefix(err.Error(), "recording: ")) {
					t.Errorf("error %q leaks the token or lacks the package prefix", err)
				}
				reqs := ft.recorded()
				if tries := len(reqs) + int(tt.dials); tries != tt.wantTries {
					t.Errorf("%d tries, want %d", tries, tt.wantTries)
				}
				for i, r := range reqs {
					checkRESTRequest(t, i, r, recAccountSid, recAuthToken, nil)
				}
				if got := clock.slept(); !slices.Equal(got, tt.wantWaits) {
					t.Errorf("waits %v, want %v", got, tt.wantWaits)
				}
			})
		}
	}
}

// TestRetryCanceled checks that an update whose context is canceled while
// it waits to try again stops at once, with the cancellation as its cause.
func TestRetryCanceled(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("paused", answerTooMany)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slept := 0
	sleep := func(ctx context.Context, d time.Duration) error {
		slept++
		cancel() // the caller hangs up while the update waits
		return context.Cause(ctx)
	}
	rec := ft.recordings(t, recording.WithRetryClock(time.Now, sleep, noJitter))
	err := rec.Pause(ctx, recCallSid)
	if !errors.Is(err, recording.ErrUpdate) || !errors.Is(err, context.Canceled) {
		t.Errorf("Pause: %v, want recording.ErrUpdate wrapping context.Canceled", err)
	}
	if n := len(ft.recorded()); n != 1 || slept != 1 {
		t.Errorf("%d tries and %d waits, want 1 and 1", n, slept)
	}
}

// TestRetryRealClock runs the retries on the real clock with waits of a
// few milliseconds, against a REST API that refuses every try until the
// context's deadline: the update gives up with the deadline, after more
// than one try.
func TestRetryRealClock(t *testing.T) {
	ft := newFakeTwilio(t)
	ft.answer("paused", answerTooMany)
	rec := ft.recordings(t, recording.WithRetryBackoff(time.Millisecond, 4*time.Millisecond))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	err := rec.Pause(ctx, recCallSid)
	if !errors.Is(err, recording.ErrUpdate) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Pause: %v, want recording.ErrUpdate wrapping context.DeadlineExceeded", err)
	}
	if n := len(ft.recorded()); n < 2 {
		t.Errorf("%d tries, want more than one", n)
	}
}
