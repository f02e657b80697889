package backend

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fixedNow is the verifiers' clock in these tests.
var fixedNow = time.Unix(1_800_000_000, 0)

const signedBody = `{"callSid":"CA0123456789abcdef0123456789abcdef","encryptedPinDigits":"00ff","from":"+15005550006"}`

// signedRequest is a request to /decrypt-gather signed with s at t.
func signedRequest(s Secret, t time.Time, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://backend.example.com/decrypt-gather?tenant=7", strings.NewReader(body))
	Sign(r, []byte(body), s, t)
	return r
}

func newTestVerifier(t *testing.T, secrets *Secrets, opts ...VerifierOption) *Verifier {
	t.Helper()
	v, err := NewVerifier(secrets, append([]VerifierOption{WithClock(func() time.Time { return fixedNow })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerify(t *testing.T) {
	s, older, other := testSecret(t, 1), testSecret(t, 2), testSecret(t, 3)
	v := newTestVerifier(t, NewSecrets(s, older))
	withHeader := func(h string) *http.Request {
		r := signedRequest(s, fixedNow, signedBody)
		r.Header.Set(SignatureHeader, h)
		return r
	}
	change := func(f func(*http.Request)) *http.Request {
		r := signedRequest(s, fixedNow, signedBody)
		f(r)
		return r
	}
	tests := []struct {
		name string
		r    *http.Request
		want error // nil: accepted
	}{
		{"signed", signedRequest(s, fixedNow, signedBody), nil},
		{"signed with the previous secret", signedRequest(older, fixedNow, signedBody), nil},
		{"empty body", signedRequest(s, fixedNow, ""), nil},
		{"at the edge of the past", signedRequest(s, fixedNow.Add(-DefaultMaxSkew), signedBody), nil},
		{"at the edge of the future", signedRequest(s, fixedNow.Add(DefaultMaxSkew), signedBody), nil},
		{"unsigned", change(func(r *http.Request) { r.Header.Del(SignatureHeader) }), ErrUnsigned},
		{"other secret", signedRequest(other, fixedNow, signedBody), ErrSignature},
		{"stale", signedRequest(s, fixedNow.Add(-DefaultMaxSkew-time.Second), signedBody), ErrStale},
		{"an hour old", signedRequest(s, fixedNow.Add(-time.Hour), signedBody), ErrStale},
		{"future", signedRequest(s, fixedNow.Add(DefaultMaxSkew+time.Second), signedBody), ErrFuture},
		{"method changed", change(func(r *http.Request) { r.Method = http.MethodPut }), ErrSignature},
		{"path changed", change(func(r *http.Request) { r.URL.Path = "/decrypt-gather2" }), ErrSignature},
		{"query changed", change(func(r *http.Request) { r.URL.RawQuery = "tenant=8" }), ErrSignature},
		{"query dropped", change(func(r *http.Request) { r.URL.RawQuery = "" }), ErrSignature},
		{"body changed", change(func(r *http.Request) {
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(signedBody, "00ff", "00fe", 1)))
		}), ErrSignature},
		{"timestamp changed", change(func(r *http.Request) {
			h := r.Header.Get(SignatureHeader)
			r.Header.Set(SignatureHeader, strings.Replace(h, "t="+strconv.FormatInt(fixedNow.Unix(), 10), "t="+strconv.FormatInt(fixedNow.Unix()+1, 10), 1))
		}), ErrSignature},
		{"two headers", change(func(r *http.Request) { r.Header.Add(SignatureHeader, r.Header.Get(SignatureHeader)) }), ErrMalformed},
		{"garbage header", withHeader("hunter2"), ErrMalformed},
		{"no t", withHeader("v1=" + strings.Repeat("00", 32)), ErrMalformed},
		{"no v1", withHeader("t=" + strconv.FormatInt(fixedNow.Unix(), 10)), ErrMalformed},
		{"short v1", withHeader("t=" + strconv.FormatInt(fixedNow.Unix(), 10) + ",v1=00"), ErrMalformed},
		{"too large", signedRequest(s, fixedNow, strings.Repeat(" ", DefaultMaxBody+1)), ErrBodyTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, _ := io.ReadAll(tt.r.Body)
			tt.r.Body = io.NopCloser(bytes.NewReader(want))
			body, err := v.Verify(tt.r)
			if tt.want == nil {
				if err != nil || !bytes.Equal(body, want) {
					t.Fatalf("Verify = %q, %v; want the body", body, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || body != nil {
				t.Fatalf("Verify = %q, %v; want %v", body, err, tt.want)
			}
		})
	}
}

// TestVerifyTamper flips each bit of the signature and of the body, one
// at a time: every change is refused.
func TestVerifyTamper(t *testing.T) {
	s := testSecret(t, 1)
	v := newTestVerifier(t, NewSecrets(s))
	good := signedRequest(s, fixedNow, signedBody)
	header := good.Header.Get(SignatureHeader)
	_, macHex, _ := strings.Cut(header, ",v1=")
	mac, _ := hex.DecodeString(macHex)
	prefix := strings.TrimSuffix(header, macHex)

	for i := range mac {
		for bit := range 8 {
			changed := bytes.Clone(mac)
			changed[i] ^= 1 << bit
			r := signedRequest(s, fixedNow, signedBody)
			r.Header.Set(SignatureHeader, prefix+hex.EncodeToString(changed))
			if _, err := v.Verify(r); !errors.Is(err, ErrSignature) {
				t.Fatalf("signature byte %d bit %d flipped: %v", i, bit, err)
			}
		}
	}
	for i := range len(signedBody) {
		for bit := range 8 {
			changed := []byte(signedBody)
			changed[i] ^= 1 << bit
			r := signedRequest(s, fixedNow, signedBody)
			r.Body = io.NopCloser(bytes.NewReader(changed))
			if _, err := v.Verify(r); !errors.Is(err, ErrSignature) {
				t.Fatalf("body byte %d bit %d flipped: %v", i, bit, err)
			}
		}
	}
	if _, err := v.Verify(signedRequest(s, fixedNow, signedBody)); err != nil {
		t.Fatalf("the untouched request: %v", err)
	}
}

// TestVerifyRotation: while a secret rolls out, requests signed with the
// old and the new are accepted; once the old one is retired, its are not.
func TestVerifyRotation(t *testing.T) {
	oldS, newS := testSecret(t, 1), testSecret(t, 2)
	tests := []struct {
		name     string
		verifier *Secrets
		signer   Secret
		ok       bool
	}{
		{"before: old signs", NewSecrets(oldS), oldS, true},
		{"before: new not yet known", NewSecrets(oldS), newS, false},
		{"during: old signs", NewSecrets(newS, oldS), oldS, true},
		{"during: new signs", NewSecrets(newS, oldS), newS, true},
		{"after: new signs", NewSecrets(newS), newS, true},
		{"after: old retired", NewSecrets(newS), oldS, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTestVerifier(t, tt.verifier).Verify(signedRequest(tt.signer, fixedNow, signedBody))
			if (err == nil) != tt.ok {
				t.Fatalf("Verify: %v, want accepted %v", err, tt.ok)
			}
		})
	}
}

// TestMiddleware: the next handler runs only for a signed request and
// reads the same body; others get 401 (413 when too large) and next never
// runs.
func TestMiddleware(t *testing.T) {
	s := testSecret(t, 1)
	v := newTestVerifier(t, NewSecrets(s), WithMaxBody(1024))
	var got []byte
	ran := 0
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ran++
		got, _ = io.ReadAll(r.Body)
		if r.ContentLength != int64(len(got)) {
			t.Errorf("ContentLength %d for %d bytes", r.ContentLength, len(got))
		}
	}))
	tests := []struct {
		name string
		r    *http.Request
		code int
	}{
		{"signed", signedRequest(s, fixedNow, signedBody), http.StatusOK},
		{"unsigned", httptest.NewRequest(http.MethodPost, "/decrypt-gather", strings.NewReader(signedBody)), http.StatusUnauthorized},
		{"stale", signedRequest(s, fixedNow.Add(-time.Hour), signedBody), http.StatusUnauthorized},
		{"other secret", signedRequest(testSecret(t, 9), fixedNow, signedBody), http.StatusUnauthorized},
		{"too large", signedRequest(s, fixedNow, strings.Repeat(" ", 1025)), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran, got = 0, nil
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tt.r)
			if rec.Code != tt.code {
				t.Fatalf("status %d, want %d (%s)", rec.Code, tt.code, rec.Body)
			}
			if wantRan := tt.code == http.StatusOK; (ran == 1) != wantRan {
				t.Fatalf("next ran %d times", ran)
			}
			if tt.code == http.StatusOK && string(got) != signedBody {
				t.Errorf("next read %q", got)
			}
		})
	}
	t.Run("error handler", func(t *testing.T) {
		var seen error
		v := newTestVerifier(t, NewSecrets(s), WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err error) {
			seen = err
			w.WriteHeader(http.StatusForbidden)
		}))
		rec := httptest.NewRecorder()
		v.Middleware(http.NotFoundHandler()).ServeHTTP(rec, signedRequest(s, fixedNow.Add(time.Hour), signedBody))
		if rec.Code != http.StatusForbidden || !errors.Is(seen, ErrFuture) {
			t.Errorf("status %d, handler saw %v", rec.Code, seen)
		}
	})
}

func TestNewVerifierRefuses(t *testing.T) {
	s := NewSecrets(testSecret(t, 1))
	tests := []struct {
		name    string
		secrets *Secrets
		opt     VerifierOption
	}{
		{"no secrets", nil, nil},
		{"zero skew", s, WithMaxSkew(0)},
		{"skew over an hour", s, WithMaxSkew(2 * time.Hour)},
		{"zero body", s, WithMaxBody(0)},
		{"nil clock", s, WithClock(nil)},
		{"nil handler", s, WithErrorHandler(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []VerifierOption
			if tt.opt != nil {
				opts = append(opts, tt.opt)
			}
			if _, err := NewVerifier(tt.secrets, opts...); !errors.Is(err, ErrVerifier) {
				t.Fatalf("err = %v, want ErrVerifier", err)
			}
		})
	}
}

// TestParseHeader lists the header forms accepted and refused.
func TestParseHeader(t *testing.T) {
	mac := strings.Repeat("ab", 32)
	tests := []struct {
		name, h string
		ok      bool
	}{
		{"one v1", "t=1800000000,v1=" + mac, true},
		{"spaces", "t=1800000000, v1=" + mac, true},
		{"v1 first", "v1=" + mac + ",t=1800000000", true},
		{"two v1", "t=1800000000,v1=" + mac + ",v1=" + mac, true},
		{"unknown scheme ignored", "t=1800000000,v0=xyz,v1=" + mac, true},
		{"five v1", "t=1800000000" + strings.Repeat(",v1="+mac, 5), false},
		{"two t", "t=1800000000,t=1800000001,v1=" + mac, false},
		{"negative t", "t=-1,v1=" + mac, false},
		{"plus t", "t=+1800000000,v1=" + mac, false},
		{"leading zero", "t=01800000000,v1=" + mac, false},
		{"huge t", "t=99999999999999999999,v1=" + mac, false},
		{"empty", "", false},
		{"no equals", "t1800000000,v1=" + mac, false},
		{"uppercase hex accepted", "t=1800000000,v1=" + strings.ToUpper(mac), true},
		{"too long", "t=1800000000,v1=" + mac + ",x=" + strings.Repeat("y", maxSignatureHeader), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseHeader(tt.h)
			if (err == nil) != tt.ok {
				t.Fatalf("parseHeader(%q) = %v, want ok %v", tt.h, err, tt.ok)
			}
		})
	}
}

// FuzzParseHeader: no header panics the parser, and what it accepts has
// one t and one to four 32-byte MACs, and survives a round trip.
func FuzzParseHeader(f *testing.F) {
	for _, h := range []string{"t=1800000000,v1=" + strings.Repeat("ab", 32), "", "t=", "v1=", ",,,", "t=1,v1=00,v1=zz", "t=1,t=2"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		sig, err := parseHeader(h)
		if err != nil {
			return
		}
		if sig.t <= 0 || len(sig.macs) == 0 || len(sig.macs) > maxSignatures {
			t.Fatalf("parseHeader(%q) = %+v", h, sig)
		}
		again := "t=" + strconv.FormatInt(sig.t, 10)
		for _, m := range sig.macs {
			if len(m) != 32 {
				t.Fatalf("a MAC of %d bytes", len(m))
			}
			again += ",v1=" + hex.EncodeToString(m)
		}
		if back, err := parseHeader(again); err != nil || back.t != sig.t || len(back.macs) != len(sig.macs) {
			t.Fatalf("round trip of %q: %+v, %v", again, back, err)
		}
	})
}
