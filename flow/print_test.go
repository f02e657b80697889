package flow

import (
	"context"
	"testing"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/internal/leaktest"
	"github.com/encgather/encgather/twiml"
)

// TestNothingPrintsSecrets: a Flow and a Validator hold the auth tokens
// and the public URL's password; no fmt verb, slog handler or JSON prints
// them. %v of a *Flow once printed the secondary token and the password.
func TestNothingPrintsSecrets(t *testing.T) {
	const (
		primary   = "primary-auth-token-0123456789abcdef"
		secondary = "secondary-auth-token-fedcba9876543210"
		password  = "url-password-5f3a9c2e7b1d4086"
	)
	public := "https://ivr:" + password + "@ivr.example.com"
	opts := []CommonOption{WithPublicURL(public), WithSecondaryAuthToken(secondary)}
	var tells []string
	for _, s := range []string{primary, secondary, password} {
		tells = append(tells, leaktest.Tells([]byte(s))...)
	}
	finish := func(context.Context, *Result) ([]twiml.Verb, error) { return nil, nil }
	f, err := New(aescrypt.New(aescrypt.GenerateKey()), primary, kindSteps(kindSensitive), finish, opts[0], opts[1])
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewValidator(primary, opts[0], opts[1])
	if err != nil {
		t.Fatal(err)
	}
	leaktest.Check(t, f, tells, "ivr.example.com")
	leaktest.Check(t, v, tells, "ivr.example.com")
}
