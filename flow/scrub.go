package flow

import "net/url"

// Redacted replaces sensitive values in the output of Scrub.
const Redacted = "[redacted]"

// scrubbed are the parameters that may hold what a caller typed or said,
// or a state token.
var scrubbed = []string{"Digits", "SpeechResult", "UnstableSpeechResult", StateParam}

// Scrub returns a copy of v with every value that may hold a caller's input
// (Digits, SpeechResult, UnstableSpeechResult) or a flow's state replaced by
// Redacted, for a service's own request logs.
func Scrub(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	for _, k := range scrubbed {
		if vals, ok := out[k]; ok {
			for i := range vals {
				vals[i] = Redacted
			}
		}
	}
	return out
}
