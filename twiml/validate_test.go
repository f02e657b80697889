package twiml

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestValidateValid(t *testing.T) {
	tests := []struct {
		name string
		r    *Response
	}{
		{"empty", &Response{}},
		{"tutorial getPin", getPin()},
		{"zero values", &Response{Verbs: []Verb{Gather{}, Pause{}, Hangup{}, Reject{}, Play{Digits: "1"}}}},
		{"loop forever", &Response{Verbs: []Verb{Say{Text: "a", Loop: LoopForever}, Play{URL: "u", Loop: LoopForever}}}},
		{"no finish key", &Response{Verbs: []Verb{Gather{FinishOnKey: NoFinishOnKey}}}},
		{"speech timeout auto", &Response{Verbs: []Verb{Gather{SpeechTimeout: SpeechTimeoutAuto}}}},
		{"fractional seconds round up", &Response{Verbs: []Verb{Gather{Timeout: 1500 * time.Millisecond}}}},
		{"say at the limit", &Response{Verbs: []Verb{Say{Text: strings.Repeat("é", MaxSayLength)}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.r.Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestValidateInvalid(t *testing.T) {
	tests := []struct {
		name string
		verb Verb
		// wantVerb and wantAttr name the reported problem.
		wantVerb, wantAttr string
	}{
		{"nil verb", nil, "Response", ""},
		{"nil pointer", (*Say)(nil), "Response", ""},
		{"pointer", &Say{Text: "a"}, "Response", ""},
		{"gather nested pointer", Gather{Verbs: []GatherVerb{&Pause{}}}, "Gather", ""},
		{"say empty", Say{}, "Say", ""},
		{"say too long", Say{Text: strings.Repeat("a", MaxSayLength+1)}, "Say", ""},
		{"say control character", Say{Text: "a\x00"}, "Say", ""},
		{"say invalid utf-8", Say{Text: "a\xff"}, "Say", ""},
		{"say negative loop", Say{Text: "a", Loop: -2}, "Say", "loop"},
		{"say voice", Say{Text: "a", Voice: "\x01"}, "Say", "voice"},
		{"play nothing", Play{}, "Play", ""},
		{"play negative loop", Play{URL: "u", Loop: -5}, "Play", "loop"},
		{"play digits", Play{Digits: "12a"}, "Play", "digits"},
		{"pause negative", Pause{Length: -time.Second}, "Pause", "length"},
		{"pause under a second", Pause{Length: time.Millisecond}, "Pause", "length"},
		{"gather input", Gather{Input: "touch"}, "Gather", "input"},
		{"gather method", Gather{Method: "PUT"}, "Gather", "method"},
		{"gather lower-case method", Gather{Method: "post"}, "Gather", "method"},
		{"gather timeout under a second", Gather{Timeout: 500 * time.Millisecond}, "Gather", "timeout"},
		{"gather negative timeout", Gather{Timeout: -time.Second}, "Gather", "timeout"},
		{"gather numDigits", Gather{NumDigits: -1}, "Gather", "numDigits"},
		{"gather finishOnKey two keys", Gather{FinishOnKey: "#*"}, "Gather", "finishOnKey"},
		{"gather finishOnKey letter", Gather{FinishOnKey: "a"}, "Gather", "finishOnKey"},
		{"gather speechTimeout", Gather{SpeechTimeout: -2 * time.Second}, "Gather", "speechTimeout"},
		{"gather profanityFilter", Gather{ProfanityFilter: 3}, "Gather", "profanityFilter"},
		{"gather callback method", Gather{PartialResultCallbackMethod: "PATCH"}, "Gather", "partialResultCallbackMethod"},
		{"gather action", Gather{Action: "/a\x7f\x00"}, "Gather", "action"},
		{"gather nested", Gather{Verbs: []GatherVerb{Say{}}}, "Say", ""},
		{"gather nested nil", Gather{Verbs: []GatherVerb{nil}}, "Gather", ""},
		{"redirect empty", Redirect{}, "Redirect", ""},
		{"redirect method", Redirect{URL: "/a", Method: "DELETE"}, "Redirect", "method"},
		{"reject reason", Reject{Reason: "nope"}, "Reject", "reason"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := (&Response{Verbs: []Verb{tc.verb}}).Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate() = %v, want an error matching ErrInvalid", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate() = %v, want an *Error", err)
			}
			if e.Verb != tc.wantVerb || e.Attr != tc.wantAttr {
				t.Errorf("error names %q %q, want %q %q (%v)", e.Verb, e.Attr, tc.wantVerb, tc.wantAttr, err)
			}
			if !strings.HasPrefix(err.Error(), "twiml: ") {
				t.Errorf("message %q lacks the package prefix", err)
			}
		})
	}
}

func TestValidateReportsAll(t *testing.T) {
	r := &Response{Verbs: []Verb{
		Gather{NumDigits: -1, Timeout: time.Millisecond},
		Redirect{},
	}}
	err := r.Validate()
	msg := err.Error()
	for _, want := range []string{"Gather numDigits", "Gather timeout", "Redirect: URL is empty"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
}

func TestValidateNeverQuotesText(t *testing.T) {
	secret := "4321"
	r := &Response{Verbs: []Verb{
		Say{Text: secret + "\x00", Voice: secret + "\x01"},
		Play{Digits: secret + "x"},
		Redirect{URL: "/" + secret + "\x02"},
	}}
	err := r.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q quotes a value", err)
	}
}

func TestValidateNilResponse(t *testing.T) {
	var r *Response
	if err := r.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Validate() on nil = %v, want ErrInvalid", err)
	}
}
