package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/verify/accounts"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

const (
	testToken = "test-auth-token"
	knownDOB  = "01021980"
	knownPIN  = "654321"
)

// today is the flow's clock in the tests.
var today = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)

// harness is the service with its backend on a test server, the flow's
// clock at now, and every log line kept.
type harness struct {
	ivr     *ivr
	backend atomic.Int32 // requests the backend received
	log     *syncBuffer
	authTok string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newHarness(t *testing.T, now time.Time, store flow.Store) *harness {
	t.Helper()
	return newHarnessWith(t, now, store, 0, nil)
}

// newHarnessWith is newHarness with the backend's timeout, and a wrapper
// around the backend's handler.
func newHarnessWith(t *testing.T, now time.Time, store flow.Store, backendTimeout time.Duration, wrap func(http.Handler) http.Handler) *harness {
	t.Helper()
	h := &harness{log: &syncBuffer{}, authTok: testToken}
	logger := slog.New(slog.NewTextHandler(h.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cipher := aescrypt.New(aescrypt.GenerateKey())
	signing := backend.NewSecrets(backend.GenerateSecret())
	accts, err := accounts.New(accounts.Config{Cipher: cipher, Signing: signing, Customers: demoCustomers, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if wrap != nil {
		accts = wrap(accts)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.backend.Add(1)
		accts.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	h.ivr, err = newIVR(ivrConfig{PublicURL: simulatedPublicURL, AuthToken: testToken, Cipher: cipher,
		Signing: signing.Newest(), BackendURL: srv.URL + BackendPath, Agent: twiml.Client{Identity: "agent"},
		BackendTimeout: backendTimeout, Logger: logger, Now: func() time.Time { return now }, Store: store})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *harness) caller() *flowtest.Caller {
	return flowtest.NewCaller(h.ivr.mux, simulatedPublicURL+WelcomePath, h.authTok)
}

const (
	sayGoodbye     = "We're sorry, we could not get your entry. Goodbye."
	sayNoInput     = "We didn't receive any input."
	sayNot8Digits  = "That was not 8 digits."
	sayNot6Digits  = "That was not 6 digits."
	dialledAgent   = "client agent"
	sayApologyFlow = "We're sorry, an application error has occurred. Goodbye."
)

func TestCalls(t *testing.T) {
	tests := []struct {
		name        string
		entries     []string
		wantEnd     flowtest.End
		wantLast    string   // the last thing said
		wantSaid    []string // also said, in any order
		wantBackend int32
	}{
		{"happy path", []string{knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayWelcome}, 1},
		{"silence", []string{"", "", ""}, flowtest.EndHangup, sayGoodbye, []string{sayNoInput}, 0},
		{"date too short", []string{"0102198", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{sayNot8Digits}, 1},
		{"PIN too short", []string{knownDOB, "65432", knownPIN}, flowtest.EndDialed, SayConnecting, []string{sayNot6Digits}, 1},
		{"PIN with a star", []string{knownDOB, "65*321", knownPIN}, flowtest.EndDialed, SayConnecting, []string{sayNot6Digits}, 1},
		{"invalid date", []string{"02301980", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayNotADate}, 1},
		{"month 13", []string{"13011980", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayNotADate}, 1},
		{"date in the future", []string{"01022030", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayOutOfRange}, 1},
		{"today", []string{"12042026", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayOutOfRange}, 1},
		{"too young", []string{"01022015", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayOutOfRange}, 1},
		{"too old", []string{"01021890", knownDOB, knownPIN}, flowtest.EndDialed, SayConnecting, []string{SayOutOfRange}, 1},
		{"three invalid dates", []string{"02301980", "02301980", "02301980"}, flowtest.EndHangup, sayGoodbye, nil, 0},
		{"hang-up at the date", []string{flowtest.HangUp}, flowtest.EndCallerHangup, SayDateOfBirth, nil, 0},
		{"hang-up at the PIN", []string{knownDOB, "65" + flowtest.HangUp}, flowtest.EndCallerHangup, SayPIN, nil, 0},
		{"no match", []string{knownDOB, "111111"}, flowtest.EndHangup, SayNoMatch, nil, 1},
		{"no one born that day", []string{"03041990", knownPIN}, flowtest.EndHangup, SayNoMatch, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, today, nil)
			call := h.caller().Call(tt.entries...)
			if call.End != tt.wantEnd || call.LastSaid() != tt.wantLast {
				t.Fatalf("ended %v saying %q, want %v saying %q (%v)\n%s", call.End, call.LastSaid(), tt.wantEnd, tt.wantLast, call.Err, call.Transcript())
			}
			for _, s := range tt.wantSaid {
				if !slices.Contains(call.Said, s) {
					t.Errorf("never said %q\n%s", s, call.Transcript())
				}
			}
			if got := h.backend.Load(); got != tt.wantBackend {
				t.Errorf("backend asked %d times, want %d", got, tt.wantBackend)
			}
			if dialled := lastDial(call); (call.End == flowtest.EndDialed) != (dialled == dialledAgent) {
				t.Errorf("dialled %q", dialled)
			}
			assertNoValues(t, h.log.String(), tt.entries)
		})
	}
}

// lastDial returns whom the call's <Dial> called, or "".
func lastDial(call *flowtest.Call) string {
	for _, ev := range slices.Backward(call.Events) {
		if ev.Kind == flowtest.EventDial {
			return ev.Text
		}
	}
	return ""
}

func TestDateAgainstTheFlowsClock(t *testing.T) {
	// Born 5 December 2008: 17 on the 4th of December 2026, 18 on the 5th.
	const birthday = "12052008"
	tests := []struct {
		name string
		now  time.Time
		want string // what follows the date
	}{
		{"the day before the 18th birthday", today, SayOutOfRange},
		{"the 18th birthday", today.AddDate(0, 0, 1), SayPIN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			call := newHarness(t, tt.now, nil).caller().Call(birthday, flowtest.HangUp)
			if len(call.Said) < 3 || call.Said[2] != tt.want {
				t.Errorf("said %q after the date, want %q\n%s", call.Said, tt.want, call.Transcript())
			}
		})
	}
}

func TestGuessLimitAcrossCalls(t *testing.T) {
	h := newHarness(t, today, nil)
	c := h.caller()
	for i := range accounts.DefaultMaxWrong {
		if call := c.Call(knownDOB, "111111"); call.LastSaid() != SayNoMatch {
			t.Fatalf("wrong PIN %d: said %q", i+1, call.LastSaid())
		}
	}
	call := c.Call(knownDOB, knownPIN)
	if call.End == flowtest.EndDialed || call.LastSaid() != SayNoMatch {
		t.Errorf("the right PIN after %d wrong ones from one number: %v, %q; want the decline", accounts.DefaultMaxWrong, call.End, call.LastSaid())
	}
	c.Params.Set("From", "+15005550009")
	c.Params.Set("Caller", "+15005550009")
	if call := c.Call(knownDOB, knownPIN); call.End != flowtest.EndDialed {
		t.Errorf("another number: %v, %q; want a transfer", call.End, call.LastSaid())
	}
	if !strings.Contains(h.log.String(), "outcome=locked") || !strings.Contains(h.log.String(), "outcome=declined") {
		t.Errorf("log does not show the lock and the decline:\n%s", h.log.String())
	}
}

func TestStatusCallback(t *testing.T) {
	h := newHarness(t, today, nil)
	c := h.caller()
	c.StatusCallback = StatusPath
	call := c.Call(knownDOB, knownPIN)
	if call.StatusCallback == nil || call.StatusCallback.StatusCode != http.StatusNoContent {
		t.Fatalf("signed status callback: %+v (%v)", call.StatusCallback, call.Err)
	}
	if !strings.Contains(h.log.String(), `msg="call status" call_sid=`+call.Sid+" call_status=completed") {
		t.Errorf("status not logged:\n%s", h.log.String())
	}

	form := url.Values{"CallSid": {call.Sid}, "CallStatus": {"completed"}}
	tests := []struct {
		name  string
		token string
		path  string
		want  int
	}{
		{"status signed", testToken, StatusPath, http.StatusNoContent},
		{"status unsigned", "", StatusPath, http.StatusForbidden},
		{"status signed with another token", "another-token", StatusPath, http.StatusForbidden},
		{"welcome unsigned", "", WelcomePath, http.StatusForbidden},
		{"flow unsigned", "", VerifyPath, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			h.ivr.mux.ServeHTTP(w, flowtest.NewRequest(http.MethodPost, simulatedPublicURL+tt.path, form, tt.token))
			if w.Code != tt.want {
				t.Errorf("status %d, want %d", w.Code, tt.want)
			}
		})
	}
}

func TestSlowBackend(t *testing.T) {
	// The backend never answers until the test ends. The flow gives up on
	// it at the backend's timeout and says its own failure sentence: well
	// within Twilio's timeout, the caller never hears Twilio's error. Were
	// the backend's timeout longer than Twilio's, the caller would.
	tests := []struct {
		name           string
		backendTimeout time.Duration
		twilioTimeout  time.Duration
		wantEnd        flowtest.End
		wantLast       string
	}{
		{"backend timeout under Twilio's", 20 * time.Millisecond, flowtest.DefaultTimeout, flowtest.EndHangup, SayFailure},
		{"backend timeout over Twilio's", 10 * time.Second, 20 * time.Millisecond, flowtest.EndError, flowtest.ApplicationError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			stall := func(http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					select {
					case <-release:
					case <-r.Context().Done():
					}
				})
			}
			h := newHarnessWith(t, today, nil, tt.backendTimeout, stall)
			t.Cleanup(func() { close(release) }) // before the backend's server closes
			c := h.caller()
			c.Timeout = tt.twilioTimeout
			call := c.Call(knownDOB, knownPIN)
			if call.End != tt.wantEnd || call.LastSaid() != tt.wantLast {
				t.Errorf("ended %v saying %q, want %v saying %q\n%s", call.End, call.LastSaid(), tt.wantEnd, tt.wantLast, call.Transcript())
			}
		})
	}
}

// downStore is a single-use store whose server is out of reach.
type downStore struct{ flow.MemoryStore }

var errDown = errors.New("store: connection refused")

func (*downStore) Ready(context.Context) error { return errDown }
func (*downStore) Claim(context.Context, flow.TokenID, time.Duration) (bool, []byte, error) {
	return false, nil, errDown
}

func TestReadiness(t *testing.T) {
	tests := []struct {
		name  string
		store flow.Store
		want  int
	}{
		{"memory store", nil, http.StatusOK},
		{"store down", &downStore{}, http.StatusServiceUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, today, tt.store)
			w := httptest.NewRecorder()
			readiness(h.ivr.flow).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+ReadyPath, nil))
			if w.Code != tt.want {
				t.Errorf("status %d, want %d: %s", w.Code, tt.want, w.Body)
			}
		})
	}
}

func TestSimulate(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		want    string
	}{
		{"transfer", []string{knownDOB, knownPIN}, "Dial: " + dialledAgent},
		{"no match", []string{knownDOB, "111111"}, "Say: " + SayNoMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"-simulate"}, tt.entries...), noEnv, &stdout, &stderr)
			out := stdout.String()
			if code != 0 || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want 0 and %q in:\n%s%s", code, tt.want, out, stderr.String())
			}
			for _, prefix := range []string{"ivr log: ", "backend log: ", "backend <- POST /verify (signed)"} {
				if !strings.Contains(out, prefix) {
					t.Errorf("no %q line in:\n%s", prefix, out)
				}
			}
			// The simulated caller's own lines may show what it types;
			// nothing else may.
			var others []string
			for _, line := range strings.Split(out, "\n") {
				if !strings.HasPrefix(line, "   Caller: ") {
					others = append(others, line)
				}
			}
			assertNoValues(t, strings.Join(others, "\n")+stderr.String(), tt.entries)
		})
	}
}

func TestSimulateIncomplete(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-simulate", knownDOB}, noEnv, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "before the backend answered") {
		t.Errorf("exit %d, stderr %q; want 1 and the reason", code, stderr.String())
	}
}

// assertNoValues fails if text holds any of the entered values as a
// word: standing alone, not inside the hex or base64 of a sealed value.
func assertNoValues(t *testing.T, text string, entries []string) {
	t.Helper()
	for _, e := range entries {
		keys, _ := strings.CutSuffix(e, flowtest.HangUp)
		if len(keys) < 4 {
			continue
		}
		forms := []string{keys}
		if len(keys) == 8 { // a date, also as a reader would write it
			forms = append(forms, keys[4:]+"-"+keys[:2]+"-"+keys[2:4], keys[:2]+"/"+keys[2:4]+"/"+keys[4:])
		}
		for _, f := range forms {
			if regexp.MustCompile(`(^|[^0-9A-Za-z_-])` + regexp.QuoteMeta(f) + `($|[^0-9A-Za-z_-])`).MatchString(text) {
				t.Errorf("output holds the entered value %q:\n%s", f, text)
			}
		}
	}
}

func noEnv(string) (string, bool) { return "", false }

func TestConfig(t *testing.T) {
	const (
		aesHex     = "a154eb4c759711bc2538a7cc021e9e9f17dd8aa63151c62ca28a82a4a404203d"
		signingHex = "5f3c1e2d4b6a79881726354453627180a9b8c7d6e5f40312233445566778899a"
	)
	good := map[string]string{
		envPublicURL: "https://ivr.example.com", envAuthToken: "tok-secret-value", "AES_SECRET": aesHex, envSigning: signingHex,
	}
	with := func(changes map[string]string) func(string) (string, bool) {
		env := map[string]string{}
		for k, v := range good {
			env[k] = v
		}
		for k, v := range changes {
			env[k] = v
		}
		return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	}
	tests := []struct {
		name    string
		lookup  func(string) (string, bool)
		want    []string // named in the error; none means no error
		secrets []string // never in the error
	}{
		{"complete", with(nil), nil, nil},
		{"nothing set", noEnv, []string{envPublicURL, envAuthToken, "AES_SECRET", envSigning}, nil},
		{"bad values", with(map[string]string{envPublicURL: "https://user:pa55word@ivr.example.com",
			"AES_SECRET": "zz" + aesHex[2:], envSigning: "short-secret-value"}),
			[]string{envPublicURL, "AES_SECRET", envSigning}, []string{"pa55word", "zz" + aesHex[2:], "short-secret-value"}},
		{"public loopback", with(map[string]string{envLoopbackAddr: "0.0.0.0:8081", envBackendAddr: "10.0.0.1:9000"}),
			[]string{envLoopbackAddr, envBackendAddr}, nil},
		{"agent", with(map[string]string{envAgent: "bob"}), []string{envAgent}, nil},
		{"agent number", with(map[string]string{envAgent: "+15005550006"}), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := loadConfig(tt.lookup)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if s := fmtAll(cfg); strings.Contains(s, "tok-secret-value") {
					t.Errorf("config prints the auth token: %s", s)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, name := range tt.want {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("error does not name %s: %v", name, err)
				}
			}
			for _, s := range append(tt.secrets, "tok-secret-value") {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error quotes a value: %v", err)
				}
			}
		})
	}
}

func fmtAll(cfg config) string {
	var b strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		b.WriteString(fmt.Sprintf(verb, cfg))
	}
	return b.String()
}
