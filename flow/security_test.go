package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/internal/twiliosig"
)

const sayApology = "We're sorry, an application error has occurred. Goodbye."

func callForm(callSid string, kv ...string) url.Values {
	form := url.Values{"CallSid": {callSid}, "AccountSid": {"AC0123456789abcdef0123456789abcdef"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return form
}

// serve sends one signed request to h and returns the recorder.
func serve(h http.Handler, target string, form url.Values) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, target, form, testAuthToken))
	return rec
}

// apologized reports whether a response is the polite end for bad requests.
func apologized(rec *httptest.ResponseRecorder) bool {
	return rec.Code == http.StatusOK && strings.Contains(rec.Body.String(), sayApology) &&
		strings.Contains(rec.Body.String(), "<Hangup")
}

// firstStep answers a first webhook and returns the card step's action.
// Each call is a new entry into the flow (a first request answers once
// too), told apart by a parameter of its own.
func (fx *fixture) firstStep(t *testing.T, h http.Handler) string {
	t.Helper()
	fx.entries++
	rec := serve(h, testWebhook, callForm(testCallSid, "Entry", strconv.Itoa(fx.entries)))
	if rec.Code != http.StatusOK {
		t.Fatalf("first request: %d %s", rec.Code, rec.Body)
	}
	action, err := flowtest.GatherAction(testWebhook, rec.Body.Bytes())
	if err != nil {
		t.Fatalf("first request: %v", err)
	}
	return action
}

func TestSignatureChecks(t *testing.T) {
	fx := newFixture(t)
	form := callForm(testCallSid)
	tests := []struct {
		name   string
		mutate func(r *http.Request)
		want   int
	}{
		{"valid", func(*http.Request) {}, http.StatusOK},
		{"missing", func(r *http.Request) { r.Header.Del(signatureHeader) }, http.StatusForbidden},
		{"wrong", func(r *http.Request) { r.Header.Set(signatureHeader, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=") }, http.StatusForbidden},
		{"other token", func(r *http.Request) {
			r.Header.Set(signatureHeader, twiliosig.Sign("another-token", testWebhook, form))
		}, http.StatusForbidden},
		{"port 443 variant", func(r *http.Request) {
			r.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, "https://ivr.example.com:443/encrypted-gather", form))
		}, http.StatusOK},
		{"other host", func(r *http.Request) {
			r.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, "https://evil.example.net/encrypted-gather", form))
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := flowtest.NewRequest(http.MethodPost, testWebhook, form, testAuthToken)
			tt.mutate(req)
			rec := httptest.NewRecorder()
			fx.flow.ServeHTTP(rec, req)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if tt.want == http.StatusForbidden && strings.Contains(rec.Body.String(), "<Response") {
				t.Errorf("a refused request got TwiML: %s", rec.Body)
			}
		})
	}
}

func TestSecondaryAuthToken(t *testing.T) {
	fx := newFixture(t)
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithSecondaryAuthToken("secondary-token"))
	form := callForm(testCallSid)
	for _, token := range []string{testAuthToken, "secondary-token"} {
		rec := httptest.NewRecorder()
		f.ServeHTTP(rec, flowtest.NewRequest(http.MethodPost, testWebhook, form, token))
		if rec.Code != http.StatusOK {
			t.Errorf("signed with %q: status %d", token, rec.Code)
		}
	}
}

func TestForwardedHeaders(t *testing.T) {
	fx := newFixture(t)
	form := callForm(testCallSid)
	const proxied = "https://public.example.org/encrypted-gather"

	// Signed for the forwarded host, but the flow trusts only its public URL.
	request := func() *http.Request { // a flow reads the body: one request each
		req := flowtest.NewRequest(http.MethodPost, "http://internal.example.com/encrypted-gather", form, "")
		req.Header.Set("X-Forwarded-Proto", "https")
		req.Header.Set("X-Forwarded-Host", "public.example.org")
		req.Header.Set(signatureHeader, twiliosig.Sign(testAuthToken, proxied, form))
		return req
	}
	rec := httptest.NewRecorder()
	fx.flow.ServeHTTP(rec, request())
	if rec.Code != http.StatusForbidden {
		t.Errorf("untrusted forwarded headers: status %d, want 403", rec.Code)
	}

	trusting, err := New(fx.master, testAuthToken, tutorialSteps(), postJSON(testBackend{URL: fx.server.URL}), WithTrustedProxy())
	if err != nil {
		t.Fatal(err)
	}
	rec = httptest.NewRecorder()
	trusting.ServeHTTP(rec, request())
	if rec.Code != http.StatusOK {
		t.Errorf("trusted forwarded headers: status %d, want 200", rec.Code)
	}
}

func TestStateAttacks(t *testing.T) {
	fx := newFixture(t)
	action := fx.firstStep(t, fx.flow)
	u, _ := url.Parse(action)
	token := u.Query().Get(stateParam)

	withQuery := func(step, state string) string {
		q := url.Values{stepParam: {step}, stateParam: {state}}
		return testWebhook + "?" + q.Encode()
	}
	tests := []struct {
		name    string
		target  string
		callSid string
	}{
		{"another call", action, otherCallSid},
		{"another step", withQuery("getPin", token), testCallSid},
		{"unknown step", withQuery("nope", token), testCallSid},
		{"empty step", withQuery("", token), testCallSid},
		{"garbage token", withQuery("getLast4CC", "garbage"), testCallSid},
		{"oversized token", withQuery("getLast4CC", strings.Repeat("A", maxTokenLen+10)), testCallSid},
		{"bad CallSid", action, "CA-not-a-sid"},
		{"no CallSid", action, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(fx.flow, tt.target, callForm(tt.callSid, "Digits", "1234"))
			if !apologized(rec) {
				t.Fatalf("got %d %s, want the apology", rec.Code, rec.Body)
			}
		})
	}

	t.Run("every character changed", func(t *testing.T) {
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		for i := range token {
			for _, c := range []byte{alphabet[(strings.IndexByte(alphabet, token[i])+1)%64], '.'} {
				tampered := token[:i] + string(c) + token[i+1:]
				rec := serve(fx.flow, withQuery("getLast4CC", tampered), callForm(testCallSid, "Digits", "1234"))
				if !apologized(rec) {
					t.Fatalf("character %d changed to %q: got %d %s", i, c, rec.Code, rec.Body)
				}
			}
		}
	})

	t.Run("genuine token still works", func(t *testing.T) {
		rec := serve(fx.flow, action, callForm(testCallSid, "Digits", "1234"))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), sayPin) {
			t.Fatalf("got %d %s, want the PIN prompt", rec.Code, rec.Body)
		}
	})
}

func TestStateExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }

	fx := newFixture(t)
	// A max age shorter than the step's own token life (about 95 s), so
	// the max age is what ends the token.
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithClock(clock), WithMaxAge(time.Minute))
	action := fx.firstStep(t, f)

	advance(time.Minute)
	if rec := serve(f, action, callForm(testCallSid, "Digits", "1234")); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), sayPin) {
		t.Fatalf("token at exactly its max age: got %d %s, want the PIN prompt", rec.Code, rec.Body)
	}
	advance(time.Second)
	if rec := serve(f, action, callForm(testCallSid, "Digits", "1234")); !apologized(rec) {
		t.Fatalf("expired token: got %d %s, want the apology", rec.Code, rec.Body)
	}
	advance(-time.Hour) // a token from the far future is refused too
	if rec := serve(f, action, callForm(testCallSid, "Digits", "1234")); !apologized(rec) {
		t.Fatalf("future token: got %d %s, want the apology", rec.Code, rec.Body)
	}
}

func TestRotationMidCall(t *testing.T) {
	fx := newFixture(t)
	action := fx.firstStep(t, fx.flow)
	rotated := newFixture(t)
	// The new flow seals with a new key and still holds the old one.
	rotated.master = aescrypt.New(aescrypt.GenerateKey(), fx.master.Primary())
	rotated.backend.cipher = rotated.master
	f := rotated.newFlow(t, testBackend{URL: rotated.server.URL})
	rec := serve(f, action, callForm(testCallSid, "Digits", "1234"))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), sayPin) {
		t.Fatalf("state sealed before the rotation: got %d %s", rec.Code, rec.Body)
	}
}

func TestBadRequests(t *testing.T) {
	fx := newFixture(t)
	t.Run("method", func(t *testing.T) {
		rec := httptest.NewRecorder()
		fx.flow.ServeHTTP(rec, httptest.NewRequest(http.MethodPut, testWebhook, nil))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Fatalf("PUT: status %d", rec.Code)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		form := callForm(testCallSid, "Padding", strings.Repeat("x", DefaultMaxBodyBytes))
		rec := serve(fx.flow, testWebhook, form)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("oversized body: status %d", rec.Code)
		}
	})
	t.Run("malformed body", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, testWebhook, strings.NewReader("a=%zz"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(signatureHeader, strings.Repeat("A", 27)+"=") // well-formed, so the body is read
		rec := httptest.NewRecorder()
		fx.flow.ServeHTTP(rec, req)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("malformed body: status %d", rec.Code)
		}
	})
	t.Run("odd digits", func(t *testing.T) {
		for _, digits := range []string{"*", "#", "abcd", "12\x0034", "\xff\xfe\xfd\xfc", strings.Repeat("1", 5000)} {
			action := fx.firstStep(t, fx.flow) // each token answers once
			rec := serve(fx.flow, action, callForm(testCallSid, "Digits", digits))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "That was not 4 digits.") {
				t.Errorf("Digits %q: got %d %s, want a retry", digits, rec.Code, rec.Body)
			}
		}
	})
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestSignatureHeaderBeforeBody: a request whose X-Twilio-Signature is
// missing or cannot be one is refused before a byte of its body is read,
// so an unsigned flood costs no parsing. It once read and parsed the
// whole body (64 KiB in about 120 µs) first.
func TestSignatureHeaderBeforeBody(t *testing.T) {
	fx := newFixture(t)
	body := callForm(testCallSid, "Padding", strings.Repeat("x", 60<<10)).Encode()
	for _, sig := range []string{"", "not-a-signature", strings.Repeat("A", 28), strings.Repeat("A", 26) + "=="} {
		t.Run(fmt.Sprintf("%q", sig), func(t *testing.T) {
			cr := &countingReader{r: strings.NewReader(body)}
			req := httptest.NewRequest(http.MethodPost, testWebhook, cr)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if sig != "" {
				req.Header.Set(signatureHeader, sig)
			}
			rec := httptest.NewRecorder()
			fx.flow.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden || cr.n != 0 {
				t.Errorf("status %d after reading %d bytes of the body, want 403 after none", rec.Code, cr.n)
			}
		})
	}
}

// digitsLeak finds a secret digit string in text once every long run of
// base64url or hex characters (sealed values, tokens, which may contain any
// digit sequence by chance) is removed.
var sealedRun = regexp.MustCompile(`[A-Za-z0-9_-]{24,}`)

func digitsLeak(text string, secrets ...string) string {
	clean := sealedRun.ReplaceAllString(text, "<sealed>")
	for _, s := range secrets {
		if strings.Contains(clean, s) {
			return s
		}
	}
	return ""
}

// TestNoDigitsAnywhere runs whole calls with debug logging and looks for the
// typed digits in every log line, URL, form value but Digits, TwiML
// document and backend request.
func TestNoDigitsAnywhere(t *testing.T) {
	var logs bytes.Buffer
	var logMu sync.Mutex
	// Times and durations are dropped: their digits could hold an entry
	// by chance.
	drop := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs, mu: &logMu},
		&slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: drop}))

	fx := newFixture(t)
	f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithLogger(logger))
	// Distinctive entries; the invalid one and the retried ones count too.
	secrets := []string{"8642", "1357", "5*79"}
	call := fx.caller(f).Call("", "8642", "5*79", "1357")
	if len(call.Requests) < 4 {
		t.Fatalf("call too short:\n%s", call.Transcript())
	}

	var places []string
	for _, req := range call.Requests {
		places = append(places, "URL "+req.URL, "TwiML "+string(req.Body))
		for k, vs := range req.Form {
			if k != "Digits" {
				places = append(places, "form "+k+"="+strings.Join(vs, ","))
			}
		}
	}
	for _, b := range fx.backend.bodies {
		raw, _ := json.Marshal(b)
		places = append(places, "backend "+string(raw))
	}
	logMu.Lock()
	for _, line := range strings.Split(logs.String(), "\n") {
		places = append(places, "log "+line)
	}
	logMu.Unlock()
	if !strings.Contains(logs.String(), `"outcome"`) {
		t.Fatalf("no request was logged:\n%s", logs.String())
	}
	for _, p := range places {
		if s := digitsLeak(p, secrets...); s != "" {
			t.Errorf("%q appears in %s", s, p)
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestRefusalSaysWhatToCheck: a request signed with another auth token, or
// for another public URL, is refused with a line that names what to check
// (the auth token and the public URL) and carries the CallSid the request
// claims, under a name that says it is unverified. Refused lines once said
// only "signature does not match" with call_sid="".
func TestRefusalSaysWhatToCheck(t *testing.T) {
	form := callForm(testCallSid)
	tests := []struct {
		name     string
		token    string
		url      string
		wantText string
	}{
		{"wrong auth token", "another-token", testWebhook, "check the auth token and the public URL (WithPublicURL)"},
		{"wrong public URL", testAuthToken, "https://other.example.com/encrypted-gather", "matches neither https://ivr.example.com/encrypted-gather"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logBuffer
			fx := newFixture(t)
			f := fx.newFlow(t, testBackend{URL: fx.server.URL}, WithLogger(logs.logger()))
			req := flowtest.NewRequest(http.MethodPost, testWebhook, form, testAuthToken)
			req.Header.Set(signatureHeader, twiliosig.Sign(tt.token, tt.url, form))
			rec := httptest.NewRecorder()
			f.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Fatalf("status %d, want 403", rec.Code)
			}
			if logs.count(`"outcome":"bad_signature"`, tt.wantText, `"unverified_call_sid":"`+testCallSid+`"`) != 1 {
				t.Errorf("log %s\nwant a line saying %q with the unverified CallSid", logs.String(), tt.wantText)
			}
		})
	}
}
