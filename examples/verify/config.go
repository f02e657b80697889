package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/twiml"
)

// The environment the server reads.
const (
	envAddr         = "ADDR"                   // the public listener; default localhost:8080
	envLoopbackAddr = "LOOPBACK_ADDR"          // readiness; default 127.0.0.1:8081
	envBackendAddr  = "BACKEND_ADDR"           // the backend's listener; default 127.0.0.1 on a free port
	envPublicURL    = "PUBLIC_URL"             // the base URL Twilio calls
	envAuthToken    = "TWILIO_AUTH_TOKEN"      // Twilio's auth token
	envSigning      = "BACKEND_SIGNING_SECRET" // signs the hand-off; _PREVIOUS holds older ones
	envAgent        = "AGENT"                  // whom a verified caller is connected to
)

// config is the server's configuration, read from the environment.
type config struct {
	addr, loopbackAddr, backendAddr string
	publicURL                       string
	authToken                       hidden
	cipher                          *aescrypt.Cipher
	signing                         *backend.Secrets
	agent                           twiml.DialNoun
}

// Format prints the configuration without its secrets, for every verb:
// fmt does not reach the methods of unexported fields, so the struct
// itself must say what it shows.
func (c config) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "config(addr=%s loopback=%s backend=%s auth_token=%v cipher=%v signing=%v)",
		c.addr, c.loopbackAddr, c.backendAddr, c.authToken, c.cipher, c.signing)
}

// hidden is a secret string that never prints.
type hidden struct{ s string }

// String returns a placeholder, never the value.
func (hidden) String() string { return "(hidden)" }

// Format prints the placeholder for every verb, %#v included.
func (h hidden) Format(f fmt.State, _ rune) { io.WriteString(f, h.String()) }

// reveal returns the value, for the one place that needs it.
func (h hidden) reveal() string { return h.s }

// loadConfig reads the configuration through lookup (os.LookupEnv's
// shape), reporting every problem at once, each naming its variable and
// none quoting a value.
func loadConfig(lookup func(string) (string, bool)) (config, error) {
	get := func(name, def string) string {
		v, _ := lookup(name)
		if v = strings.TrimSpace(v); v == "" {
			return def
		}
		return v
	}
	c := config{
		addr:         get(envAddr, "localhost:8080"),
		loopbackAddr: get(envLoopbackAddr, "127.0.0.1:8081"),
		backendAddr:  get(envBackendAddr, "127.0.0.1:0"),
		publicURL:    get(envPublicURL, ""),
		authToken:    hidden{get(envAuthToken, "")},
	}
	var errs []error
	if c.publicURL == "" {
		errs = append(errs, fmt.Errorf("%s is not set", envPublicURL))
	} else if err := checkPublicURL(c.publicURL); err != nil {
		errs = append(errs, err)
	}
	if c.authToken.reveal() == "" {
		errs = append(errs, fmt.Errorf("%s is not set", envAuthToken))
	}
	var err error
	if c.cipher, err = aescrypt.FromLookup(lookup); err != nil {
		errs = append(errs, err)
	}
	if c.signing, err = backend.SecretsFromLookup(lookup, envSigning); err != nil {
		errs = append(errs, err)
	}
	if c.agent, err = parseAgent(get(envAgent, "client:agent")); err != nil {
		errs = append(errs, err)
	}
	for _, name := range []string{envLoopbackAddr, envBackendAddr} {
		if addr := get(name, "127.0.0.1"); !loopback(addr) {
			errs = append(errs, fmt.Errorf("%s must be a loopback address: only this host may reach it", name))
		}
	}
	return c, errors.Join(errs...)
}

// checkPublicURL refuses a base URL Twilio could not call, without
// quoting it (it may hold credentials).
func checkPublicURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return fmt.Errorf("%s is not an absolute http(s) URL", envPublicURL)
	case u.User != nil:
		return fmt.Errorf("%s holds credentials: Twilio signs the URL without them", envPublicURL)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("%s has a query or fragment: give the base URL only", envPublicURL)
	}
	return nil
}

// loopback reports whether addr ("host:port" or "host") names this host
// only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
