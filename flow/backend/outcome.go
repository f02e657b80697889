package backend

import (
	"errors"
	"strconv"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

// What a Finish from New says when Config.Decline or Config.Failure is
// nil: the SDK's own sentences, in English, in Twilio's default voice.
const (
	// DefaultDecline is said when the backend found no match for the
	// caller's entries.
	DefaultDecline = "We could not find a match for what you entered. Goodbye."
	// DefaultFailure is said when the backend could not be asked, or
	// gave no usable answer.
	DefaultFailure = "We're sorry, we cannot complete your request right now. Please try again later. Goodbye."
)

// ErrFailed is wrapped by every failure of a Finish from New: the backend
// unreachable or slow, a status outside 2xx that is not a decline, a
// redirect, an answer too large or one OnSuccess refused. Its message has
// the status code at most, never a body or a value.
var ErrFailed = errors.New("backend: failed")

// StatusError is a Finish's error for a backend's answer outside 2xx. A
// decline (Config.DeclineStatuses) wraps flow.ErrDeclined, which the flow
// logs at INFO; any other status wraps ErrFailed.
type StatusError struct {
	// Status is the backend's HTTP status.
	Status int
	// Declined says that Status is one of Config.DeclineStatuses.
	Declined bool
}

// Error returns "backend: declined: status 404" or "backend: failed:
// status 500".
func (e *StatusError) Error() string {
	what := "backend: declined"
	if !e.Declined {
		what = ErrFailed.Error()
	}
	return what + ": status " + strconv.Itoa(e.Status)
}

// Unwrap returns flow.ErrDeclined for a decline, else ErrFailed.
func (e *StatusError) Unwrap() error {
	if e.Declined {
		return flow.ErrDeclined
	}
	return ErrFailed
}

// declined reports whether err is a decline.
func declined(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Declined
}

// orSay returns verbs, or a <Say> of text when verbs is nil.
func orSay(verbs []twiml.Verb, text string) []twiml.Verb {
	if verbs == nil {
		return []twiml.Verb{twiml.Say{Text: text}}
	}
	return verbs
}
