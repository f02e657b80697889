package tutorial

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
)

const (
	callA = "CA0123456789abcdef0123456789abcdef"
	callB = "CAfedcba9876543210fedcba9876543210"
)

// boundJSON is the body an IVR with flow.WithBoundValues posts, each value
// sealed for the given field and call, under the given name and CallSid.
func boundJSON(c *aescrypt.Cipher, fields map[string]string, values map[string]string, sealedFor map[string][2]string, callSid string) string {
	in := map[string]string{backend.DefaultCallSidField: callSid}
	for name, value := range values {
		ctx := sealedFor[name]
		in[fields[name]] = c.Seal([]byte(value), flow.AdditionalData(ctx[0], ctx[1]))
	}
	b, _ := json.Marshal(in)
	return string(b)
}

func TestBoundBackend(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	h := BoundBackend(c)
	values := map[string]string{"card": KnownCard, "pin": KnownPin}
	inPlace := map[string]string{"card": CardField, "pin": PinField}
	swapped := map[string]string{"card": PinField, "pin": CardField}
	forA := map[string][2]string{"card": {CardField, callA}, "pin": {PinField, callA}}
	tests := []struct {
		name     string
		body     string
		wantCode int
	}{
		{"bound in place", boundJSON(c, inPlace, values, forA, callA), 200},
		{"fields swapped", boundJSON(c, swapped, values, forA, callA), 400},
		{"from another call", boundJSON(c, inPlace, values, forA, callB), 400},
		{"pin from another call", boundJSON(c, inPlace, values, map[string][2]string{"card": {CardField, callA}, "pin": {PinField, callB}}, callA), 400},
		{"unbound values", sealedJSON(c, KnownCard, KnownPin), 400},
		{"unbound values with a callSid", strings.Replace(sealedJSON(c, KnownCard, KnownPin), "{", `{"callSid":"`+callA+`",`, 1), 400},
		{"callSid not a string", strings.Replace(boundJSON(c, inPlace, values, forA, callA), `"`+callA+`"`, "1", 1), 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(h, tt.body)
			if code != tt.wantCode {
				t.Fatalf("status %d, want %d (%s)", code, tt.wantCode, body)
			}
			if code == 400 && (strings.Contains(body, KnownCard) || strings.Contains(body, KnownPin)) {
				t.Errorf("the answer repeats a value: %q", body)
			}
		})
	}
	// The unbound backend, as the Node one, ignores the callSid.
	if code, body := post(Backend(c), strings.Replace(sealedJSON(c, KnownCard, KnownPin), "{", `{"callSid":"`+callA+`",`, 1)); code != 200 {
		t.Errorf("Backend with a callSid: %d %s", code, body)
	}
}

func TestBackendAddr(t *testing.T) {
	tests := []struct {
		value, want string
		ok          bool
	}{
		{"", DefaultBackendAddr, true},
		{"127.0.0.1:8081", "127.0.0.1:8081", true},
		{" [::1]:8081 ", "[::1]:8081", true},
		{"localhost:8081", "localhost:8081", true},
		{"127.8.9.10:0", "127.8.9.10:0", true},
		{"0.0.0.0:8081", "", false},
		{":8081", "", false},
		{"[::]:8081", "", false},
		{"192.168.1.10:8081", "", false},
		{"backend.example.com:8081", "", false},
		{"127.0.0.1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := BackendAddr(func(string) (string, bool) { return tt.value, tt.value != "" })
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("BackendAddr(%q) = %q, %v; want %q, ok=%v", tt.value, got, err, tt.want, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "BACKEND_ADDR") {
				t.Errorf("the error does not name BACKEND_ADDR: %v", err)
			}
		})
	}
}

func TestBindValues(t *testing.T) {
	tests := []struct {
		value   string
		want    bool
		wantErr bool
	}{
		{"", false, false},
		{"1", true, false},
		{"true", true, false},
		{"0", false, false},
		{"false", false, false},
		{"yes-please", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := BindValues(func(string) (string, bool) { return tt.value, tt.value != "" })
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("BindValues(%q) = %v, %v", tt.value, got, err)
			}
		})
	}
}

func TestLoadConfigBackendSettings(t *testing.T) {
	env := map[string]string{
		"PUBLIC_URL": "https://ivr.example.com", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": aescrypt.GenerateKey().ExportHex(),
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := LoadConfig(lookup, false)
	if err != nil || cfg.BackendAddr != DefaultBackendAddr || cfg.BindValues {
		t.Fatalf("defaults: BackendAddr %q, BindValues %v, err %v", cfg.BackendAddr, cfg.BindValues, err)
	}
	env["BACKEND_ADDR"], env["BIND_VALUES"] = "127.0.0.1:8081", "1"
	if cfg, err = LoadConfig(lookup, false); err != nil || cfg.BackendAddr != "127.0.0.1:8081" || !cfg.BindValues {
		t.Fatalf("set: BackendAddr %q, BindValues %v, err %v", cfg.BackendAddr, cfg.BindValues, err)
	}
	env["BACKEND_ADDR"], env["BIND_VALUES"], env["BACKEND_URL"] = "0.0.0.0:8081", "maybe", "https://user:hunter2@backend.example.com/"
	_, err = LoadConfig(lookup, false)
	if !errors.Is(err, ErrConfig) {
		t.Fatalf("err = %v, want ErrConfig", err)
	}
	for _, name := range []string{"BACKEND_ADDR", "BIND_VALUES", "BACKEND_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("the error does not name %s: %v", name, err)
		}
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "maybe") {
		t.Errorf("the error quotes a value: %v", err)
	}
}
