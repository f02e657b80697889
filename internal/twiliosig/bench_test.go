package twiliosig

import (
	"testing"

	"github.com/twilio/twilio-go/client"
)

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sign(token, docsURL, docsForm)
	}
}

func BenchmarkValid(b *testing.B) {
	sig := Sign(token, docsURL, docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !Valid(token, docsURL, docsForm, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkValidTwilioGo(b *testing.B) {
	sig := Sign(token, docsURL, docsForm)
	rv := client.NewRequestValidator(token)
	params := firstValues(docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !rv.Validate(docsURL, params, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkChecker(b *testing.B) {
	c := NewChecker(token)
	sig := Sign(token, docsURL, docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !c.Valid(docsURL, docsForm, sig) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkCheckerPortVariant checks a signature that only the URL's port
// variant matches, the slower path.
func BenchmarkCheckerPortVariant(b *testing.B) {
	c := NewChecker(token)
	const withPort = "https://mycompany.com:8443/myapp.php?foo=1&bar=2"
	sig := Sign(token, docsURL, docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !c.Valid(withPort, docsForm, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkCheckerValidBody(b *testing.B) {
	c := NewChecker(token)
	const u = docsURL + "&bodySHA256=" + jsonBodyHash
	sig := Sign(token, u, nil)
	body := []byte(jsonBody)
	b.ReportAllocs()
	for b.Loop() {
		if !c.ValidBody(u, body, sig) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkValidBodyTwilioGo(b *testing.B) {
	rv := client.NewRequestValidator(token)
	const u = docsURL + "&bodySHA256=" + jsonBodyHash
	sig := Sign(token, u, nil)
	body := []byte(jsonBody)
	b.ReportAllocs()
	for b.Loop() {
		if !rv.ValidateBody(u, body, sig) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkCheckerQuerySpelling checks a signature that only the query's
// other spelling matches, the slowest path that succeeds: the URL as sent
// and its port variant are tried first.
func BenchmarkCheckerQuerySpelling(b *testing.B) {
	c := NewChecker(token)
	const sent = "https://mycompany.com/myapp.php?foo=1&bar=2&Caller=sip%3A1234567890%40192.0.2.1"
	sig := Sign(token, "https://mycompany.com/myapp.php?foo=1&bar=2&Caller=sip:1234567890@192.0.2.1", docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if !c.Valid(sent, docsForm, sig) {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkCheckerWrongQuerySpelling is a wrong signature for a URL whose
// query has both spellings to try: the most MACs a check computes.
func BenchmarkCheckerWrongQuerySpelling(b *testing.B) {
	c := NewChecker(token)
	const sent = "https://mycompany.com/myapp.php?foo=1&bar=2&Body=It's&Caller=sip%3A1%40192.0.2.1"
	sig := Sign("another-token", sent, docsForm)
	b.ReportAllocs()
	for b.Loop() {
		if c.Valid(sent, docsForm, sig) {
			b.Fatal("valid")
		}
	}
}
