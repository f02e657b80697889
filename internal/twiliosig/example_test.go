package twiliosig_test

import (
	"fmt"
	"net/url"

	"github.com/encgather/encgather/internal/twiliosig"
)

// The request of Twilio's security documentation, checked as the URL
// arrives at a server listening on a non-default port.
func ExampleChecker() {
	c := twiliosig.NewChecker("12345")
	form := url.Values{
		"CallSid": {"CA1234567890ABCDE"},
		"Caller":  {"+14158675309"},
		"Digits":  {"1234"},
		"From":    {"+14158675309"},
		"To":      {"+18005551212"},
	}
	const signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
	fmt.Println(c.Valid("https://mycompany.com/myapp.php?foo=1&bar=2", form, signature))
	fmt.Println(c.Valid("https://mycompany.com:1234/myapp.php?foo=1&bar=2", form, signature))
	form.Set("Digits", "1235")
	fmt.Println(c.Valid("https://mycompany.com/myapp.php?foo=1&bar=2", form, signature))
	// Output:
	// true
	// true
	// false
}

// A JSON request: the URL carries the body's hash, and the signature
// covers the URL alone.
func ExampleChecker_ValidBody() {
	c := twiliosig.NewChecker("12345")
	body := []byte(`{"property": "value", "boolean": true}`)
	fullURL := "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + twiliosig.BodySHA256(body)
	const signature = "a9nBmqA0ju/hNViExpshrM61xv4="
	fmt.Println(twiliosig.HasBodyHash(fullURL))
	fmt.Println(c.ValidBody(fullURL, body, signature))
	fmt.Println(c.ValidBody(fullURL, []byte(`{"property": "other", "boolean": true}`), signature))
	// Output:
	// true
	// true
	// false
}

func ExampleRedacted() {
	fmt.Println(twiliosig.Redacted("https://twilio:s3cret@ivr.example.com/encrypted-gather?state=AbC"))
	// Output:
	// https://twilio:xxxxx@ivr.example.com/encrypted-gather
}

func ExampleSign() {
	form := url.Values{"Digits": {"5678", "1234", "1234"}, "Sid": {"CA123"}, "SidAccount": {"AC123"}}
	// A repeated name is signed once per distinct value, values sorted.
	fmt.Println(twiliosig.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form))
	// Output:
	// IK+Dwps556ElfBT0I3Rgjkr1wJU=
}
