package flow

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

	"github.com/encgather/encgather/twiml"
)

// bodyRecorder is a backend that keeps each request's body and
// Authorization header and answers the known account.
type bodyRecorder struct {
	mu     sync.Mutex
	bodies [][]byte
	auth   []string
}

func (b *bodyRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, body)
	b.auth = append(b.auth, r.Header.Get("Authorization"))
	b.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"account":"AC12345678","balance":"12.55"}`)
}

func (b *bodyRecorder) requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.bodies)
}

func TestPostJSONFollowsNoRedirect(t *testing.T) {
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(code), func(t *testing.T) {
			elsewhere := &bodyRecorder{}
			target := httptest.NewServer(elsewhere)
			defer target.Close()
			redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+"/steal", code)
			}))
			defer redirecting.Close()
			// A service's client that would follow any redirect.
			follows := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
			finish := PostJSON(Backend{
				URL: redirecting.URL, Client: follows,
				Header:    http.Header{"Authorization": {"Bearer backend-secret"}},
				OnSuccess: accountSentence,
				Failure:   []twiml.Verb{twiml.Say{Text: sayFailure}},
			})
			verbs, err := finish(context.Background(), &Result{CallSid: testCallSid, Sealed: map[string]string{"pin": "00ff"}})
			if !errors.Is(err, ErrBackend) {
				t.Errorf("err = %v, want ErrBackend", err)
			}
			if say, ok := verbs[0].(twiml.Say); len(verbs) != 1 || !ok || say.Text != sayFailure {
				t.Errorf("verbs = %v, want the failure sentence", verbs)
			}
			if n := elsewhere.requests(); n != 0 {
				t.Errorf("the redirect target got %d requests, with Authorization %q", n, elsewhere.auth)
			}
		})
	}
}

func TestPostJSONBody(t *testing.T) {
	tests := []struct {
		name         string
		callSidField string
		sealed       map[string]string
		plain        map[string]string
	}{
		{"tutorial", "", map[string]string{"encryptedCardDigits": "0a1b", "encryptedPinDigits": "2c3d"}, nil},
		{"custom CallSid name", "twilioCallSid", map[string]string{"pin": "00ff"}, map[string]string{"branch": "12"}},
		{"names needing escapes", "call\"Sid\\", map[string]string{
			"quote\"back\\slash": "00", "<html>&amp;": "01", "tab\tnewline\n": "02", "ctl\x01\x1f\x7f": "03",
			"line\u2028para\u2029": "04", "bad\xffutf8": "05", "é中😀": "06",
		}, map[string]string{"plain\"": "1\"2<3>", "\b\f\r": "4"}},
		{"no fields", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend := &bodyRecorder{}
			srv := httptest.NewServer(backend)
			defer srv.Close()
			finish := PostJSON(Backend{URL: srv.URL, CallSidField: tt.callSidField})
			if _, err := finish(context.Background(), &Result{CallSid: testCallSid, Sealed: tt.sealed, Plain: tt.plain}); err != nil {
				t.Fatal(err)
			}
			callSidField := tt.callSidField
			if callSidField == "" {
				callSidField = DefaultCallSidField
			}
			want := map[string]string{callSidField: testCallSid}
			for k, v := range tt.sealed {
				want[k] = v
			}
			for k, v := range tt.plain {
				want[k] = v
			}
			wantBody, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if got := backend.bodies[0]; !bytes.Equal(got, wantBody) {
				t.Errorf("body\n%s\nwant encoding/json's\n%s", got, wantBody)
			}
		})
	}
}

func TestPostJSONRefusesFieldNamedAsCallSid(t *testing.T) {
	backend := &bodyRecorder{}
	srv := httptest.NewServer(backend)
	defer srv.Close()
	tests := []struct {
		name  string
		field string
		res   Result
	}{
		{"sealed", "", Result{CallSid: testCallSid, Sealed: map[string]string{DefaultCallSidField: "00ff"}}},
		{"plain", "id", Result{CallSid: testCallSid, Plain: map[string]string{"id": "1234"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			finish := PostJSON(Backend{URL: srv.URL, CallSidField: tt.field})
			if _, err := finish(context.Background(), &tt.res); !errors.Is(err, ErrBackend) {
				t.Errorf("err = %v, want ErrBackend", err)
			}
		})
	}
	if n := backend.requests(); n != 0 {
		t.Errorf("the backend got %d requests", n)
	}
}

func TestNewBackendRefusesBadURLs(t *testing.T) {
	tests := []struct{ name, url string }{
		{"empty", ""},
		{"relative", "/decrypt-gather"},
		{"no scheme", "backend.example.com/decrypt-gather"},
		{"other scheme", "ftp://backend.example.com/"},
		{"no host", "http:///decrypt-gather"},
		{"opaque", "http:backend.example.com"},
		{"unparsable", "http://backend.example.com/%zz"},
		{"credentials", "https://user:backend-secret@backend.example.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewBackend(Backend{URL: tt.url})
			if !errors.Is(err, ErrDefinition) {
				t.Fatalf("NewBackend(%q) err = %v, want ErrDefinition", tt.url, err)
			}
			if strings.Contains(err.Error(), "backend-secret") {
				t.Errorf("the error quotes the URL's credentials: %v", err)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("PostJSON(%q) did not panic", tt.url)
				}
			}()
			PostJSON(Backend{URL: tt.url})
		})
	}
	for _, good := range []string{"http://127.0.0.1:8081/decrypt-gather", "https://backend.example.com", "HTTPS://backend.example.com/x?y=z"} {
		if _, err := NewBackend(Backend{URL: good}); err != nil {
			t.Errorf("NewBackend(%q): %v", good, err)
		}
	}
}

// TestPostJSONKeepsConnections finishes two bursts of calls at once: the
// default transport keeps a connection for each call of the first burst,
// so the second opens none (http.DefaultTransport would keep 2).
func TestPostJSONKeepsConnections(t *testing.T) {
	const burst = 16
	var conns atomic.Int64
	var arrived sync.WaitGroup
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		arrived.Done()
		select { // hold every call of the burst open together
		case <-release:
		case <-time.After(5 * time.Second):
		}
		io.WriteString(w, "{}")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	finish := PostJSON(Backend{URL: srv.URL, Timeout: 10 * time.Second})
	for round := 1; round <= 2; round++ {
		release = make(chan struct{})
		arrived.Add(burst)
		var done sync.WaitGroup
		for range burst {
			done.Add(1)
			go func() {
				defer done.Done()
				if _, err := finish(context.Background(), &Result{CallSid: testCallSid}); err != nil {
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
