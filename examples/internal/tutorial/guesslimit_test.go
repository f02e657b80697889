package tutorial

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/encgather/encgather/aescrypt"
)

// TestBackendLimitsGuesses: after five wrong PINs for a card from one
// number, decrypt-gather answers 429 without comparing, even to the
// right PIN; a caller from another number with a card of the same last
// four digits is not locked out.
func TestBackendLimitsGuesses(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	h := Backend(c)
	body := func(pin, from string) string {
		b, _ := json.Marshal(map[string]string{
			CardField: c.Seal([]byte(KnownCard), nil), PinField: c.Seal([]byte(pin), nil), "from": from,
		})
		return string(b)
	}
	const attacker, customer = "+15005550006", "+15005550009"
	tests := []struct {
		name     string
		pin      string
		from     string
		wantCode int
	}{
		{"wrong 1", "0001", attacker, http.StatusNotFound},
		{"wrong 2", "0002", attacker, http.StatusNotFound},
		{"wrong 3", "0003", attacker, http.StatusNotFound},
		{"wrong 4", "0004", attacker, http.StatusNotFound},
		{"wrong 5", "0005", attacker, http.StatusNotFound},
		{"wrong 6 locked", "0006", attacker, http.StatusTooManyRequests},
		{"right PIN locked too", KnownPin, attacker, http.StatusTooManyRequests},
		{"the customer is not locked out", KnownPin, customer, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, answer := post(h, body(tt.pin, tt.from))
			if code != tt.wantCode {
				t.Fatalf("status %d (%s), want %d", code, answer, tt.wantCode)
			}
			if code == http.StatusTooManyRequests && answer != TooManyGuesses {
				t.Errorf("answer %q", answer)
			}
		})
	}
}
