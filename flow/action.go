package flow

// actionURL is where Twilio sends the answer to a step: base (the public
// URL of the current document, with WithAbsoluteURLs) or, by default,
// relative to the current document, so the flow works under any mount
// point.
func actionURL(base, step, token string) string {
	b := make([]byte, 0, len(base)+len(StepParam)+len(step)+len(StateParam)+len(token)+4)
	return string(append(appendActionPrefix(b, base, step), token...))
}

// sealedActionURL is actionURL with st sealed for step as its token. The
// URL is built in a pooled buffer, so the string is its one allocation.
func (f *Flow) sealedActionURL(base, step string, st *state, callSid string) string {
	bp := getScratch(0)
	b := appendActionPrefix(*bp, base, step)
	b = f.states.appendToken(b, st, callSid, step)
	action := string(b)
	*bp = b
	putScratch(bp, nil) // nothing secret: a URL
	return action
}

// appendActionPrefix appends an action URL up to its token.
func appendActionPrefix(dst []byte, base, step string) []byte {
	dst = append(dst, base...)
	dst = append(dst, '?')
	dst = append(dst, StepParam...)
	dst = append(dst, '=')
	dst = append(dst, step...) // names are [A-Za-z0-9_-]: nothing to escape
	dst = append(dst, '&')
	dst = append(dst, StateParam...)
	dst = append(dst, '=')
	return dst // a token is base64url: nothing to escape
}
