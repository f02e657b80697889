package twiliosig

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"sync"
)

// Valid reports whether signature is right for a request to fullURL with
// the given POST form (nil for a GET) under authToken. fullURL is tried as
// given, then with its port removed or its default port added, then with
// the apostrophes, at signs and colons of its query in their other
// spelling (see the package documentation): at most six MACs. Each
// comparison is constant time. Valid never panics.
func Valid(authToken, fullURL string, form url.Values, signature string) bool {
	return newSizedMACState([]byte(authToken), fullURL, form).valid(fullURL, form, signature)
}

// Checker checks signatures for one auth token, reusing its HMAC state
// across requests. It is safe for concurrent use.
type Checker struct {
	macs sync.Pool
}

// NewChecker returns a Checker for authToken.
func NewChecker(authToken string) *Checker {
	key := []byte(authToken)
	return &Checker{macs: sync.Pool{New: func() any { return &pooledState{macState: *newMACState(key)} }}}
}

// Valid is the package-level Valid with the Checker's token.
func (c *Checker) Valid(fullURL string, form url.Values, signature string) bool {
	st := c.macs.Get().(*pooledState)
	ok := st.valid(fullURL, form, signature)
	c.put(st)
	return ok
}

// put returns st to the pool unless a huge request grew its buffers.
func (c *Checker) put(st *pooledState) {
	if cap(st.buf) <= maxPooledBuf && cap(st.params) <= maxPooledBuf && cap(st.sorted) <= maxPooledParams {
		c.macs.Put(st)
	}
}

// valid is Valid with st's HMAC.
func (st *macState) valid(fullURL string, form url.Values, signature string) bool {
	want, ok := decodeSignature(signature)
	if !ok {
		return false
	}
	st.setForm(form)
	return st.matches(fullURL, &want)
}

// matches reports whether want is the MAC of fullURL, or of one of its
// variants, followed by the parameters st holds. The URL as sent comes
// first; only a failed match pays for the port variant, and only a failed
// match of both pays for another spelling of the query, tried only when it
// changes the query: at most maxCandidates MACs. Which form matched is no
// secret: all are public, and each comparison is constant time.
func (st *macState) matches(fullURL string, want *[sha1.Size]byte) bool {
	query := rawQuery(fullURL)
	for _, sp := range spellings {
		if sp != asSent && !respells(query, sp) {
			continue
		}
		for _, otherPort := range [...]bool{false, true} {
			signed, ok := appendCandidate(st.buf[:0], fullURL, otherPort, sp)
			if ok && hmac.Equal(st.sum(signed), want[:]) {
				return true
			}
		}
	}
	return false
}

// maxPooledBuf is the largest buffer a pooled macState keeps.
const maxPooledBuf = 16 << 10

// maxPooledParams is the most parameters a pooled state keeps room for.
const maxPooledParams = 256

// signatureLen is the length of a base64 HMAC-SHA1.
const signatureLen = (sha1.Size + 2) / 3 * 4

// sigEncoding decodes X-Twilio-Signature: standard base64, padded, with no
// stray bits in the last character, so a signature has one spelling.
var sigEncoding = base64.StdEncoding.Strict()

// decodeSignature decodes a base64 HMAC-SHA1. The length check comes first;
// with it, the line breaks the decoder skips cannot stand in for a
// character, since 28 characters are needed for 20 bytes.
func decodeSignature(signature string) (sum [sha1.Size]byte, ok bool) {
	if len(signature) != signatureLen {
		return sum, false
	}
	var src [signatureLen]byte
	var dst [signatureLen / 4 * 3]byte // room for all 28 characters can hold
	copy(src[:], signature)
	n, err := sigEncoding.Decode(dst[:], src[:])
	if err != nil || n != sha1.Size {
		return sum, false
	}
	copy(sum[:], dst[:n])
	return sum, true
}
