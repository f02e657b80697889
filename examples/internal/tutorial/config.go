package tutorial

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/encgather/encgather/aescrypt"
)

// Config is the IVR's configuration, read from the environment.
type Config struct {
	Addr       string           // ADDR: listen address
	PublicURL  string           // PUBLIC_URL: the base URL Twilio calls
	AuthToken  string           // TWILIO_AUTH_TOKEN
	Cipher     *aescrypt.Cipher // AES_SECRET, AES_SECRET_PREVIOUS
	BackendURL string           // BACKEND_URL: "" means the built-in backend
}

// DefaultAddr is where the examples listen when ADDR is not set.
const DefaultAddr = "localhost:8080"

// LoadConfig reads the IVR's settings through lookup (os.LookupEnv's
// shape). With insecure set, PUBLIC_URL and TWILIO_AUTH_TOKEN are optional.
// Errors name the variable, never its value.
func LoadConfig(lookup func(string) (string, bool), insecure bool) (Config, error) {
	get := func(name string) string { v, _ := lookup(name); return strings.TrimSpace(v) }
	cfg := Config{Addr: get("ADDR"), PublicURL: get("PUBLIC_URL"), AuthToken: get("TWILIO_AUTH_TOKEN"), BackendURL: get("BACKEND_URL")}
	if cfg.Addr == "" {
		cfg.Addr = DefaultAddr
	}
	if !insecure {
		if cfg.PublicURL == "" {
			return Config{}, fmt.Errorf("PUBLIC_URL is not set: it must be the https URL Twilio calls, e.g. https://ivr.example.com")
		}
		if cfg.AuthToken == "" {
			return Config{}, fmt.Errorf("TWILIO_AUTH_TOKEN is not set")
		}
	}
	if cfg.PublicURL != "" {
		if err := checkBaseURL(cfg.PublicURL); err != nil {
			return Config{}, fmt.Errorf("PUBLIC_URL %w", err)
		}
	}
	if cfg.BackendURL != "" {
		if err := checkBaseURL(cfg.BackendURL); err != nil {
			return Config{}, fmt.Errorf("BACKEND_URL %w", err)
		}
	}
	c, err := aescrypt.FromLookup(lookup)
	if err != nil {
		return Config{}, err
	}
	cfg.Cipher = c
	return cfg, nil
}

func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("is not an http(s) URL")
	}
	return nil
}
