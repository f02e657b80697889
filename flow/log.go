package flow

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"
)

// Outcomes, as logged in the "outcome" attribute of each request's line.
const (
	outcomeAsked        = "asked"         // a step was asked for the first time
	outcomeGathered     = "gathered"      // a value was accepted and the next step asked
	outcomeRetry        = "retry"         // a step was asked again (see "reason")
	outcomeGaveUp       = "gave_up"       // the last attempt failed: goodbye
	outcomeFinished     = "finished"      // Finish answered the caller
	outcomeFinishFailed = "finish_failed" // Finish returned an error
	outcomeBadSignature = "bad_signature" // 403: security event
	outcomeBadRequest   = "bad_request"   // malformed body or CallSid
	outcomeBadMethod    = "bad_method"    // neither GET nor POST
	outcomeBadState     = "bad_state"     // token tampered, foreign or replayed: security event
	outcomeExpired      = "expired"       // token past its maximum age: security event
	outcomeUnknownStep  = "unknown_step"  // step parameter names no step: security event
	outcomeBadNext      = "bad_next"      // a Next function named no step
	outcomePanic        = "panic"         // the service's code panicked
)

// event is what one request logs. It holds names, counts and outcomes only:
// nothing the caller typed, and no state token.
type event struct {
	start         time.Time
	callSid       string
	step          string // the step the request answered, if any
	stepSensitive bool
	attempt       int
	reason        Reason
	nextStep      string // the step asked in the response, if any
	nextSensitive bool
	outcome       string
	err           error
	stack         bool
	recording     string // what the request did to the call's recording, if anything
}

// logEvent writes the request's one line: warnings for security events,
// errors for the service's failures, info for the rest.
func (f *Flow) logEvent(ctx context.Context, ev *event) {
	level := slog.LevelInfo
	switch ev.outcome {
	case outcomeBadSignature, outcomeBadState, outcomeExpired, outcomeUnknownStep, outcomeBadRequest, outcomeBadMethod:
		level = slog.LevelWarn
	case outcomePanic, outcomeFinishFailed, outcomeBadNext, outcomeRecordingFailed:
		level = slog.LevelError
	}
	if level < slog.LevelWarn && recordingFailed(ev.recording) {
		level = slog.LevelWarn
	}
	logger := f.cfg.logger
	if !logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("call_sid", ev.callSid),
		slog.String("outcome", ev.outcome),
		slog.Duration("duration", time.Since(ev.start)))
	if ev.step != "" {
		attrs = append(attrs, slog.String("step", ev.step), slog.Int("attempt", ev.attempt))
	}
	if ev.reason != ReasonFirst {
		attrs = append(attrs, slog.String("reason", ev.reason.String()))
	}
	if ev.nextStep != "" {
		attrs = append(attrs, slog.String("next_step", ev.nextStep))
	}
	if ev.recording != "" {
		attrs = append(attrs, slog.String("recording", ev.recording))
	}
	if ev.err != nil {
		attrs = append(attrs, slog.String("error", ev.err.Error()))
	}
	if ev.stack {
		attrs = append(attrs, slog.String("stack", string(debug.Stack())))
	}
	logger.LogAttrs(ctx, level, "flow request", attrs...)
}
