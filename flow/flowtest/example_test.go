package flowtest_test

import (
	"fmt"
	"net/http"

	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// A Caller drives any TwiML application; here, a two-document IVR.
func Example() {
	ivr := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		resp := &twiml.Response{Verbs: []twiml.Verb{
			twiml.Gather{Action: "/done", NumDigits: 1, Verbs: []twiml.GatherVerb{twiml.Say{Text: "Press a key."}}},
			twiml.Say{Text: "Goodbye."},
		}}
		if r.URL.Path == "/done" {
			resp = &twiml.Response{Verbs: []twiml.Verb{twiml.Say{Text: "You pressed " + r.PostForm.Get("Digits") + "."}, twiml.Hangup{}}}
		}
		twiml.WriteHTTP(w, resp)
	})

	call := flowtest.NewCaller(ivr, "https://ivr.example.com/start", "auth-token").Call("7")
	fmt.Print(call.Transcript())
	fmt.Println(call.End, len(call.Requests), "requests")

	silent := flowtest.NewCaller(ivr, "https://ivr.example.com/start", "auth-token").Call("")
	fmt.Print(silent.Transcript())
	fmt.Println(silent.End)
	// Output:
	// Say: Press a key.
	// Caller: 7
	// Say: You pressed 7.
	// Hangup
	// hangup 2 requests
	// Say: Press a key.
	// Caller: (silence)
	// Say: Goodbye.
	// completed
}
