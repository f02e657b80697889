package studio_test

import (
	"context"
	"fmt"
	"net/url"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/flow/studio"
	"github.com/encgather/encgather/twiml"
)

// A flow entered from a Studio TwiML Redirect widget whose URL is
// https://ivr.example.com/pin?lang={{flow.variables.lang}}, returning to
// the Studio flow with the outcome and the language.
func ExampleReturn_Finish() {
	steps := []flow.Step{{Name: "pin", Field: "encryptedPin", Digits: flow.Exactly(4),
		Prompt: []twiml.GatherVerb{twiml.Say{Text: "Please enter your PIN."}}}}
	ret, err := studio.New("FW00000000000000000000000000000000", steps, "lang")
	if err != nil {
		panic(err)
	}
	decide := func(ctx context.Context, r *flow.Result) (studio.Outcome, map[string]string, error) {
		// A real service hands r.Sealed to its backend here.
		return studio.Verified, nil, nil
	}
	opts := append(studio.FlowOptions(), flow.WithPublicURL("https://ivr.example.com"), flow.WithEntryParams("lang"))
	f, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), "auth-token", steps, ret.Finish(decide), opts...)
	if err != nil {
		panic(err)
	}

	caller := flowtest.NewCaller(f, "https://ivr.example.com/pin", "auth-token")
	caller.Params.Set("AccountSid", "AC00000000000000000000000000000000")
	call := caller.CallFromStudio(url.Values{"lang": {"en-GB"}}, "4321")
	fmt.Println(call.End)
	fmt.Println(call.RedirectURL)
	// Output:
	// redirected
	// https://webhooks.twilio.com/v1/Accounts/AC00000000000000000000000000000000/Flows/FW00000000000000000000000000000000?FlowEvent=return&outcome=verified&lang=en-GB
}
