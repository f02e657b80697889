package main

import (
	"errors"
	"fmt"
	"github.com/encgather/encgather/examples/internal/simulation"
	"io"
	"net/http"
	"net/url"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/examples/internal/tutorial"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/backend"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/studio"
)

// simulatedAccountSid is the account of the simulated Studio call: fixed,
// so that the return URL reads the same on every run.
const simulatedAccountSid = "AC00000000000000000000000000000000"

// studioEntry is what the simulated TwiML Redirect widget puts in the
// URL's query: the language, as "?lang={{flow.variables.lang}}" gives
// it, and the entry's time, which makes each entry of one call a new one.
var studioEntry = url.Values{"lang": {"en-US"}, "entry": {"1764892800"}}

// simulateStudioCall is simulateCall for a call that a Twilio Studio flow
// sends to the IVR with a TwiML Redirect widget: the first request
// carries Studio's query parameters (signed with the rest of the URL),
// the backend decides as before, and the IVR sends the call back to the
// Studio flow flowSid with a <Redirect> whose query holds the outcome and
// the language, nothing the caller typed and no sealed value.
func simulateStudioCall(out io.Writer, keys []string, flowSid string) error {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	signing := backend.NewSecrets(backend.GenerateSecret())
	h, err := tutorial.RequireSignatures(tutorial.Backend(cipher), signing)
	if err != nil {
		return err
	}
	backendURL, stop, err := serveBackend(out, h)
	if err != nil {
		return err
	}
	defer stop()
	ivr, authToken, err := newStudioIVR(out, cipher, signing.Newest(), backendURL, flowSid)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(tutorial.IVRPath, ivr)

	entry := simulatedPublicURL + tutorial.IVRPath + "?" + studioEntry.Encode()
	fmt.Fprintf(out, "Simulated call from the Studio flow %s: its TwiML Redirect widget sends the call to\n%s\nThe caller types %s.\n\n", flowSid, entry, simulation.Entries(keys))
	caller := flowtest.NewCaller(mux, simulatedPublicURL+tutorial.IVRPath, authToken)
	caller.Params.Set("AccountSid", simulatedAccountSid)
	caller.Log = out
	call := caller.CallFromStudio(studioEntry, keys...)
	return reportReturn(out, call)
}

// newStudioIVR builds the tutorial's IVR entered from Studio and
// returning to the Studio flow flowSid: the tutorial's backend Finish
// decides, and only the outcome and the entry's language go back.
func newStudioIVR(out io.Writer, cipher *aescrypt.Cipher, signing backend.Secret, backendURL, flowSid string) (http.Handler, string, error) {
	ret, err := studio.New(flowSid, tutorial.Steps(), "lang")
	if err != nil {
		return nil, "", err
	}
	finish, err := tutorial.Finish(backendURL, signing)
	if err != nil {
		return nil, "", err
	}
	authToken := newAuthToken()
	opts := append(studio.FlowOptions(), flow.WithPublicURL(simulatedPublicURL), flow.WithLogger(simulationLogger(out)),
		flow.WithEntryParams("lang"))
	ivr, err := flow.New(cipher, authToken, tutorial.Steps(), ret.Finish(studio.FromFinish(finish)), opts...)
	return ivr, authToken, err
}

// reportReturn prints how the call went back to Studio, or reports, as
// an error, a call that did not.
func reportReturn(out io.Writer, call *flowtest.Call) error {
	fmt.Fprintf(out, "\nThe call ended with %v after %d webhook requests.\n", call.End, len(call.Requests))
	if call.End == flowtest.EndError {
		return fmt.Errorf("the simulated call failed: %w", call.Err)
	}
	params := call.ReturnParams()
	if params == nil || params.Get(studio.OutcomeParam) == "" {
		return errors.New("the simulated call did not return to Studio")
	}
	fmt.Fprintf(out, "The IVR's last answer sends the call back to Studio:\n%s\n", call.Requests[len(call.Requests)-1].Body)
	fmt.Fprintf(out, "Studio's widget then reads {{widgets.<widget>.outcome}} = %q and {{widgets.<widget>.lang}} = %q.\n",
		params.Get(studio.OutcomeParam), params.Get("lang"))
	return nil
}
