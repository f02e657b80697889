package twiliosig

import (
	"net/url"
	"testing"

	"github.com/twilio/twilio-go/client"
)

const token = "12345"

// docsForm is the example request of Twilio's security documentation.
var docsForm = url.Values{
	"CallSid": {"CA1234567890ABCDE"},
	"Caller":  {"+12349013030"},
	"Digits":  {"1234"},
	"From":    {"+12349013030"},
	"To":      {"+18005551212"},
}

const docsURL = "https://mycompany.com/myapp.php?foo=1&bar=2"

func firstValues(form url.Values) map[string]string {
	m := make(map[string]string, len(form))
	for k, v := range form {
		m[k] = v[0]
	}
	return m
}

// TestAgainstTwilioGo checks that twilio-go's validator accepts every
// signature Sign makes, and that Valid agrees with it.
func TestAgainstTwilioGo(t *testing.T) {
	tests := []struct {
		name string
		url  string
		form url.Values
	}{
		{"docs example", docsURL, docsForm},
		{"no params", "https://ivr.example.com/encrypted-gather", nil},
		{"empty value", "https://ivr.example.com/x", url.Values{"Digits": {""}, "CallSid": {"CA1"}}},
		{"query with state", "https://ivr.example.com/encrypted-gather?step=getPin&state=AbC-_09", url.Values{"Digits": {"4321"}}},
		{"unicode", "https://ivr.example.com/caf%C3%A9?n=%E2%82%AC", url.Values{"CallerName": {"Zoë Ω"}}},
		{"explicit port 443", "https://ivr.example.com:443/x", url.Values{"A": {"1"}}},
		{"http", "http://ivr.example.com/x", url.Values{"B": {"2"}, "A": {"1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sig := Sign(token, tt.url, tt.form)
			rv := client.NewRequestValidator(token)
			if !rv.Validate(tt.url, firstValues(tt.form), sig) {
				t.Fatalf("twilio-go rejects our signature %q", sig)
			}
			if !Valid(token, tt.url, tt.form, sig) {
				t.Fatalf("Valid rejects our own signature")
			}
		})
	}
}

func TestPortVariants(t *testing.T) {
	form := url.Values{"CallSid": {"CA1"}}
	tests := []struct {
		signed, checked string
		want            bool
	}{
		{"https://ivr.example.com/x?a=1", "https://ivr.example.com:443/x?a=1", true},
		{"https://ivr.example.com:443/x", "https://ivr.example.com/x", true},
		{"http://ivr.example.com/x", "http://ivr.example.com:80/x", true},
		{"http://ivr.example.com:80/x", "http://ivr.example.com/x", true},
		{"https://ivr.example.com:8443/x", "https://ivr.example.com:8443/x", true},
		{"https://ivr.example.com/x", "https://ivr.example.com:8443/x", false},
		{"https://ivr.example.com/x", "http://ivr.example.com/x", false},
		{"https://[::1]/x", "https://[::1]:443/x", true},
		{"https://ivr.example.com/x", "https://ivr.example.com/y", false},
	}
	for _, tt := range tests {
		if got := Valid(token, tt.checked, form, Sign(token, tt.signed, form)); got != tt.want {
			t.Errorf("signed %s, checked %s: Valid = %v, want %v", tt.signed, tt.checked, got, tt.want)
		}
	}
}

func TestRejects(t *testing.T) {
	sig := Sign(token, docsURL, docsForm)
	changed := url.Values{}
	for k, v := range docsForm {
		changed[k] = v
	}
	changed.Set("Digits", "1235")
	extra := url.Values{"Extra": {"1"}}
	for k, v := range docsForm {
		extra[k] = v
	}
	tests := []struct {
		name      string
		token     string
		url       string
		form      url.Values
		signature string
	}{
		{"wrong token", "54321", docsURL, docsForm, sig},
		{"changed param", token, docsURL, changed, sig},
		{"extra param", token, docsURL, extra, sig},
		{"changed URL", token, docsURL + "&baz=3", docsForm, sig},
		{"empty signature", token, docsURL, docsForm, ""},
		{"not base64", token, docsURL, docsForm, "!!!!"},
		{"truncated", token, docsURL, docsForm, sig[:len(sig)-2]},
		{"padded", token, docsURL, docsForm, sig + "AAAA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Valid(tt.token, tt.url, tt.form, tt.signature) {
				t.Fatal("Valid accepted a bad signature")
			}
		})
	}
}

func TestRepeatedKeysSortedByValue(t *testing.T) {
	a := url.Values{"K": {"b", "a"}}
	b := url.Values{"K": {"a", "b"}}
	if Sign(token, docsURL, a) != Sign(token, docsURL, b) {
		t.Fatal("the order of a repeated key's values changes the signature")
	}
	if Sign(token, docsURL, a) == Sign(token, docsURL, url.Values{"K": {"a"}}) {
		t.Fatal("a second value of a repeated key is not signed")
	}
	// Sign must not reorder the caller's slice.
	if a["K"][0] != "b" {
		t.Fatal("Sign sorted its input in place")
	}
}

func FuzzValid(f *testing.F) {
	f.Add(docsURL, "Digits", "1234", Sign(token, docsURL, docsForm))
	f.Add("https://[::1", "", "", "")
	f.Add("http://a:80:80/x", "k", "v", "AAAA")
	f.Fuzz(func(t *testing.T, u, k, v, sig string) {
		form := url.Values{k: {v}}
		Valid(token, u, form, sig)
		if !Valid(token, u, form, Sign(token, u, form)) {
			t.Fatalf("Valid rejects Sign's own signature for %q", u)
		}
	})
}

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

func TestCheckerMatchesValid(t *testing.T) {
	c := NewChecker(token)
	sig := Sign(token, docsURL, docsForm)
	for range 3 { // reuse of the pooled MAC must not carry state over
		if !c.Valid(docsURL, docsForm, sig) {
			t.Fatal("Checker rejects a valid signature")
		}
		if c.Valid(docsURL+"&x=1", docsForm, sig) {
			t.Fatal("Checker accepts a signature for another URL")
		}
	}
	if NewChecker("other").Valid(docsURL, docsForm, sig) {
		t.Fatal("Checker accepts another token's signature")
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
