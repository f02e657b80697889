package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/verify/accounts"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/twiml"
)

// The service's routes. Twilio's number points its voice webhook at
// WelcomePath and its status callback at StatusPath.
const (
	WelcomePath = "/voice/welcome"
	VerifyPath  = "/voice/verify"
	StatusPath  = "/voice/status"
	ReadyPath   = "/readyz" // on the loopback listener only
	BackendPath = "/verify" // the backend's route, on its own loopback listener
)

// What the caller hears.
const (
	SayWelcome     = "Welcome to Example Bank. To reach an agent, we first need to verify who you are."
	SayDateOfBirth = "Please enter your date of birth as eight digits: two for the month, two for the day, and four for the year."
	SayPIN         = "Please enter your six digit PIN."
	SayNotADate    = "That is not a date we recognize."
	SayOutOfRange  = "That date of birth is not one we can accept."
	SayConnecting  = "Thank you. You are verified. Connecting you to an agent."
	SayNoMatch     = "We could not verify those details. Please call again or visit a branch. Goodbye."
	SayFailure     = "We're sorry, we cannot verify you right now. Please try again later. Goodbye."
)

// The ages a caller may have, in whole years on the flow's clock.
const (
	MinAge = 18
	MaxAge = 120
)

// ivrConfig is what the IVR's routes are built from.
type ivrConfig struct {
	PublicURL      string           // the base URL Twilio calls, without a route
	AuthToken      string           // Twilio's auth token: signs every webhook
	Cipher         *aescrypt.Cipher // seals the values (and, derived, the state)
	Signing        backend.Secret   // signs the hand-off to the backend
	BackendURL     string           // where the sealed values go
	BackendTimeout time.Duration    // bounds the backend call; 0 means flow/backend's DefaultTimeout
	Agent          twiml.DialNoun   // whom a verified caller is connected to
	Logger         *slog.Logger
	Now            func() time.Time // the flow's clock; nil means time.Now
	Store          flow.Store       // the single-use store; nil means the flow's own memory store
}

// ivr is the public service: its mux, and the flow for readiness.
type ivr struct {
	mux  *http.ServeMux
	flow *flow.Flow
}

// steps are the verification flow: a date of birth, checked to be a real
// date in the past within the age bounds, then a PIN. Both are sensitive:
// sealed the moment they arrive.
func steps() []flow.Step {
	return []flow.Step{
		{Name: "dob", Field: accounts.FieldDateOfBirth, Digits: flow.Exactly(8),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: SayDateOfBirth}},
			Check:  flow.Date(flow.DateMMDDYYYY, flow.Past(), flow.AgeBetween(MinAge, MaxAge)),
			Retries: []flow.Retry{
				{Reason: flow.ReasonRejected, Err: flow.ErrInvalidDate, Verbs: []twiml.GatherVerb{twiml.Say{Text: SayNotADate}}},
				{Reason: flow.ReasonRejected, Err: flow.ErrDateOutOfRange, Verbs: []twiml.GatherVerb{twiml.Say{Text: SayOutOfRange}}},
			}},
		{Name: "pin", Field: accounts.FieldPIN, Digits: flow.Exactly(6),
			Prompt: []twiml.GatherVerb{twiml.Say{Text: SayPIN}}},
	}
}

// newIVR builds the public mux: the welcome, the flow and the status
// callback, each behind Twilio's signature check.
func newIVR(c ivrConfig) (*ivr, error) {
	finish, err := backend.New(backend.Config{
		URL:             c.BackendURL,
		Signing:         c.Signing,
		OnSuccess:       connect(c.Agent),
		Decline:         []twiml.Verb{twiml.Say{Text: SayNoMatch}},
		DeclineStatuses: []int{http.StatusNotFound, http.StatusTooManyRequests},
		Failure:         []twiml.Verb{twiml.Say{Text: SayFailure}},
		Timeout:         c.BackendTimeout,
	})
	if err != nil {
		return nil, err
	}
	opts := []flow.Option{flow.WithPublicURL(c.PublicURL), flow.WithLogger(c.Logger), flow.WithBoundValues()}
	if c.Now != nil {
		opts = append(opts, flow.WithClock(c.Now))
	}
	if c.Store != nil {
		opts = append(opts, flow.WithStore(c.Store))
	}
	f, err := flow.New(c.Cipher, c.AuthToken, steps(), finish, opts...)
	if err != nil {
		return nil, err
	}
	v, err := flow.NewValidator(c.AuthToken, flow.WithPublicURL(c.PublicURL), flow.WithLogger(c.Logger))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+WelcomePath, v.Middleware(http.HandlerFunc(welcome)))
	mux.Handle(VerifyPath, f)
	mux.Handle("POST "+StatusPath, v.Middleware(statusCallback(c.Logger)))
	return &ivr{mux: mux, flow: f}, nil
}

// welcome greets the caller and hands the call to the flow. The
// redirect is relative to the welcome's own URL ("verify" beside
// "welcome"), so it holds behind a proxy that strips a path prefix.
func welcome(w http.ResponseWriter, _ *http.Request) {
	twiml.WriteHTTP(w, &twiml.Response{Verbs: []twiml.Verb{
		twiml.Say{Text: SayWelcome},
		twiml.Redirect{URL: path.Base(VerifyPath), Method: twiml.MethodPOST},
	}})
}

// connect is the backend's OnSuccess: a 200 naming a customer connects
// the caller to the agent; any other body is a failure.
func connect(agent twiml.DialNoun) func(body []byte) ([]twiml.Verb, error) {
	return func(body []byte) ([]twiml.Verb, error) {
		var answer struct {
			Customer string `json:"customer"`
		}
		if err := json.Unmarshal(body, &answer); err != nil || answer.Customer == "" {
			return nil, errNoCustomer
		}
		return []twiml.Verb{twiml.Say{Text: SayConnecting}, twiml.Dial{Nouns: []twiml.DialNoun{agent}}}, nil
	}
}

// errNoCustomer is the failure of a 200 answer that names no customer.
var errNoCustomer = errors.New("verify: the backend's answer names no customer")

// statusCallback logs the end of each call Twilio reports. It runs behind
// the signature check: an unsigned report could claim any call ended.
func statusCallback(logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		logger.Info("call status", "call_sid", r.PostFormValue("CallSid"),
			"call_status", r.PostFormValue("CallStatus"), "duration_s", r.PostFormValue("CallDuration"))
		w.WriteHeader(http.StatusNoContent)
	})
}

// readiness answers 200 when the flow can take calls (its single-use
// store answers), else 503. It is served on loopback only.
func readiness(f *flow.Flow) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := f.Ready(ctx); err != nil {
			http.Error(w, fmt.Sprintf("not ready: %v", err), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
}

// parseAgent reads AGENT: a number in E.164 form ("+15005550006") or a
// Voice SDK client's identity ("client:support").
func parseAgent(s string) (twiml.DialNoun, error) {
	switch {
	case strings.HasPrefix(s, "+") && len(s) > 1:
		return twiml.Number{PhoneNumber: s}, nil
	case strings.HasPrefix(s, "client:") && len(s) > len("client:"):
		return twiml.Client{Identity: strings.TrimPrefix(s, "client:")}, nil
	}
	return nil, errAgent
}

// errAgent is reported for an AGENT that is neither form.
var errAgent = errors.New(`AGENT is neither a number such as "+15005550006" nor "client:IDENTITY"`)
