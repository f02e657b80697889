package flow

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoActiveRecording is what a RecordingPauser reports, wrapped, when the
// call has no active recording (Twilio answers "not found"). A flow treats
// it as normal and carries on.
var ErrNoActiveRecording = errors.New("flow: call has no active recording")

// RecordingPauser pauses and resumes the active recording of a call, such
// as package recording's Client, which does it through Twilio's REST API.
// Each method returns nil, an error wrapping ErrNoActiveRecording, or any
// other error for a failure. A flow calls it within the webhook request,
// with the request's context, and waits for it.
type RecordingPauser interface {
	Pause(ctx context.Context, callSid string) error
	Resume(ctx context.Context, callSid string) error
}

// WithRecordingPause makes the flow pause the call's recording through p
// before it asks a sensitive step, and resume it once the value is sealed.
// Plain steps and steps marked InsecureKeepRecording are recorded.
//
// A request calls p at most once, and only on a transition:
//
//   - it asks a sensitive step and did not answer one (the call's first
//     request, or after a plain step): pause, before the prompt is sent;
//   - it answered a sensitive step and asks none (a plain step follows, the
//     flow finishes, the caller has used every attempt, or the request
//     cannot be served): resume;
//   - it answered a sensitive step and asks another, or the same one again
//     after silence or a bad entry: nothing, the recording stays paused, so
//     the caller's second try is not recorded either.
//
// A call with no active recording is normal and the flow carries on. If a
// pause fails otherwise, the flow apologises and ends the call without
// asking (unless InsecureRecordingFailOpen is given, when it logs a warning
// and asks). A failed resume is logged as a warning; the value is already
// sealed.
//
// If the call ends while the recording is paused (the caller hangs up
// during a sensitive step), the recording ends with the call and keeps
// nothing of the paused part; no status callback is needed. Should Twilio
// still post the step's action, its CallStatus says the call is over and
// the flow attempts a resume, which Twilio may answer "not found".
func WithRecordingPause(p RecordingPauser) Option {
	return flowOption(func(c *config) error {
		if p == nil {
			return fmt.Errorf("%w: nil RecordingPauser", ErrDefinition)
		}
		c.recordings = p
		return nil
	})
}

// InsecureRecordingFailOpen makes a flow that pauses recordings ask for a
// sensitive value even when the recording could not be paused (for any
// reason other than there being no recording), logging a warning. The key
// tones may then be in the recording. The default fails closed: the flow
// apologises and ends the call without asking.
func InsecureRecordingFailOpen() Option {
	return flowOption(func(c *config) error { c.failOpen = true; return nil })
}

// What a request did to the call's recording, as logged in the "recording"
// attribute of its line.
const (
	recPaused       = "paused"        // the recording was paused before a sensitive step
	recResumed      = "resumed"       // the recording was resumed after one
	recNone         = "none"          // the call has no active recording: nothing to do
	recPauseFailed  = "pause_failed"  // pausing failed (see "error")
	recResumeFailed = "resume_failed" // resuming failed (see "error")
)

// recordingResult is what the recording rule did for one request.
type recordingResult struct {
	action       string // one of the rec constants, or "" when nothing was done
	err          error
	failedClosed bool // the pause failed and the step must not be asked
}

// failed reports whether the result deserves at least a warning.
func (r recordingResult) failed() bool {
	return r.action == recPauseFailed || r.action == recResumeFailed
}

// recordingRule pauses or resumes the call's recording as the decision
// leaves or enters a sensitive step.
func (f *Flow) recordingRule(wh *webhook, d *decision) recordingResult {
	p := f.cfg.recordings
	if p == nil || !validCallSid(d.callSid) {
		return recordingResult{}
	}
	answered := f.pausesRecording(d.answered)
	asks := f.pausesRecording(d.asked)
	ended := callEnded(wh.callStatus)
	switch {
	case answered && (!asks || ended):
		return f.resume(wh.ctx, p, d.callSid)
	case asks && !answered && !ended:
		return f.pause(wh.ctx, p, d.callSid)
	}
	return recordingResult{}
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
		return recordingResult{action: recPaused}
	case errors.Is(err, ErrNoActiveRecording):
		return recordingResult{action: recNone}
	}
	return recordingResult{action: recPauseFailed, err: err, failedClosed: !f.cfg.failOpen}
}

func (f *Flow) resume(ctx context.Context, p RecordingPauser, callSid string) recordingResult {
	err := p.Resume(ctx, callSid)
	switch {
	case err == nil:
		return recordingResult{action: recResumed}
	case errors.Is(err, ErrNoActiveRecording):
		return recordingResult{action: recNone}
	}
	return recordingResult{action: recResumeFailed, err: err}
}
