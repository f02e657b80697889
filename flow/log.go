package flow

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// logRequest writes a request's one line from what the engine decided and
// what the recording rule, the single-use store and the response writer
// did: warnings for security events, failed recording updates and store
// failures let through, errors for the service's failures, info for the
// rest. It holds names, counts and outcomes only:
// nothing the caller typed, and no state token.
func (f *Flow) logRequest(ctx context.Context, start time.Time, d decision, rec recordingResult, saveErr, writeErr error) {
	out, asked := d.outcome, d.asked
	if rec.failedClosed {
		out, asked = outcomeRecordingFailed, noStep
	}
	level := logLevel(out)
	if level < slog.LevelWarn && (rec.failed() || saveErr != nil || d.use.storeErr != nil) {
		level = slog.LevelWarn
	}
	logger := f.cfg.sig.logger
	if !logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.String("call_sid", d.callSid),
		slog.String("outcome", string(out)),
		slog.Duration("duration", time.Since(start)))
	if d.answered != noStep {
		attrs = append(attrs, slog.String("step", f.steps[d.answered].Name), slog.Int("attempt", d.attempt))
	}
	if d.reason != ReasonFirst {
		attrs = append(attrs, slog.String("reason", d.reason.String()))
	}
	if asked != noStep {
		attrs = append(attrs, slog.String("next_step", f.steps[asked].Name))
	}
	if rec.action != "" {
		attrs = append(attrs, slog.String("recording", rec.action))
	}
	if err := errors.Join(d.err, d.use.storeErr, rec.err, saveErr, writeErr); err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	if d.stack != nil {
		attrs = append(attrs, slog.String("stack", string(d.stack)))
	}
	logger.LogAttrs(ctx, level, "flow request", attrs...)
}

func logLevel(o outcome) slog.Level {
	switch o {
	case outcomeBadSignature, outcomeBadState, outcomeExpired, outcomeUnknownStep, outcomeBadRequest, outcomeBadMethod,
		outcomeReplayed:
		return slog.LevelWarn
	case outcomePanic, outcomeFinishFailed, outcomeBadNext, outcomeSealFailed, outcomeRecordingFailed,
		outcomeStoreFailed:
		return slog.LevelError
	}
	return slog.LevelInfo
}
