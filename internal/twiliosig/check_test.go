package twiliosig

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"
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
		{"non-default port", "https://ivr.example.com:8443/x?a=1", url.Values{"A": {"1"}}},
		{"credentials", "https://user:pass@ivr.example.com/x", url.Values{"A": {"1"}}},
		{"credentials and port", "https://user:pass@ivr.example.com:8443/x", url.Values{"A": {"1"}}},
		{"escaped space in path", "https://ivr.example.com/a%20b", url.Values{"A": {"1"}}},
		{"escaped slash in path", "https://ivr.example.com/a%2Fb/c", url.Values{"A": {"1"}}},
		{"escaped unreserved in path", "https://ivr.example.com/%7Euser/x", url.Values{"A": {"1"}}},
		// No IPv6 literal: twilio-go cuts a host at its first colon.
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
			// And the other way round: a signature over the URL with its
			// port removed or added, as twilio-go makes them.
			for _, signed := range portForms(tt.url) {
				theirs := Sign(token, signed, tt.form)
				if rv.Validate(tt.url, firstValues(tt.form), theirs) != Valid(token, tt.url, tt.form, theirs) {
					t.Errorf("Valid and twilio-go disagree on a signature over %s", signed)
				}
			}
		})
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
		{"trailing newline", token, docsURL, docsForm, sig + "\n"},
		{"newline for a character", token, docsURL, docsForm, sig[:10] + "\n" + sig[11:]},
		{"padding bits set", token, docsURL, docsForm, withPaddingBits(sig)},
		{"unpadded", token, docsURL, docsForm, sig[:len(sig)-1] + "A"},
		{"URL-safe alphabet", token, docsURL, docsForm, strings.NewReplacer("+", "-", "/", "_").Replace(Sign(token, docsURL+"&x=1", docsForm))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if Valid(tt.token, tt.url, tt.form, tt.signature) {
				t.Fatal("Valid accepted a bad signature")
			}
		})
	}
}

func TestRepeatedKeys(t *testing.T) {
	tests := []struct {
		name      string
		a, b      url.Values
		sameSigns bool
	}{
		{"values in another order", url.Values{"K": {"b", "a"}}, url.Values{"K": {"a", "b"}}, true},
		{"a value repeated", url.Values{"K": {"a", "b", "a"}}, url.Values{"K": {"a", "b"}}, true},
		{"one value twice", url.Values{"K": {"a", "a"}}, url.Values{"K": {"a"}}, true},
		{"a second value", url.Values{"K": {"a", "b"}}, url.Values{"K": {"a"}}, false},
		{"a value moved to another key", url.Values{"K": {"a", "b"}, "L": {"c"}}, url.Values{"K": {"a"}, "L": {"b", "c"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := tt.a["K"][0]
			same := Sign(token, docsURL, tt.a) == Sign(token, docsURL, tt.b)
			if same != tt.sameSigns {
				t.Fatalf("same signature = %v, want %v", same, tt.sameSigns)
			}
			if tt.a["K"][0] != first {
				t.Fatal("Sign sorted its input in place")
			}
		})
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

// withPaddingBits returns sig with the last character before its padding
// changed so that only the bits the padding covers differ: a lax decoder
// reads the same 20 bytes from it.
func withPaddingBits(sig string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	i := strings.IndexByte(sig, '=') - 1
	c := strings.IndexByte(alphabet, sig[i])
	return sig[:i] + string(alphabet[c^1]) + sig[i+1:]
}

func TestPaddingBitsChangeNothingForLaxDecoder(t *testing.T) {
	sig := Sign(token, docsURL, docsForm)
	lax, err := base64.StdEncoding.DecodeString(withPaddingBits(sig))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := base64.StdEncoding.DecodeString(sig)
	if !bytes.Equal(lax, want) {
		t.Fatal("withPaddingBits changed more than the padding bits; the strictness test proves nothing")
	}
}
