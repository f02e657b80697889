package flow

import "github.com/encgather/encgather/twiml"

// outcome is what a request came to, as logged in the "outcome" attribute
// of its line.
type outcome string

const (
	outcomeAsked           outcome = "asked"            // a step was asked for the first time
	outcomeGathered        outcome = "gathered"         // a value was accepted and the next step asked
	outcomeRetry           outcome = "retry"            // a step was asked again (see "reason")
	outcomeGaveUp          outcome = "gave_up"          // the last attempt failed: goodbye
	outcomeFinished        outcome = "finished"         // Finish answered the caller
	outcomeDeclined        outcome = "declined"         // Finish declined the caller (ErrDeclined)
	outcomeFinishFailed    outcome = "finish_failed"    // Finish returned an error
	outcomeBadSignature    outcome = "bad_signature"    // 403: security event
	outcomeBadRequest      outcome = "bad_request"      // malformed body or CallSid
	outcomeBadMethod       outcome = "bad_method"       // neither GET nor POST
	outcomeBadState        outcome = "bad_state"        // token tampered with, or from another call, step or flow: security event
	outcomeExpired         outcome = "expired"          // token past its maximum age: security event
	outcomeUnknownStep     outcome = "unknown_step"     // step parameter names no step: security event
	outcomeBadNext         outcome = "bad_next"         // a Next function named no step
	outcomeSealFailed      outcome = "seal_failed"      // the Sealer refused a value
	outcomePanic           outcome = "panic"            // the service's code panicked
	outcomeRecordingFailed outcome = "recording_failed" // a pause failed closed: the apology instead of the step
	outcomeWrongAccount    outcome = "wrong_account"    // AccountSid is not the recording pauser's: security event
)

// noStep marks a decision that answered or asks no step.
const noStep = -1

// decision is what the engine decided for one request. serve returns it
// whole; logging, the recording rule and the response writer read it and
// never change it.
type decision struct {
	callSid  string
	answered int // index of the step the request answered, or noStep
	attempt  int // attempt of the answered step
	asked    int // index of the step asked next, or noStep
	outcome  outcome
	reason   Reason // why the asked step asks again, when it does
	err      error  // the cause of a refusal or failure; never holds a value
	verbs    []twiml.Verb
	stack    []byte // where a panic happened, for the log
	use      tokenUse

	// paused says the call's recording was paused when the request came,
	// as the request's state says.
	paused bool
}

// refused is the decision for a request the engine does not serve.
func refused(callSid string, o outcome, err error, verbs []twiml.Verb) decision {
	return decision{callSid: callSid, answered: noStep, asked: noStep, outcome: o, err: err, verbs: verbs}
}
