package twiliosig

import (
	"strings"
	"testing"

	"github.com/twilio/twilio-go/client"
)

const jsonBody = `{"property": "value", "boolean": true}`

// jsonBodyHash is the SHA-256 of jsonBody, from the helper libraries' tests.
const jsonBodyHash = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"

func TestBodySHA256(t *testing.T) {
	if got := BodySHA256([]byte(jsonBody)); got != jsonBodyHash {
		t.Fatalf("BodySHA256 = %s, want %s", got, jsonBodyHash)
	}
}

func TestValidBodyHash(t *testing.T) {
	const base = "https://ivr.example.com/hook"
	tests := []struct {
		name string
		url  string
		body string
		want bool
	}{
		{"matching", base + "?bodySHA256=" + jsonBodyHash, jsonBody, true},
		{"among other parameters", base + "?a=1&bodySHA256=" + jsonBodyHash + "&b=2", jsonBody, true},
		{"empty body", base + "?bodySHA256=" + BodySHA256(nil), "", true},
		{"changed body", base + "?bodySHA256=" + jsonBodyHash, jsonBody + " ", false},
		{"no query", base, jsonBody, false},
		{"no bodySHA256", base + "?a=1", jsonBody, false},
		{"empty value", base + "?bodySHA256=", jsonBody, false},
		{"no value", base + "?bodySHA256", jsonBody, false},
		{"cut short", base + "?bodySHA256=" + jsonBodyHash[:63], jsonBody, false},
		{"upper-case hex", base + "?bodySHA256=" + strings.ToUpper(jsonBodyHash), jsonBody, false},
		{"repeated, both right", base + "?bodySHA256=" + jsonBodyHash + "&bodySHA256=" + jsonBodyHash, jsonBody, false},
		{"repeated, second wrong", base + "?bodySHA256=" + jsonBodyHash + "&bodySHA256=00", jsonBody, false},
		{"name in another case", base + "?bodysha256=" + jsonBodyHash, jsonBody, false},
		{"name as a prefix", base + "?bodySHA256x=" + jsonBodyHash, jsonBody, false},
		{"in the fragment only", base + "?a=1#bodySHA256=" + jsonBodyHash, jsonBody, false},
		{"in the path only", base + "/bodySHA256=" + jsonBodyHash, jsonBody, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidBodyHash(tt.url, []byte(tt.body)); got != tt.want {
				t.Errorf("ValidBodyHash = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHasBodyHash(t *testing.T) {
	tests := []struct {
		url  string
		want bool
	}{
		{"https://ivr.example.com/hook?bodySHA256=" + jsonBodyHash, true},
		{"https://ivr.example.com/hook?bodySHA256=", true},
		{"https://ivr.example.com/hook?bodySHA256=1&bodySHA256=2", true}, // refused later, not treated as a form
		{"https://ivr.example.com/hook?step=getPin", false},
		{"https://ivr.example.com/bodySHA256", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := HasBodyHash(tt.url); got != tt.want {
				t.Errorf("HasBodyHash = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestValidBodyAgainstTwilioGo signs JSON requests and checks that
// twilio-go's ValidateBody and ValidBody agree on them and on altered ones.
func TestValidBodyAgainstTwilioGo(t *testing.T) {
	rv := client.NewRequestValidator(token)
	signedURL := "https://ivr.example.com/hook?step=done&bodySHA256=" + jsonBodyHash
	sig := Sign(token, signedURL, nil)
	tests := []struct {
		name string
		url  string
		body string
		sig  string
		want bool
	}{
		{"as signed", signedURL, jsonBody, sig, true},
		{"signed without the port", strings.Replace(signedURL, ".com", ".com:8443", 1), jsonBody, sig, true},
		{"changed body", signedURL, `{"property": "other", "boolean": true}`, sig, false},
		{"changed URL", signedURL + "&x=1", jsonBody, sig, false},
		{"another hash, same signature", strings.Replace(signedURL, jsonBodyHash, BodySHA256([]byte("{}")), 1), "{}", sig, false},
		{"wrong signature", signedURL, jsonBody, Sign(token, signedURL, nil)[:27] + "A", false},
	}
	c := NewChecker(token)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ValidBody(token, tt.url, []byte(tt.body), tt.sig)
			if got != tt.want || c.ValidBody(tt.url, []byte(tt.body), tt.sig) != tt.want {
				t.Errorf("ValidBody = %v, want %v", got, tt.want)
			}
			if theirs := rv.ValidateBody(tt.url, []byte(tt.body), tt.sig); theirs != tt.want {
				t.Errorf("twilio-go ValidateBody = %v, want %v", theirs, tt.want)
			}
		})
	}
}
