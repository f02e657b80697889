package studio

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/encgather/encgather/flow"
)

// ErrSID is wrapped by ReturnURL's error for an AccountSid or Flow SID
// without a SID's shape.
var ErrSID = errors.New("studio: invalid SID")

// OutcomeParam and flowEventParam are the return URL's own parameters: no
// returnable result may take their names.
const (
	OutcomeParam   = "outcome"
	flowEventParam = "FlowEvent"
)

// maxReturnable bounds the results one Return may declare.
const maxReturnable = 16

// Return sends calls back to one Studio flow. It is safe for concurrent
// use.
type Return struct {
	flowSid string
	names   []string // the returnable results, in the order declared
}

// New returns a Return to the Studio flow flowSid ("FW" and 32 lowercase
// hex digits) for a flow.Flow with steps, which may carry the results
// named returnable besides the outcome. It refuses a name that is a
// sensitive step's name or field, "outcome" or "FlowEvent", declared
// twice, or not 1 to 32 letters, digits or '_'. Every error wraps
// flow.ErrDefinition.
func New(flowSid string, steps []flow.Step, returnable ...string) (*Return, error) {
	if !ValidFlowSid(flowSid) {
		return nil, fmt.Errorf("%w: studio: Flow SID %q is not FW and 32 lowercase hex digits", flow.ErrDefinition, flowSid)
	}
	if len(returnable) > maxReturnable {
		return nil, fmt.Errorf("%w: studio: more than %d returnable results", flow.ErrDefinition, maxReturnable)
	}
	for i, name := range returnable {
		switch {
		case !validName(name):
			return nil, fmt.Errorf("%w: studio: returnable result %q is not 1 to 32 letters, digits or '_'", flow.ErrDefinition, name)
		case name == OutcomeParam || name == flowEventParam:
			return nil, fmt.Errorf("%w: studio: returnable result %q is a parameter of the return URL itself", flow.ErrDefinition, name)
		case slices.Contains(returnable[:i], name):
			return nil, fmt.Errorf("%w: studio: returnable result %q declared twice", flow.ErrDefinition, name)
		}
		for _, s := range steps {
			field := s.Field
			if field == "" {
				field = s.Name
			}
			if !s.Plain && (name == s.Name || name == field) {
				return nil, fmt.Errorf("%w: studio: returnable result %q is sensitive step %q's name or field", flow.ErrDefinition, name, s.Name)
			}
		}
	}
	return &Return{flowSid: flowSid, names: slices.Clone(returnable)}, nil
}

// FlowSid is the SID of the Studio flow the calls return to.
func (r *Return) FlowSid() string { return r.flowSid }

// FlowOptions returns the options a flow.Flow that returns to Studio
// needs: flow.WithEveryEnding, so that every ending that can still
// answer reaches Return.Finish.
func FlowOptions() []flow.Option { return []flow.Option{flow.WithEveryEnding()} }

// ReturnURL is the URL that hands a call of account accountSid back to
// the Studio flow flowSid, to the TwiML Redirect widget that sent it
// away: "https://webhooks.twilio.com/v1/Accounts/{accountSid}/Flows/{flowSid}?FlowEvent=return".
// Both must be SIDs of their kind ("AC" or "FW", and 32 lowercase hex
// digits), or the error wraps ErrSID.
func ReturnURL(accountSid, flowSid string) (string, error) {
	if !ValidAccountSid(accountSid) || !ValidFlowSid(flowSid) {
		return "", fmt.Errorf("%w: an AccountSid (AC...) and a Flow SID (FW...) with 32 lowercase hex digits are needed", ErrSID)
	}
	return "https://webhooks.twilio.com/v1/Accounts/" + accountSid + "/Flows/" + flowSid + "?" + flowEventParam + "=return", nil
}

// URL is the return URL for account accountSid with outcome and the
// results given, in the order the results were declared (a result not
// declared is left out; one without a value too). It checks no value:
// Return.Finish does.
func (r *Return) URL(accountSid string, outcome Outcome, results map[string]string) (string, error) {
	base, err := ReturnURL(accountSid, r.flowSid)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(base)
	b.WriteString("&" + OutcomeParam + "=")
	b.WriteString(url.QueryEscape(string(outcome)))
	for _, name := range r.names {
		if v := results[name]; v != "" {
			b.WriteString("&" + name + "=")
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String(), nil
}

// ValidAccountSid reports whether s is an AccountSid: "AC" and 32
// lowercase hex digits.
func ValidAccountSid(s string) bool { return validSid(s, "AC") }

// ValidFlowSid reports whether s is a Studio Flow SID: "FW" and 32
// lowercase hex digits.
func ValidFlowSid(s string) bool { return validSid(s, "FW") }

func validSid(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	for i := 2; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// validName reports whether name is 1 to 32 letters, digits or '_': a
// name Liquid reads as {{widgets.<widget>.<name>}}.
func validName(name string) bool {
	if len(name) < 1 || len(name) > 32 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
