package tutorial

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
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
// value it was sent. Like the tutorial's Node function, it opens values
// without additional data and ignores the callSid beside them.
func Backend(c *aescrypt.Cipher) http.Handler { return backend{cipher: c} }

// BoundBackend is Backend for an IVR that seals with flow.WithBoundValues:
// it opens each value with flow.AdditionalData of its field and the
// body's callSid, so a value moved to the other field or taken from
// another call does not open (400), nor does one sealed unbound.
func BoundBackend(c *aescrypt.Cipher) http.Handler { return backend{cipher: c, bound: true} }

type backend struct {
	cipher *aescrypt.Cipher
	bound  bool
}

// backendRequest is what the IVR posts.
type backendRequest struct {
	Card    *string `json:"encryptedCardDigits"`
	Pin     *string `json:"encryptedPinDigits"`
	CallSid *string `json:"callSid"` // flow.DefaultCallSidField
}

func (b backend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var in backendRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBackendBody))
	if err := dec.Decode(&in); err != nil || in.Card == nil || in.Pin == nil {
		http.Error(w, "bad request: want a JSON object with encryptedCardDigits and encryptedPinDigits", http.StatusBadRequest)
		return
	}
	if b.bound && in.CallSid == nil {
		http.Error(w, "bad request: bound values need the callSid they were sealed for", http.StatusBadRequest)
		return
	}
	card, errCard := b.cipher.Open(*in.Card, b.additionalData(CardField, in.CallSid))
	pin, errPin := b.cipher.Open(*in.Pin, b.additionalData(PinField, in.CallSid))
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
}

// additionalData is what a value in field was sealed with: nothing, as in
// the tutorial, unless values are bound.
func (b backend) additionalData(field string, callSid *string) []byte {
	if !b.bound {
		return nil
	}
	return flow.AdditionalData(field, *callSid)
}
