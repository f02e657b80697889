package accounts

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
)

// The JSON names of the sealed values: the IVR's step fields.
const (
	FieldDateOfBirth = "dateOfBirth"
	FieldPIN         = "pin"
)

// The plain-text answers for no match and for a locked caller.
const (
	NoMatch        = "No match"
	TooManyGuesses = "Too many attempts"
)

// maxBody bounds a request: two sealed values, a CallSid and a number
// are about 250 bytes of JSON.
const maxBody = 16 << 10

// ErrConfig is wrapped by New's errors.
var ErrConfig = errors.New("accounts: invalid configuration")

// Customer is one record the backend matches against. Its fields are
// secrets: nothing in this package prints or logs them.
type Customer struct {
	ID          string // what the 200 answer names, such as "C-1001"
	DateOfBirth string // eight digits, month, day, year: "01021980"
	PIN         string // six digits
}

// Config is what New builds the backend from.
type Config struct {
	// Cipher opens the sealed values: the key the IVR seals with.
	Cipher *aescrypt.Cipher
	// Signing are the secrets the IVR signs its requests with (newest
	// first); a request signed with none of them is refused. Required.
	Signing *backend.Secrets
	// Customers are the records to match.
	Customers []Customer
	// Logger receives one line a request; nil means slog.Default().
	Logger *slog.Logger
	// MaxWrong and Window set the guess limit; zero means DefaultMaxWrong
	// and DefaultWindow.
	MaxWrong int
	Window   time.Duration
	// Now is the limiter's clock; nil means time.Now.
	Now func() time.Time
}

// New returns the backend's handler: POST a JSON object with the sealed
// FieldDateOfBirth and FieldPIN, "callSid" and "from", signed by the IVR
// with one of c.Signing (flow/backend's Verifier checks it).
func New(c Config) (http.Handler, error) {
	switch {
	case c.Cipher == nil:
		return nil, fmt.Errorf("%w: Cipher is nil", ErrConfig)
	case c.Signing == nil:
		return nil, fmt.Errorf("%w: Signing is nil", ErrConfig)
	case c.MaxWrong < 0 || c.Window < 0:
		return nil, fmt.Errorf("%w: MaxWrong and Window must not be negative", ErrConfig)
	}
	if c.MaxWrong == 0 {
		c.MaxWrong = DefaultMaxWrong
	}
	if c.Window == 0 {
		c.Window = DefaultWindow
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	limit, err := backend.NewGuessLimiter(c.MaxWrong, c.Window, c.Now)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	h := &handler{cipher: c.Cipher, customers: append([]Customer(nil), c.Customers...), log: c.Logger, limit: limit}
	// The verifier refuses before anything is read as JSON; its errors
	// name the check that failed, never a value.
	v, err := backend.NewVerifier(c.Signing, backend.WithErrorHandler(h.refuse))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return v.Middleware(h), nil
}

// handler matches a verified request's values.
type handler struct {
	cipher    *aescrypt.Cipher
	customers []Customer
	log       *slog.Logger
	limit     *backend.GuessLimiter
}

// request is what the IVR posts.
type request struct {
	DateOfBirth *string `json:"dateOfBirth"`
	PIN         *string `json:"pin"`
	CallSid     string  `json:"callSid"`
	From        string  `json:"from"`
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var in request
	if err := json.NewDecoder(io.LimitReader(r.Body, maxBody)).Decode(&in); err != nil ||
		in.DateOfBirth == nil || in.PIN == nil || in.CallSid == "" {
		h.answer(w, in.CallSid, http.StatusBadRequest, "bad_request", "bad request: want dateOfBirth, pin and callSid")
		return
	}
	dob, errDOB := h.cipher.Open(*in.DateOfBirth, flow.AdditionalData(FieldDateOfBirth, in.CallSid))
	pin, errPIN := h.cipher.Open(*in.PIN, flow.AdditionalData(FieldPIN, in.CallSid))
	defer clear(dob)
	defer clear(pin)
	if errDOB != nil || errPIN != nil {
		h.answer(w, in.CallSid, http.StatusBadRequest, "bad_request", "bad request: a value does not open")
		return
	}
	key := h.limit.Key(dob, []byte(in.From))
	if !h.limit.Attempt(key) {
		h.answer(w, in.CallSid, http.StatusTooManyRequests, "locked", TooManyGuesses)
		return
	}
	id, ok := h.match(dob, pin)
	if !ok {
		h.answer(w, in.CallSid, http.StatusNotFound, "no_match", NoMatch)
		return
	}
	h.limit.Matched(key)
	body, _ := json.Marshal(struct {
		Customer string `json:"customer"`
	}{id})
	h.log.Info("accounts request", "call_sid", in.CallSid, "outcome", "match", "status", http.StatusOK)
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

// match returns the customer whose date of birth and PIN are these,
// comparing every record in constant time.
func (h *handler) match(dob, pin []byte) (string, bool) {
	found := -1
	for i, c := range h.customers {
		same := subtle.ConstantTimeCompare(dob, []byte(c.DateOfBirth)) & subtle.ConstantTimeCompare(pin, []byte(c.PIN))
		if same == 1 && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return h.customers[found].ID, true
}

// refuse answers a request the verifier did not accept.
func (h *handler) refuse(w http.ResponseWriter, _ *http.Request, err error) {
	h.log.Warn("accounts request", "outcome", "refused", "status", http.StatusUnauthorized, "error", err)
	http.Error(w, "unauthorized", http.StatusUnauthorized)
}

// answer writes a plain-text answer and logs its outcome.
func (h *handler) answer(w http.ResponseWriter, callSid string, status int, outcome, text string) {
	h.log.Info("accounts request", "call_sid", callSid, "outcome", outcome, "status", status)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, text)
}
