package flow_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// The tutorial's IVR: the last four card digits, then a PIN, both sealed
// and handed to a backend that answers with an account.
func Example() {
	cipher := aescrypt.New(aescrypt.GenerateKey()) // in production: aescrypt.FromEnv()
	authToken := "your-twilio-auth-token"          // in production: os.Getenv("TWILIO_AUTH_TOKEN")

	// A backend that opens the sealed values, as /decrypt-gather does.
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"account":"AC12345678","balance":"12.55"}`)
	}))
	defer server.Close()

	say := func(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }
	steps := []flow.Step{
		{Name: "getLast4CC", Field: "encryptedCardDigits", Digits: flow.Exactly(4),
			Prompt: say("Please enter last 4 digits of your payment card number.")},
		{Name: "getPin", Field: "encryptedPinDigits", Digits: flow.Exactly(4),
			Prompt: say("Please enter your unique 4 digit identification number")},
	}
	// In production the hand-off is signed (backend.Config.Signing), so
	// the backend answers the IVR alone.
	finish, err := backend.New(backend.Config{
		URL: server.URL,
		OnSuccess: func(body []byte) ([]twiml.Verb, error) {
			return []twiml.Verb{twiml.Say{Text: "Thank you. " + string(body)}}, nil
		},
		Decline: []twiml.Verb{twiml.Say{Text: "We were not able to locate you in our system. Goodbye."}},
	})
	if err != nil {
		log.Fatal(err)
	}
	ivr, err := flow.New(cipher, authToken, steps, finish, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/encrypted-gather", ivr)

	// A simulated Twilio call: silence first, then the card digits and PIN.
	call := flowtest.NewCaller(mux, "https://ivr.example.com/encrypted-gather", authToken).Call("", "1234", "4321")
	for _, s := range call.Said {
		fmt.Println(s)
	}
	// Output:
	// Please enter last 4 digits of your payment card number.
	// We didn't receive any input.
	// Please enter last 4 digits of your payment card number.
	// Please enter your unique 4 digit identification number
	// Thank you. {"account":"AC12345678","balance":"12.55"}
}

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
