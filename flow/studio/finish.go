package studio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

// Outcome is what the return URL's "outcome" parameter says: how the
// call ended, for the Studio flow to branch on.
type Outcome string

// The outcomes Return.Finish sends, by the flow's ending.
const (
	Verified        Outcome = "verified"          // the flow finished and the service accepted the caller (Decide)
	Declined        Outcome = "declined"          // Decide declined the caller (an error wrapping flow.ErrDeclined)
	Failed          Outcome = "failed"            // Decide failed, or a result was refused
	Interrupted     Outcome = "interrupted"       // the caller pressed a step's InterruptKey (flow.OutcomeInterrupted)
	TooManyAttempts Outcome = "too_many_attempts" // a step used its last attempt (flow.OutcomeGaveUp)
)

// MaxValueLen bounds one returned result, in bytes.
const MaxValueLen = 128

// minSecretRun is the shortest run of hex or base64 characters a returned
// result is refused for: it may be a sealed value, a key or a token.
const minSecretRun = 24

// ErrRefused is wrapped by a Finish's error when a result may not go back
// to Studio; the error names the result, never its value.
var ErrRefused = errors.New("studio: result refused")

// Decide is the service's own decision on a call that reached the flow's
// end: an outcome (Verified, or a word of its own of 1 to 32 letters,
// digits or '_') and results to return, which only the declared ones
// leave. An error wrapping flow.ErrDeclined returns Declined; any other
// error, Failed. It typically hands the sealed values to a backend
// (FromFinish).
type Decide func(ctx context.Context, r *flow.Result) (Outcome, map[string]string, error)

// FromFinish is a Decide from a flow.Finish, such as package
// flow/backend's: Verified when it returns no error, otherwise its error
// (Declined for flow.ErrDeclined, else Failed). Its verbs are not said:
// the call goes back to Studio, which speaks for itself.
func FromFinish(finish flow.Finish) Decide {
	return func(ctx context.Context, r *flow.Result) (Outcome, map[string]string, error) {
		if _, err := finish(ctx, r); err != nil {
			return "", nil, err
		}
		return Verified, nil, nil
	}
}

// Finish returns the flow.Finish of a flow whose calls return to Studio.
// When the flow reaches its end it runs decide; on every ending it
// answers with <Redirect method="POST"> to the return URL of the
// request's AccountSid, whose "outcome" says how the call ended (see
// Outcome) and whose other parameters are the declared results: for each
// name declared in New, what decide returned under it, else the call's
// fact (flow.Result.Facts, which also holds flow.WithEntryParams' values)
// or Plain value of that name. A caller who hung up gets nothing (with
// flow.WithFinishOnHangUp decide does not run either).
//
// A result that is, or contains, one of the call's sealed values or a run
// of 24 or more hex or base64 characters, or is longer than MaxValueLen or
// not UTF-8 text, is refused: the call returns with Failed alone, and the
// error, which the flow logs, wraps ErrRefused and names the result. An
// error of decide is returned too, for the flow to log ("declined" or
// "finish_failed"); its redirect is still what the caller gets. A request
// without a valid AccountSid gets the flow's apology.
//
// It panics if decide is nil.
func (r *Return) Finish(decide Decide) flow.Finish {
	if decide == nil {
		panic("studio: Finish with a nil Decide")
	}
	return func(ctx context.Context, res *flow.Result) ([]twiml.Verb, error) {
		if res.Outcome == flow.OutcomeHungUp {
			return nil, nil
		}
		outcome, results, err := r.decide(ctx, decide, res)
		if outcome != Failed {
			if rerr := r.check(res, results); rerr != nil {
				outcome, results, err = Failed, nil, rerr
			}
		}
		if outcome == Failed {
			results = nil
		}
		u, uerr := r.URL(res.AccountSid, outcome, results)
		if uerr != nil {
			return nil, errors.Join(err, uerr)
		}
		return []twiml.Verb{twiml.Redirect{URL: u, Method: twiml.MethodPOST}}, err
	}
}

// decide maps the flow's ending to an outcome, running decide for a call
// that reached the end, and gathers the declared results.
func (r *Return) decide(ctx context.Context, decide Decide, res *flow.Result) (Outcome, map[string]string, error) {
	var outcome Outcome
	var decided map[string]string
	var err error
	switch res.Outcome {
	case flow.OutcomeFinished:
		outcome, decided, err = decide(ctx, res)
		switch {
		case errors.Is(err, flow.ErrDeclined):
			outcome, decided = Declined, nil
		case err != nil:
			return Failed, nil, err
		case !validName(string(outcome)) || longSecretRun(string(outcome)):
			return Failed, nil, fmt.Errorf("%w: the outcome Decide returned is not 1 to 32 letters, digits or '_'", ErrRefused)
		}
	case flow.OutcomeGaveUp:
		outcome = TooManyAttempts
	case flow.OutcomeInterrupted:
		outcome = Interrupted
	default:
		return Failed, nil, nil
	}
	results := make(map[string]string, len(r.names))
	for _, name := range r.names {
		if v, ok := decided[name]; ok {
			results[name] = v
		} else if v, ok := res.Facts[name]; ok {
			results[name] = v
		} else if v, ok := res.Plain[name]; ok {
			results[name] = v
		}
	}
	return outcome, results, err
}

// check refuses a result that must not reach Studio.
func (r *Return) check(res *flow.Result, results map[string]string) error {
	for _, name := range r.names {
		v := results[name]
		switch {
		case len(v) > MaxValueLen:
			return fmt.Errorf("%w: %q is longer than %d bytes", ErrRefused, name, MaxValueLen)
		case !utf8.ValidString(v):
			return fmt.Errorf("%w: %q is not UTF-8 text", ErrRefused, name)
		case longSecretRun(v):
			return fmt.Errorf("%w: %q holds a run of %d or more hex or base64 characters", ErrRefused, name, minSecretRun)
		}
		for _, sealed := range res.Sealed {
			if sealed != "" && strings.Contains(strings.ToLower(v), strings.ToLower(sealed)) {
				return fmt.Errorf("%w: %q holds a sealed value", ErrRefused, name)
			}
		}
	}
	return nil
}

// longSecretRun reports whether s holds minSecretRun or more characters
// in a row of the base64 alphabets (standard and URL, with padding), of
// which hex is a part.
func longSecretRun(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' || c == '=' {
			if run++; run >= minSecretRun {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
