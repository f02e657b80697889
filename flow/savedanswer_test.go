package flow

import (
	"testing"

	"github.com/encgather/encgather/internal/twiliosig"
)

// TestRequestHashOrder checks that an unsigned request's hash depends on
// its parameters, not on the order they came in.
func TestRequestHashOrder(t *testing.T) {
	url := testWebhook + "?step=getPin"
	p := func(kv ...string) []twiliosig.Param {
		var out []twiliosig.Param
		for i := 0; i < len(kv); i += 2 {
			out = append(out, twiliosig.Param{Name: kv[i], Value: kv[i+1]})
		}
		return out
	}
	base := hashContents(url, p("Digits", "1234", "CallSid", testCallSid, "To", "+15005550001", "To", "+15005550002"))
	tests := []struct {
		name   string
		params []twiliosig.Param
		same   bool
	}{
		{"same order", p("Digits", "1234", "CallSid", testCallSid, "To", "+15005550001", "To", "+15005550002"), true},
		{"names reordered", p("To", "+15005550001", "CallSid", testCallSid, "Digits", "1234", "To", "+15005550002"), true},
		{"repeated name's values swapped", p("Digits", "1234", "CallSid", testCallSid, "To", "+15005550002", "To", "+15005550001"), true},
		{"one value changed", p("Digits", "1235", "CallSid", testCallSid, "To", "+15005550001", "To", "+15005550002"), false},
		{"values moved between names", p("Digits", testCallSid, "CallSid", "1234", "To", "+15005550001", "To", "+15005550002"), false},
		{"one parameter fewer", p("Digits", "1234", "CallSid", testCallSid, "To", "+15005550001"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hashContents(url, tt.params)
			if (got == base) != tt.same {
				t.Errorf("hash equal to the first request's: %v, want %v", got == base, tt.same)
			}
		})
	}
}

// TestRequestHashSigned checks that a signed request is named by its
// signature, which covers all it carries, and never by contents alone.
func TestRequestHashSigned(t *testing.T) {
	params := []twiliosig.Param{{Name: "Digits", Value: "1234"}}
	signed := func(sig string) *webhook {
		return &webhook{signed: signedRequest{url: testWebhook, signature: sig}, params: params}
	}
	a := hashRequest(signed("c2lnbmF0dXJlIG9uZSBvZiB0d2VudHk="))
	if a != hashRequest(signed("c2lnbmF0dXJlIG9uZSBvZiB0d2VudHk=")) {
		t.Error("one signature hashes two ways")
	}
	if a == hashRequest(signed("c2lnbmF0dXJlIHR3byBvZiB0d2VudHk=")) {
		t.Error("two signatures hash the same")
	}
	if a == hashRequest(signed("")) || a == hashContents(testWebhook, params) {
		t.Error("a signed request hashes as an unsigned one")
	}
}
