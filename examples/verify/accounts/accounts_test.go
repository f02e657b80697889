package accounts

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
)

const (
	knownDOB = "01021980"
	knownPIN = "654321"
	callSid  = "CA0123456789abcdef0123456789abcdef"
)

// fixture is a backend with one customer, a settable clock and a log.
type fixture struct {
	t      *testing.T
	cipher *aescrypt.Cipher
	secret backend.Secret
	h      http.Handler
	log    bytes.Buffer
	mu     sync.Mutex
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, cipher: aescrypt.New(aescrypt.GenerateKey()), secret: backend.GenerateSecret(),
		now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	h, err := New(Config{Cipher: f.cipher, Signing: backend.NewSecrets(f.secret),
		Customers: []Customer{{ID: "C-1001", DateOfBirth: knownDOB, PIN: knownPIN}},
		Logger:    slog.New(slog.NewTextHandler(&f.log, nil)),
		Now:       f.clock})
	if err != nil {
		t.Fatal(err)
	}
	f.h = h
	return f
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// post sends the values sealed as the IVR seals them (bound to field and
// call), signed with secret unless it is zero.
func (f *fixture) post(dob, pin, from string, secret backend.Secret) *httptest.ResponseRecorder {
	body, _ := json.Marshal(map[string]string{
		FieldDateOfBirth: f.cipher.Seal([]byte(dob), flow.AdditionalData(FieldDateOfBirth, callSid)),
		FieldPIN:         f.cipher.Seal([]byte(pin), flow.AdditionalData(FieldPIN, callSid)),
		"callSid":        callSid,
		"from":           from,
	})
	return f.send(body, secret)
}

func (f *fixture) send(body []byte, secret backend.Secret) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/verify", bytes.NewReader(body))
	if !secret.IsZero() {
		backend.Sign(r, body, secret, time.Now())
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func TestAnswers(t *testing.T) {
	tests := []struct {
		name       string
		dob, pin   string
		other      bool // sign with another secret
		unsigned   bool
		wantStatus int
		wantBody   string
	}{
		{"match", knownDOB, knownPIN, false, false, 200, `{"customer":"C-1001"}`},
		{"wrong PIN", knownDOB, "111111", false, false, 404, NoMatch},
		{"wrong date", "01031980", knownPIN, false, false, 404, NoMatch},
		{"unsigned", knownDOB, knownPIN, false, true, 401, "unauthorized\n"},
		{"another secret", knownDOB, knownPIN, true, false, 401, "unauthorized\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			secret := f.secret
			switch {
			case tt.unsigned:
				secret = backend.Secret{}
			case tt.other:
				secret = backend.GenerateSecret()
			}
			w := f.post(tt.dob, tt.pin, "+15005550001", secret)
			if w.Code != tt.wantStatus || w.Body.String() != tt.wantBody {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
			for _, v := range []string{tt.dob, tt.pin} {
				if strings.Contains(f.log.String(), v) {
					t.Errorf("log holds an entered value:\n%s", f.log.String())
				}
			}
		})
	}
}

func TestRefusesMovedValues(t *testing.T) {
	f := newFixture(t)
	dob := f.cipher.Seal([]byte(knownDOB), flow.AdditionalData(FieldDateOfBirth, callSid))
	pin := f.cipher.Seal([]byte(knownPIN), flow.AdditionalData(FieldPIN, callSid))
	tests := []struct {
		name string
		body map[string]string
	}{
		{"swapped fields", map[string]string{FieldDateOfBirth: pin, FieldPIN: dob, "callSid": callSid}},
		{"another call", map[string]string{FieldDateOfBirth: dob, FieldPIN: pin, "callSid": "CAffffffffffffffffffffffffffffffff"}},
		{"no callSid", map[string]string{FieldDateOfBirth: dob, FieldPIN: pin}},
		{"no PIN", map[string]string{FieldDateOfBirth: dob, "callSid": callSid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(tt.body)
			if w := f.send(body, f.secret); w.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", w.Code)
			}
		})
	}
}

func TestGuessLimit(t *testing.T) {
	f := newFixture(t)
	const from = "+15005550001"
	for i := range DefaultMaxWrong {
		if w := f.post(knownDOB, "11111"+string(rune('0'+i)), from, f.secret); w.Code != http.StatusNotFound {
			t.Fatalf("wrong guess %d: status %d, want 404", i+1, w.Code)
		}
	}
	if w := f.post(knownDOB, knownPIN, from, f.secret); w.Code != http.StatusTooManyRequests {
		t.Errorf("right PIN after %d wrong: status %d, want 429", DefaultMaxWrong, w.Code)
	}
	if w := f.post(knownDOB, knownPIN, "+15005550002", f.secret); w.Code != http.StatusOK {
		t.Errorf("another number: status %d, want 200", w.Code)
	}
	if w := f.post("03041990", "111111", from, f.secret); w.Code != http.StatusNotFound {
		t.Errorf("another date: status %d, want 404", w.Code)
	}
	f.advance(DefaultWindow)
	if w := f.post(knownDOB, knownPIN, from, f.secret); w.Code != http.StatusOK {
		t.Errorf("after the window: status %d, want 200", w.Code)
	}
}

func TestMatchResetsCount(t *testing.T) {
	f := newFixture(t)
	const from = "+15005550001"
	for range 3 {
		for range DefaultMaxWrong - 1 {
			f.post(knownDOB, "111111", from, f.secret)
		}
		if w := f.post(knownDOB, knownPIN, from, f.secret); w.Code != http.StatusOK {
			t.Fatalf("status %d, want 200: a match forgets the wrong guesses", w.Code)
		}
	}
}

func TestNewRefuses(t *testing.T) {
	c := aescrypt.New(aescrypt.GenerateKey())
	s := backend.NewSecrets(backend.GenerateSecret())
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no cipher", Config{Signing: s}, "Cipher"},
		{"no secrets", Config{Cipher: c}, "Signing"},
		{"negative limit", Config{Cipher: c, Signing: s, MaxWrong: -1}, "MaxWrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one naming %s", err, tt.want)
			}
		})
	}
}
