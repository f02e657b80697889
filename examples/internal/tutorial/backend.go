package tutorial

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/encgather/encgather/aescrypt"
)

// The tutorial's one known caller.
const (
	KnownCard    = "1234"
	KnownPin     = "4321"
	KnownAccount = "AC12345678"
	KnownBalance = "12.55"
)

// maxBackendBody bounds a request to the backend: two sealed values are
// about 150 bytes of JSON.
const maxBackendBody = 16 << 10

// Backend is the tutorial's /decrypt-gather: it opens encryptedCardDigits
// and encryptedPinDigits and answers 200 with the account for the known
// caller, 404 "No data found" for anyone else, and 400 for a body that is
// not the expected JSON or values that do not open. No answer repeats a
// value it was sent.
func Backend(c *aescrypt.Cipher) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		var in struct {
			Card *string `json:"encryptedCardDigits"`
			Pin  *string `json:"encryptedPinDigits"`
		}
		dec := json.NewDecoder(io.LimitReader(r.Body, maxBackendBody))
		if err := dec.Decode(&in); err != nil || in.Card == nil || in.Pin == nil {
			http.Error(w, "bad request: want a JSON object with encryptedCardDigits and encryptedPinDigits", http.StatusBadRequest)
			return
		}
		card, errCard := c.Open(*in.Card, nil)
		pin, errPin := c.Open(*in.Pin, nil)
		if errCard != nil || errPin != nil {
			http.Error(w, "bad request: a value does not open with this service's key", http.StatusBadRequest)
			return
		}
		if string(card) != KnownCard || string(pin) != KnownPin {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "No data found")
			return
		}
		body, _ := json.Marshal(Account{Account: KnownAccount, Balance: KnownBalance})
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}
