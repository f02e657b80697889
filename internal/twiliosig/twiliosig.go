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
)

// Sign returns the X-Twilio-Signature for a request to fullURL with the
// given POST form (nil for a GET, whose parameters are in fullURL).
func Sign(authToken, fullURL string, form url.Values) string {
	var sum [sha1.Size]byte
	mac := hmac.New(sha1.New, []byte(authToken))
	digest(mac, fullURL, sortedKeys(form), form, sum[:0])
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Valid reports whether signature is right for fullURL and form under
// authToken. Twilio has signed some URLs with the scheme's default port
// written out and some without, so both forms are tried. The comparison is
// constant time. Valid never panics.
func Valid(authToken, fullURL string, form url.Values, signature string) bool {
	var want [sha1.Size]byte
	if n, err := base64.StdEncoding.Decode(want[:], []byte(signature)); err != nil || n != sha1.Size ||
		base64.StdEncoding.EncodedLen(sha1.Size) != len(signature) {
		return false
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	keys := sortedKeys(form)
	var got [sha1.Size]byte
	ok := false
	for _, u := range urlVariants(fullURL) {
		mac.Reset()
		digest(mac, u, keys, form, got[:0])
		if hmac.Equal(got[:], want[:]) {
			ok = true
		}
	}
	return ok
}

func sortedKeys(form url.Values) []string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// digest writes the signed string into mac and appends the sum to dst. The
// string is built in one buffer, so hashing it is a single Write.
func digest(mac hash.Hash, fullURL string, keys []string, form url.Values, dst []byte) {
	var stack [1024]byte
	buf := append(stack[:0], fullURL...)
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
	mac.Write(buf)
	mac.Sum(dst)
}

// urlVariants returns fullURL as given and with the default port of its
// scheme added (when absent) or removed (when present). The authority is
// edited as a string, so the path and query keep their exact escaping.
func urlVariants(fullURL string) []string {
	scheme, rest, ok := strings.Cut(fullURL, "://")
	if !ok {
		return []string{fullURL}
	}
	var port string
	switch strings.ToLower(scheme) {
	case "https":
		port = "443"
	case "http":
		port = "80"
	default:
		return []string{fullURL}
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
			return []string{fullURL} // a non-default port is signed as it is
		}
		return []string{fullURL, scheme + "://" + authority[:hostStart] + host[:i] + tail}
	}
	return []string{fullURL, scheme + "://" + authority + ":" + port + tail}
}
