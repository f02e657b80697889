package flow_test

import (
	"context"
	"expvar"
	"fmt"
	"log"

	"github.com/encgather/encgather/aescrypt"
	"github.com/encgather/encgather/flow"
	"github.com/encgather/encgather/flow/flowtest"
	"github.com/encgather/encgather/twiml"
)

// An observer counts each request's outcome, here in an expvar map that
// a service serves at /debug/vars (expvar.Handler) for its metrics. The
// Finish declines an unknown caller (ErrDeclined), which the flow counts
// as "declined", apart from failures.
func ExampleWithObserver() {
	outcomes := expvar.NewMap("flow_outcomes")
	count := func(ev flow.Event) { outcomes.Add(string(ev.Outcome), 1) }

	cipher := aescrypt.New(aescrypt.GenerateKey())
	// A Finish that finds nobody: a decline, a normal outcome.
	finish := func(context.Context, *flow.Result) ([]twiml.Verb, error) {
		sorry := []twiml.Verb{twiml.Say{Text: "We were not able to locate you in our system. Goodbye."}}
		return sorry, fmt.Errorf("%w: no account for these details", flow.ErrDeclined)
	}
	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: say("Enter your PIN.")}}
	ivr, err := flow.New(cipher, "token", steps, finish,
		flow.WithPublicURL("https://ivr.example.com"), flow.WithObserver(count))
	if err != nil {
		log.Fatal(err)
	}
	flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token").Call("", "12", "1234")
	flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "forged").Call()
	fmt.Println(outcomes)
	// Output:
	// {"asked": 1, "bad_signature": 1, "declined": 1, "retry": 2}
}

// The built-in sentences in Spanish, in an Amazon Polly voice; the prompts
// use the same voice.
func ExampleWithSentences() {
	lupe := func(text string) twiml.Say { return twiml.Say{Text: text, Voice: "Polly.Lupe", Language: "es-US"} }
	spanish := flow.Sentences{
		NoInput:     "No recibimos ninguna entrada.",
		WrongLength: "Eso no fueron {n} dígitos.",
		Invalid:     "Esa entrada no es válida.",
		Rejected:    "Esa entrada no fue aceptada.",
		Goodbye:     "Lo sentimos, no pudimos obtener su entrada. Adiós.",
		Apology:     "Lo sentimos, ocurrió un error en la aplicación. Adiós.",
		Voice:       "Polly.Lupe",
		Language:    "es-US",
	}
	steps := []flow.Step{{Name: "pin", Digits: flow.Exactly(4), Prompt: []twiml.GatherVerb{lupe("Marque su PIN de 4 dígitos.")}}}
	cipher := aescrypt.New(aescrypt.GenerateKey())
	ivr, err := flow.New(cipher, "token", steps, thankYou,
		flow.WithPublicURL("https://ivr.example.com"), flow.WithSentences(spanish))
	if err != nil {
		log.Fatal(err)
	}
	call := flowtest.NewCaller(ivr, "https://ivr.example.com/pin", "token").Call("", "12", "")
	for _, s := range call.Said {
		fmt.Println(s)
	}
	doc, _ := twiml.Parse(call.Requests[len(call.Requests)-1].Body)
	goodbye := doc.Verbs[0].(twiml.Say)
	fmt.Println(goodbye.Voice, goodbye.Language)
	// Output:
	// Marque su PIN de 4 dígitos.
	// No recibimos ninguna entrada.
	// Marque su PIN de 4 dígitos.
	// Eso no fueron 4 dígitos.
	// Marque su PIN de 4 dígitos.
	// Lo sentimos, no pudimos obtener su entrada. Adiós.
	// Polly.Lupe es-US
}
