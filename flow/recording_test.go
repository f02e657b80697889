package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// pauserAccount is the account fakePauser acts for.
const pauserAccount = "AC0123456789abcdef0123456789abcdef"

// fakePauser is a RecordingPauser that records each call and fails as told.
type fakePauser struct {
	mu        sync.Mutex
	ops       []string // "pause" or "resume", in order
	pauseErr  error
	resumeErr error
}

func (p *fakePauser) Account() string { return pauserAccount }

func (p *fakePauser) Pause(_ context.Context, callSid string) error {
	return p.record("pause", callSid, p.pauseErr)
}

func (p *fakePauser) Resume(_ context.Context, callSid string) error {
	return p.record("resume", callSid, p.resumeErr)
}

func (p *fakePauser) record(op, callSid string, err error) error {
	if !validCallSid(callSid) {
		return errors.New("fake pauser: malformed CallSid")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ops = append(p.ops, op)
	return err
}

func (p *fakePauser) calls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.ops)
}

// Step kinds for kindSteps: a sensitive step, a plain menu, and a
// sensitive step that keeps the recording running.
const (
	kindSensitive = "sensitive"
	kindPlain     = "plain"
	kindKeep      = "keep"
)

// kindSteps builds a flow's steps from kinds, named s0, s1, ...
func kindSteps(kinds ...string) []Step {
	steps := make([]Step, len(kinds))
	for i, k := range kinds {
		steps[i] = Step{
			Name:   fmt.Sprintf("s%d", i),
			Digits: Exactly(4),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: fmt.Sprintf("Enter value %d.", i)}},
		}
		switch k {
		case kindPlain:
			steps[i].Plain, steps[i].Digits = true, Exactly(1)
		case kindKeep:
			steps[i].InsecureKeepRecording = true
		}
	}
	return steps
}

const sayDone = "Thank you."

// TestRecordingRule drives whole calls through a flow that pauses
// recordings and checks what it asks of the pauser: a pause before each run
// of sensitive steps, a resume after it, nothing around plain steps.
func TestRecordingRule(t *testing.T) {
	goodbye := "We're sorry, we could not get your entry. Goodbye."
	tests := []struct {
		name     string
		kinds    []string
		keys     []string
		finish   Finish // nil: says sayDone
		pauseErr error
		failOpen bool
		want     []string // the pauser's calls, in order
		wantLast string   // the last sentence of the call
	}{
		{name: "tutorial", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "4321"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "plain steps only", kinds: []string{kindPlain, kindPlain},
			keys: []string{"1", "2"}, want: nil, wantLast: sayDone},
		{name: "menu then sensitive", kinds: []string{kindPlain, kindSensitive, kindSensitive},
			keys: []string{"1", "1234", "4321"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "sensitive, menu, sensitive", kinds: []string{kindSensitive, kindPlain, kindSensitive},
			keys: []string{"1234", "2", "4321"}, want: []string{"pause", "resume", "pause", "resume"}, wantLast: sayDone},
		{name: "sensitive then menu", kinds: []string{kindSensitive, kindPlain},
			keys: []string{"1234", "2"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "retry after silence stays paused", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"", "1234", "4321"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "retry after a bad entry stays paused", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "43#", "4321"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "gave up resumes", kinds: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "", "", ""}, want: []string{"pause", "resume"}, wantLast: goodbye},
		{name: "finish failed resumes", kinds: []string{kindSensitive}, keys: []string{"1234"},
			finish: func(context.Context, *Result) ([]twiml.Verb, error) {
				return []twiml.Verb{twiml.Say{Text: sayDone}}, errTest
			},
			want: []string{"pause", "resume"}, wantLast: sayDone},
		// A panic ends the call with the apology; the recording ends with
		// it, so nothing is resumed for the apology alone.
		{name: "finish panicked leaves it paused", kinds: []string{kindSensitive}, keys: []string{"1234"},
			finish: func(context.Context, *Result) ([]twiml.Verb, error) { panic("boom") },
			want:   []string{"pause"}, wantLast: sayApology},
		{name: "step that keeps the recording", kinds: []string{kindKeep, kindSensitive},
			keys: []string{"1234", "4321"}, want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "only a step that keeps the recording", kinds: []string{kindKeep},
			keys: []string{"1234"}, want: nil, wantLast: sayDone},
		{name: "no active recording carries on", kinds: []string{kindSensitive},
			keys: []string{"1234"}, pauseErr: fmt.Errorf("fake: %w", ErrNoActiveRecording),
			want: []string{"pause", "resume"}, wantLast: sayDone},
		{name: "failed pause fails closed", kinds: []string{kindSensitive},
			keys: []string{"1234"}, pauseErr: errTest, want: []string{"pause"}, wantLast: sayApology},
		{name: "failed pause, fail open", kinds: []string{kindSensitive},
			keys: []string{"1234"}, pauseErr: errTest, failOpen: true,
			want: []string{"pause", "resume"}, wantLast: sayDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePauser{pauseErr: tt.pauseErr}
			finish := tt.finish
			if finish == nil {
				finish = func(context.Context, *Result) ([]twiml.Verb, error) {
					return []twiml.Verb{twiml.Say{Text: sayDone}}, nil
				}
			}
			opts := []Option{WithPublicURL(testPublicURL), WithRecordingPause(p)}
			if tt.failOpen {
				opts = append(opts, InsecureRecordingFailOpen())
			}
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(tt.kinds...), finish, opts...)
			if err != nil {
				t.Fatal(err)
			}
			call := pauserCaller(f).Call(tt.keys...)
			if got := call.LastSaid(); got != tt.wantLast {
				t.Fatalf("call ended with %q, want %q\n%s", got, tt.wantLast, call.Transcript())
			}
			if got := p.calls(); !slices.Equal(got, tt.want) {
				t.Errorf("pauser calls %q, want %q", got, tt.want)
			}
		})
	}
}

// pauserCaller returns a caller on the account fakePauser acts for.
func pauserCaller(h http.Handler) *flowtest.Caller {
	c := flowtest.NewCaller(h, testWebhook, testAuthToken)
	c.Params.Set("AccountSid", pauserAccount)
	return c
}

func TestWithRecordingPauseNil(t *testing.T) {
	_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive),
		func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil },
		WithPublicURL(testPublicURL), WithRecordingPause(nil))
	if !errors.Is(err, ErrDefinition) {
		t.Fatalf("WithRecordingPause(nil): %v, want ErrDefinition", err)
	}
}

// badAccountPauser is a fakePauser whose account is not a valid SID.
type badAccountPauser struct{ fakePauser }

func (*badAccountPauser) Account() string { return "AC123" }

func TestWithRecordingPauseBadAccount(t *testing.T) {
	_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive),
		func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil },
		WithPublicURL(testPublicURL), WithRecordingPause(&badAccountPauser{}))
	if !errors.Is(err, ErrDefinition) {
		t.Fatalf("WithRecordingPause with account %q: %v, want ErrDefinition", "AC123", err)
	}
}

// TestRecordingWrongAccount checks that a flow that pauses recordings
// refuses a request from another account before it asks anything, and
// never asks the pauser: its answer for another account's call would
// mean nothing.
func TestRecordingWrongAccount(t *testing.T) {
	tests := []struct {
		name    string
		kinds   []string
		account string // "" leaves AccountSid out
	}{
		{name: "another account", kinds: []string{kindSensitive, kindSensitive}, account: "AC" + strings.Repeat("9", 32)},
		{name: "no AccountSid", kinds: []string{kindSensitive, kindSensitive}},
		{name: "account in other case", kinds: []string{kindSensitive}, account: strings.ToUpper(pauserAccount)},
		{name: "plain steps too", kinds: []string{kindPlain, kindSensitive}, account: "AC" + strings.Repeat("9", 32)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePauser{}
			var logs strings.Builder
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(tt.kinds...),
				func(context.Context, *Result) ([]twiml.Verb, error) {
					return []twiml.Verb{twiml.Say{Text: sayDone}}, nil
				},
				WithPublicURL(testPublicURL), WithRecordingPause(p),
				WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			if err != nil {
				t.Fatal(err)
			}
			c := flowtest.NewCaller(f, testWebhook, testAuthToken)
			if tt.account == "" {
				c.Params.Del("AccountSid")
			} else {
				c.Params.Set("AccountSid", tt.account)
			}
			call := c.Call("1", "1234", "4321")
			if call.LastSaid() != sayApology || len(call.Said) != 1 {
				t.Errorf("call heard %q, want only the apology\n%s", call.Said, call.Transcript())
			}
			if got := p.calls(); len(got) != 0 {
				t.Errorf("pauser calls %q, want none", got)
			}
			if !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "outcome=wrong_account") {
				t.Errorf("log %q, want a warning with outcome wrong_account", logs.String())
			}
		})
	}
}

// switchHandler serves the first n requests with before and the rest with
// after: a deploy in the middle of a call.
type switchHandler struct {
	before, after http.Handler
	n             int
}

func (h *switchHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.n > 0 {
		h.n--
		h.before.ServeHTTP(w, r)
		return
	}
	h.after.ServeHTTP(w, r)
}

// TestRecordingPauseTravelsInState checks that whether the recording is
// paused is read from the state, not inferred from the step answered: a
// call whose tokens were issued while the flow did not pause recordings
// is paused at its next sensitive step once a deploy turns pausing on.
func TestRecordingPauseTravelsInState(t *testing.T) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: sayDone}}, nil
	}
	tests := []struct {
		name          string
		before, after []string // step kinds before and after the deploy
		pauseBefore   bool     // whether the flow paused recordings before the deploy
		keys          []string
		deployAfter   int // requests served before the deploy
		want          []string
	}{
		{name: "pausing turned on mid-run", before: []string{kindSensitive, kindSensitive}, after: []string{kindSensitive, kindSensitive},
			keys: []string{"1234", "4321"}, deployAfter: 1, want: []string{"pause", "resume"}},
		{name: "pausing turned on at a retry", before: []string{kindSensitive, kindSensitive}, after: []string{kindSensitive, kindSensitive},
			keys: []string{"", "1234", "4321"}, deployAfter: 1, want: []string{"pause", "resume"}},
		{name: "paused run carries on after a deploy", before: []string{kindSensitive, kindSensitive}, after: []string{kindSensitive, kindSensitive},
			pauseBefore: true, keys: []string{"1234", "4321"}, deployAfter: 1, want: []string{"pause", "resume"}},
		{name: "step that kept the recording now pauses", before: []string{kindKeep, kindSensitive}, after: []string{kindSensitive, kindSensitive},
			pauseBefore: true, keys: []string{"1234", "4321"}, deployAfter: 1, want: []string{"pause", "resume"}},
		{name: "paused step now keeps the recording", before: []string{kindSensitive, kindPlain}, after: []string{kindKeep, kindPlain},
			pauseBefore: true, keys: []string{"1234", "1"}, deployAfter: 1, want: []string{"pause", "resume"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			master := aescrypt.New(aescrypt.GenerateKey())
			p := &fakePauser{}
			var beforeOpts []Option
			if tt.pauseBefore {
				beforeOpts = append(beforeOpts, WithRecordingPause(p))
			}
			before, err := New(master, testAuthToken, kindSteps(tt.before...), finish, append(beforeOpts, WithPublicURL(testPublicURL))...)
			if err != nil {
				t.Fatal(err)
			}
			after, err := New(master, testAuthToken, kindSteps(tt.after...), finish, WithPublicURL(testPublicURL), WithRecordingPause(p))
			if err != nil {
				t.Fatal(err)
			}
			call := pauserCaller(&switchHandler{before: before, after: after, n: tt.deployAfter}).Call(tt.keys...)
			if call.LastSaid() != sayDone {
				t.Fatalf("call ended with %q\n%s", call.LastSaid(), call.Transcript())
			}
			if got := p.calls(); !slices.Equal(got, tt.want) {
				t.Errorf("pauser calls %q, want %q", got, tt.want)
			}
		})
	}
}

// TestStatePausedBit checks that the state's pause flag survives sealing
// beside every attempt, and that a token issued without it reads as not
// paused.
func TestStatePausedBit(t *testing.T) {
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive, kindPlain),
		func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil }, WithPublicURL(testPublicURL))
	if err != nil {
		t.Fatal(err)
	}
	const callSid = "CA0123456789abcdef0123456789abcdef"
	for attempt := 1; attempt <= 10; attempt++ {
		for _, paused := range []bool{false, true} {
			t.Run(fmt.Sprintf("attempt %d, paused %v", attempt, paused), func(t *testing.T) {
				in := &state{issuedAt: time.Unix(1_800_000_000, 0), attempt: attempt, paused: paused,
					fields: []field{{step: 1, plain: true, value: []byte("7")}}}
				out, err := f.states.open(f.states.seal(in, callSid, "s0"), callSid, "s0", len(f.steps))
				if err != nil {
					t.Fatal(err)
				}
				if out.attempt != attempt || out.paused != paused || len(out.fields) != 1 {
					t.Errorf("opened attempt %d, paused %v, %d fields; want %d, %v, 1", out.attempt, out.paused, len(out.fields), attempt, paused)
				}
			})
		}
	}
}

// TestReplaysLeaveRecordingAlone: only a request that holds its token's
// claim touches the recording. A token past its age, a tampered one, a
// replayed one and an action posted after the caller hung up call the
// pauser neither way: a replay could otherwise stop the recording of a
// later part of the live call, on the account's credentials.
func TestReplaysLeaveRecordingAlone(t *testing.T) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: sayDone}}, nil
	}
	form := func(kv ...string) url.Values {
		return callForm(testCallSid, append([]string{"AccountSid", pauserAccount}, kv...)...)
	}
	tests := []struct {
		name string
		send func(t *testing.T, f http.Handler, clock *testClock, action string) *httptest.ResponseRecorder
	}{
		{"expired", func(t *testing.T, f http.Handler, clock *testClock, action string) *httptest.ResponseRecorder {
			clock.advance(3 * time.Minute)
			return serve(f, action, form("Digits", "1234"))
		}},
		{"tampered", func(t *testing.T, f http.Handler, clock *testClock, action string) *httptest.ResponseRecorder {
			i := strings.Index(action, "state=") + len("state=") + 5
			b := []byte(action)
			b[i] ^= 'A' ^ 'B'
			return serve(f, string(b), form("Digits", "1234"))
		}},
		{"replayed", func(t *testing.T, f http.Handler, clock *testClock, action string) *httptest.ResponseRecorder {
			serve(f, action, form("Digits", "1234"))
			return serve(f, action, form("Digits", "9999"))
		}},
		{"hung up", func(t *testing.T, f http.Handler, clock *testClock, action string) *httptest.ResponseRecorder {
			return serve(f, action, form("Digits", "1234", "CallStatus", "completed"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePauser{}
			clock := &testClock{}
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive, kindSensitive), finish,
				WithPublicURL(testPublicURL), WithRecordingPause(p), WithClock(clock.now), WithMaxAge(2*time.Minute),
				WithLogger(slog.New(slog.DiscardHandler)))
			if err != nil {
				t.Fatal(err)
			}
			first := serve(f, testWebhook, form())
			action, err := flowtest.GatherAction(testWebhook, first.Body.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			tt.send(t, f, clock, action)
			if got := p.calls(); !slices.Equal(got, []string{"pause"}) {
				t.Errorf("pauser calls %q, want only the first request's pause", got)
			}
		})
	}
}
