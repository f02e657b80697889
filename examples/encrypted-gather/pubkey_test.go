package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/pubseal"
)

func TestParseArgsPublicKey(t *testing.T) {
	tests := []struct {
		args      []string
		publicKey bool
		err       error
	}{
		{[]string{"-simulate", "-public-key"}, true, nil},
		{[]string{"-public-key", "-simulate", "1234", "4321"}, true, nil},
		{[]string{"-simulate"}, false, nil},
		{[]string{"-public-key"}, false, errUsage},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			opts, err := parseArgs("encrypted-gather", tt.args, &out)
			if !errors.Is(err, tt.err) || opts.publicKey != tt.publicKey {
				t.Fatalf("parseArgs = %+v, %v; want public-key %v, %v\n%s", opts, err, tt.publicKey, tt.err, out.String())
			}
		})
	}
}

// TestSimulatePublicKey runs -simulate -public-key: the call succeeds and
// the digits show only where the caller types them.
func TestSimulatePublicKey(t *testing.T) {
	var out bytes.Buffer
	if err := simulateCall(&out, []string{"1234", "4321"}, true); err != nil {
		t.Fatalf("simulate: %v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"Public-key mode", `"callSid":"CA`, tutorial.SaySuccess(tutorial.KnownAccount, tutorial.KnownBalance)} {
		if !strings.Contains(text, want) {
			t.Fatalf("no %q in:\n%s", want, text)
		}
	}
	for i, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "Caller:") || strings.HasPrefix(line, "Simulated call") {
			continue
		}
		clean := longRun.ReplaceAllString(strings.ReplaceAll(line, tutorial.KnownAccount, "<account>"), "<sealed>")
		for _, digits := range []string{"1234", "4321"} {
			if strings.Contains(clean, digits) {
				t.Errorf("line %d shows %s: %s", i, digits, line)
			}
		}
	}
}

// TestPublicKeyModeServesNoBackend: in public-key mode the IVR starts no
// built-in backend, and a Config without BACKEND_URL fails to start
// rather than fall back to one.
func TestPublicKeyModeServesNoBackend(t *testing.T) {
	k, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{
		"PUBLIC_URL": "https://ivr.example.com", "TWILIO_AUTH_TOKEN": "tok", "BACKEND_URL": "https://backend.example.com/decrypt-gather",
		tutorial.EnvStateSecret: aescrypt.GenerateKey().ExportHex(), pubseal.EnvPublicKey: k.PublicKey().String(),
		tutorial.EnvSigningSecret: aescrypt.GenerateKey().ExportHex(),
	}
	cfg, err := tutorial.LoadConfig(func(name string) (string, bool) { v, ok := vars[name]; return v, ok }, false)
	if err != nil {
		t.Fatal(err)
	}
	settings := ivrSettings{logger: slog.New(slog.DiscardHandler)}
	t.Run("configured", func(t *testing.T) {
		svc, err := startService(listen(t), cfg, settings)
		if err != nil {
			t.Fatal(err)
		}
		defer svc.shutdown(context.Background())
		if svc.backend != nil || svc.backendURL != cfg.BackendURL {
			t.Fatalf("a built-in backend was started; backend URL %q", svc.backendURL)
		}
	})
	t.Run("no BACKEND_URL", func(t *testing.T) {
		noURL := cfg
		noURL.BackendURL = ""
		svc, err := startService(listen(t), noURL, settings)
		if err == nil {
			svc.shutdown(context.Background())
			t.Fatalf("started with backend %q", svc.backendURL)
		}
	})
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}
