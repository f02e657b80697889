package flow

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/twiml"
)

// TestFinishOverrunsBudget: a Finish that ignores its context and runs
// past the request's budget no longer holds the request: the caller hears
// the apology, a warning names the overrun and how long the request
// waited, the Finish's context is cancelled, and what it returns later is
// never written. One that honours its context is reported the same way,
// not as a bare "context deadline exceeded".
func TestFinishOverrunsBudget(t *testing.T) {
	for _, honours := range []bool{false, true} {
		t.Run(map[bool]string{false: "ignores its context", true: "honours its context"}[honours], func(t *testing.T) {
			release := make(chan struct{})
			cancelled := make(chan error, 1)
			finish := func(ctx context.Context, _ *Result) ([]twiml.Verb, error) {
				if honours {
					<-ctx.Done()
					return nil, ctx.Err()
				}
				<-release // ignores ctx
				cancelled <- ctx.Err()
				return []twiml.Verb{twiml.Say{Text: "too late"}}, nil
			}
			var logs logBuffer
			f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish,
				WithPublicURL(testPublicURL), WithLogger(logs.logger()))
			if err != nil {
				t.Fatal(err)
			}
			f.cfg.requestBudget = 50 * time.Millisecond // tests need not wait seconds
			call := pauserCaller(f).Call("1234")
			if call.LastSaid() != sayApology || strings.Contains(call.Transcript(), "too late") {
				t.Fatalf("call ended with %q, want the apology\n%s", call.LastSaid(), call.Transcript())
			}
			if logs.count(`"level":"WARN"`, `"outcome":"finish_overran"`, "waited") != 1 {
				t.Errorf("want one warning naming the overrun and the wait:\n%s", logs.String())
			}
			if !honours {
				close(release)
				if err := <-cancelled; err == nil {
					t.Error("the straggling Finish's context was not cancelled")
				}
			}
		})
	}
}

// TestStragglersCapped: Finish calls still running after their requests
// gave up count against a cap; past it a call's Finish does not start,
// and the caller hears the apology at once instead of waiting.
func TestStragglersCapped(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 4)
	finish := func(ctx context.Context, _ *Result) ([]twiml.Verb, error) {
		started <- struct{}{}
		<-release
		return nil, nil
	}
	var logs logBuffer
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish,
		WithPublicURL(testPublicURL), WithLogger(logs.logger()))
	if err != nil {
		t.Fatal(err)
	}
	f.cfg.requestBudget = 20 * time.Millisecond
	f.finishing = make(chan struct{}, 1)
	first := pauserCaller(f).Call("1234") // overruns, and stays running
	second := pauserCaller(f).Call("1234")
	if first.LastSaid() != sayApology || second.LastSaid() != sayApology {
		t.Fatalf("calls ended with %q and %q, want the apology", first.LastSaid(), second.LastSaid())
	}
	if n := len(started); n != 1 {
		t.Errorf("%d Finish calls started, want 1: the second found no room", n)
	}
	if logs.count(`"outcome":"finish_failed"`, "too many Finish calls") != 1 {
		t.Errorf("want an error line for the Finish that did not start:\n%s", logs.String())
	}
}

// TestFinishVerbsValidated: what Finish answers is checked as prompts are;
// TwiML that Twilio would refuse gets the apology and an error naming what
// was wrong, not an empty <Say/><Dial/> logged as finished.
func TestFinishVerbsValidated(t *testing.T) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{}, twiml.Dial{}}, nil
	}
	var logs logBuffer
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish,
		WithPublicURL(testPublicURL), WithLogger(logs.logger()))
	if err != nil {
		t.Fatal(err)
	}
	call := pauserCaller(f).Call("1234")
	if call.LastSaid() != sayApology {
		t.Fatalf("call ended with %q, want the apology\n%s", call.LastSaid(), call.Transcript())
	}
	if logs.count(`"level":"ERROR"`, `"outcome":"finish_failed"`, "Twilio would refuse") != 1 {
		t.Errorf("want an error line naming the refused TwiML:\n%s", logs.String())
	}
}

// TestWithRequestBudget: a budget must leave room under Twilio's 15 s.
func TestWithRequestBudget(t *testing.T) {
	finish := func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil }
	for _, d := range []time.Duration{0, time.Millisecond, 15 * time.Second, time.Minute} {
		_, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish,
			WithPublicURL(testPublicURL), WithRequestBudget(d))
		if !errors.Is(err, ErrDefinition) || !strings.Contains(err.Error(), "request budget") {
			t.Errorf("budget %v: %v, want ErrDefinition naming the request budget", d, err)
		}
	}
	if _, err := New(aescrypt.New(aescrypt.GenerateKey()), testAuthToken, kindSteps(kindSensitive), finish,
		WithPublicURL(testPublicURL), WithRequestBudget(5*time.Second)); err != nil {
		t.Errorf("budget 5s: %v", err)
	}
}
