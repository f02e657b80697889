package tutorial

import "github.com/encgather/encgather/twiml"

// The tutorial's sentences, word for word, so either half of a deployment
// can be swapped for the Node original without a caller noticing.
const (
	SayCard    = "Please enter last 4 digits of your payment card number."
	SayPin     = "Please enter your unique 4 digit identification number"
	SayFailure = "We were not able to locate you in our system. Goodbye."
)

// SaySuccess is the sentence for a found account.
func SaySuccess(account, balance string) string {
	return "Thank you. Your account number is " + account + " and your balance is " + balance
}

func say(text string) []twiml.GatherVerb { return []twiml.GatherVerb{twiml.Say{Text: text}} }
