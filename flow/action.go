package flow

// sealedActionURL is where Twilio sends the answer to a step: base (the
// public URL of the current document, with WithAbsoluteURLs) or, by
// default, relative to the current document, so the flow works under any
// mount point; its query names the step and carries st, sealed for it. The
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
