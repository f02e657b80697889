package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
)

// startTestService starts the service as serve does, on loopback, with
// its public URL set to the public listener's address.
func startTestService(t *testing.T, bind bool, logs io.Writer) (*service, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := "http://" + ln.Addr().String()
	cfg := tutorial.Config{PublicURL: public, AuthToken: tutorial.NewHidden("test-token"), Cipher: aescrypt.New(aescrypt.GenerateKey()),
		BackendAddr: tutorial.DefaultBackendAddr, BindValues: bind}
	svc, err := startService(ln, cfg, ivrSettings{logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.shutdown(context.Background()) })
	return svc, public
}

// TestServerMode runs the service as main builds it, over real HTTP, with
// a signed Twilio-style caller, with values bound and not.
func TestServerMode(t *testing.T) {
	for _, bind := range []bool{false, true} {
		t.Run(fmt.Sprintf("bound=%v", bind), func(t *testing.T) {
			var logs bytes.Buffer
			_, public := startTestService(t, bind, &logs)
			tests := []struct {
				name string
				keys []string
				want string
			}{
				{"known caller", []string{"1234", "4321"}, tutorial.SaySuccess("AC12345678", "12.55")},
				{"unknown caller", []string{"1111", "4321"}, tutorial.SayFailure},
				{"retry then success", []string{"", "12", "1234", "4321"}, tutorial.SaySuccess("AC12345678", "12.55")},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					// Over the network, signed for the server's public URL.
					call := flowtest.NewCaller(nil, public+tutorial.IVRPath, "test-token").Call(tt.keys...)
					if call.End != flowtest.EndHangup || call.Said[len(call.Said)-1] != tt.want {
						t.Fatalf("call ended %v, said %q\n%s", call.End, call.Said, call.Transcript())
					}
				})
			}
			t.Run("unsigned", func(t *testing.T) {
				call := flowtest.NewCaller(nil, public+tutorial.IVRPath, "wrong-token").Call("1234")
				if call.End != flowtest.EndError || call.Requests[0].StatusCode != 403 {
					t.Fatalf("a wrongly signed call got %v", call.End)
				}
			})
			if strings.Contains(longRun.ReplaceAllString(logs.String(), ""), "1234") {
				t.Errorf("the log holds typed digits:\n%s", logs.String())
			}
		})
	}
}

// TestBackendIsNotPublic checks that the listener Twilio reaches does not
// serve the built-in backend, which listens on loopback alone.
func TestBackendIsNotPublic(t *testing.T) {
	svc, public := startTestService(t, false, io.Discard)
	// A request that the backend would answer with the account.
	c := aescrypt.New(aescrypt.GenerateKey())
	body := `{"encryptedCardDigits":"` + c.Seal([]byte("1234"), nil) + `","encryptedPinDigits":"` + c.Seal([]byte("4321"), nil) + `"}`
	resp, err := http.Post(public+tutorial.BackendPath, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the public listener answers %s with %d, want 404", tutorial.BackendPath, resp.StatusCode)
	}
	u, err := url.Parse(svc.backendURL)
	if err != nil {
		t.Fatal(err)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		t.Errorf("the built-in backend listens on %s, want loopback", u.Host)
	}
	if u.Host == strings.TrimPrefix(public, "http://") {
		t.Errorf("the built-in backend shares the public listener %s", u.Host)
	}
}

// TestStartServiceRefusesBadBackendURL checks that a backend URL that is
// not absolute is reported, not a panic.
func TestStartServiceRefusesBadBackendURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := tutorial.Config{PublicURL: "http://" + ln.Addr().String(), AuthToken: tutorial.NewHidden("test-token"),
		Cipher: aescrypt.New(aescrypt.GenerateKey()), BackendURL: "backend.example.com/decrypt-gather"}
	if _, err := startService(ln, cfg, ivrSettings{logger: slog.New(slog.DiscardHandler)}); err == nil {
		t.Error("startService accepted a relative backend URL")
	}
}

var longRun = regexp.MustCompile(`[A-Za-z0-9_-]{24,}`)

// TestSimulate runs the README's first command and checks that the call
// succeeds and the digits show only where the caller types them.
func TestSimulate(t *testing.T) {
	var out bytes.Buffer
	if err := simulateCall(&out, []string{"", "1234", "4321"}, false); err != nil {
		t.Fatalf("simulate: %v\n%s", err, out.String())
	}
	text := out.String()
	if !strings.Contains(text, tutorial.SaySuccess("AC12345678", "12.55")) || !strings.Contains(text, "ended with hangup") {
		t.Fatalf("no successful call:\n%s", text)
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "Caller:") || i == 0 {
			continue // the caller typing, and the line that says what it will type
		}
		// The account number, AC12345678, happens to contain 1234.
		clean := longRun.ReplaceAllString(strings.ReplaceAll(line, tutorial.KnownAccount, "<account>"), "<sealed>")
		for _, digits := range []string{"1234", "4321"} {
			if strings.Contains(clean, digits) {
				t.Errorf("line %d shows %s: %s", i, digits, line)
			}
		}
	}
}

// downStore is a single-use store whose server is out of reach: it says
// so when asked whether it is ready.
type downStore struct{ flow.Store }

func (downStore) Ready(context.Context) error { return errors.New("dial tcp: connection refused") }

// TestReadiness: the service answers its readiness probe on a loopback
// listener of its own, never on the public one: 200 while the IVR can
// answer calls, 503 when its single-use store is out of reach.
func TestReadiness(t *testing.T) {
	svc, public := startTestService(t, false, io.Discard)
	if !strings.HasPrefix(svc.readyURL, "http://127.0.0.1:") {
		t.Fatalf("ready URL %q, want loopback", svc.readyURL)
	}
	if code, body := get(t, svc.readyURL); code != http.StatusOK || body != "ready\n" {
		t.Errorf("readiness %d %q, want 200 ready", code, body)
	}
	if code, _ := get(t, public+readyPath); code == http.StatusOK {
		t.Error("the readiness probe answers on the public listener")
	}

	mem, err := flow.NewMemoryStore(10)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := tutorial.Config{PublicURL: "http://" + ln.Addr().String(), AuthToken: tutorial.NewHidden("test-token"),
		Cipher: aescrypt.New(aescrypt.GenerateKey()), BackendAddr: tutorial.DefaultBackendAddr}
	down, err := startService(ln, cfg, ivrSettings{logger: slog.New(slog.DiscardHandler), store: downStore{mem}})
	if err != nil {
		ln.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { down.shutdown(context.Background()) })
	if code, body := get(t, down.readyURL); code != http.StatusServiceUnavailable || !strings.Contains(body, "connection refused") {
		t.Errorf("readiness with the store down: %d %q, want 503 saying why", code, body)
	}
}

// get fetches url and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}
