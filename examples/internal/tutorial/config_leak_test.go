package tutorial

import (
	"encoding/hex"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/leaktest"
)

// TestConfigNeverPrintsSecrets loads a configuration holding an auth token,
// an AES key and a signing secret, and prints it every way a program
// might: alone, by pointer and held in structs, with every fmt verb, both
// slog handlers and encoding/json. None shows a secret.
func TestConfigNeverPrintsSecrets(t *testing.T) {
	const authToken = "f00dfacecafebeefdeadc0de12345678" // what a Twilio auth token looks like
	const signingSecret = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2"
	key := aescrypt.GenerateKey()
	cfg, err := LoadConfig(env(map[string]string{
		"PUBLIC_URL":             "https://ivr.example.com",
		"TWILIO_AUTH_TOKEN":      authToken,
		"AES_SECRET":             key.ExportHex(),
		"BACKEND_SIGNING_SECRET": signingSecret,
	}), false)
	if err != nil {
		t.Fatal(err)
	}
	rawKey, _ := hex.DecodeString(key.ExportHex())
	rawSigning, _ := hex.DecodeString(signingSecret)
	var tells []string
	for _, secret := range [][]byte{[]byte(authToken), rawKey, rawSigning, []byte(signingSecret)} {
		tells = append(tells, leaktest.Tells(secret)...)
	}
	type unexported struct{ cfg Config }
	type Exported struct{ Cfg Config }
	type pointer struct{ cfg *Config }
	forms := []struct {
		name string
		v    any
	}{
		{"Config", cfg},
		{"*Config", &cfg},
		{"unexported field", unexported{cfg}},
		{"exported field", Exported{cfg}},
		{"unexported pointer", pointer{&cfg}},
		{"[]any", []any{cfg}},
	}
	for _, form := range forms {
		t.Run(form.name, func(t *testing.T) {
			leaktest.Check(t, form.v, tells, "")
		})
	}
}
