package flow_test

import (
	"context"
	"fmt"
	"log"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// report is a Finish that prints how the call ended and the way it took.
func report(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
	fmt.Println("outcome:", r.Outcome, "path:", r.Path, "sealed fields:", len(r.Sealed))
	return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
}

// A menu leads to two branches, each ending on its own: 1 asks the date
// of birth and then the PIN, and ends there (Then: flow.End); 2 asks
// another PIN, the last step. Finish learns the path taken.
func ExampleStep_branches() {
	steps := []flow.Step{
		{Name: "menu", Plain: true, Digits: flow.Exactly(1),
			Prompt: say("For a card account, press 1. For a loan, press 2."),
			Next: func(choice string) string {
				if choice == "2" {
					return "loanPin"
				}
				return "dob"
			},
			Targets: []string{"dob", "loanPin"}},
		{Name: "dob", Digits: flow.Exactly(8), Prompt: say("Enter your date of birth, month, day and year."),
			Check: flow.Date(flow.DateMMDDYYYY, flow.Past())},
		{Name: "cardPin", Digits: flow.Exactly(4), Prompt: say("Enter your card PIN."), Then: flow.End},
		{Name: "loanPin", Digits: flow.Exactly(4), Prompt: say("Enter your loan PIN.")},
	}
	ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), "token", steps, report,
		flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(flowtest.NewCaller(ivr, "https://ivr.example.com/menu", "token").Call("1", "07041976", "1234").Said)
	fmt.Println(flowtest.NewCaller(ivr, "https://ivr.example.com/menu", "token").Call("2", "4321").Said)
	// Output:
	// outcome: finished path: [menu dob cardPin] sealed fields: 2
	// [For a card account, press 1. For a loan, press 2. Enter your date of birth, month, day and year. Enter your card PIN. Thank you.]
	// outcome: finished path: [menu loanPin] sealed fields: 1
	// [For a card account, press 1. For a loan, press 2. Enter your loan PIN. Thank you.]
}

// A spoken account number is as sensitive as a typed one: the transcript
// is sealed on arrival and never logged. SpokenDigits turns the words into
// digits, which are then checked as typed ones are.
func ExampleStep_speech() {
	steps := []flow.Step{{
		Name:         "account",
		Input:        flow.InputKeysOrSpeech,
		Digits:       flow.Between(6, 8),
		MaxSpeechLen: 8,
		Normalize:    flow.SpokenDigits,
		Speech:       flow.SpeechOptions{Model: "numbers_and_commands", Hints: "$OPERAND"},
		Prompt:       say("Say or type your account number."),
	}}
	ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), "token", steps, report,
		flow.WithPublicURL("https://ivr.example.com"))
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/account", "token").
		Call(flowtest.Speech("my account"), flowtest.Speech("one two three four five six"))
	fmt.Print(call.Transcript())
	// Output:
	// outcome: finished path: [account] sealed fields: 1
	// Say: Say or type your account number.
	// Caller says: my account
	// Say: That entry was not valid.
	// Say: Say or type your account number.
	// Caller says: one two three four five six
	// Say: Thank you.
	// Hangup
}

// A caller who hangs up mid-flow is an outcome of its own: no check, no
// retry and, by default, no Finish; the answer is an empty <Response/>.
// WithFinishOnHangUp hands Finish what was gathered, with
// Result.Outcome flow.OutcomeHungUp.
func ExampleWithFinishOnHangUp() {
	steps := []flow.Step{
		{Name: "card", Digits: flow.Exactly(4), Prompt: say("Enter the last 4 digits of your card.")},
		{Name: "pin", Digits: flow.Exactly(4), Prompt: say("Enter your PIN.")},
	}
	for _, opts := range [][]flow.Option{nil, {flow.WithFinishOnHangUp()}} {
		opts = append(opts, flow.WithPublicURL("https://ivr.example.com"), flow.WithObserver(func(ev flow.Event) {
			if ev.Outcome == flow.OutcomeHungUp {
				fmt.Println("hung up at", ev.Step)
			}
		}))
		ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), "token", steps, report, opts...)
		if err != nil {
			log.Fatal(err)
		}
		call := flowtest.NewCaller(ivr, "https://ivr.example.com/ivr", "token").Call("1234", "43"+flowtest.HangUp)
		fmt.Println(call.End, string(call.Requests[len(call.Requests)-1].Body[len(`<?xml version="1.0" encoding="UTF-8"?>`):]))
	}
	// Output:
	// hung up at pin
	// caller hung up <Response/>
	// outcome: hung_up path: [card] sealed fields: 1
	// hung up at pin
	// caller hung up <Response/>
}
