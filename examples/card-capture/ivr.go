package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/card"
	"github.com/encgather/encgather/twiml"
)

// PayPath is the IVR's webhook: the number's voice URL is PUBLIC_URL/pay.
const PayPath = "/pay"

// The sentences the IVR ends a capture with.
const (
	SayNotTaken = "We could not take your card. Goodbye."
	SayFailure  = "We're sorry, we could not save your card. Please try again later. Goodbye."
)

// ivrConfig is what the IVR is built from.
type ivrConfig struct {
	cipher     *aescrypt.Cipher
	authToken  string
	publicURL  string
	backendURL string
	signing    backend.Secret
	logger     *slog.Logger
	options    []flow.Option // more, such as a clock
}

// newIVR returns the IVR's mux: the card steps, ending in a Finish that
// posts a captured card to the backend and says its token.
func newIVR(c ivrConfig) (http.Handler, error) {
	steps, err := card.Steps(card.Options{})
	if err != nil {
		return nil, err
	}
	post, err := backend.New(backend.Config{
		URL:             c.backendURL,
		Signing:         c.signing,
		OnSuccess:       sayToken,
		Failure:         []twiml.Verb{twiml.Say{Text: SayFailure}},
		Decline:         []twiml.Verb{twiml.Say{Text: SayNotTaken}},
		DeclineStatuses: []int{http.StatusUnprocessableEntity},
	})
	if err != nil {
		return nil, err
	}
	// The security code is kept off the action URLs, in memory: one
	// replica. Replicas share a flow/redisstore.ValueStore instead.
	opts := append([]flow.Option{flow.WithLogger(c.logger), flow.WithPublicURL(c.publicURL),
		flow.WithValueStore(flow.NewMemoryValueStore())}, card.FlowOptions()...)
	ivr, err := flow.New(c.cipher, c.authToken, steps, finish(post, c.logger), append(opts, c.options...)...)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(PayPath, ivr)
	return mux, nil
}

// finish posts a card the caller gave in full to the backend; any other
// ending is logged in <Pay>'s words and the caller hears SayNotTaken.
func finish(post flow.Finish, log *slog.Logger) flow.Finish {
	return func(ctx context.Context, r *flow.Result) ([]twiml.Verb, error) {
		c := card.ResultOf(r)
		if c.Result != card.ResultSuccess {
			log.InfoContext(ctx, "card not captured", "call_sid", r.CallSid, "result", string(c.Result),
				"step", string(c.Step), "error_type", string(c.ErrorType))
			return []twiml.Verb{twiml.Say{Text: SayNotTaken}}, nil
		}
		return post(ctx, r)
	}
}

// errAnswer is the error for a backend answer without a token.
var errAnswer = errors.New("card-capture: backend answer has no token, brand or last four digits")

// sayToken turns the backend's answer into what the caller hears.
func sayToken(body []byte) ([]twiml.Verb, error) {
	var a tokenAnswer
	if err := json.Unmarshal(body, &a); err != nil || a.Token == "" || a.Brand == "" || len(a.Last4) != 4 {
		return nil, errAnswer
	}
	return []twiml.Verb{twiml.Say{Text: fmt.Sprintf("Thank you. Your %s card ending in %s is saved under token %s. Goodbye.",
		a.Brand, a.Last4, a.Token)}}, nil
}
