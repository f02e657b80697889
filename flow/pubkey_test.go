package flow

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/pubseal"
	"github.com/encgather/encgather/twiml"
)

// pubkeyIVR is what an IVR in public-key mode is configured with: the state
// secret, the backend's public key and the auth token. Nothing else.
type pubkeyIVR struct {
	stateSecret string // STATE_SECRET
	publicKey   string // BACKEND_PUBLIC_KEY
	authToken   string // TWILIO_AUTH_TOKEN
}

// sealedCapture is a Finish that keeps what a backend would be sent.
type sealedCapture struct {
	mu      sync.Mutex
	results []*Result
}

func (c *sealedCapture) finish(_ context.Context, r *Result) ([]twiml.Verb, error) {
	c.mu.Lock()
	c.results = append(c.results, r)
	c.mu.Unlock()
	return []twiml.Verb{twiml.Say{Text: "done"}}, nil
}

// newPubkeyIVR builds the tutorial's flow from cfg's three strings alone,
// as an IVR reads them from its environment.
func newPubkeyIVR(t *testing.T, cfg pubkeyIVR, finish Finish) *Flow {
	t.Helper()
	stateKey, err := aescrypt.ParseKey(cfg.stateSecret)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := pubseal.ParsePublicKey(cfg.publicKey)
	if err != nil {
		t.Fatal(err)
	}
	f, err := New(aescrypt.New(stateKey), cfg.authToken, tutorialSteps(), finish,
		WithPublicURL(testPublicURL), WithSealer(pub))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return f
}

// TestPublicKeyIVRHoldsNoOpeningKey is the promise of public-key mode:
// the IVR seals values that nothing in its configuration opens. The call
// runs through a flow built from the IVR's configuration alone; every key
// the IVR holds, and every secret of its configuration read as a key of
// either kind, fails to open what it sealed; the backend's private key
// opens it.
func TestPublicKeyIVRHoldsNoOpeningKey(t *testing.T) {
	for _, kem := range []pubseal.KEM{pubseal.X25519, pubseal.MLKEM768X25519} {
		t.Run(kem.String(), func(t *testing.T) {
			backendKey, err := pubseal.GenerateKey(kem)
			if err != nil {
				t.Fatal(err)
			}
			cfg := pubkeyIVR{
				stateSecret: aescrypt.GenerateKey().ExportHex(),
				publicKey:   backendKey.PublicKey().String(),
				authToken:   testAuthToken,
			}
			capture := &sealedCapture{}
			f := newPubkeyIVR(t, cfg, capture.finish)
			call := (&fixture{}).caller(f).Call("1234", "4321")
			if call.LastSaid() != "done" || len(capture.results) != 1 {
				t.Fatalf("the call did not finish:\n%s", call.Transcript())
			}
			res := capture.results[0]
			want := map[string]string{"encryptedCardDigits": "1234", "encryptedPinDigits": "4321"}
			if len(res.Sealed) != len(want) {
				t.Fatalf("sealed fields %v, want %v", res.Sealed, want)
			}

			openers := ivrOpeners(t, f, cfg)
			for field, digits := range want {
				sealed := res.Sealed[field]
				for _, o := range openers {
					if value, err := o.open(sealed, field, res.CallSid); err == nil {
						t.Errorf("%s: the IVR's %s opened it (%d bytes)", field, o.name, len(value))
					}
				}
				got, err := pubseal.NewPrivateKeys(backendKey).Open(sealed, field, res.CallSid)
				if err != nil || string(got) != digits {
					t.Errorf("%s: the backend's private key: %v", field, err)
				}
			}
		})
	}
}

// opener is one way the IVR could try to open a value with what it holds.
type opener struct {
	name string
	open func(sealed, field, callSid string) ([]byte, error)
}

// ivrOpeners lists every attempt the IVR's configuration allows: its
// ciphers (the state secret's and the state key the flow derived and
// uses); and
// each 32-byte secret it holds (the state secret, the derived state key,
// the auth token's hash) read as a private key of either KEM. The public
// key itself is no private key: reading it as one must fail.
func ivrOpeners(t *testing.T, f *Flow, cfg pubkeyIVR) []opener {
	t.Helper()
	if _, err := pubseal.ParsePrivateKey(cfg.publicKey); err == nil {
		t.Fatal("the public key parsed as a private key")
	}
	stateSecret, err := aescrypt.ParseKey(cfg.stateSecret)
	if err != nil {
		t.Fatal(err)
	}
	ciphers := map[string]*aescrypt.Cipher{
		"STATE_SECRET":      aescrypt.New(stateSecret),
		"derived state key": f.states.cipher,
	}
	var out []opener
	for name, c := range ciphers {
		out = append(out, opener{name + " (AES-GCM)", func(s, _, _ string) ([]byte, error) { return c.Open(s, nil) }})
	}
	secrets := map[string]string{
		"STATE_SECRET":              cfg.stateSecret,
		"derived state key":         f.states.cipher.Primary().ExportHex(),
		"TWILIO_AUTH_TOKEN's hash":  hashHex(cfg.authToken),
		"BACKEND_PUBLIC_KEY's hash": hashHex(cfg.publicKey),
	}
	for name, secret := range secrets {
		for _, kem := range []string{"x25519", "mlkem768x25519"} {
			k, err := pubseal.ParsePrivateKey(pubseal.PrivateKeyPrefix + kem + "-" + secret)
			if err != nil {
				t.Fatalf("%s as a %s private key: %v", name, kem, err)
			}
			if k.PublicKey().String() == cfg.publicKey {
				t.Fatalf("%s is the private key of BACKEND_PUBLIC_KEY", name)
			}
			keys := pubseal.NewPrivateKeys(k)
			out = append(out, opener{name + " as a " + kem + " private key", keys.Open})
		}
	}
	return out
}

// hashHex is a 32-byte secret made of s, in hex.
func hashHex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestPublicKeyValuesBoundToCall: the values a public-key IVR hands over
// open only under their own field and call.
func TestPublicKeyValuesBoundToCall(t *testing.T) {
	backendKey, err := pubseal.GenerateKey(pubseal.X25519)
	if err != nil {
		t.Fatal(err)
	}
	capture := &sealedCapture{}
	f := newPubkeyIVR(t, pubkeyIVR{aescrypt.GenerateKey().ExportHex(), backendKey.PublicKey().String(), testAuthToken}, capture.finish)
	call := (&fixture{}).caller(f).Call("1234", "4321")
	if len(capture.results) != 1 {
		t.Fatalf("the call did not finish:\n%s", call.Transcript())
	}
	res := capture.results[0]
	keys := pubseal.NewPrivateKeys(backendKey)
	card, pin := res.Sealed["encryptedCardDigits"], res.Sealed["encryptedPinDigits"]
	tests := []struct {
		name, sealed, field, callSid string
	}{
		{"card as pin", card, "encryptedPinDigits", res.CallSid},
		{"pin as card", pin, "encryptedCardDigits", res.CallSid},
		{"other call", card, "encryptedCardDigits", otherCallSid},
		{"upper-case hex", strings.ToUpper(card), "encryptedCardDigits", res.CallSid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := keys.Open(tt.sealed, tt.field, tt.callSid); err != pubseal.ErrOpen {
				t.Fatalf("Open = %v, want ErrOpen", err)
			}
		})
	}
	if _, err := hex.DecodeString(card); err != nil {
		t.Fatalf("Result.Sealed is not hex: %v", err)
	}
}
