package flow

import (
	"context"
	"errors"
	"fmt"

	"github.com/encgather/encgather/flow/internal/sid"
)

// ErrNoActiveRecording is what a RecordingPauser reports, wrapped, when
// Twilio's answer says the call has no active recording. A flow treats it
// as normal and carries on, so a pauser reports it only for an answer that
// means nothing else; any answer it cannot tell apart is another error.
var ErrNoActiveRecording = errors.New("flow: call has no active recording")

// errWrongAccount is the cause logged for a request from an account other
// than the one the RecordingPauser acts for.
var errWrongAccount = errors.New("flow: request's AccountSid is not the recording pauser's account")

// RecordingPauser pauses and resumes the active recording of a call, such
// as package recording's Client, which does it through Twilio's REST API.
// A flow calls it within the webhook request, with the request's context,
// and waits for it.
type RecordingPauser interface {
	// Account returns the SID of the account ("AC" and 32 hex digits)
	// whose calls the pauser acts on. A flow refuses a request whose
	// AccountSid is another, before it asks anything: the pauser could
	// not reach that call's recording.
	Account() string
	// Pause pauses the call's active recording. It returns nil only when
	// Twilio confirmed the recording is paused, an error wrapping
	// ErrNoActiveRecording when Twilio said the call has none, and any
	// other error otherwise.
	Pause(ctx context.Context, callSid string) error
	// Resume resumes the call's recording, reporting errors as Pause
	// does; nil only when Twilio confirmed the recording is in progress.
	Resume(ctx context.Context, callSid string) error
}

// WithRecordingPause makes the flow pause the call's recording through p
// before it asks a sensitive step, and resume it once the value is sealed.
// Plain steps and steps marked InsecureKeepRecording are recorded.
//
// Every request whose AccountSid is not p.Account() is refused with the
// apology, before any step is asked.
//
// The state token says whether the recording is paused, and a request
// calls p at most once, only when that must change:
//
//   - it asks a sensitive step and its state does not say paused (the
//     call's first request, after a plain step, or a token issued before
//     the flow paused recordings): pause, before the prompt is sent;
//   - its state says paused and it asks no sensitive step (a plain step
//     follows, the flow finishes, the caller has used every attempt, or
//     the request cannot be served): resume;
//   - its state says paused and it asks another sensitive step, or the
//     same one again after silence or a bad entry: nothing, the recording
//     stays paused, so the caller's second try is not recorded either.
//
// A call with no active recording is normal and the flow carries on. If a
// pause fails otherwise, or Twilio's answer does not confirm it, the flow
// apologises and ends the call without asking (unless
// InsecureRecordingFailOpen is given, when it logs a warning and asks). A
// failed resume is logged as a warning; the value is already sealed.
//
// If the call ends while the recording is paused (the caller hangs up
// during a sensitive step), the recording ends with the call and keeps
// nothing of the paused part; no status callback is needed. Should Twilio
// still post the step's action, its CallStatus says the call is over and
// the flow leaves the recording alone. Only a request that holds its
// token's claim touches the recording: a replay, a retry, an expired or
// foreign token never does.
func WithRecordingPause(p RecordingPauser) Option {
	return flowOption(func(c *config) error {
		if p == nil {
			return fmt.Errorf("%w: nil RecordingPauser", ErrDefinition)
		}
		if !sid.Valid(p.Account(), sid.Account) {
			return fmt.Errorf("%w: RecordingPauser's account must be \"AC\" and 32 hex digits", ErrDefinition)
		}
		c.recordings = p
		return nil
	})
}

// InsecureRecordingFailOpen makes a flow that pauses recordings ask for a
// sensitive value even when the recording could not be paused (for any
// reason other than there being no recording), logging a warning. The key
// tones may then be in the recording, and the state still says paused, so
// the flow tries again only after the run of sensitive steps ends. The
// default fails closed: the flow apologises and ends the call without
// asking.
func InsecureRecordingFailOpen() Option {
	return flowOption(func(c *config) error { c.recordingFailOpen = true; return nil })
}

// recordingResult is what the recording rule did for one request.
type recordingResult struct {
	action       RecordingAction // "" when nothing was done
	err          error
	failedClosed bool // the pause failed and the step must not be asked
}

// failed reports whether the result deserves at least a warning.
func (r recordingResult) failed() bool {
	return r.action == RecordingPauseFailed || r.action == RecordingResumeFailed
}

// checkAccount refuses a request from an account other than the one the
// flow's RecordingPauser acts for. Account SIDs are public identifiers, so
// a plain comparison is enough.
func (f *Flow) checkAccount(accountSid string) error {
	if p := f.cfg.recordings; p != nil && accountSid != p.Account() {
		return errWrongAccount
	}
	return nil
}

// recordingRule pauses or resumes the call's recording when a request
// changes whether it must be paused: paused says whether it was when the
// request came, asks whether the step asked next needs it paused. A call
// that has ended is left alone: its recording ended with it.
func (f *Flow) recordingRule(wh *webhook, paused, asks bool) recordingResult {
	if !f.touchesRecording(wh, paused, asks) {
		return recordingResult{}
	}
	p := f.cfg.recordings
	ctx, cancel := f.budget(wh) // retries of a rate-limited update fit in the request's budget
	defer cancel()
	if paused {
		return f.resume(ctx, p, wh.callSid)
	}
	return f.pause(ctx, p, wh.callSid)
}

// touchesRecording reports whether the recording rule acts for a request
// whose state says paused and that asks a step with asks: a pauser is
// set, the call is live and the recording must change.
func (f *Flow) touchesRecording(wh *webhook, paused, asks bool) bool {
	return f.cfg.recordings != nil && !callEnded(wh.callStatus) && paused != asks
}

// pausesRecording reports whether step idx is asked with the recording
// paused. noStep is no step.
func (f *Flow) pausesRecording(idx int) bool {
	if idx == noStep {
		return false
	}
	s := &f.steps[idx]
	return !s.Plain && !s.InsecureKeepRecording
}

// callEnded reports whether a request's CallStatus says the call is over:
// Twilio may post a <Gather>'s action after the caller hung up.
func callEnded(status string) bool {
	switch status {
	case "completed", "canceled", "busy", "failed", "no-answer":
		return true
	}
	return false
}

func (f *Flow) pause(ctx context.Context, p RecordingPauser, callSid string) recordingResult {
	err := p.Pause(ctx, callSid)
	switch {
	case err == nil:
		return recordingResult{action: RecordingPaused}
	case errors.Is(err, ErrNoActiveRecording):
		return recordingResult{action: RecordingNone}
	}
	return recordingResult{action: RecordingPauseFailed, err: err, failedClosed: !f.cfg.recordingFailOpen}
}

func (f *Flow) resume(ctx context.Context, p RecordingPauser, callSid string) recordingResult {
	err := p.Resume(ctx, callSid)
	switch {
	case err == nil:
		return recordingResult{action: RecordingResumed}
	case errors.Is(err, ErrNoActiveRecording):
		return recordingResult{action: RecordingNone}
	}
	return recordingResult{action: RecordingResumeFailed, err: err}
}
