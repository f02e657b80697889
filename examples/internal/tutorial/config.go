package tutorial

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/pubseal"
)

// Config is the IVR's configuration, read from the environment. It never
// prints a secret: the auth token is Hidden, and keys and signing secrets
// print as their IDs, under every fmt verb, slog and encoding/json.
type Config struct {
	Addr       string           // ADDR: listen address
	PublicURL  string           // PUBLIC_URL: the base URL Twilio calls
	AuthToken  Hidden           // TWILIO_AUTH_TOKEN
	Cipher     *aescrypt.Cipher // AES_SECRET, AES_SECRET_PREVIOUS; in public-key mode STATE_SECRET, STATE_SECRET_PREVIOUS
	BackendURL string           // BACKEND_URL: "" means the built-in backend
	// BackendAddr is BACKEND_ADDR: the built-in backend's own loopback
	// listener (DefaultBackendAddr), never the public ADDR.
	BackendAddr string
	// BindValues is BIND_VALUES: values sealed bound to their field and
	// CallSid (flow.WithBoundValues), opened by BoundBackend.
	BindValues bool
	// PublicKey is BACKEND_PUBLIC_KEY: when set, the IVR is in public-key
	// mode and seals values to it; Cipher then seals only states.
	PublicKey *pubseal.PublicKey
	// Signing is BACKEND_SIGNING_SECRET and BACKEND_SIGNING_SECRET_PREVIOUS:
	// the IVR signs its requests to the backend with the newest. Nil when
	// unset; public-key mode requires it.
	Signing *backend.Secrets
}

// DefaultAddr is where the examples listen when ADDR is not set.
const DefaultAddr = "localhost:8080"

// ErrConfig is wrapped by every error LoadConfig reports.
var ErrConfig = errors.New("config")

// LoadConfig reads the IVR's settings through lookup (os.LookupEnv's
// shape). With insecure set, PUBLIC_URL and TWILIO_AUTH_TOKEN are optional.
// BACKEND_PUBLIC_KEY chooses public-key mode, which needs STATE_SECRET,
// BACKEND_URL and BACKEND_SIGNING_SECRET, and refuses AES_SECRET.
// It reports every problem at once, joined, one a line, each as
// "config: NAME ...": it names the variable and never prints its value.
func LoadConfig(lookup func(string) (string, bool), insecure bool) (Config, error) {
	get := func(name string) string { v, _ := lookup(name); return strings.TrimSpace(v) }
	cfg := Config{Addr: get("ADDR"), PublicURL: get("PUBLIC_URL"), AuthToken: NewHidden(get("TWILIO_AUTH_TOKEN")), BackendURL: get("BACKEND_URL")}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s %s", ErrConfig, name, fmt.Sprintf(format, args...)))
	}
	switch {
	case cfg.PublicURL != "":
		if problem := publicURLProblem(cfg.PublicURL); problem != "" {
			bad("PUBLIC_URL", "%s", problem)
		}
	case !insecure:
		bad("PUBLIC_URL", "is not set: it must be the base URL Twilio calls, such as https://ivr.example.com")
	}
	if cfg.AuthToken.IsEmpty() && !insecure {
		bad("TWILIO_AUTH_TOKEN", "is not set: it is on the Twilio Console's account page")
	}
	if cfg.BackendURL != "" {
		if problem := backendURLProblem(cfg.BackendURL); problem != "" {
			bad("BACKEND_URL", "%s", problem)
		}
	}
	var err error
	if cfg.BackendAddr, err = BackendAddr(lookup); err != nil {
		errs = append(errs, err)
	}
	if cfg.BindValues, err = BindValues(lookup); err != nil {
		errs = append(errs, err)
	}
	if cfg.Signing, err = loadSigning(lookup); err != nil {
		errs = append(errs, err)
	}
	if get(pubseal.EnvPublicKey) != "" {
		errs = append(errs, loadPublicKeyMode(lookup, &cfg)...)
	} else if get(aescrypt.EnvSecret) == "" {
		bad(aescrypt.EnvSecret, "is not set: make a key with go run ./examples/keygen")
	} else if c, err := aescrypt.FromLookup(lookup); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err)) // aescrypt names the variable, never the key
	} else {
		cfg.Cipher = c
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	return cfg, nil
}

// publicURLProblem says what is wrong with PUBLIC_URL, or "". It refuses
// all that flow.WithPublicURL refuses, so that no error quotes the value.
func publicURLProblem(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "is not an http(s) URL such as https://ivr.example.com"
	case u.User != nil:
		return "holds a user name or password: give them to Twilio, not here"
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return "has a query or fragment: it must be the base URL only, such as https://ivr.example.com"
	case strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), IVRPath):
		return "ends in " + IVRPath + ", the IVR's own path, which is added to it: " +
			"every request would then fail its signature check (403). Set PUBLIC_URL to the URL without " + IVRPath +
			", and Twilio's webhook to PUBLIC_URL + " + IVRPath
	}
	return ""
}

// backendURLProblem says what is wrong with BACKEND_URL, or "".
func backendURLProblem(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "is not an http(s) URL such as https://backend.internal" + BackendPath
	}
	if u.User != nil {
		return "holds a user name or password, which the IVR does not send: a backend URL carries no credentials"
	}
	return ""
}

// LoggedPublicURL returns PUBLIC_URL as it may be logged: without a user
// name or password, should it hold them.
func (c *Config) LoggedPublicURL() string {
	u, err := url.Parse(c.PublicURL)
	if err != nil {
		return ""
	}
	u.User = nil
	return u.String()
}
