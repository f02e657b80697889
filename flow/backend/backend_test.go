package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/twiml"
)

func TestFollowsNoRedirect(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			elsewhere := &recorder{}
			target := httptest.NewServer(elsewhere)
			defer target.Close()
			redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/steal", code)
			}))
			defer redirecting.Close()
			// A service's client that would follow any redirect.
			follows := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
			finish := Must(New(Config{
				URL: redirecting.URL, Client: follows,
				Header:    http.Header{"Authorization": {"Bearer backend-secret"}},
				OnSuccess: accountSentence,
				Failure:   []twiml.Verb{twiml.Say{Text: sayNoMatch}},
			}))
			verbs, err := finish(context.Background(), &flow.Result{CallSid: testCallSid, Sealed: map[string]string{"pin": "00ff"}})
			if !errors.Is(err, ErrFailed) || errors.Is(err, flow.ErrDeclined) {
				t.Errorf("err = %v, want ErrFailed alone", err)
			}
			if said(verbs) != sayNoMatch {
				t.Errorf("verbs = %v, want the failure sentence", verbs)
			}
			if n := elsewhere.requests(); n != 0 {
				t.Errorf("the redirect target got %d requests, with headers %v", n, elsewhere.headers)
			}
		})
	}
}

func TestBody(t *testing.T) {
	tests := []struct {
		name   string
		config Config
		sealed map[string]string
		plain  map[string]string
		want   map[string]string
	}{
		{"tutorial", Config{}, map[string]string{"encryptedCardDigits": "0a1b", "encryptedPinDigits": "2c3d"}, nil,
			map[string]string{"encryptedCardDigits": "0a1b", "encryptedPinDigits": "2c3d", "callSid": testCallSid, "from": testFrom}},
		{"custom names", Config{CallSidField: "twilioCallSid", FromField: "caller"}, map[string]string{"pin": "00ff"}, map[string]string{"branch": "12"},
			map[string]string{"pin": "00ff", "branch": "12", "twilioCallSid": testCallSid, "caller": testFrom}},
		{"number left out", Config{OmitFrom: true}, map[string]string{"pin": "00ff"}, nil,
			map[string]string{"pin": "00ff", "callSid": testCallSid}},
		{"names needing escapes", Config{CallSidField: "call\"Sid\\"}, map[string]string{
			"quote\"back\\slash": "00", "<html>&amp;": "01", "tab\tnewline\n": "02", "line\u2028para\u2029": "04", "é中😀": "06",
		}, nil, map[string]string{"quote\"back\\slash": "00", "<html>&amp;": "01", "tab\tnewline\n": "02",
			"line\u2028para\u2029": "04", "é中😀": "06", "call\"Sid\\": testCallSid, "from": testFrom}},
		{"no fields", Config{}, nil, nil, map[string]string{"callSid": testCallSid, "from": testFrom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend := &recorder{}
			srv := httptest.NewServer(backend)
			defer srv.Close()
			tt.config.URL, tt.config.OnSuccess = srv.URL, accountSentence
			finish := Must(New(tt.config))
			if _, err := finish(context.Background(), &flow.Result{CallSid: testCallSid, From: testFrom, Sealed: tt.sealed, Plain: tt.plain}); err != nil {
				t.Fatal(err)
			}
			var got map[string]string
			if err := json.Unmarshal(backend.bodies[0], &got); err != nil {
				t.Fatalf("body %s: %v", backend.bodies[0], err)
			}
			wantBody, _ := json.Marshal(tt.want)
			if gotBody, _ := json.Marshal(got); !bytes.Equal(gotBody, wantBody) {
				t.Errorf("body\n%s\nwant\n%s", gotBody, wantBody)
			}
			if ct := backend.headers[0].Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if h := backend.headers[0].Get(SignatureHeader); h != "" {
				t.Errorf("unsigned config sent %s: %s", SignatureHeader, h)
			}
		})
	}
}

func TestRefusesFieldNamedAsCallSidOrFrom(t *testing.T) {
	backend := &recorder{}
	srv := httptest.NewServer(backend)
	defer srv.Close()
	tests := []struct {
		name   string
		config Config
		res    flow.Result
	}{
		{"sealed as callSid", Config{}, flow.Result{CallSid: testCallSid, Sealed: map[string]string{DefaultCallSidField: "00ff"}}},
		{"plain as custom callSid", Config{CallSidField: "id"}, flow.Result{CallSid: testCallSid, Plain: map[string]string{"id": "1234"}}},
		{"sealed as from", Config{}, flow.Result{CallSid: testCallSid, Sealed: map[string]string{DefaultFromField: "00ff"}}},
		{"sealed and plain alike", Config{}, flow.Result{CallSid: testCallSid, Sealed: map[string]string{"x": "00"}, Plain: map[string]string{"x": "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.config.URL, tt.config.OnSuccess = srv.URL, accountSentence
			finish := Must(New(tt.config))
			if _, err := finish(context.Background(), &tt.res); !errors.Is(err, ErrFailed) {
				t.Errorf("err = %v, want ErrFailed", err)
			}
		})
	}
	t.Run("from field left out", func(t *testing.T) {
		finish := Must(New(Config{URL: srv.URL, OnSuccess: accountSentence, OmitFrom: true}))
		res := flow.Result{CallSid: testCallSid, Sealed: map[string]string{DefaultFromField: "00ff"}}
		if _, err := finish(context.Background(), &res); err != nil {
			t.Errorf("err = %v, want the field sent as a field", err)
		}
	})
	if n := backend.requests(); n != 1 {
		t.Errorf("the backend got %d requests, want 1", n)
	}
}

func TestNewRefuses(t *testing.T) {
	good := Config{URL: "https://backend.example.com/decrypt-gather", OnSuccess: accountSentence}
	with := func(change func(*Config)) Config { c := good; change(&c); return c }
	tests := []struct {
		name   string
		config Config
		names  string // the field the error must name
	}{
		{"no OnSuccess", with(func(c *Config) { c.OnSuccess = nil }), "OnSuccess"},
		{"empty URL", with(func(c *Config) { c.URL = "" }), "URL"},
		{"relative URL", with(func(c *Config) { c.URL = "/decrypt-gather" }), "URL"},
		{"no scheme", with(func(c *Config) { c.URL = "backend.example.com/decrypt-gather" }), "URL"},
		{"other scheme", with(func(c *Config) { c.URL = "ftp://backend.example.com/" }), "URL"},
		{"no host", with(func(c *Config) { c.URL = "http:///decrypt-gather" }), "URL"},
		{"opaque", with(func(c *Config) { c.URL = "http:backend.example.com" }), "URL"},
		{"unparsable", with(func(c *Config) { c.URL = "http://backend.example.com/%zz" }), "URL"},
		{"credentials", with(func(c *Config) { c.URL = "https://user:backend-secret@backend.example.com/" }), "URL"},
		{"empty Say in Decline", with(func(c *Config) { c.Decline = []twiml.Verb{twiml.Say{}} }), "Decline"},
		{"nil verb in Failure", with(func(c *Config) { c.Failure = []twiml.Verb{nil} }), "Failure"},
		{"status not HTTP", with(func(c *Config) { c.DeclineStatuses = []int{4040} }), "DeclineStatuses"},
		{"same names", with(func(c *Config) { c.CallSidField, c.FromField = "id", "id" }), "FromField"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.config)
			if !errors.Is(err, flow.ErrDefinition) {
				t.Fatalf("New err = %v, want flow.ErrDefinition", err)
			}
			if !strings.Contains(err.Error(), "Config."+tt.names) {
				t.Errorf("the error does not name Config.%s: %v", tt.names, err)
			}
			if strings.Contains(err.Error(), "backend-secret") {
				t.Errorf("the error quotes the URL's credentials: %v", err)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("Must did not panic")
				}
			}()
			Must(New(tt.config))
		})
	}
	for _, url := range []string{"http://127.0.0.1:8081/decrypt-gather", "https://backend.example.com", "HTTPS://backend.example.com/x?y=z"} {
		if _, err := New(with(func(c *Config) { c.URL = url })); err != nil {
			t.Errorf("New(%q): %v", url, err)
		}
	}
}

// TestDeclineOrFailure: what the backend does decides what is said and
// what the error wraps; no error quotes the answer.
func TestDeclineOrFailure(t *testing.T) {
	const leak = "secret-answer-4321"
	tests := []struct {
		name     string
		statuses []int // Config.DeclineStatuses
		handler  http.HandlerFunc
		want     string // what is said
		declined bool
		errText  string // the error's message, if fixed
	}{
		{"found", nil, answer(200, `{"account":"AC12345678"}`), sayAccount, false, ""},
		{"404 declines by default", nil, answer(404, "No data found "+leak), DefaultDecline, true, "backend: declined: status 404"},
		{"a listed status declines", []int{403, 409}, answer(409, leak), DefaultDecline, true, "backend: declined: status 409"},
		{"404 unlisted fails", []int{409}, answer(404, leak), DefaultFailure, false, "backend: failed: status 404"},
		{"500 fails", nil, answer(500, leak), DefaultFailure, false, "backend: failed: status 500"},
		{"garbage fails", nil, answer(200, "<html>"+leak), DefaultFailure, false, ""},
		{"too large fails", nil, answer(200, strings.Repeat("x", maxAnswer+1)), DefaultFailure, false, ""},
		{"slow fails", nil, func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // so the server notices the client leave
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}, DefaultFailure, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			timeout := 10 * time.Second // room for a loaded machine
			if tt.name == "slow fails" {
				timeout = 100 * time.Millisecond
			}
			finish := Must(New(Config{URL: srv.URL, OnSuccess: accountSentence, DeclineStatuses: tt.statuses, Timeout: timeout}))
			verbs, err := finish(context.Background(), &flow.Result{CallSid: testCallSid, Sealed: map[string]string{"pin": "00ff"}})
			if got := said(verbs); got != tt.want {
				t.Errorf("said %q, want %q", got, tt.want)
			}
			if tt.want == sayAccount {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if errors.Is(err, flow.ErrDeclined) != tt.declined || errors.Is(err, ErrFailed) == tt.declined {
				t.Errorf("err = %v: declined %v, failed %v; want declined %v", err,
					errors.Is(err, flow.ErrDeclined), errors.Is(err, ErrFailed), tt.declined)
			}
			if tt.errText != "" && err.Error() != tt.errText {
				t.Errorf("err = %q, want %q", err, tt.errText)
			}
			if strings.Contains(err.Error(), leak) || strings.Contains(err.Error(), "00ff") {
				t.Errorf("the error quotes the answer or a value: %v", err)
			}
		})
	}
	t.Run("down fails", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + ln.Addr().String()
		ln.Close()
		custom := []twiml.Verb{twiml.Say{Text: sayNoMatch}}
		finish := Must(New(Config{URL: url, OnSuccess: accountSentence, Failure: custom}))
		verbs, err := finish(context.Background(), &flow.Result{CallSid: testCallSid})
		if !errors.Is(err, ErrFailed) || said(verbs) != sayNoMatch {
			t.Errorf("said %q, err %v; want the custom failure and ErrFailed", said(verbs), err)
		}
	})
}

// answer is a handler answering status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// TestKeepsConnections finishes two bursts of calls at once: the default
// transport keeps a connection for each call of the first burst, so the
// second opens none (http.DefaultTransport would keep 2).
func TestKeepsConnections(t *testing.T) {
	const burst = 16
	var conns atomic.Int64
	var arrived sync.WaitGroup
	var release chan struct{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		arrived.Done()
		select { // hold every call of the burst open together
		case <-release:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, `{"account":"AC1"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	finish := Must(New(Config{URL: srv.URL, OnSuccess: accountSentence, Timeout: 10 * time.Second}))
	for round := 1; round <= 2; round++ {
		release = make(chan struct{})
		arrived.Add(burst)
		var done sync.WaitGroup
		for range burst {
			done.Add(1)
			go func() {
				defer done.Done()
				if _, err := finish(context.Background(), &flow.Result{CallSid: testCallSid}); err != nil {
					t.Error(err)
				}
			}()
		}
		arrived.Wait()
		close(release)
		done.Wait()
		if got := conns.Load(); got != burst {
			t.Fatalf("after burst %d the backend saw %d connections, want %d", round, got, burst)
		}
	}
}

// TestSignedHandOff: a Finish with Config.Signing signs each request so
// that a Verifier with the secret accepts it, and one without refuses it.
func TestSignedHandOff(t *testing.T) {
	secret := testSecret(t, 1)
	tests := []struct {
		name    string
		secrets *Secrets
		want    string
	}{
		{"same secret", NewSecrets(secret), sayAccount},
		{"secret among previous", NewSecrets(testSecret(t, 2), secret), sayAccount},
		{"other secret", NewSecrets(testSecret(t, 3)), DefaultFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewVerifier(tt.secrets)
			if err != nil {
				t.Fatal(err)
			}
			backend := &recorder{}
			srv := httptest.NewServer(v.Middleware(backend))
			defer srv.Close()
			finish := Must(New(Config{URL: srv.URL + "/decrypt-gather?v=1", Signing: secret, OnSuccess: accountSentence,
				Header: http.Header{SignatureHeader: {"t=1,v1=forged"}}}))
			res := &flow.Result{CallSid: testCallSid, From: testFrom, Sealed: map[string]string{"pin": "00ff"}}
			verbs, err := finish(context.Background(), res)
			if said(verbs) != tt.want {
				t.Fatalf("said %q (err %v), want %q", said(verbs), err, tt.want)
			}
			if tt.want == sayAccount && !bytes.Contains(backend.bodies[0], []byte(`"pin":"00ff"`)) {
				t.Errorf("the next handler read %s", backend.bodies[0])
			}
		})
	}
}
