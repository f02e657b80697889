package twiml

import (
	"io"
	"testing"

	tg "github.com/twilio/twilio-go/twiml"
)

// BenchmarkGetPin renders the tutorial's getPin response (a Gather holding
// a Say) into a reused buffer.
func BenchmarkGetPin(b *testing.B) {
	r := getPin()
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = r.AppendXML(buf[:0])
	}
}

// BenchmarkGetPinBuild is BenchmarkGetPin with the response built anew on
// every iteration, as a handler does.
func BenchmarkGetPinBuild(b *testing.B) {
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = getPin().AppendXML(buf[:0])
	}
}

// BenchmarkGetPinWriteTo writes the response to an io.Writer.
func BenchmarkGetPinWriteTo(b *testing.B) {
	r := getPin()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetPinTwilioGo renders the same response with twilio-go.
func BenchmarkGetPinTwilioGo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tg.Voice(getPinTwilioGo()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseGetPin(b *testing.B) {
	doc := getPin().AppendXML(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
