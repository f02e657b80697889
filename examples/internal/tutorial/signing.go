package tutorial

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/encgather/encgather/flow/backend"
)

// EnvSigningSecret is the secret the IVR signs its requests to the
// backend with, and the backend checks them with: 64 or more hex
// characters (keygen -signing-secret prints one). Older secrets still
// accepted while a new one rolls out go, comma-separated, in
// EnvSigningSecret + "_PREVIOUS".
const EnvSigningSecret = "BACKEND_SIGNING_SECRET"

// loadSigning reads BACKEND_SIGNING_SECRET and its previous secrets; nil
// when it is unset. Errors name the variable, never its value.
func loadSigning(lookup func(string) (string, bool)) (*backend.Secrets, error) {
	secrets, err := backend.SecretsFromLookup(lookup, EnvSigningSecret)
	switch {
	case errors.Is(err, backend.ErrNotSet):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return secrets, nil
}

// RequireSignatures returns h behind a backend.Verifier with secrets:
// a request not signed with one of them, within the allowed skew, is
// answered 401 and never reaches h.
func RequireSignatures(h http.Handler, secrets *backend.Secrets) (http.Handler, error) {
	v, err := backend.NewVerifier(secrets, backend.WithMaxBody(maxBackendBody))
	if err != nil {
		return nil, err
	}
	return v.Middleware(h), nil
}
