package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/encgather/encgather/twiml"
)

// DefaultRequestBudget is how long one webhook request may take in all:
// waiting for a retry's first answer, pausing the recording (retries
// included) and Finish share it. It leaves two seconds of Twilio's 15 s
// for the answer's way back.
const DefaultRequestBudget = 13 * time.Second

// DefaultMaxFinishing caps the Finish calls a flow runs at once, those
// still running after their request gave up on them included: a backend
// that hangs must not pile up goroutines without bound.
const DefaultMaxFinishing = 256

var (
	// errFinishOverran is the cause of OutcomeFinishOverran.
	errFinishOverran = errors.New("flow: Finish overran the request's budget; its answer, if it ever comes, is dropped")
	// errTooManyFinishing is the cause of a call whose Finish could not
	// start: DefaultMaxFinishing are running already.
	errTooManyFinishing = errors.New("flow: too many Finish calls still running (a backend that hangs?); this one did not start")
)

// WithRequestBudget sets how long one webhook request may take in all,
// under Twilio's 15 s webhook timeout; the default is DefaultRequestBudget.
// Finish gets what remains of it, and no more than WithFinishTimeout.
func WithRequestBudget(d time.Duration) Option {
	return flowOption(func(c *config) error {
		if d < time.Second || d >= twilioWebhookTimeout {
			return fmt.Errorf("%w: request budget %v is not between 1s and Twilio's %v", ErrDefinition, d, twilioWebhookTimeout)
		}
		c.requestBudget = d
		return nil
	})
}

// budget returns wh's context bounded by the request's budget, for the
// work that may wait: claim polling, the recording pauser, Finish. It is
// made only where needed, so a plain step costs no timer.
func (f *Flow) budget(wh *webhook) (context.Context, context.CancelFunc) {
	return context.WithDeadline(wh.ctx, wh.arrived.Add(f.cfg.requestBudget))
}

// finishPanic carries a panic in Finish, with its goroutine's stack, to
// the request's recover.
type finishPanic struct {
	value any
	stack []byte
}

// runFinish runs Finish within the request's budget and the finish
// timeout. Finish runs in a goroutine of its own: at the deadline the
// request stops waiting and reports errFinishOverran with how long it
// waited, the Finish's context is cancelled, and whatever it returns
// later is dropped. At most maxFinishing run at once, stragglers
// included.
func (f *Flow) runFinish(wh *webhook, res *Result) ([]twiml.Verb, error) {
	select {
	case f.finishing <- struct{}{}:
	default:
		return nil, errTooManyFinishing
	}
	budget, cancelBudget := f.budget(wh)
	ctx, cancel := context.WithTimeout(budget, f.cfg.finishTime)
	defer cancelBudget()
	done := make(chan finishAnswer, 1) // a straggler's answer is dropped, not waited for
	start := time.Now()
	go func() {
		defer func() { <-f.finishing }()
		defer func() {
			if p := recover(); p != nil {
				done <- finishAnswer{panic: &finishPanic{value: p, stack: stripArguments(debug.Stack())}}
			}
		}()
		verbs, err := f.finish(ctx, res)
		done <- finishAnswer{verbs: verbs, err: err}
	}()
	var a finishAnswer
	select {
	case a = <-done:
	case <-ctx.Done():
		select {
		case a = <-done: // it answered as the deadline came: the answer counts
		default:
			cancel()
			go f.dropStraggler(wh.ctx, done)
			return nil, fmt.Errorf("%w (waited %v)", errFinishOverran, time.Since(start).Round(time.Millisecond))
		}
	}
	overran := ctx.Err() != nil && a.err != nil // a Finish that honoured its deadline
	cancel()
	switch {
	case a.panic != nil:
		panic(a.panic)
	case overran:
		return a.verbs, fmt.Errorf("%w (waited %v): %w", errFinishOverran, time.Since(start).Round(time.Millisecond), a.err)
	}
	return a.verbs, a.err
}

// finishAnswer is what a Finish returned, or how it panicked.
type finishAnswer struct {
	verbs []twiml.Verb
	err   error
	panic *finishPanic
}

// dropStraggler waits for the answer of a Finish that overran and drops
// it; a panic in it is logged, without its value, since no request is
// left to recover it.
func (f *Flow) dropStraggler(ctx context.Context, done <-chan finishAnswer) {
	if a := <-done; a.panic != nil {
		f.cfg.sig.logger.LogAttrs(context.WithoutCancel(ctx), slog.LevelError,
			"flow: a Finish that overran its request's budget panicked (its value is not logged)",
			slog.String("stack", string(a.panic.stack)))
	}
}

// validFinishVerbs reports what Twilio would refuse in what Finish
// answered, such as an empty <Say> or a <Dial> with nothing to dial:
// the caller would hear Twilio's error instead.
func validFinishVerbs(verbs []twiml.Verb) error {
	if err := (&twiml.Response{Verbs: verbs}).Validate(); err != nil {
		return fmt.Errorf("flow: Finish answered TwiML that Twilio would refuse: %w", err)
	}
	return nil
}
