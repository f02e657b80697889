package main

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow/flowtest"
)

// TestServerMode runs the service as main builds it, over real HTTP, with
// a signed Twilio-style caller.
func TestServerMode(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	public := "http://" + srv.Listener.Addr().String()
	cfg := tutorial.Config{PublicURL: public, AuthToken: "test-token", Cipher: aescrypt.New(aescrypt.GenerateKey())}
	var logs bytes.Buffer
	mux, err := newMux(cfg, "http://"+srv.Listener.Addr().String()+tutorial.BackendPath, false, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = mux
	srv.Start()
	defer srv.Close()

	tests := []struct {
		name, token string
		keys        []string
		want        string
	}{
		{"known caller", "test-token", []string{"1234", "4321"}, tutorial.SaySuccess("AC12345678", "12.55")},
		{"unknown caller", "test-token", []string{"1111", "4321"}, tutorial.SayFailure},
		{"retry then success", "test-token", []string{"", "12", "1234", "4321"}, tutorial.SaySuccess("AC12345678", "12.55")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Over the network, signed for the server's public URL.
			c := flowtest.NewCaller(nil, public+tutorial.IVRPath, tt.token)
			call := c.Call(tt.keys...)
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
}

var longRun = regexp.MustCompile(`[A-Za-z0-9_-]{24,}`)

// TestSimulate runs the README's first command and checks that the call
// succeeds and the digits show only where the caller types them.
func TestSimulate(t *testing.T) {
	var out bytes.Buffer
	if err := simulateCall(&out, []string{"", "1234", "4321"}); err != nil {
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
