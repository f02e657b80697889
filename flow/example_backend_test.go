package flow_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// A backend opens values bound by WithBoundValues with the additional data
// of the field they came under and the CallSid sent beside them.
func ExampleWithBoundValues() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		callSid := in[flow.DefaultCallSidField]
		_, errPin := cipher.Open(in["pin"], flow.AdditionalData("pin", callSid))
		_, errMoved := cipher.Open(in["pin"], flow.AdditionalData("card", callSid))
		fmt.Println("pin opens in its own field:", errPin == nil)
		fmt.Println("pin opens in another field:", errMoved == nil)
		fmt.Fprint(w, "{}")
	}))
	defer backend.Close()

	steps := []flow.Step{{Name: "pin", Prompt: []twiml.GatherVerb{twiml.Say{Text: "Enter your PIN."}}}}
	finish, err := flow.NewBackend(flow.Backend{URL: backend.URL})
	if err != nil {
		log.Fatal(err)
	}
	ivr, err := flow.New(cipher, "token", steps, finish, flow.WithPublicURL("https://ivr.example.com"), flow.WithBoundValues())
	if err != nil {
		log.Fatal(err)
	}
	flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token").Call("2468")
	// Output:
	// pin opens in its own field: true
	// pin opens in another field: false
}

// NewBackend refuses a backend URL that is not absolute http or https,
// such as one read from a misspelt setting.
func ExampleNewBackend() {
	_, err := flow.NewBackend(flow.Backend{URL: "backend.example.com/decrypt-gather"})
	fmt.Println(err)
	_, err = flow.NewBackend(flow.Backend{URL: "https://backend.example.com/decrypt-gather"})
	fmt.Println(err)
	// Output:
	// flow: invalid definition: backend URL is not an absolute http or https URL
	// <nil>
}
