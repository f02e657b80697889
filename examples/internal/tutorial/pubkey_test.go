package tutorial

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/pubseal"
)

const (
	testPublicURL = "https://ivr.example.com"
	testAuthToken = "test-auth-token"
)

func generatePair(t *testing.T, kem pubseal.KEM) *pubseal.PrivateKey {
	t.Helper()
	k, err := pubseal.GenerateKey(kem)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// testSigning is the signing secret the IVR and decrypt-gather share in
// these tests.
var testSigning = backend.GenerateSecret()

// ivrEnv is a valid environment of an IVR in public-key mode.
func ivrEnv(pub *pubseal.PublicKey, backendURL string) map[string]string {
	return map[string]string{
		"PUBLIC_URL":         testPublicURL,
		"TWILIO_AUTH_TOKEN":  testAuthToken,
		"BACKEND_URL":        backendURL,
		EnvStateSecret:       aescrypt.GenerateKey().ExportHex(),
		pubseal.EnvPublicKey: pub.String(),
		EnvSigningSecret:     testSigning.ExportHex(),
	}
}

// postSigned is post with the request signed as the IVR signs it.
func postSigned(h http.Handler, body string) (int, string) {
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, BackendPath, strings.NewReader(body))
	backend.Sign(r, []byte(body), testSigning, time.Now())
	h.ServeHTTP(rec, r)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, string(b)
}

func TestLoadConfigPublicKeyMode(t *testing.T) {
	k := generatePair(t, pubseal.X25519)
	aesKey := aescrypt.GenerateKey().ExportHex()
	with := func(changes map[string]string) map[string]string {
		vars := ivrEnv(k.PublicKey(), "https://backend.example.com"+BackendPath)
		for name, v := range changes {
			if v == "" {
				delete(vars, name)
			} else {
				vars[name] = v
			}
		}
		return vars
	}
	tests := []struct {
		name   string
		vars   map[string]string
		want   []string // each a line of the error, in order; nil for none
		secret string   // must not be in the error
	}{
		{"valid", with(nil), nil, ""},
		{"state secret rotation", with(map[string]string{EnvStateSecretPrevious: aescrypt.GenerateKey().ExportHex()}), nil, ""},
		{"AES_SECRET beside it", with(map[string]string{"AES_SECRET": aesKey}),
			[]string{"config: AES_SECRET is set beside BACKEND_PUBLIC_KEY"}, aesKey},
		{"AES_SECRET_PREVIOUS beside it", with(map[string]string{"AES_SECRET_PREVIOUS": aesKey}),
			[]string{"config: AES_SECRET_PREVIOUS is set beside BACKEND_PUBLIC_KEY"}, aesKey},
		{"the private key too", with(map[string]string{pubseal.EnvPrivateKey: k.ExportText()}),
			[]string{"config: BACKEND_PRIVATE_KEY is set"}, k.ExportText()},
		{"private key as the public key", with(map[string]string{pubseal.EnvPublicKey: k.ExportText()}),
			[]string{"config: pubseal: invalid key: BACKEND_PUBLIC_KEY"}, k.ExportText()[25:]},
		{"no state secret", with(map[string]string{EnvStateSecret: ""}), []string{"config: STATE_SECRET is not set"}, ""},
		{"bad state secret", with(map[string]string{EnvStateSecret: "hunter2-hunter2"}), []string{"config: STATE_SECRET: aescrypt: invalid key"}, "hunter2"},
		{"bad previous state secret", with(map[string]string{EnvStateSecretPrevious: aesKey + ",hunter2"}),
			[]string{"config: STATE_SECRET_PREVIOUS entry 2"}, "hunter2"},
		{"BIND_VALUES beside it", with(map[string]string{"BIND_VALUES": "1"}), []string{"config: BIND_VALUES is set in public-key mode"}, ""},
		{"no backend URL", with(map[string]string{"BACKEND_URL": ""}), []string{"config: BACKEND_URL is not set: in public-key mode"}, ""},
		{"no signing secret", with(map[string]string{EnvSigningSecret: ""}), []string{"config: BACKEND_SIGNING_SECRET is not set: in public-key mode"}, ""},
		{"short signing secret", with(map[string]string{EnvSigningSecret: "hunter2hunter2"}),
			[]string{"config: BACKEND_SIGNING_SECRET: backend: invalid signing secret"}, "hunter2"},
		{"all at once", with(map[string]string{"AES_SECRET": aesKey, "BACKEND_URL": "", EnvStateSecret: ""}), []string{
			"config: AES_SECRET is set", "config: BACKEND_URL is not set", "config: STATE_SECRET is not set"}, aesKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := LoadConfig(env(tt.vars), false)
			if tt.want == nil {
				if err != nil || !cfg.PublicKeyMode() || cfg.ServesBackend() || cfg.Cipher == nil {
					t.Fatalf("LoadConfig: %v; public-key mode %v, serves a backend %v", err, cfg.PublicKeyMode(), cfg.ServesBackend())
				}
				return
			}
			if err == nil || !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadConfig = %v, want ErrConfig", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, want := range tt.want {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i], want)
				}
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error quotes a value: %v", err)
			}
		})
	}
}

// recordingBackend serves h and keeps each request body.
type recordingBackend struct {
	h      http.Handler
	mu     sync.Mutex
	bodies [][]byte
}

func (b *recordingBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	b.mu.Lock()
	b.bodies = append(b.bodies, body)
	b.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	b.h.ServeHTTP(w, r)
}

// decryptGather is decrypt-gather's handler, built from its environment
// with testSigning added.
func decryptGather(t *testing.T, vars map[string]string) http.Handler {
	t.Helper()
	vars[EnvSigningSecret] = testSigning.ExportHex()
	h, mode, err := LoadBackend(env(vars))
	if err != nil || mode != "public-key+signed" {
		t.Fatalf("LoadBackend: %v, %q", err, mode)
	}
	return h
}

// publicKeyDeployment is an IVR in public-key mode, configured by
// LoadConfig, and decrypt-gather's handler with the private keys, apart.
func publicKeyDeployment(t *testing.T, pub *pubseal.PublicKey, privateKeys string) (*flowtest.Caller, *recordingBackend) {
	t.Helper()
	backend := &recordingBackend{h: decryptGather(t, map[string]string{pubseal.EnvPrivateKey: privateKeys})}
	srv := httptest.NewServer(backend)
	t.Cleanup(srv.Close)
	cfg, err := LoadConfig(env(ivrEnv(pub, srv.URL+BackendPath)), false)
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]flow.Option{flow.WithPublicURL(cfg.PublicURL)}, cfg.SealerOptions()...)
	finish, err := Finish(cfg.BackendURL, cfg.SigningSecret())
	if err != nil {
		t.Fatal(err)
	}
	ivr, err := flow.New(cfg.Cipher, cfg.AuthToken.Reveal(), Steps(), finish, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return flowtest.NewCaller(ivr, testPublicURL+IVRPath, testAuthToken), backend
}

// TestPublicKeyCall runs the tutorial's call in public-key mode under
// each KEM: the IVR seals to the public key, decrypt-gather opens.
func TestPublicKeyCall(t *testing.T) {
	for _, kem := range []pubseal.KEM{pubseal.X25519, pubseal.MLKEM768X25519} {
		k := generatePair(t, kem)
		caller, backend := publicKeyDeployment(t, k.PublicKey(), k.ExportText())
		tests := []struct {
			name string
			keys []string
			want string
		}{
			{"known caller", []string{KnownCard, KnownPin}, SaySuccess(KnownAccount, KnownBalance)},
			{"unknown caller", []string{"1111", KnownPin}, SayFailure},
		}
		for _, tt := range tests {
			t.Run(kem.String()+"/"+tt.name, func(t *testing.T) {
				call := caller.Call(tt.keys...)
				if call.End != flowtest.EndHangup || call.LastSaid() != tt.want {
					t.Fatalf("call ended %v saying %q\n%s", call.End, call.LastSaid(), call.Transcript())
				}
			})
		}
		if n := len(backend.bodies); n != 2 {
			t.Fatalf("%v: the backend got %d requests, want 2", kem, n)
		}
	}
}

// capturedBody is the JSON a public-key IVR posted for the known caller.
type capturedBody struct {
	Card    string `json:"encryptedCardDigits"`
	Pin     string `json:"encryptedPinDigits"`
	CallSid string `json:"callSid"`
}

func (b capturedBody) json() string {
	out, _ := json.Marshal(b)
	return string(out)
}

// captureCall runs the known caller's call and returns what the backend
// received.
func captureCall(t *testing.T, pub *pubseal.PublicKey, privateKeys string) capturedBody {
	t.Helper()
	caller, backend := publicKeyDeployment(t, pub, privateKeys)
	call := caller.Call(KnownCard, KnownPin)
	if len(backend.bodies) != 1 {
		t.Fatalf("the backend got %d requests\n%s", len(backend.bodies), call.Transcript())
	}
	var b capturedBody
	if err := json.Unmarshal(backend.bodies[0], &b); err != nil || b.CallSid != call.Sid {
		t.Fatalf("backend body %s: %v", backend.bodies[0], err)
	}
	return b
}

// flipHex changes one hex digit of s at i.
func flipHex(s string, i int) string {
	c := byte('0')
	if s[i] == '0' {
		c = '1'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestPublicKeyBackendRefuses sends decrypt-gather what an attacker could
// make of a real call's body: each is refused with 400, and no answer
// repeats a value.
func TestPublicKeyBackendRefuses(t *testing.T) {
	k := generatePair(t, pubseal.X25519)
	good := captureCall(t, k.PublicKey(), k.ExportText())
	foreign := generatePair(t, pubseal.X25519).PublicKey()
	sealForeign := func(digits, field string) string {
		s, err := foreign.Seal([]byte(digits), field, good.CallSid)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	aes := aescrypt.New(aescrypt.GenerateKey())
	h := decryptGather(t, map[string]string{pubseal.EnvPrivateKey: k.ExportText()})

	if code, body := postSigned(h, good.json()); code != http.StatusOK {
		t.Fatalf("the captured body: %d %s", code, body)
	}
	tests := []struct {
		name string
		body capturedBody
	}{
		{"card tampered: header", capturedBody{flipHex(good.Card, 10), good.Pin, good.CallSid}},
		{"card tampered: encapsulated key", capturedBody{flipHex(good.Card, 30), good.Pin, good.CallSid}},
		{"pin tampered: tag", capturedBody{good.Card, flipHex(good.Pin, len(good.Pin)-1), good.CallSid}},
		{"card truncated", capturedBody{good.Card[:len(good.Card)-2], good.Pin, good.CallSid}},
		{"fields swapped", capturedBody{good.Pin, good.Card, good.CallSid}},
		{"card in both fields", capturedBody{good.Card, good.Card, good.CallSid}},
		{"other call", capturedBody{good.Card, good.Pin, "CAfedcba9876543210fedcba9876543210"}},
		{"no call", capturedBody{good.Card, good.Pin, ""}},
		{"foreign key", capturedBody{sealForeign(KnownCard, CardField), sealForeign(KnownPin, PinField), good.CallSid}},
		{"foreign card only", capturedBody{sealForeign(KnownCard, CardField), good.Pin, good.CallSid}},
		{"AES-sealed", capturedBody{aes.Seal([]byte(KnownCard), nil), aes.Seal([]byte(KnownPin), nil), good.CallSid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := postSigned(h, tt.body.json())
			if code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%s)", code, body)
			}
			if strings.Contains(body, KnownCard) || strings.Contains(body, good.Card[20:40]) {
				t.Fatalf("the answer repeats a value: %q", body)
			}
		})
	}
	t.Run("callSid missing", func(t *testing.T) {
		body := `{"encryptedCardDigits":"` + good.Card + `","encryptedPinDigits":"` + good.Pin + `"}`
		if code, _ := postSigned(h, body); code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", code)
		}
	})
}

// TestPublicKeyBackendRotation: with two private keys, values sealed to
// either open; once the older key is removed, its values are refused.
func TestPublicKeyBackendRotation(t *testing.T) {
	older := generatePair(t, pubseal.X25519)
	newer := generatePair(t, pubseal.MLKEM768X25519)
	both := newer.ExportText() + "," + older.ExportText()
	sealedToOlder := captureCall(t, older.PublicKey(), older.ExportText())
	sealedToNewer := captureCall(t, newer.PublicKey(), newer.ExportText())

	tests := []struct {
		name, keys string
		body       capturedBody
		want       int
	}{
		{"older value, both keys", both, sealedToOlder, http.StatusOK},
		{"newer value, both keys", both, sealedToNewer, http.StatusOK},
		{"older value, older key retired", newer.ExportText(), sealedToOlder, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := decryptGather(t, map[string]string{pubseal.EnvPrivateKey: tt.keys})
			if code, body := postSigned(h, tt.body.json()); code != tt.want {
				t.Fatalf("status %d, want %d (%s)", code, tt.want, body)
			}
		})
	}
	t.Run("whole call after rotation", func(t *testing.T) {
		caller, _ := publicKeyDeployment(t, older.PublicKey(), both)
		if call := caller.Call(KnownCard, KnownPin); call.LastSaid() != SaySuccess(KnownAccount, KnownBalance) {
			t.Fatalf("call said %q", call.LastSaid())
		}
	})
}

func TestLoadBackend(t *testing.T) {
	k := generatePair(t, pubseal.X25519)
	aesKey := aescrypt.GenerateKey().ExportHex()
	signing := backend.GenerateSecret().ExportHex()
	tests := []struct {
		name     string
		vars     map[string]string
		wantMode string // "" for an error
	}{
		{"AES", map[string]string{"AES_SECRET": aesKey}, "aes"},
		{"AES, signed", map[string]string{"AES_SECRET": aesKey, EnvSigningSecret: signing}, "aes+signed"},
		{"AES, bad signing secret", map[string]string{"AES_SECRET": aesKey, EnvSigningSecret: "hunter2"}, ""},
		{"public-key", map[string]string{pubseal.EnvPrivateKey: k.ExportText(), EnvSigningSecret: signing}, "public-key+signed"},
		{"public-key, unsigned", map[string]string{pubseal.EnvPrivateKey: k.ExportText()}, ""},
		{"public-key, previous signing secret bad", map[string]string{pubseal.EnvPrivateKey: k.ExportText(), EnvSigningSecret: signing,
			EnvSigningSecret + "_PREVIOUS": signing + ",hunter2"}, ""},
		{"both", map[string]string{"AES_SECRET": aesKey, pubseal.EnvPrivateKey: k.ExportText()}, ""},
		{"neither", map[string]string{}, ""},
		{"public key given", map[string]string{pubseal.EnvPrivateKey: k.PublicKey().String()}, ""},
		{"AES, bound", map[string]string{"AES_SECRET": aesKey, "BIND_VALUES": "1"}, "aes-bound"},
		{"public-key, bound", map[string]string{pubseal.EnvPrivateKey: k.ExportText(), "BIND_VALUES": "1"}, ""},
		{"bad second key", map[string]string{pubseal.EnvPrivateKey: k.ExportText() + ",encgather-secret-v1-x25519-hunter2"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, mode, err := LoadBackend(env(tt.vars))
			if tt.wantMode != "" {
				if err != nil || mode != tt.wantMode || h == nil {
					t.Fatalf("LoadBackend = %v, %q; want mode %q", err, mode, tt.wantMode)
				}
				return
			}
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("LoadBackend = %v, want ErrConfig", err)
			}
			for _, secret := range []string{aesKey, k.ExportText()[30:], "hunter2", signing} {
				if strings.Contains(err.Error(), secret) {
					t.Fatalf("the error quotes a key: %v", err)
				}
			}
		})
	}
}
