package flow_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// A custom Finish receives the sealed fields; here it opens them in-process.
func ExampleFinish() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	finish := func(ctx context.Context, r *flow.Result) ([]twiml.Verb, error) {
		pin, err := cipher.Open(r.Sealed["pin"], nil)
		if err != nil {
			return nil, err
		}
		fmt.Println("the finish step opened", len(pin), "digits")
		return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
	}
	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Enter your PIN."}}}}
	ivr, err := flow.New(cipher, "token", steps, finish, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token").Call("2468")
	fmt.Println(call.Said[len(call.Said)-1])
	// Output:
	// the finish step opened 4 digits
	// Thank you.
}

// Scrub keeps a service's own request logs free of typed digits.
func ExampleScrub() {
	form := map[string][]string{"CallSid": {"CA0123"}, "Digits": {"1234"}}
	fmt.Println(flow.Scrub(form))
	// Output:
	// map[CallSid:[CA0123] Digits:[[redacted]]]
}

// A Validator checks Twilio's signature on handlers that are not flows.
func ExampleValidator_Middleware() {
	v, err := flow.NewValidator("token", flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	status := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "ok")
	}))
	form := map[string][]string{"CallSid": {"CA0123456789abcdef0123456789abcdef"}, "CallStatus": {"completed"}}

	signed := httptest.NewRecorder()
	status.ServeHTTP(signed, flowtest.NewRequest("POST", "https://ivr.example.com/status", form, "token"))
	forged := httptest.NewRecorder()
	status.ServeHTTP(forged, flowtest.NewRequest("POST", "https://ivr.example.com/status", form, "guess"))
	fmt.Println(signed.Code, forged.Code)
	// Output:
	// 200 403
}
