package main

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
)

// TestBuiltInBackendRequiresSignature: the built-in backend answers only
// the IVR's signed requests, whether BACKEND_SIGNING_SECRET is set or the
// service made a secret of its own; another program on the machine that
// posts sealed values gets 401.
func TestBuiltInBackendRequiresSignature(t *testing.T) {
	configured := backend.GenerateSecret()
	tests := []struct {
		name    string
		signing *backend.Secrets
	}{
		{"BACKEND_SIGNING_SECRET set", backend.NewSecrets(configured)},
		{"a secret of its own", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			c := aescrypt.New(aescrypt.GenerateKey())
			public := "http://" + ln.Addr().String()
			cfg := tutorial.Config{PublicURL: public, AuthToken: tutorial.NewHidden("test-token"), Cipher: c,
				BackendAddr: tutorial.DefaultBackendAddr, Signing: tt.signing}
			svc, err := startService(ln, cfg, ivrSettings{logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				ln.Close()
				t.Fatal(err)
			}
			defer svc.shutdown(t.Context())

			call := flowtest.NewCaller(nil, public+tutorial.IVRPath, "test-token").Call(tutorial.KnownCard, tutorial.KnownPin)
			if call.LastSaid() != tutorial.SaySuccess(tutorial.KnownAccount, tutorial.KnownBalance) {
				t.Fatalf("the IVR's call said %q\n%s", call.LastSaid(), call.Transcript())
			}
			body := `{"encryptedCardDigits":"` + c.Seal([]byte(tutorial.KnownCard), nil) +
				`","encryptedPinDigits":"` + c.Seal([]byte(tutorial.KnownPin), nil) + `"}`
			if code, answer := postBackend(t, svc.backendURL, body, backend.Secret{}); code != http.StatusUnauthorized {
				t.Errorf("an unsigned request got %d %q, want 401", code, answer)
			}
			if code, answer := postBackend(t, svc.backendURL, body, backend.GenerateSecret()); code != http.StatusUnauthorized {
				t.Errorf("a request signed with another secret got %d %q, want 401", code, answer)
			}
			if tt.signing != nil {
				if code, answer := postBackend(t, svc.backendURL, body, configured); code != http.StatusOK {
					t.Errorf("a request signed with BACKEND_SIGNING_SECRET got %d %q, want 200", code, answer)
				}
			}
		})
	}
}

// postBackend posts body to url, signed with s unless it is zero.
func postBackend(t *testing.T, url, body string, s backend.Secret) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if !s.IsZero() {
		backend.Sign(req, []byte(body), s, time.Now())
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(bytes.TrimSpace(answer))
}
