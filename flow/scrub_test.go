package flow

import (
	"net/url"
	"testing"
)

func TestScrub(t *testing.T) {
	in := url.Values{
		"Digits":       {"1234"},
		"SpeechResult": {"one two"},
		stateParam:     {"token"},
		"CallSid":      {testCallSid},
	}
	out := Scrub(in)
	for _, k := range []string{"Digits", "SpeechResult", stateParam} {
		if got := out.Get(k); got != redacted {
			t.Errorf("%s = %q, want %q", k, got, redacted)
		}
	}
	if out.Get("CallSid") != testCallSid {
		t.Errorf("CallSid changed: %q", out.Get("CallSid"))
	}
	if in.Get("Digits") != "1234" {
		t.Errorf("Scrub changed its input")
	}
}
