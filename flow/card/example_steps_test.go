package card_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/card"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// A card capture: a mistyped number, then an Amex card whose 3-digit
// code is refused. Finish reads the Result as <Pay> would.
func ExampleSteps() {
	steps, err := card.Steps(card.Options{})
	if err != nil {
		log.Fatal(err)
	}
	finish := func(_ context.Context, r *flow.Result) ([]twiml.Verb, error) {
		c := card.ResultOf(r)
		fmt.Println(c.Result, c.Brand, c.MaskedNumber, len(c.Sealed), "sealed values")
		return []twiml.Verb{twiml.Say{Text: "Thank you."}}, nil
	}
	ivr, err := flow.New(aescrypt.New(aescrypt.GenerateKey()), "token", steps, finish,
		append(card.FlowOptions(), flow.WithPublicURL("https://ivr.example.com"),
			flow.WithValueStore(flow.NewMemoryValueStore()), flow.WithLogger(slog.New(slog.DiscardHandler)))...)
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/pay", "token").
		Call("378282246310006#", "378282246310005#", "1239", "123", "1234")
	fmt.Print(call.Transcript())
	// Output:
	// success amex xxxx-xxxxxx-x0005 3 sealed values
	// Say: Please enter your credit card number, followed by the pound key.
	// Caller: 378282246310006#
	// Say: That card number is not valid.
	// Say: Please enter your credit card number, followed by the pound key.
	// Caller: 378282246310005#
	// Say: Please enter your expiration date: two digits for the month and two digits for the year.
	// Caller: 1239
	// Say: Please enter the 4 digit security code on the front of your card.
	// Caller: 123
	// Say: That security code is not valid.
	// Say: Please enter the 4 digit security code on the front of your card.
	// Caller: 1234
	// Say: Thank you.
	// Hangup
}
