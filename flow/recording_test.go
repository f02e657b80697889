package flow

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// fakePauser is a RecordingPauser that records each call and fails as told.
type fakePauser struct {
	mu        sync.Mutex
	ops       []string // "pause" or "resume", in order
	pauseErr  error
	resumeErr error
}

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
		{name: "finish panicked resumes", kinds: []string{kindSensitive}, keys: []string{"1234"},
			finish: func(context.Context, *Result) ([]twiml.Verb, error) { panic("boom") },
			want:   []string{"pause", "resume"}, wantLast: sayApology},
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
			call := flowtest.NewCaller(f, testWebhook, testAuthToken).Call(tt.keys...)
			if got := call.LastSaid(); got != tt.wantLast {
				t.Fatalf("call ended with %q, want %q\n%s", got, tt.wantLast, call.Transcript())
			}
			if got := p.calls(); !slices.Equal(got, tt.want) {
				t.Errorf("pauser calls %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWithRecordingPauseNil(t *testing.T) {
	_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive),
		func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil },
		WithPublicURL(testPublicURL), WithRecordingPause(nil))
	if !errors.Is(err, ErrDefinition) {
		t.Fatalf("WithRecordingPause(nil): %v, want ErrDefinition", err)
	}
}
