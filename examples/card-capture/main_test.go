package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/card"
)

const (
	visaNumber = "4111111111111111"
	amexNumber = "378282246310005"
)

// futureExpiry is December, two years from now, as MMYY.
func futureExpiry() string { return fmt.Sprintf("12%02d", (time.Now().Year()+2)%100) }

// standalone matches v where it stands on its own: not inside a run of
// letters, digits or base64url, nor a decimal or a duration.
func standalone(v string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^0-9A-Za-z._-])` + regexp.QuoteMeta(v) + `($|[^0-9A-Za-z._µ-])`)
}

// checkNoSecrets fails t if a line of out other than the simulated
// caller's own holds one of secrets.
func checkNoSecrets(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "   Caller: ") || strings.HasPrefix(line, "Simulated call to ") {
			continue // what the caller types, shown as the caller's
		}
		for _, s := range secrets {
			// A short value is looked for on its own: as a substring it
			// turns up in durations and identifiers by chance.
			if len(s) >= card.MinNumberLen && strings.Contains(line, s) || standalone(s).MatchString(line) {
				t.Errorf("a value the caller typed is in the line %q", line)
			}
		}
	}
}

func TestSimulate(t *testing.T) {
	exp := futureExpiry()
	def := card.DefaultSentences()
	tests := []struct {
		name    string
		entries []string
		last4   string
		brand   string
		hears   string // heard exactly once
		secrets []string
	}{
		{"visa", []string{visaNumber, exp, "123"}, "1111", "visa", "", []string{visaNumber, exp, "123"}},
		{"invalid number then visa", []string{"4111111111111112", visaNumber, exp, "123"}, "1111", "visa",
			def.InvalidCardNumber, []string{"4111111111111112", visaNumber, exp, "123"}},
		{"amex with a 3-digit code", []string{amexNumber, exp, "123", "7890"}, "0005", "amex",
			def.InvalidSecurityCode, []string{amexNumber, exp, "7890"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, logs bytes.Buffer
			if err := run(append([]string{"-simulate"}, tt.entries...), &out, &logs); err != nil {
				t.Fatalf("run: %v\n%s", err, out.String())
			}
			said := lastSaid(out.String())
			if !strings.Contains(said, tt.brand) || !strings.Contains(said, tt.last4) || !regexp.MustCompile(`tok_[0-9a-f]{32}`).MatchString(said) {
				t.Errorf("the call ended with %q, want %s, %s and a token", said, tt.brand, tt.last4)
			}
			if tt.hears != "" {
				if n := strings.Count(out.String(), "Say: "+tt.hears); n != 1 {
					t.Errorf("heard %q %d times, want once:\n%s", tt.hears, n, out.String())
				}
			}
			checkNoSecrets(t, out.String()+logs.String(), tt.secrets...)
		})
	}
}

// lastSaid is the last Say line of a simulated call's output.
func lastSaid(out string) string {
	i := strings.LastIndex(out, "Say: ")
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(out[i:], "\n")
	return line
}

func TestSimulateNoToken(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
	}{
		{"star", []string{visaNumber, "*"}},
		{"too many failures", []string{"1", "1", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, logs bytes.Buffer
			if err := run(append([]string{"-simulate"}, tt.entries...), &out, &logs); err == nil {
				t.Fatalf("run succeeded without a card:\n%s", out.String())
			}
			if !strings.Contains(out.String(), SayNotTaken) {
				t.Errorf("caller did not hear %q:\n%s", SayNotTaken, out.String())
			}
			checkNoSecrets(t, out.String(), visaNumber)
		})
	}
}

// TestBackend checks the vault apart from the IVR: only signed requests,
// its own checks again, and no value in its answer or log.
func TestBackend(t *testing.T) {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	secret := backend.GenerateSecret()
	var logs bytes.Buffer
	h, v, err := newBackend(cipher, backend.NewSecrets(secret), slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatal(err)
	}
	exp := futureExpiry()
	body := func(number, expiry, code string) []byte {
		b, _ := json.Marshal(map[string]string{"callSid": "CA00000000000000000000000000000000",
			string(card.StepCardNumber):     cipher.Seal([]byte(number), nil),
			string(card.StepExpirationDate): cipher.Seal([]byte(expiry), nil),
			string(card.StepSecurityCode):   cipher.Seal([]byte(code), nil)})
		return b
	}
	tests := []struct {
		name   string
		body   []byte
		sign   bool
		status int
	}{
		{"visa", body(visaNumber, exp, "123"), true, http.StatusOK},
		{"unsigned", body(visaNumber, exp, "123"), false, http.StatusUnauthorized},
		{"bad check digit", body("4111111111111112", exp, "123"), true, http.StatusUnprocessableEntity},
		{"expired", body(visaNumber, "0120", "123"), true, http.StatusUnprocessableEntity},
		{"amex 3-digit code", body(amexNumber, exp, "123"), true, http.StatusUnprocessableEntity},
		{"does not open", []byte(`{"payment-card-number":"00"}`), true, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "http://backend.example.com"+TokenizePath, bytes.NewReader(tt.body))
			if tt.sign {
				backend.Sign(req, tt.body, secret, time.Now())
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			checkNoSecrets(t, rec.Body.String()+logs.String(), visaNumber, amexNumber, "4111111111111112", exp, "123")
		})
	}
	if v.Len() != 1 {
		t.Errorf("vault holds %d cards, want 1", v.Len())
	}
}
