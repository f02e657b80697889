package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// events collects what an observer is handed.
type events struct {
	mu  sync.Mutex
	all []Event
}

func (e *events) observe(ev Event) { e.mu.Lock(); e.all = append(e.all, ev); e.mu.Unlock() }

func (e *events) outcomes() []string {
	var out []string
	for _, ev := range e.all {
		out = append(out, string(ev.Outcome))
	}
	return out
}

func TestObserver(t *testing.T) {
	var got events
	fx := newFixture(t, WithObserver(got.observe))
	call := fx.caller(nil).Call("", "12", "1234", "4321")
	if call.LastSaid() != saySuccess {
		t.Fatalf("call failed:\n%s", call.Transcript())
	}
	want := []Event{
		{CallSid: call.Sid, NextStep: "getLast4CC", Outcome: "asked", Level: slog.LevelInfo},
		{CallSid: call.Sid, Step: "getLast4CC", Attempt: 1, NextStep: "getLast4CC", Outcome: "retry", Reason: ReasonTimeout, Level: slog.LevelInfo},
		{CallSid: call.Sid, Step: "getLast4CC", Attempt: 2, NextStep: "getLast4CC", Outcome: "retry", Reason: ReasonInvalid, Level: slog.LevelInfo},
		{CallSid: call.Sid, Step: "getLast4CC", Attempt: 3, NextStep: "getPin", Outcome: "gathered", Level: slog.LevelInfo},
		{CallSid: call.Sid, Step: "getPin", Attempt: 1, Outcome: "finished", Level: slog.LevelInfo},
	}
	if len(got.all) != len(want) {
		t.Fatalf("observed %q, want %d events", got.outcomes(), len(want))
	}
	for i, ev := range got.all {
		if ev.Duration <= 0 {
			t.Errorf("event %d: duration %v", i, ev.Duration)
		}
		ev.Duration = 0
		if ev != want[i] {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, ev, want[i])
		}
		text := strings.ReplaceAll(fmt.Sprintf("%+v", ev), call.Sid, "CA…")
		for _, digits := range []string{"1234", "4321"} {
			if strings.Contains(text, digits) {
				t.Errorf("event %d shows typed digits: %s", i, text)
			}
		}
	}

	t.Run("a forged request", func(t *testing.T) {
		got.all = nil
		rec := httptest.NewRecorder()
		fx.flow.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, testWebhook, callForm(testCallSid), "wrong"))
		if rec.Code != http.StatusForbidden || len(got.all) != 1 {
			t.Fatalf("status %d, %d events", rec.Code, len(got.all))
		}
		ev := got.all[0]
		if ev.Outcome != "bad_signature" || ev.Level != slog.LevelWarn || !errors.Is(ev.Err, ErrSignature) {
			t.Errorf("event %+v, want a bad_signature warning wrapping ErrSignature", ev)
		}
	})
}

// TestFinishDeclined: a Finish that wraps ErrDeclined is a normal outcome
// (INFO, "declined"); any other error is a failure (ERROR).
func TestFinishDeclined(t *testing.T) {
	tests := []struct {
		name      string
		declines  []int
		status    int
		outcome   Outcome
		level     slog.Level
		wantCause error
	}{
		{"404 listed as a decline", []int{http.StatusNotFound}, http.StatusNotFound, "declined", slog.LevelInfo, ErrDeclined},
		{"404 not listed", nil, http.StatusNotFound, "finish_failed", slog.LevelError, errTestBackend},
		{"500 with 404 listed", []int{http.StatusNotFound}, http.StatusInternalServerError, "finish_failed", slog.LevelError, errTestBackend},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got events
			fx := newFixture(t)
			backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "No data found", tt.status) })
			srv := httptest.NewServer(backend)
			t.Cleanup(srv.Close)
			f := fx.newFlow(t, testBackend{URL: srv.URL, Declines: tt.declines}, WithObserver(got.observe))
			call := fx.caller(f).Call("1111", "2222")
			if call.LastSaid() != sayFailure {
				t.Fatalf("last said %q, want the failure sentence", call.LastSaid())
			}
			last := got.all[len(got.all)-1]
			if last.Outcome != tt.outcome || last.Level != tt.level || !errors.Is(last.Err, tt.wantCause) || !errors.Is(last.Err, errTestBackend) {
				t.Errorf("event %+v, want %s at %v wrapping %v", last, tt.outcome, tt.level, tt.wantCause)
			}
			if tt.outcome != "declined" && errors.Is(last.Err, ErrDeclined) {
				t.Errorf("a failure wraps ErrDeclined: %v", last.Err)
			}
		})
	}
}

func TestFinishDeadline(t *testing.T) {
	fx := newFixture(t)
	for _, timeout := range []time.Duration{0, 2 * time.Second} {
		want := timeout
		opts := []Option{WithPublicURL(testPublicURL)}
		if timeout == 0 {
			want = DefaultFinishTimeout
		} else {
			opts = append(opts, WithFinishTimeout(timeout))
		}
		t.Run(want.String(), func(t *testing.T) {
			var left time.Duration
			finish := func(ctx context.Context, _ *Result) ([]twiml.Verb, error) {
				deadline, ok := ctx.Deadline()
				if !ok {
					return nil, errors.New("no deadline")
				}
				left = time.Until(deadline)
				return []twiml.Verb{twiml.Say{Text: "done"}}, nil
			}
			f, err := New(fx.master, testAuthToken, tutorialSteps(), finish, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if call := fx.caller(f).Call("1234", "4321"); call.LastSaid() != "done" {
				t.Fatalf("finish failed:\n%s", call.Transcript())
			}
			if left <= 0 || left > want {
				t.Errorf("finish had %v left, want at most %v", left, want)
			}
		})
	}
}
