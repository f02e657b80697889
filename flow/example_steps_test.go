package flow_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

func say(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }

// thankYou is a Finish that reports what it was handed.
func thankYou(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
	fmt.Println("plain:", r.Plain, "sealed fields:", len(r.Sealed))
	return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
}

// A menu is a Plain step: its digit is not secret, so Next may pick the
// step that follows from it. Here 1 asks for the card and then the PIN, 2
// skips to the PIN.
func ExampleStep_menu() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	steps := []flow.Step{
		{Name: "menu", Plain: true, Digits: flow.Exactly(1),
			Prompt: say("For your card, press 1. For your PIN only, press 2."),
			Next: func(choice string) string {
				if choice == "2" {
					return "pin"
				}
				return "" // the next step in the list
			},
			Targets: []string{"pin"}},
		{Name: "card", Digits: flow.Exactly(4), Prompt: say("Enter the last 4 digits of your card.")},
		{Name: "pin", Digits: flow.Exactly(4), Prompt: say("Enter your PIN.")},
	}
	ivr, err := flow.New(cipher, "token", steps, thankYou, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	caller := flowtest.NewCaller(ivr, "https://ivr.example.com/menu", "token")
	fmt.Println(caller.Call("1", "1234", "4321").Said)
	caller = flowtest.NewCaller(ivr, "https://ivr.example.com/menu", "token")
	fmt.Println(caller.Call("2", "4321").Said)
	// Output:
	// plain: map[menu:1] sealed fields: 2
	// [For your card, press 1. For your PIN only, press 2. Enter the last 4 digits of your card. Enter your PIN. Thank you.]
	// plain: map[menu:2] sealed fields: 1
	// [For your card, press 1. For your PIN only, press 2. Enter your PIN. Thank you.]
}

// Retries say something before the prompt when a step asks again, keyed
// by reason (silence, a wrong length, a value Validate refused) and,
// optionally, by attempt. Without a matching Retry the flow says its
// built-in sentence for the reason.
func ExampleRetry() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	steps := []flow.Step{{
		Name: "card", Digits: flow.Exactly(16), Validate: flow.Luhn, Attempts: 4,
		Prompt: say("Enter your card number."),
		Retries: []flow.Retry{
			{Reason: flow.ReasonTimeout, Attempt: 2, Verbs: say("Take your time.")},
			{Reason: flow.ReasonRejected, Verbs: say("That card number is not valid.")},
		},
	}}
	ivr, err := flow.New(cipher, "token", steps, thankYou, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/card", "token").
		Call("", "4111", "4111111111111112", "4111111111111111")
	for _, s := range call.Said {
		fmt.Println(s)
	}
	// Output:
	// plain: map[] sealed fields: 1
	// Enter your card number.
	// Take your time.
	// Enter your card number.
	// That was not 16 digits.
	// Enter your card number.
	// That card number is not valid.
	// Enter your card number.
	// Thank you.
}

// A Flow mounts anywhere on a net/http ServeMux: on a method and path
// pattern, or under a prefix that http.StripPrefix removes. Signatures are
// checked against the URL Twilio requested, and action URLs are relative,
// so neither needs configuring. (A router such as chi mounts it the same
// way, as any http.Handler.)
func ExampleFlow_mount() {
	cipher := aescrypt.New(aescrypt.GenerateKey())
	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: say("Enter your PIN.")}}
	ivr, err := flow.New(cipher, "token", steps, thankYou, flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	voice := http.NewServeMux()
	voice.Handle("/pin", ivr)

	mux := http.NewServeMux()
	mux.Handle("POST /calls/pin", ivr)                       // a method and path pattern
	mux.Handle("/voice/", http.StripPrefix("/voice", voice)) // a sub-mux under a prefix

	for _, webhook := range []string{"https://ivr.example.com/calls/pin", "https://ivr.example.com/voice/pin"} {
		call := flowtest.NewCaller(mux, webhook, "token").Call("2468")
		answered, _, _ := strings.Cut(call.Requests[1].URL, "?")
		fmt.Println(answered, call.LastSaid())
	}
	// Output:
	// plain: map[] sealed fields: 1
	// https://ivr.example.com/calls/pin Thank you.
	// plain: map[] sealed fields: 1
	// https://ivr.example.com/voice/pin Thank you.
}
