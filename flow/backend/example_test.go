package backend_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// An IVR signs its hand-off with a secret it shares with the backend,
// which verifies each request before it opens anything.
func Example() {
	secret := backend.GenerateSecret() // in production: backend.SecretsFromEnv("BACKEND_SIGNING_SECRET")
	verifier, err := backend.NewVerifier(backend.NewSecrets(secret))
	if err != nil {
		log.Fatal(err)
	}
	cipher := aescrypt.New(aescrypt.GenerateKey())
	srv := httptest.NewServer(verifier.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		pin, err := cipher.Open(in["pin"], nil)
		if err != nil || string(pin) != "2468" {
			http.Error(w, "No data found", http.StatusNotFound)
			return
		}
		fmt.Fprint(w, `{"account":"AC12345678"}`)
	})))
	defer srv.Close()

	finish, err := backend.New(backend.Config{
		URL:     srv.URL + "/decrypt-gather",
		Signing: secret,
		OnSuccess: func(body []byte) ([]twiml.Verb, error) {
			var a struct{ Account string }
			if err := json.Unmarshal(body, &a); err != nil {
				return nil, err
			}
			return []twiml.Verb{twiml.Say{Text: "Your account is " + a.Account + "."}}, nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Enter your PIN."}}}}
	ivr, err := flow.New(cipher, "token", steps, finish, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	caller := flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token")
	fmt.Println(caller.Call("2468").LastSaid())
	fmt.Println(caller.Call("1111").LastSaid())
	// Output:
	// Your account is AC12345678.
	// We could not find a match for what you entered. Goodbye.
}

// A backend's 404 is a decline, a normal outcome the flow logs at INFO;
// other statuses are failures.
func ExampleStatusError() {
	for _, status := range []int{http.StatusNotFound, http.StatusBadGateway} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
		}))
		finish := backend.Must(backend.New(backend.Config{
			URL:       srv.URL,
			OnSuccess: func([]byte) ([]twiml.Verb, error) { return nil, nil },
		}))
		_, err := finish(context.Background(), &flow.Result{CallSid: "CA0123456789abcdef0123456789abcdef"})
		fmt.Println(err)
		srv.Close()
	}
	// Output:
	// backend: declined: status 404
	// backend: failed: status 502
}

// New refuses a backend URL that is not absolute http or https, such as
// one read from a misspelt setting, and a Config without OnSuccess.
func ExampleNew() {
	onSuccess := func([]byte) ([]twiml.Verb, error) { return nil, nil }
	_, err := backend.New(backend.Config{URL: "backend.example.com/decrypt-gather", OnSuccess: onSuccess})
	fmt.Println(err)
	_, err = backend.New(backend.Config{URL: "https://backend.example.com/decrypt-gather"})
	fmt.Println(err)
	_, err = backend.New(backend.Config{URL: "https://backend.example.com/decrypt-gather", OnSuccess: onSuccess})
	fmt.Println(err)
	// Output:
	// flow: invalid definition: backend: Config.URL is not an absolute http or https URL
	// flow: invalid definition: backend: Config.OnSuccess is nil
	// <nil>
}

// A backend opens values bound by flow.WithBoundValues with the additional
// data of the field they came under and the CallSid sent beside them.
func ExampleConfig_boundValues() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]string
		if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&in); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		callSid := in[backend.DefaultCallSidField]
		_, errPin := cipher.Open(in["pin"], flow.AdditionalData("pin", callSid))
		_, errMoved := cipher.Open(in["pin"], flow.AdditionalData("card", callSid))
		fmt.Println("pin opens in its own field:", errPin == nil)
		fmt.Println("pin opens in another field:", errMoved == nil)
		fmt.Fprint(w, "{}")
	}))
	defer srv.Close()

	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{twiml.Say{Text: "Enter your PIN."}}}}
	finish := backend.Must(backend.New(backend.Config{URL: srv.URL, OnSuccess: func([]byte) ([]twiml.Verb, error) { return nil, nil }}))
	ivr, err := flow.New(cipher, "token", steps, finish, flow.WithPublicURL("https://ivr.example.com"), flow.WithBoundValues())
	if err != nil {
		log.Fatal(err)
	}
	flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token").Call("2468")
	// Output:
	// pin opens in its own field: true
	// pin opens in another field: false
}

// A Secret prints as its ID, never itself.
func ExampleSecret() {
	s, err := backend.ParseSecret("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	fmt.Printf("%x\n", s)
	// Output:
	// backend.Secret(id=1963870b)
	// backend.Secret(id=1963870b)
}
