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

	"github.com/encgather/encgather/aescrypt"
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

// TestMaskDigits: runs of four or more digits are masked, a Twilio SID's
// hex is kept whole.
func TestMaskDigits(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no account for pin 4321", "no account for pin ####"},
		{"card 4111111111111111 declined", "card #### declined"},
		{"status 404", "status 404"},
		{"dob 01-02-1980", "dob 01-02-####"},
		{"pin4321x", "pin####x"},
		{"call CA0123456789abcdef0123456789abcdef failed", "call CA0123456789abcdef0123456789abcdef failed"},
		{"not a sid CA0123456789abcdef0123456789abcdeF", "not a sid CA####abcdef####abcdeF"},
		{"1234", "####"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := maskDigits(tt.in); got != tt.want {
			t.Errorf("maskDigits(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// errNoAccount is a Finish's own sentinel, for errors.Is through the mask.
var errNoAccount = errors.New("no account")

// TestFinishErrorTextMasked: a Finish whose error quotes the PIN does not
// put it in a log line or an Event; errors.Is still sees through, and
// InsecureRawErrorText logs the text as it is.
func TestFinishErrorTextMasked(t *testing.T) {
	finish := func(_ context.Context, r *Result) ([]twiml.Verb, error) {
		return nil, fmt.Errorf("%w for pin %s", errNoAccount, "4321")
	}
	for _, raw := range []bool{false, true} {
		t.Run(fmt.Sprintf("raw=%v", raw), func(t *testing.T) {
			var logs logBuffer
			var got events
			opts := []Option{WithPublicURL(testPublicURL), WithLogger(logs.logger()), WithObserver(got.observe)}
			if raw {
				opts = append(opts, InsecureRawErrorText())
			}
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, tutorialSteps(), finish, opts...)
			if err != nil {
				t.Fatal(err)
			}
			flowtest.NewCaller(f, testWebhook, testAuthToken).Call("1234", "4321")
			last := got.all[len(got.all)-1]
			if last.Outcome != OutcomeFinishFailed || !errors.Is(last.Err, errNoAccount) {
				t.Fatalf("last event %+v, want finish_failed wrapping errNoAccount", last)
			}
			if last.ErrType != "*fmt.wrapError" || logs.count(`"error_type":"*fmt.wrapError"`) != 1 {
				t.Errorf("error type %q; log %s", last.ErrType, logs.String())
			}
			leaked := strings.Contains(logs.String(), "4321") || strings.Contains(last.Err.Error(), "4321")
			if leaked != raw {
				t.Errorf("PIN in the log or event: %v, want %v\n%s", leaked, raw, logs.String())
			}
		})
	}
}

// TestOutcomeLevels: each outcome's level, from the one table that
// declares them: security events warn, the service's failures are errors.
func TestOutcomeLevels(t *testing.T) {
	tests := map[Outcome]slog.Level{
		OutcomeAsked: slog.LevelInfo, OutcomeHungUp: slog.LevelInfo, OutcomeInterrupted: slog.LevelInfo,
		OutcomeDeclined: slog.LevelInfo, OutcomeRetried: slog.LevelInfo,
		OutcomeReplayed: slog.LevelWarn, OutcomeTooManyRequests: slog.LevelWarn, OutcomeBadSignature: slog.LevelWarn,
		OutcomeFinishOverran: slog.LevelWarn,
		OutcomeBadStep: slog.LevelError, OutcomeBadNext: slog.LevelError, OutcomePanic: slog.LevelError,
		OutcomeStoreFailed: slog.LevelError, OutcomeFinishFailed: slog.LevelError,
	}
	for o, want := range tests {
		if got := o.Level(); got != want {
			t.Errorf("%s.Level() = %v, want %v", o, got, want)
		}
	}
}
