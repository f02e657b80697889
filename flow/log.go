package flow

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// logRequest reports a request from what the engine decided and what the
// recording rule, the single-use store and the response writer did: it
// builds the request's Event, hands it to the observer, and writes its one
// line. Warnings for security events, failed recording updates and store
// failures let through, errors for the service's failures, info for the
// rest. The line holds names, counts and outcomes
// only: nothing the caller typed, and no state token.
func (f *Flow) logRequest(ctx context.Context, start time.Time, d decision, rec recordingResult, saveErr, writeErr error) {
	logger := f.cfg.sig.logger
	level := eventLevel(d, rec, saveErr)
	// Nobody to tell: not even the clock is read.
	if f.cfg.observer == nil && !logger.Enabled(ctx, level) {
		return
	}
	ev := f.event(start, level, d, rec, saveErr, writeErr)
	if f.cfg.observer != nil {
		f.cfg.observer(ev)
	}
	if !logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("call_sid", ev.CallSid),
		slog.String("outcome", ev.Outcome),
		slog.Duration("duration", ev.Duration))
	if ev.Step != "" {
		attrs = append(attrs, slog.String("step", ev.Step), slog.Int("attempt", ev.Attempt))
	}
	if ev.Reason != ReasonFirst {
		attrs = append(attrs, slog.String("reason", ev.Reason.String()))
	}
	if ev.NextStep != "" {
		attrs = append(attrs, slog.String("next_step", ev.NextStep))
	}
	if ev.Recording != "" {
		attrs = append(attrs, slog.String("recording", ev.Recording))
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	}
	if d.stack != nil {
		attrs = append(attrs, slog.String("stack", string(d.stack)))
	}
	writeLog(ctx, logger, ev.Level, "flow request", attrs)
}

// event reads a request's Event, at level, from its decision and what
// followed it.
func (f *Flow) event(start time.Time, level slog.Level, d decision, rec recordingResult, saveErr, writeErr error) Event {
	out, asked := d.outcome, d.asked
	if rec.failedClosed {
		out, asked = outcomeRecordingFailed, noStep
	}
	ev := Event{
		CallSid:   d.callSid,
		Outcome:   string(out),
		Reason:    d.reason,
		Recording: rec.action,
		Duration:  time.Since(start),
		Level:     level,
		Err:       joinErrors(d.err, d.use.storeErr, rec.err, saveErr, writeErr),
	}
	if d.answered != noStep {
		ev.Step, ev.Attempt = f.steps[d.answered].Name, d.attempt
	}
	if asked != noStep {
		ev.NextStep = f.steps[asked].Name
	}
	return ev
}

// eventLevel is the level of a request's line: its outcome's, raised to a
// warning when the recording or the single-use store failed on the way.
func eventLevel(d decision, rec recordingResult, saveErr error) slog.Level {
	out := d.outcome
	if rec.failedClosed {
		out = outcomeRecordingFailed
	}
	level := logLevel(out)
	if level < slog.LevelWarn && (rec.failed() || saveErr != nil || d.use.storeErr != nil) {
		level = slog.LevelWarn
	}
	return level
}

// joinErrors is errors.Join, except that a single error is returned as it
// is, for an observer that compares it.
func joinErrors(errs ...error) error {
	var one error
	for _, err := range errs {
		if err != nil {
			if one != nil {
				return errors.Join(errs...)
			}
			one = err
		}
	}
	return one
}

func logLevel(o outcome) slog.Level {
	switch o {
	case outcomeBadSignature, outcomeBadState, outcomeExpired, outcomeUnknownStep, outcomeBadRequest, outcomeBadMethod,
		outcomeWrongAccount, outcomeReplayed:
		return slog.LevelWarn
	case outcomePanic, outcomeFinishFailed, outcomeBadNext, outcomeSealFailed, outcomeRecordingFailed,
		outcomeStoreFailed:
		return slog.LevelError
	}
	return slog.LevelInfo
}
