package backend

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/encgather/encgather/twiml"
)

const (
	testCallSid = "CA0123456789abcdef0123456789abcdef"
	testFrom    = "+15005550006"
	sayAccount  = "Your account is AC12345678."
	sayNoMatch  = "We were not able to locate you in our system. Goodbye."
)

// recorder is a backend that keeps each request's body and headers and
// answers with answer, 200 unless status is set.
type recorder struct {
	mu      sync.Mutex
	bodies  [][]byte
	headers []http.Header
	status  int
	answer  string
}

func (b *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, body)
	b.headers = append(b.headers, r.Header.Clone())
	status, answer := b.status, b.answer
	b.mu.Unlock()
	if status == 0 {
		status = http.StatusOK
	}
	if answer == "" {
		answer = `{"account":"AC12345678"}`
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, answer)
}

func (b *recorder) requests() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.bodies)
}

var errNoAccount = errors.New("no account in the answer")

// accountSentence says the account of a {"account": ...} answer.
func accountSentence(body []byte) ([]twiml.Verb, error) {
	var a struct{ Account string }
	if json.Unmarshal(body, &a) != nil || a.Account == "" {
		return nil, errNoAccount
	}
	return []twiml.Verb{twiml.Say{Text: "Your account is " + a.Account + "."}}, nil
}

// said is the text of verbs when they are one <Say>, else "".
func said(verbs []twiml.Verb) string {
	if len(verbs) != 1 {
		return ""
	}
	s, _ := verbs[0].(twiml.Say)
	return s.Text
}

// testSecret is a fixed secret for tests.
func testSecret(t testing.TB, b byte) Secret {
	t.Helper()
	raw := make([]byte, MinSecretSize)
	for i := range raw {
		raw[i] = b + byte(i)
	}
	s, err := NewSecret(raw)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
