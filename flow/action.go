package flow

import "strings"

// actionURL is where Twilio sends the answer to a step: base (the public
// URL of the current document, with WithAbsoluteURLs) or, by default,
// relative to the current document, so the flow works under any mount
// point.
func actionURL(base, step, token string) string {
	var b strings.Builder
	b.Grow(len(base) + len(StepParam) + len(step) + len(StateParam) + len(token) + 4)
	b.WriteString(base)
	b.WriteByte('?')
	b.WriteString(StepParam)
	b.WriteByte('=')
	b.WriteString(step) // names are [A-Za-z0-9_-]: nothing to escape
	b.WriteByte('&')
	b.WriteString(StateParam)
	b.WriteByte('=')
	b.WriteString(token) // base64url: nothing to escape
	return b.String()
}
