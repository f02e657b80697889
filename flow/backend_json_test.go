package flow

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzAppendJSONString checks the body's string escaping against
// encoding/json for any string, valid UTF-8 or not.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "encryptedPinDigits", "a\"b\\c", "<&>", "\x00\x1f\x7f\b\f\n\r\t", "\u2028\u2029", "\xff\xfe", "é中😀", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkFinishBody is the JSON body of the tutorial's finish step.
func BenchmarkFinishBody(b *testing.B) {
	res := &Result{CallSid: testCallSid, Sealed: map[string]string{
		"encryptedCardDigits": "f3a1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70812345678abcdef01",
		"encryptedPinDigits":  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := appendBody(nil, res, DefaultCallSidField); err != nil {
			b.Fatal(err)
		}
	}
}
