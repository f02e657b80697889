package tutorial

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
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

// TooManyGuesses is the backend's 429 answer to a card and caller locked
// by the guess limit.
const TooManyGuesses = "Too many attempts"

// Backend is the tutorial's /decrypt-gather: it opens encryptedCardDigits
// and encryptedPinDigits and answers 200 with the account for the known
// caller, 404 "No data found" for anyone else, and 400 for a body that is
// not the expected JSON or values that do not open. No answer repeats a
// value it was sent. Like the tutorial's Node function, it opens values
// without additional data and ignores the callSid beside them.
//
// Unlike the tutorial's, it limits guesses: after MaxWrongGuesses
// answers of 404 for one card's last four digits and one caller's number
// (the body's "from") within GuessWindow, it answers 429 "Too many
// attempts" without comparing, until the window ends (backend.GuessLimiter, keyed on both so that
// nobody can lock out every customer whose card ends alike).
func Backend(c *aescrypt.Cipher) http.Handler {
	return newBackend(func(sealed, _, _ string) ([]byte, error) { return c.Open(sealed, nil) },
		"", "bad request: a value does not open with this service's key")
}

// newBackend is /decrypt-gather around open, with its own guess limiter.
func newBackend(open func(sealed, field, callSid string) ([]byte, error), noCallSid, refused string) gatherBackend {
	limiter, err := backend.NewGuessLimiter(MaxWrongGuesses, GuessWindow, nil)
	if err != nil {
		panic(err) // the constants above are valid
	}
	return gatherBackend{open: open, noCallSid: noCallSid, refused: refused, limiter: limiter}
}

// BoundBackend is Backend for an IVR that seals with flow.WithBoundValues:
// it opens each value with flow.AdditionalData of its field and the
// body's callSid, so a value moved to the other field or taken from
// another call does not open (400), nor does one sealed unbound.
func BoundBackend(c *aescrypt.Cipher) http.Handler {
	return newBackend(func(sealed, field, callSid string) ([]byte, error) {
		return c.Open(sealed, flow.AdditionalData(field, callSid))
	}, "bad request: bound values need the callSid they were sealed for",
		"bad request: a value does not open with this service's key")
}

// gatherBackend is /decrypt-gather around one way of opening a value.
type gatherBackend struct {
	open      func(sealed, field, callSid string) ([]byte, error)
	noCallSid string // for bound values, the 400 answer to a body without callSid
	refused   string // the 400 answer when a value does not open
	limiter   *backend.GuessLimiter
}

// backendRequest is what the IVR posts.
type backendRequest struct {
	Card    *string `json:"encryptedCardDigits"`
	Pin     *string `json:"encryptedPinDigits"`
	CallSid *string `json:"callSid"` // backend.DefaultCallSidField
	From    string  `json:"from"`    // backend.DefaultFromField; absent from the Node IVR's body
}

func (b gatherBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	callSid := ""
	if in.CallSid != nil {
		callSid = *in.CallSid
	} else if b.noCallSid != "" {
		http.Error(w, b.noCallSid, http.StatusBadRequest)
		return
	}
	card, errCard := b.open(*in.Card, CardField, callSid)
	pin, errPin := b.open(*in.Pin, PinField, callSid)
	if errCard != nil || errPin != nil {
		http.Error(w, b.refused, http.StatusBadRequest)
		return
	}
	key := b.limiter.Key(card, []byte(in.From))
	if !b.limiter.Attempt(key) {
		answerText(w, http.StatusTooManyRequests, TooManyGuesses)
		return
	}
	if string(card) != KnownCard || string(pin) != KnownPin {
		answerText(w, http.StatusNotFound, "No data found")
		return
	}
	b.limiter.Matched(key)
	answerAccount(w)
}

// answerText answers status with a plain-text body.
func answerText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, text)
}

// answerAccount answers with the account of the known caller.
func answerAccount(w http.ResponseWriter) {
	body, _ := json.Marshal(Account{Account: KnownAccount, Balance: KnownBalance})
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}
