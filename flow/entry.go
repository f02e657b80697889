package flow

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxEntryLen bounds the value of one entry parameter (WithEntryParams),
// in bytes: a first request whose declared parameter is longer is refused
// with the apology.
const MaxEntryLen = 64

// maxEntryParams bounds the entry parameters one flow may declare.
const maxEntryParams = 8

// errEntry is the cause logged for a first request whose entry parameter
// cannot be kept; it names the parameter, never its value.
var errEntry = errors.New("flow: entry parameter")

// WithEntryParams makes the flow read the named parameters from the query
// string of a call's first request, as a TwiML Redirect widget of Twilio
// Studio sends them (for example "?lang={{flow.variables.lang}}"), and
// keep them for the whole call in its sealed state. Twilio signs the
// query with the rest of the URL, so they are as trustworthy as the
// request. Steps' Check, PromptFor and DigitsFor read them with
// Call.Fact, and Finish finds them in Result.Facts, beside the facts steps
// reveal. A parameter the request does not hold, or holds empty, is
// absent. Parameters not declared are ignored, as are the declared ones
// in any later request.
//
// They must not be sensitive: they arrive in the URL, which Twilio and
// Studio log. A value is at most MaxEntryLen bytes of UTF-8 text without
// control characters; a first request with a longer one, or one given
// twice, is refused with the apology (outcome "bad_request"). At most 8
// names, each 1 to 32 letters, digits, '-' or '_'; New refuses one that is
// a parameter the flow reads itself ("step", "state", or one of Twilio's
// it reads: CallSid, AccountSid, From, Digits, SpeechResult, CallStatus),
// a step's name or field, or a fact a step reveals.
//
// A call's first request answers once (see Single use): an entry with the
// same parameters again in the same call, as a Studio loop that sends the
// caller back would make, is refused as a replay. A loop must make each
// entry differ, for example with a parameter that carries the time
// ("&entry={{'now' | date: '%s'}}"); each such entry starts afresh.
func WithEntryParams(names ...string) Option {
	return flowOption(func(c *config) error {
		if len(names) == 0 || len(names) > maxEntryParams {
			return fmt.Errorf("%w: 1 to %d entry parameters", ErrDefinition, maxEntryParams)
		}
		c.entryParams = append([]string(nil), names...)
		return nil
	})
}

// reservedParams are the parameters the engine reads itself (see
// webhook.field): no entry parameter may take one of their names.
var reservedParams = []string{stepParam, stateParam, "CallSid", "AccountSid", "From", "Digits", "SpeechResult", "CallStatus"}

// checkEntryParams refuses entry parameter names that are not valid or
// collide with the flow's own parameters, steps or facts. It runs after
// checkSteps.
func (f *Flow) checkEntryParams() error {
	seen := make(map[string]bool, len(f.cfg.entryParams))
	for _, name := range f.cfg.entryParams {
		if !validName(name) || seen[name] {
			return fmt.Errorf("%w: entry parameter %q is not a valid name or is declared twice", ErrDefinition, name)
		}
		seen[name] = true
		for _, r := range reservedParams {
			if name == r {
				return fmt.Errorf("%w: entry parameter %q is one the flow reads itself", ErrDefinition, name)
			}
		}
		if _, ok := f.facts[name]; ok {
			return fmt.Errorf("%w: entry parameter %q is a fact a step reveals", ErrDefinition, name)
		}
		for i := range f.steps {
			if s := &f.steps[i]; name == s.Name || name == s.field() {
				return fmt.Errorf("%w: entry parameter %q is step %q's name or field", ErrDefinition, name, s.Name)
			}
		}
	}
	return nil
}

// entryLen is how many bytes a state's entry values take at most: their
// length, then each value's length and bytes (see state).
func (f *Flow) entryLen() int {
	if len(f.cfg.entryParams) == 0 {
		return 0
	}
	return 2 + len(f.cfg.entryParams)*(1+MaxEntryLen)
}

// readEntry encodes the declared entry parameters of a call's first
// request, in the order they were declared, each a 1-byte length and its
// bytes (as facts are): nil when the flow declares none or the request
// holds none of them.
func (f *Flow) readEntry(wh *webhook) ([]byte, error) {
	if len(f.cfg.entryParams) == 0 {
		return nil, nil
	}
	values := make([]string, len(f.cfg.entryParams))
	given := false
	for i, name := range f.cfg.entryParams {
		n := 0
		for _, p := range wh.query {
			if p.Name == name {
				values[i], n = p.Value, n+1
			}
		}
		switch v := values[i]; {
		case n > 1:
			return nil, fmt.Errorf("%w %s given more than once", errEntry, name)
		case len(v) > MaxEntryLen:
			return nil, fmt.Errorf("%w %s is %d bytes, over the %d allowed", errEntry, name, len(v), MaxEntryLen)
		case !plainText(v):
			return nil, fmt.Errorf("%w %s is not UTF-8 text without control characters", errEntry, name)
		}
		given = given || values[i] != ""
	}
	if !given {
		return nil, nil
	}
	var out []byte
	for _, v := range values {
		out = append(out, byte(len(v)))
		out = append(out, v...)
	}
	return out, nil
}

// plainText reports whether s is UTF-8 without control characters.
func plainText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 {
			return false
		}
	}
	return true
}

// entryFact returns the entry parameter name of a call whose encoded
// entry values are entry, and whether the call holds it.
func (f *Flow) entryFact(entry []byte, name string) (string, bool) {
	for i, n := range f.cfg.entryParams {
		if n == name {
			v, ok := factAt(entry, i)
			return v, ok && v != ""
		}
	}
	return "", false
}
