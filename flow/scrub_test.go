package flow

import (
	"net/url"
	"testing"
)

func TestScrub(t *testing.T) {
	in := url.Values{
		"Digits":       {"1234"},
		"SpeechResult": {"one two"},
		StateParam:     {"token"},
		"CallSid":      {testCallSid},
	}
	out := Scrub(in)
	for _, k := range []string{"Digits", "SpeechResult", StateParam} {
		if got := out.Get(k); got != Redacted {
			t.Errorf("%s = %q, want %q", k, got, Redacted)
		}
	}
	if out.Get("CallSid") != testCallSid {
		t.Errorf("CallSid changed: %q", out.Get("CallSid"))
	}
	if in.Get("Digits") != "1234" {
		t.Errorf("Scrub changed its input")
	}
}
