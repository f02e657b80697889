package recording_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/recording"
	"github.com/encgather/encgather/twiml"
)

// The tutorial's IVR on a recorded call: the recording is paused before the
// card digits are asked and resumed once the PIN is sealed, so neither is
// in it. The retry after silence keeps it paused. Here Twilio's REST API is
// a stand-in on loopback that prints each request it gets.
func Example() {
	accountSid := "AC" + strings.Repeat("0", 32) // in production: os.Getenv("TWILIO_ACCOUNT_SID")
	authToken := "yourTwilioAuthToken"           // in production: os.Getenv("TWILIO_AUTH_TOKEN")

	restAPI := newPrintingRESTAPI()
	defer restAPI.Close()
	recordings, err := recording.New(accountSid, authToken,
		recording.WithHTTPClient(restAPI.client())) // in production: leave out
	if err != nil {
		log.Fatal(err)
	}

	say := func(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }
	steps := []flow.Step{
		{Name: "getLast4CC", Field: "encryptedCardDigits", Digits: flow.Exactly(4),
			Prompt: say("Please enter last 4 digits of your payment card number.")},
		{Name: "getPin", Field: "encryptedPinDigits", Digits: flow.Exactly(4),
			Prompt: say("Please enter your unique 4 digit identification number")},
	}
	finish := func(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
		return []twiml.Verb{twiml.Say{Text: fmt.Sprintf("Thank you. %d values sealed.", len(r.Sealed))}}, nil
	}
	ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), authToken, steps, finish,
		flow.WithPublicURL("https://ivr.example.com"), flow.WithRecordingPause(recordings))
	if err != nil {
		log.Fatal(err)
	}

	caller := flowtest.NewCaller(ivr, "https://ivr.example.com/encrypted-gather", authToken)
	caller.Params.Set("AccountSid", accountSid)
	caller.Params.Set("CallSid", "CA"+strings.Repeat("f", 32))
	call := caller.Call("", "1234", "4321")
	fmt.Println(call.Said[len(call.Said)-1])
	// Output:
	// POST /2010-04-01/Accounts/AC00000000000000000000000000000000/Calls/CAffffffffffffffffffffffffffffffff/Recordings/Twilio.CURRENT.json PauseBehavior=skip&Status=paused
	// POST /2010-04-01/Accounts/AC00000000000000000000000000000000/Calls/CAffffffffffffffffffffffffffffffff/Recordings/Twilio.CURRENT.json Status=in-progress
	// Thank you. 2 values sealed.
}

// printingRESTAPI stands in for Twilio's REST API: it prints each request
// and answers that the recording is now in the status asked for.
type printingRESTAPI struct {
	*httptest.Server
	mu sync.Mutex
}

func newPrintingRESTAPI() *printingRESTAPI {
	p := &printingRESTAPI{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		p.mu.Lock()
		fmt.Println(r.Method, r.URL.Path, string(body))
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":%q}`, form.Get("Status"))
	}))
	return p
}

// client sends what is addressed to api.twilio.com to the stand-in.
func (p *printingRESTAPI) client() *http.Client {
	target, _ := url.Parse(p.URL)
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = target.Scheme, target.Host, ""
		return http.DefaultTransport.RoundTrip(r)
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
