package tutorial

import (
	"errors"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestLoadConfigProblems(t *testing.T) {
	key := aescrypt.GenerateKey().ExportHex()
	tests := []struct {
		name     string
		vars     map[string]string
		insecure bool
		want     []string // each a line of the error, in order; nil for none
		secret   string   // must not be in the error
	}{
		{"valid", map[string]string{"PUBLIC_URL": "https://ivr.example.com/base", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": key}, false, nil, ""},
		{"insecure needs less", map[string]string{"AES_SECRET": key}, true, nil, ""},
		{"everything missing", map[string]string{}, false, []string{
			"config: PUBLIC_URL is not set", "config: TWILIO_AUTH_TOKEN is not set", "config: AES_SECRET is not set"}, ""},
		{"public URL ends in the IVR's path", map[string]string{"PUBLIC_URL": "https://tunnel.example.com/encrypted-gather/", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": key},
			false, []string{"config: PUBLIC_URL ends in /encrypted-gather"}, "tunnel"},
		{"public URL with a password", map[string]string{"PUBLIC_URL": "https://user:hunter2@ivr.example.com", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": key},
			false, []string{"config: PUBLIC_URL holds a user name or password"}, "hunter2"},
		{"public URL with a query", map[string]string{"PUBLIC_URL": "https://ivr.example.com/?k=secretish", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": key},
			false, []string{"config: PUBLIC_URL has a query"}, "secretish"},
		{"all at once, no values", map[string]string{"PUBLIC_URL": "ftp://user:hunter2@x", "BACKEND_URL": "gopher://hunter3",
			"AES_SECRET": "not-a-key-but-a-secret-value", "AES_SECRET_PREVIOUS": key}, false, []string{
			"config: PUBLIC_URL is not an http(s) URL", "config: TWILIO_AUTH_TOKEN is not set",
			"config: BACKEND_URL is not an http(s) URL", "config: AES_SECRET"}, "hunter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(env(tt.vars), tt.insecure)
			if tt.want == nil {
				if err != nil || cfg.Cipher == nil {
					t.Fatalf("LoadConfig: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadConfig: %v, want ErrConfig", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("%d problems reported, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, prefix := range tt.want {
				if !strings.HasPrefix(lines[i], prefix) {
					t.Errorf("line %d = %q, want it to start %q", i, lines[i], prefix)
				}
			}
			for _, v := range tt.vars {
				if len(v) > 4 && strings.Contains(err.Error(), v) {
					t.Errorf("the error quotes a value: %v", err)
				}
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error quotes %q: %v", tt.secret, err)
			}
		})
	}
}

func TestLoggedPublicURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://ivr.example.com":            "https://ivr.example.com",
		"https://u:p@ivr.example.com/prefix": "https://ivr.example.com/prefix",
	} {
		if got := (&Config{PublicURL: raw}).LoggedPublicURL(); got != want {
			t.Errorf("LoggedPublicURL(%s) = %q, want %q", raw, got, want)
		}
	}
}
