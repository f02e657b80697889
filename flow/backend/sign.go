package backend

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader is the header that carries a request's signature:
// "t=<unix seconds>,v1=<64 hex characters>".
const SignatureHeader = "X-Encgather-Signature"

// signatureLabel starts the signed bytes, so that a MAC made with the
// secret for another purpose never passes for a request's.
const signatureLabel = "encgather-backend-v1"

// maxSignatureHeader bounds the header a Verifier parses.
const maxSignatureHeader = 512

// maxSignatures bounds the v1 entries of one header.
const maxSignatures = 4

// Sign sets SignatureHeader on r: a MAC with secret over r's method, path
// and query, the time now and body, which must be the bytes r sends. New's
// Finish signs this way; Sign is for a program that builds its own
// requests, and for tests. It panics on the zero Secret.
func Sign(r *http.Request, body []byte, secret Secret, now time.Time) {
	t := now.Unix()
	mac := signature(secret, t, r.Method, target(r.URL), body)
	r.Header.Set(SignatureHeader, "t="+strconv.FormatInt(t, 10)+",v1="+hex.EncodeToString(mac))
}

// target is the path and query a signature covers.
func target(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// signature is HMAC-SHA256 with secret over the label, t, method, target
// and body, each but the body followed by a line feed.
func signature(secret Secret, t int64, method, target string, body []byte) []byte {
	m := hmac.New(sha256.New, secret.bytes())
	var prefix [64]byte
	b := append(prefix[:0], signatureLabel...)
	b = append(b, '\n')
	b = strconv.AppendInt(b, t, 10)
	b = append(b, '\n')
	b = append(b, method...)
	b = append(b, '\n')
	m.Write(b)
	m.Write([]byte(target))
	m.Write([]byte{'\n'})
	m.Write(body)
	return m.Sum(nil)
}

// errHeader is the reason for every header parseHeader refuses; Verify
// wraps it in ErrMalformed.
var errHeader = errors.New("not t=<unix seconds>,v1=<hex>")

// signedHeader is a parsed SignatureHeader.
type signedHeader struct {
	t    int64
	macs [][]byte
}

// parseHeader reads "t=<unix>,v1=<hex>[,v1=<hex>...]": exactly one t,
// decimal without sign or leading zeros; one to four v1, each 64 hex
// characters; entries with other names are ignored, for later versions.
func parseHeader(h string) (signedHeader, error) {
	var out signedHeader
	if len(h) > maxSignatureHeader {
		return out, errHeader
	}
	seenT := false
	for entry := range strings.SplitSeq(h, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok {
			return out, errHeader
		}
		switch name {
		case "t":
			t, ok := parseUnix(value)
			if !ok || seenT {
				return out, errHeader
			}
			out.t, seenT = t, true
		case "v1":
			mac, err := hex.DecodeString(value)
			if err != nil || len(mac) != sha256.Size || len(out.macs) == maxSignatures {
				return out, errHeader
			}
			out.macs = append(out.macs, mac)
		}
	}
	if !seenT || len(out.macs) == 0 {
		return out, errHeader
	}
	return out, nil
}

// parseUnix reads a positive decimal without sign or leading zeros, at
// most 12 digits.
func parseUnix(s string) (int64, bool) {
	if s == "" || len(s) > 12 || s[0] == '0' {
		return 0, false
	}
	var t int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		t = t*10 + int64(c-'0')
	}
	return t, true
}
