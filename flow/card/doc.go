// Package card holds the rules of card and bank capture over a phone
// keypad, as Twilio's <Pay> verb applies them: which card brands a number
// belongs to, when a number, an expiry date, a security code, a postal code,
// a routing number or an account number is acceptable, and how a captured
// number may be shown afterwards.
//
// The vocabulary (brand names, steps, error types, results) is <Pay>'s,
// described at https://www.twilio.com/docs/voice/twiml/pay, so a flow built
// on this package can speak to a caller, and hand results on, in the terms a
// <Pay> user already knows.
//
//	brands, err := card.ParseBrands("visa mastercard amex") // validCardTypes
//	brand, err := card.CheckNumber(digits, brands)
//	if err != nil {
//		prompt(card.ErrorTypeOf(err)) // "invalid-card-number", "invalid-card-type"
//	}
//	fmt.Println(brand, card.Mask(digits)) // amex xxxx-xxxxxx-x0005
//
// The checks are pure: no clock but the one passed in, no state, no I/O.
//
// # Steps
//
// Steps and BankSteps turn the checks into steps of a package flow call,
// asked and retried as <Pay> asks: the card number (revealing its brand,
// last four digits and masked form to later steps and to Finish), the
// expiry against the flow's clock, the security code at its brand's
// length, an optional postal code; or an account type, a routing number
// and an account number. Each is keypad only and '*' ends the capture.
// ResultOf reads the flow's Result in <Pay>'s words:
//
//	steps, err := card.Steps(card.Options{})
//	ivr, err := flow.New(cipher, authToken, steps, finish,
//		append(card.FlowOptions(), flow.WithValueStore(flow.NewMemoryValueStore()))...)
//	// in finish:
//	c := card.ResultOf(r) // c.Result, c.Brand, c.MaskedNumber, c.Sealed[card.StepCardNumber]
//
// The security code is kept off the action URLs (flow.Step.OffURL), so
// that Twilio's request logs never hold it, even sealed: the flow needs a
// flow.ValueStore.
//
// # Security
//
// No error quotes its input: a rejected card number, date, code or account
// number never appears in an error's text, only which rule it broke. What
// may be shown of a card number afterwards is Mask's and Last4's output:
// the last four digits at most, inside the limit PCI DSS sets for a
// displayed number (at most the first six and the last four digits). The
// security code is checked and never shown or kept.
//
// These checks catch a mistyped digit; they do not make a number real. Only
// the card's issuer, through a payment processor, can say that.
//
// # Compatibility
//
// Brand names, step names, error types and results are spelled as <Pay>
// spells them. Where <Pay>'s brand table differs from the card networks'
// published ranges, the table beside the prefixes (brand.go) says which
// was chosen and why.
package card
