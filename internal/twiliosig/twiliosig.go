// Package twiliosig computes and checks Twilio's X-Twilio-Signature: the
// base64 of HMAC-SHA1, keyed with the auth token, over the full URL
// followed by each POST parameter's name and value, sorted by name (and,
// for a repeated name, by value).
package twiliosig

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Sign returns the X-Twilio-Signature for a request to fullURL with the
// given POST form (nil for a GET, whose parameters are in fullURL).
func Sign(authToken, fullURL string, form url.Values) string {
	var sum [sha1.Size]byte
	st := &macState{mac: hmac.New(sha1.New, []byte(authToken))}
	st.digest(fullURL, sortedKeys(st.keys, form), form, sum[:0])
	return base64.StdEncoding.EncodeToString(sum[:])
}

// macState is an HMAC and the buffers one check needs, kept together so a
// Checker can reuse them all.
type macState struct {
	mac  hash.Hash
	buf  []byte
	keys []string
}

// Valid reports whether signature is right for fullURL and form under
// authToken. Twilio has signed some URLs with the scheme's default port
// written out and some without, so both forms are tried. The comparison is
// constant time. Valid never panics.
func Valid(authToken, fullURL string, form url.Values, signature string) bool {
	return (&macState{mac: hmac.New(sha1.New, []byte(authToken))}).valid(fullURL, form, signature)
}

// Checker is Valid for one auth token, reusing its HMAC state across
// requests. It is safe for concurrent use.
type Checker struct {
	macs sync.Pool
}

// NewChecker returns a Checker for authToken.
func NewChecker(authToken string) *Checker {
	key := []byte(authToken)
	return &Checker{macs: sync.Pool{New: func() any { return &macState{mac: hmac.New(sha1.New, key)} }}}
}

// Valid is the package-level Valid with the Checker's token.
func (c *Checker) Valid(fullURL string, form url.Values, signature string) bool {
	st := c.macs.Get().(*macState)
	st.mac.Reset()
	ok := st.valid(fullURL, form, signature)
	if cap(st.buf) <= 16<<10 {
		c.macs.Put(st)
	}
	return ok
}

func (st *macState) valid(fullURL string, form url.Values, signature string) bool {
	if len(signature) != signatureLen {
		return false
	}
	// Decode has room for the most 28 characters can hold (21 bytes), so a
	// signature without padding cannot overrun it.
	var want [signatureLen / 4 * 3]byte
	var sigBuf [signatureLen]byte
	copy(sigBuf[:], signature)
	if n, err := base64.StdEncoding.Decode(want[:], sigBuf[:]); err != nil || n != sha1.Size {
		return false
	}
	keys := sortedKeys(st.keys, form)
	st.keys = keys
	var got [sha1.Size]byte
	st.digest(fullURL, keys, form, got[:0])
	if hmac.Equal(got[:], want[:sha1.Size]) {
		return true
	}
	// Only a failed match pays for the port variant. Which form matched is
	// no secret: both are public, and the comparison itself is constant time.
	if variant, ok := portVariant(fullURL); ok {
		st.mac.Reset()
		st.digest(variant, keys, form, got[:0])
		return hmac.Equal(got[:], want[:sha1.Size])
	}
	return false
}

// signatureLen is the length of a base64 HMAC-SHA1.
const signatureLen = (sha1.Size + 2) / 3 * 4

// sortedKeys returns form's names in order, reusing keys' storage.
func sortedKeys(keys []string, form url.Values) []string {
	keys = keys[:0]
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// digest writes the signed string into the MAC and appends the sum to dst.
// The string is built in one reused buffer, so hashing it is one Write.
func (st *macState) digest(fullURL string, keys []string, form url.Values, dst []byte) {
	buf := append(st.buf[:0], fullURL...)
	for _, k := range keys {
		values := form[k]
		if len(values) > 1 && !slices.IsSorted(values) {
			values = slices.Sorted(slices.Values(values))
		}
		for _, v := range values {
			buf = append(buf, k...)
			buf = append(buf, v...)
		}
	}
	st.buf = buf
	st.mac.Write(buf)
	st.mac.Sum(dst)
}

// portVariant returns fullURL with the default port of its scheme added
// (when absent) or removed (when present). The authority is edited as a
// string, so the path and query keep their exact escaping.
func portVariant(fullURL string) (string, bool) {
	scheme, rest, ok := strings.Cut(fullURL, "://")
	if !ok {
		return "", false
	}
	var port string
	switch strings.ToLower(scheme) {
	case "https":
		port = "443"
	case "http":
		port = "80"
	default:
		return "", false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	hostStart := strings.LastIndexByte(authority, '@') + 1
	host := authority[hostStart:]
	// A port follows the last colon, unless that colon is inside an IPv6
	// literal such as [::1].
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		if host[i+1:] != port {
			return "", false // a non-default port is signed as it is
		}
		return scheme + "://" + authority[:hostStart] + host[:i] + tail, true
	}
	return scheme + "://" + authority + ":" + port + tail, true
}
