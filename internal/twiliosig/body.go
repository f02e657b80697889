package twiliosig

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// BodyHashParam is the query parameter in which Twilio sends the hex
// SHA-256 of a request body that is not a form, such as JSON.
const BodyHashParam = "bodySHA256"

// BodySHA256 returns the value Twilio puts in BodyHashParam for body: its
// SHA-256 in lowercase hex.
func BodySHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// HasBodyHash reports whether fullURL's query holds BodyHashParam, which
// marks a request whose raw body is signed through its hash (ValidBody),
// not as form parameters (Valid).
func HasBodyHash(fullURL string) bool {
	n, _ := bodyHashParam(fullURL)
	return n > 0
}

// ValidBodyHash reports whether fullURL's query holds BodyHashParam exactly
// once and its value is body's SHA-256 in lowercase hex, as Twilio writes it.
// A repeated parameter is refused: the helper libraries disagree on which
// one counts. The comparison is constant time.
func ValidBodyHash(fullURL string, body []byte) bool {
	n, value := bodyHashParam(fullURL)
	if n != 1 || len(value) != 2*sha256.Size {
		return false
	}
	sum := sha256.Sum256(body)
	var got [2 * sha256.Size]byte
	hex.Encode(got[:], sum[:])
	return subtle.ConstantTimeCompare(got[:], []byte(value)) == 1
}

// ValidBody reports whether signature and body are right for a request to
// fullURL under authToken, for a request whose body is not a form: the
// signature covers fullURL alone (tried with and without its port, as in
// Valid) and the body must hash to the BodyHashParam in fullURL's query
// (ValidBodyHash). Both checks run whatever the other's result.
func ValidBody(authToken, fullURL string, body []byte, signature string) bool {
	signed := Valid(authToken, fullURL, nil, signature)
	return ValidBodyHash(fullURL, body) && signed
}

// ValidBody is the package-level ValidBody with the Checker's token.
func (c *Checker) ValidBody(fullURL string, body []byte, signature string) bool {
	signed := c.Valid(fullURL, nil, signature)
	return ValidBodyHash(fullURL, body) && signed
}

// bodyHashParam returns how many times fullURL's query holds BodyHashParam
// and the first value. The name is matched as Twilio writes it, unescaped;
// the value is returned as sent.
func bodyHashParam(fullURL string) (n int, value string) {
	_, query, ok := strings.Cut(fullURL, "?")
	if !ok {
		return 0, ""
	}
	query, _, _ = strings.Cut(query, "#")
	for pair := range strings.SplitSeq(query, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k != BodyHashParam {
			continue
		}
		if n == 0 {
			value = v
		}
		n++
	}
	return n, value
}
