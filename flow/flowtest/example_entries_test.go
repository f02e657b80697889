package flowtest_test

import (
	"fmt"
	"log"
	"net/http"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// A caller who hangs up during the PIN, and the status callback Twilio
// then sends, checked by the flow's Validator like every webhook.
func ExampleCaller_hangUp() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	steps := []flow.Step{
		{Name: "card", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Card digits?"}}},
		{Name: "pin", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "PIN?"}}},
	}
	finish := backend.Must(backend.New(backend.Config{ // never reached here
		URL:       "http://127.0.0.1:1",
		OnSuccess: func([]byte) ([]twiml.Verb, error) { return nil, nil },
	}))
	ivr, err := flow.New(cipher, "token", steps, finish, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	validator, err := flow.NewValidator("token", flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/ivr", ivr)
	mux.Handle("/status", validator.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("status callback:", r.PostForm.Get("CallStatus"))
	})))

	caller := flowtest.NewCaller(mux, "https://ivr.example.com/ivr", "token")
	caller.StatusCallback = "/status"
	call := caller.Call("1234", "43"+flowtest.HangUp, "9999")
	fmt.Print(call.Transcript())
	fmt.Println(call.End, "; unused:", call.Unused)
	// Output:
	// status callback: completed
	// Say: Card digits?
	// Caller: 1234
	// Say: PIN?
	// Caller: 43
	// Caller hangs up
	// Status callback: completed
	// caller hung up ; unused: [9999]
}

// A speech <Gather> hears words from Speech; keys-only ones hear silence.
func ExampleSpeech() {
	ivr := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		resp := &twiml.Response{Verbs: []twiml.Verb{
			twiml.Gather{Input: twiml.InputSpeech, Action: "/heard", Verbs: []twiml.GatherVerb{twiml.Say{Text: "How can we help?"}}},
		}}
		if r.URL.Path == "/heard" {
			resp.Verbs = []twiml.Verb{twiml.Say{Text: "You said: " + r.PostForm.Get("SpeechResult")}, twiml.Hangup{}}
		}
		twiml.WriteHTTP(w, resp)
	})
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/start", "token").Call(flowtest.Speech("my balance"))
	fmt.Print(call.Transcript())
	// Output:
	// Say: How can we help?
	// Caller says: my balance
	// Say: You said: my balance
	// Hangup
}
