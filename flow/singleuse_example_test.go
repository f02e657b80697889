package flow_test

import (
	"context"
	"fmt"
	"log"
	"maps"
	"net/http/httptest"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// Every state token answers once. Twilio retrying a request gets the same
// answer; anyone replaying it with other digits gets the apology. Replicas
// would share a store given with WithStore; one replica has its own.
func ExampleWithRetryWindow() {
	authToken := "your-twilio-auth-token"
	finish := func(ctx context.Context, r *flow.Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
	}
	steps := []flow.Step{{Name: "pin", Field: "encryptedPin", Digits: flow.Exactly(4),
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your PIN."}}}}
	ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), authToken, steps, finish,
		flow.WithPublicURL("https://ivr.example.com"), flow.WithRetryWindow(flow.DefaultRetryWindow))
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/pin", authToken).Call("4321")
	answered := call.Requests[1] // the request that carried the PIN

	send := func(digits string) string {
		form := maps.Clone(answered.Form)
		form.Set("Digits", digits)
		rec := httptest.NewRecorder()
		ivr.ServeHTTP(rec, flowtest.NewRequest(answered.Method, answered.URL, form, authToken))
		switch {
		case rec.Body.String() == string(answered.Body):
			return "the first answer again"
		case strings.Contains(rec.Body.String(), "an application error has occurred"):
			return "the apology"
		}
		return "something else"
	}
	fmt.Println("first answer:", call.LastSaid())
	fmt.Println("Twilio retries:", send("4321"))
	fmt.Println("a replay with other digits:", send("1111"))
	// Output:
	// first answer: Thank you.
	// Twilio retries: the first answer again
	// a replay with other digits: the apology
}
