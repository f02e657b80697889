package tutorial

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

func post(h http.Handler, body string) (int, string) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, BackendPath, strings.NewReader(body)))
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func sealedJSON(c *aescrypt.Cipher, card, pin string) string {
	b, _ := json.Marshal(map[string]string{CardField: c.Seal([]byte(card), nil), PinField: c.Seal([]byte(pin), nil)})
	return string(b)
}

func TestBackend(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	other := aescrypt.New(aescrypt.GenerateKey())
	h := Backend(c)
	tests := []struct {
		name     string
		body     string
		wantCode int
		wantBody string
	}{
		{"known caller", sealedJSON(c, "1234", "4321"), 200, `{"account":"AC12345678","balance":"12.55"}`},
		{"wrong pin", sealedJSON(c, "1234", "4322"), 404, "No data found"},
		{"wrong card", sealedJSON(c, "9999", "4321"), 404, "No data found"},
		{"other key", sealedJSON(other, "1234", "4321"), 400, ""},
		{"not JSON", "card=1234", 400, ""},
		{"missing pin", `{"encryptedCardDigits":"00"}`, 400, ""},
		{"not hex", `{"encryptedCardDigits":"1234-secret","encryptedPinDigits":"4321-secret"}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(h, tt.body)
			if code != tt.wantCode {
				t.Fatalf("status %d, want %d (%s)", code, tt.wantCode, body)
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Fatalf("body %q, want %q", body, tt.wantBody)
			}
			if code == 400 && (strings.Contains(body, "secret") || strings.Contains(body, "1234")) {
				t.Fatalf("400 body repeats a value: %q", body)
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, BackendPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", rec.Code)
	}
}

func TestLoadConfig(t *testing.T) {
	key := aescrypt.GenerateKey().ExportHex()
	full := map[string]string{
		"PUBLIC_URL": "https://ivr.example.com", "TWILIO_AUTH_TOKEN": "tok", "AES_SECRET": key,
	}
	without := func(name string) map[string]string {
		m := map[string]string{}
		for k, v := range full {
			if k != name {
				m[k] = v
			}
		}
		return m
	}
	lookup := func(env map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	}
	cfg, err := LoadConfig(lookup(full), false)
	if err != nil || cfg.Addr != DefaultAddr || cfg.Cipher == nil {
		t.Fatalf("LoadConfig = %+v, %v", cfg, err)
	}
	for _, name := range []string{"PUBLIC_URL", "TWILIO_AUTH_TOKEN", "AES_SECRET"} {
		_, err := LoadConfig(lookup(without(name)), false)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("without %s: err = %v, want one naming it", name, err)
		}
	}
	if _, err := LoadConfig(lookup(without("PUBLIC_URL")), true); err != nil {
		t.Errorf("insecure mode needs no PUBLIC_URL: %v", err)
	}
	bad := without("AES_SECRET")
	bad["AES_SECRET"] = "not-a-key-but-a-secret-value"
	if _, err := LoadConfig(lookup(bad), false); err == nil || strings.Contains(err.Error(), "secret-value") {
		t.Errorf("bad AES_SECRET: err = %v", err)
	}
	bad = without("BACKEND_URL")
	bad["BACKEND_URL"] = "ftp://x"
	if _, err := LoadConfig(lookup(bad), false); err == nil || !strings.Contains(err.Error(), "BACKEND_URL") {
		t.Errorf("bad BACKEND_URL: err = %v", err)
	}
}
