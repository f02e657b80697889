package flow

import (
	"fmt"
	"log/slog"
	"time"
)

// Event is the record of one webhook request, as its log line shows it:
// names, counts and outcomes, never a value the caller typed nor a state
// token. A flow hands one to its observer (WithObserver) for every request.
type Event struct {
	// CallSid is the request's call; "" when the request had none.
	CallSid string
	// Step is the step the request answered, and Attempt which attempt
	// it was; "" and 0 for a call's first request or a refused one.
	Step    string
	Attempt int
	// NextStep is the step the answer asks; "" when it asks none.
	NextStep string
	// Outcome is what the request came to:
	//
	//	asked             a call's first request: its first step was asked
	//	gathered          a value was accepted and the next step asked
	//	retry             a step was asked again (see Reason)
	//	gave_up           the last attempt failed: goodbye (see Reason)
	//	finished          Finish answered the caller
	//	declined          Finish declined the caller (ErrDeclined): a normal outcome
	//	finish_failed     Finish failed
	//	bad_signature     403: a security event
	//	bad_request       a malformed body or CallSid
	//	bad_method        neither GET nor POST
	//	bad_state         a state token tampered with, or from another call, step or flow
	//	expired           a state token past its maximum age
	//	unknown_step      a step parameter that names no step
	//	bad_next          a Next function named no step
	//	seal_failed       the Sealer refused a value
	//	panic             the service's code panicked
	//	recording_failed  a recording pause failed closed: the apology instead of the step
	//	replayed          a state token used before, by another request or past the retry window
	//	retried           an identical request inside the retry window: the first answer again
	//	store_failed      the single-use store could not answer: the apology
	Outcome string
	// Reason says why a step was asked again, or given up on.
	Reason Reason
	// Recording is what the request did to the call's recording:
	// "paused", "resumed", "none" (no active recording), "pause_failed",
	// "resume_failed", or "" for nothing.
	Recording string
	// Duration is how long the request took, up to its answer.
	Duration time.Duration
	// Level classes the outcome as its log line does: slog.LevelInfo for
	// the normal course of calls, slog.LevelWarn for security events and
	// failed recording updates, slog.LevelError for failures of the
	// service's code or configuration.
	Level slog.Level
	// Err is the cause of a refusal or failure, or nil. It wraps the
	// package's sentinels (ErrSignature, ErrBackend, ErrDeclined, ...) for
	// errors.Is. The flow's own errors never quote a value; an error a
	// Finish or Sealer returns is passed on as it is.
	Err error
}

// WithObserver makes the flow call observe with the Event of every
// request, after the answer is written and before it is logged: for
// counting outcomes in a service's metrics. observe only reads the event;
// it runs within the request, so it must be quick and safe for concurrent
// use.
func WithObserver(observe func(Event)) Option {
	return flowOption(func(c *config) error {
		if observe == nil {
			return fmt.Errorf("%w: nil observer", ErrDefinition)
		}
		c.observer = observe
		return nil
	})
}
