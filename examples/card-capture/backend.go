package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/card"
)

// TokenizePath is where the backend takes the IVR's sealed card.
const TokenizePath = "/tokenize"

// storedCard is a card as the vault keeps it: what a processor needs to
// charge it, kept in memory only. A real backend hands these to its
// processor's vault at once and keeps the processor's token instead.
type storedCard struct {
	number, expiry string
	brand          card.Brand
}

// tokenAnswer is the backend's answer: nothing a caller could not be told.
type tokenAnswer struct {
	Token string     `json:"token"`
	Brand card.Brand `json:"brand"`
	Last4 string     `json:"last4"`
}

// vault opens and checks a sealed card and keeps it under a token.
type vault struct {
	cipher *aescrypt.Cipher
	now    func() time.Time
	log    *slog.Logger

	mu    sync.Mutex
	cards map[string]storedCard
}

// newBackend returns the tokenizing backend: only requests signed with
// one of secrets reach the vault.
func newBackend(c *aescrypt.Cipher, secrets *backend.Secrets, log *slog.Logger) (http.Handler, *vault, error) {
	v := &vault{cipher: c, now: time.Now, log: log, cards: make(map[string]storedCard)}
	verifier, err := backend.NewVerifier(secrets)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+TokenizePath, verifier.Middleware(v))
	return mux, v, nil
}

// ServeHTTP opens the card, checks it again (the IVR's checks are not the
// backend's to trust), stores it and answers its token. A refusal says
// which rule failed, never a value.
func (v *vault) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in map[string]string
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&in); err != nil {
		http.Error(w, "bad request: not a JSON object of strings", http.StatusBadRequest)
		return
	}
	number, expiry, code, ok := v.open(in)
	if !ok {
		v.log.Warn("card refused", "reason", "a value does not open", "call_sid", in["callSid"])
		http.Error(w, "bad request: a value is missing or does not open", http.StatusBadRequest)
		return
	}
	brand, err := card.CheckNumber(number, card.DefaultBrands())
	if err == nil {
		err = card.CheckExpiry(expiry, v.now())
	}
	if err == nil {
		err = card.CheckSecurityCode(code, brand)
	}
	if err != nil {
		// ErrorTypeOf names the rule; the error never holds the value.
		v.log.Info("card refused", "reason", string(card.ErrorTypeOf(err)), "call_sid", in["callSid"])
		http.Error(w, "card refused: "+string(card.ErrorTypeOf(err)), http.StatusUnprocessableEntity)
		return
	}
	// The security code was checked and is dropped: PCI DSS forbids
	// keeping it after authorization, and this vault authorizes nothing.
	token := v.store(storedCard{number: number, expiry: expiry, brand: brand})
	ans := tokenAnswer{Token: token, Brand: brand, Last4: card.Last4(number)}
	v.log.Info("card stored", "token", token, "brand", string(brand), "last4", ans.Last4, "call_sid", in["callSid"])
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ans)
}

// open opens the three sealed values.
func (v *vault) open(in map[string]string) (number, expiry, code string, ok bool) {
	var out [3]string
	for i, field := range []card.Step{card.StepCardNumber, card.StepExpirationDate, card.StepSecurityCode} {
		b, err := v.cipher.Open(in[string(field)], nil)
		if err != nil {
			return "", "", "", false
		}
		out[i] = string(b)
	}
	return out[0], out[1], out[2], true
}

// store keeps c under a new token: 16 random bytes, which say nothing of
// the card.
func (v *vault) store(c storedCard) string {
	b := make([]byte, 16)
	rand.Read(b)
	token := "tok_" + hex.EncodeToString(b)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.cards[token] = c
	return token
}

// Len is how many cards the vault holds.
func (v *vault) Len() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.cards)
}
